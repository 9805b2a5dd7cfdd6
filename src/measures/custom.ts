import { MeasureError } from './errors.ts';
import { isBuiltInCode } from './registry.ts';
import type { AnswerProblem, Band, InstrumentDefinition, ItemDefinition } from './types.ts';

/** An organisation's own simple questionnaire, as submitted. */
export interface CustomQuestionnaireInput {
  /** Lowercase words joined by hyphens; must not be a built-in code. */
  readonly code: string;
  readonly version: string;
  readonly title: string;
  readonly items: readonly {
    readonly key?: string;
    readonly text: string;
    readonly options: readonly { readonly value: number; readonly label: string }[];
  }[];
  readonly scoring: 'sum' | 'mean';
  /** Default true. */
  readonly higherIsBetter?: boolean;
  /** Optional bands, ascending and non-overlapping, covering every possible score. */
  readonly bands?: readonly { readonly code: string; readonly label: string; readonly min: number; readonly max: number }[];
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_ITEMS = 100;

type Problems = AnswerProblem[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * Checks a custom questionnaire definition and returns every problem. Each
 * problem names the item it concerns (1-based; 0 for the questionnaire).
 */
export function validateCustomDefinition(input: unknown): AnswerProblem[] {
  if (!isRecord(input)) return [{ item: 0, message: 'A questionnaire definition must be an object' }];
  const problems: Problems = [];
  const add = (item: number, message: string) => problems.push({ item, message });

  if (typeof input.code !== 'string' || !SLUG.test(input.code) || input.code.length > 64) {
    add(0, 'Code must be lowercase letters or digits, words joined by single hyphens, at most 64 characters');
  } else if (isBuiltInCode(input.code)) {
    add(0, `Code "${input.code}" is already used by a built-in instrument`);
  }
  if (!isText(input.version)) add(0, 'Version must be a non-empty text');
  if (!isText(input.title)) add(0, 'Title must be a non-empty text');
  if (input.scoring !== 'sum' && input.scoring !== 'mean') add(0, 'Scoring must be "sum" or "mean"');
  if (input.higherIsBetter !== undefined && typeof input.higherIsBetter !== 'boolean') add(0, 'higherIsBetter must be true or false');

  const items = input.items;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS) {
    add(0, `A questionnaire needs from 1 to ${MAX_ITEMS} items`);
    return problems;
  }
  const keys = new Set<string>();
  items.forEach((entry: unknown, index) => checkItem(entry, index + 1, keys, add));

  if (input.bands !== undefined && problems.length === 0) {
    const range = scoreRange(input as unknown as CustomQuestionnaireInput);
    checkBands(input.bands, range, add);
  }
  return problems;
}

function checkItem(entry: unknown, number: number, keys: Set<string>, add: (item: number, message: string) => void): void {
  if (!isRecord(entry)) {
    add(number, `Item ${number} must be an object with text and options`);
    return;
  }
  if (!isText(entry.text)) add(number, `Item ${number} needs question text`);
  const key = entry.key === undefined ? `item-${number}` : entry.key;
  if (typeof key !== 'string' || !SLUG.test(key)) add(number, `Item ${number} key must be lowercase words joined by hyphens`);
  else if (keys.has(key)) add(number, `Item ${number} key "${key}" is used by another item`);
  else keys.add(key);

  const options = entry.options;
  if (!Array.isArray(options) || options.length < 2) {
    add(number, `Item ${number} needs at least 2 answer options`);
    return;
  }
  const values = new Set<number>();
  options.forEach((option: unknown, optionIndex) => {
    const where = `Item ${number} option ${optionIndex + 1}`;
    if (!isRecord(option) || typeof option.value !== 'number' || !Number.isFinite(option.value)) {
      add(number, `${where} needs a numeric value`);
      return;
    }
    if (!isText(option.label)) add(number, `${where} needs a label`);
    if (values.has(option.value)) add(number, `${where} repeats the value ${option.value}`);
    values.add(option.value);
  });
}

function scoreRange(input: CustomQuestionnaireInput): { min: number; max: number } {
  let min = 0;
  let max = 0;
  for (const entry of input.items) {
    const values = entry.options.map((option) => option.value);
    min += Math.min(...values);
    max += Math.max(...values);
  }
  if (input.scoring === 'mean') return { min: min / input.items.length, max: max / input.items.length };
  return { min, max };
}

function checkBands(bands: unknown, range: { min: number; max: number }, add: (item: number, message: string) => void): void {
  if (!Array.isArray(bands) || bands.length === 0) {
    add(0, 'Bands must be a non-empty list when given');
    return;
  }
  let previous: { min: number; max: number } | undefined;
  for (const [index, entry] of bands.entries()) {
    const where = `Band ${index + 1}`;
    if (!isRecord(entry) || typeof entry.min !== 'number' || typeof entry.max !== 'number' || entry.min > entry.max) {
      add(0, `${where} needs numeric min and max, with min not above max`);
      return;
    }
    if (typeof entry.code !== 'string' || !SLUG.test(entry.code)) add(0, `${where} code must be lowercase words joined by hyphens`);
    if (!isText(entry.label)) add(0, `${where} needs a label`);
    if (previous && entry.min <= previous.max) add(0, `${where} must start above the previous band's max (${previous.max})`);
    previous = { min: entry.min, max: entry.max };
  }
  const first = bands[0] as { min: number };
  const last = bands[bands.length - 1] as { max: number };
  if (first.min > range.min) add(0, `Bands must start at or below the lowest possible score (${range.min})`);
  if (last.max < range.max) add(0, `Bands must reach the highest possible score (${range.max})`);
}

/**
 * Turns a valid custom definition into an instrument definition that
 * `scoreInstrument`, `validateAnswers` and `compareScores` accept in place
 * of a code. Throws a MeasureError (`invalid-definition`) listing problems.
 * A value between two bands belongs to the lower band.
 */
export function defineCustomInstrument(input: CustomQuestionnaireInput): InstrumentDefinition {
  const problems = validateCustomDefinition(input);
  if (problems.length > 0) {
    throw new MeasureError('invalid-definition', problems.map((problem) => problem.message).join('; '), problems);
  }
  const items: ItemDefinition[] = input.items.map((entry, index) => {
    const values = entry.options.map((option) => option.value);
    return {
      key: entry.key ?? `item-${index + 1}`,
      text: entry.text,
      options: entry.options.map((option) => ({ value: option.value, label: option.label })),
      min: Math.min(...values),
      max: Math.max(...values),
      scored: true,
      required: true,
    };
  });
  const range = scoreRange(input);
  const bands: Band[] = (input.bands ?? []).map((entry) => ({ code: entry.code, label: entry.label, min: entry.min, max: entry.max }));
  const higherIsBetter = input.higherIsBetter ?? true;
  return {
    code: input.code,
    version: input.version,
    title: input.title,
    shortTitle: input.title,
    licence: { requiresRegistration: false, wordingIncluded: true, terms: 'Defined by the organisation.' },
    items,
    scoring:
      input.scoring === 'sum'
        ? { kind: 'sum', min: range.min, max: range.max, higherIsBetter, bands, bandsSource: 'Defined by the organisation.' }
        : { kind: 'mean', min: range.min, max: range.max, higherIsBetter, bands },
    sources: [],
    notes: ['Organisation-defined questionnaire; no reliable-change threshold.'],
  };
}
