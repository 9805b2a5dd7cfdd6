import type { Band, ItemDefinition, ResponseOption } from '../types.ts';

/** Options for each whole number from `min` to `max`, labelled by `label(value)`. */
export function rangeOptions(min: number, max: number, label: (value: number) => string = String): ResponseOption[] {
  const options: ResponseOption[] = [];
  for (let value = min; value <= max; value += 1) options.push({ value, label: label(value) });
  return options;
}

/** A 0–10 scale whose end points carry anchor words, e.g. "0 – Not at all". */
export function zeroToTen(lowAnchor: string, highAnchor: string): ResponseOption[] {
  return rangeOptions(0, 10, (value) => {
    if (value === 0) return `0 – ${lowAnchor}`;
    if (value === 10) return `10 – ${highAnchor}`;
    return String(value);
  });
}

/** Builds an item, deriving `min` and `max` from its options. */
export function item(
  key: string,
  text: string | undefined,
  options: readonly ResponseOption[],
  flags: { scored?: boolean; required?: boolean; safeguardingAtOrAbove?: number } = {},
): ItemDefinition {
  const values = options.map((option) => option.value);
  return {
    key,
    ...(text === undefined ? {} : { text }),
    options,
    min: Math.min(...values),
    max: Math.max(...values),
    scored: flags.scored ?? true,
    required: flags.required ?? true,
    ...(flags.safeguardingAtOrAbove === undefined ? {} : { safeguardingAtOrAbove: flags.safeguardingAtOrAbove }),
  };
}

/** Shorthand for a band. */
export function band(code: string, label: string, min: number, max: number): Band {
  return { code, label, min, max };
}
