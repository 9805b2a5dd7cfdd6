import { MeasureError } from './errors.ts';
import { LEAF7, PAM } from './instruments/external.ts';
import { GAD7 } from './instruments/gad7.ts';
import { GOAL_BASED_OUTCOME } from './instruments/goal-based-outcome.ts';
import { LEARNER_SATISFACTION } from './instruments/learner-satisfaction.ts';
import { ONS_LONELINESS, UCLA3 } from './instruments/loneliness.ts';
import { ONS4 } from './instruments/ons4.ts';
import { PHQ9 } from './instruments/phq9.ts';
import { SWEMWBS } from './instruments/swemwbs.ts';
import { WEMWBS } from './instruments/wemwbs.ts';
import type { InstrumentDefinition } from './types.ts';

/** Every built-in instrument, in the order they are listed. */
export const BUILT_IN_INSTRUMENTS: readonly InstrumentDefinition[] = [
  ONS4,
  PHQ9,
  GAD7,
  WEMWBS,
  SWEMWBS,
  UCLA3,
  ONS_LONELINESS,
  LEARNER_SATISFACTION,
  GOAL_BASED_OUTCOME,
  PAM,
  LEAF7,
];

const BY_CODE: ReadonlyMap<string, InstrumentDefinition> = new Map(BUILT_IN_INSTRUMENTS.map((definition) => [definition.code, definition]));

/** True when `code` names a built-in instrument. */
export function isBuiltInCode(code: string): boolean {
  return BY_CODE.has(code);
}

/**
 * The full built-in definition (including licensed wording) for `code`, or a
 * custom definition passed straight through. Throws `unknown-instrument`.
 * For display, use {@link getInstrument}, which applies licence rules.
 */
export function resolveInstrument(instrument: string | InstrumentDefinition): InstrumentDefinition {
  if (typeof instrument !== 'string') return instrument;
  const found = BY_CODE.get(instrument);
  if (!found) throw new MeasureError('unknown-instrument', `There is no instrument with code "${instrument}"`);
  return found;
}

/** Licence context for listings: which registration-gated codes the deployment has registered for. */
export interface WordingOptions {
  /** Codes (e.g. `wemwbs`, `swemwbs`) whose licence registration the deployment has confirmed. */
  readonly registeredFor?: readonly string[];
}

/** An instrument as it may be shown: wording removed when the licence does not yet allow it. */
export interface InstrumentListing extends InstrumentDefinition {
  /** True when item wording and instructions are included. */
  readonly wordingShown: boolean;
  /** Number of answers expected (including optional trailing items), or null for goal-based / external. */
  readonly itemCount: number | null;
  /** Number of items that count towards a score. */
  readonly scoredItemCount: number;
}

/** Whether the wording of `definition` may be shown under `options`. */
export function isWordingAllowed(definition: InstrumentDefinition, options: WordingOptions = {}): boolean {
  const { licence } = definition;
  if (!licence.wordingIncluded) return false;
  if (!licence.requiresRegistration) return true;
  return (options.registeredFor ?? []).includes(definition.code);
}

/** A copy of `definition` prepared for display under the licence rules. */
export function toListing(definition: InstrumentDefinition, options: WordingOptions = {}): InstrumentListing {
  const wordingShown = isWordingAllowed(definition, options);
  const hasItems = definition.scoring.kind !== 'goals' && definition.scoring.kind !== 'external';
  const counts = {
    wordingShown,
    itemCount: hasItems ? definition.items.length : null,
    scoredItemCount: definition.items.filter((entry) => entry.scored).length,
  };
  if (wordingShown) return { ...definition, ...counts };
  const { instructions: _instructions, goalItem, ...rest } = definition;
  return {
    ...rest,
    ...(goalItem ? { goalItem: stripText(goalItem) } : {}),
    items: definition.items.map(stripText),
    ...counts,
  };
}

function stripText<T extends { readonly text?: string }>(entry: T): Omit<T, 'text'> {
  const { text: _text, ...rest } = entry;
  return rest;
}

/** All built-in instruments: codes, versions, items where the licence allows, and scoring rules as data. */
export function listInstruments(options: WordingOptions = {}): InstrumentListing[] {
  return BUILT_IN_INSTRUMENTS.map((definition) => toListing(definition, options));
}

/** One built-in instrument prepared for display, or undefined for an unknown code. */
export function getInstrument(code: string, options: WordingOptions = {}): InstrumentListing | undefined {
  const found = BY_CODE.get(code);
  return found ? toListing(found, options) : undefined;
}
