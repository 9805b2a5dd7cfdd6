/**
 * Everything an organisation can plan and record, in one list: the built-in questionnaires answered
 * item by item, goal-based outcomes (the link worker's side, where the person's goals are), PAM
 * and LEAF-7 (externally scored: only the score and level are recorded), and the organisation's
 * own questionnaires. Also finds the definition of any stored (code, version) for the timeline.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { getInstrument, resolveInstrument, toListing } from '../measures/index.ts';
import type { InstrumentDefinition, InstrumentListing, WordingOptions } from '../measures/index.ts';
import { RECORDABLE_CODES, shortTitle } from './instruments.ts';
import { currentByCodes, currentQuestionnaires, customDefinitions, customIdOf, findQuestionnaire } from './questionnaires.ts';
import type { Side } from './time-points.ts';

/** How a measure is entered: answers to items, a rating per goal, or an externally produced score. */
export type EntryKind = 'items' | 'goals' | 'external';

export const GOALS_CODE = 'goal-based-outcome';
/** Scored outside Linkwell under licence. */
export const EXTERNAL_CODES: readonly string[] = ['pam', 'leaf7'];

/** Something staff may choose to plan or record. */
export interface Choice {
  code: string;
  title: string;
  shortTitle: string;
  kind: EntryKind;
  /** An organisation-defined questionnaire. */
  custom: boolean;
}

/** How instrument `code` is entered. */
export function kindOf(code: string): EntryKind {
  if (code === GOALS_CODE) return 'goals';
  if (EXTERNAL_CODES.includes(code)) return 'external';
  return 'items';
}

function builtIn(code: string): Choice {
  const listing = getInstrument(code)!;
  return { code, title: listing.title, shortTitle: listing.shortTitle, kind: kindOf(code), custom: false };
}

/** What one organisation's staff may plan and record, in the order offered. */
export async function choicesFor(db: Kysely<DB>, organisationId: string, side: Side): Promise<Choice[]> {
  const codes = [...RECORDABLE_CODES, ...(side === 'service' ? [GOALS_CODE] : []), ...EXTERNAL_CODES];
  const own = await currentQuestionnaires(db, [organisationId]);
  return [
    ...codes.map(builtIn),
    ...own.map((q) => ({ code: q.code, title: q.content.title, shortTitle: q.content.title, kind: 'items' as const, custom: true })),
  ];
}

/**
 * The listing of a questionnaire answered item by item, as staff see it: a built-in one (wording
 * only where the licence allows) or one of the organisation's own (its current version, unless
 * `version` is given). Undefined when it is not one the organisation may record.
 */
export async function itemsListing(db: Kysely<DB>, code: string, organisationId: string, wording: WordingOptions, version?: string): Promise<InstrumentListing | undefined> {
  if (RECORDABLE_CODES.includes(code)) return getInstrument(code, wording);
  if (!customIdOf(code)) return undefined;
  const wanted = version === undefined ? undefined : Number(version);
  if (wanted !== undefined && !Number.isInteger(wanted)) return undefined;
  const found = await findQuestionnaire(db, code, wanted);
  return found && found.organisationId === organisationId ? toListing(found.definition) : undefined;
}

/** Definitions of stored responses, by code and version. */
export interface Definitions {
  get(code: string, version: string): InstrumentDefinition | undefined;
}

/** The definitions of every (code, version) given: built-in ones from code, custom ones from the database. */
export async function definitionsFor(db: Kysely<DB>, refs: readonly { code: string; version: string }[]): Promise<Definitions> {
  const custom = await customDefinitions(db, refs);
  return {
    get(code, version) {
      if (customIdOf(code)) return custom.get(`${code}|${version}`);
      try {
        return resolveInstrument(code);
      } catch {
        return undefined;
      }
    },
  };
}

/** A function naming any code briefly (custom questionnaires by their current title). */
export async function titlesFor(db: Kysely<DB>, codes: Iterable<string>): Promise<(code: string) => string> {
  const titles = new Map((await currentByCodes(db, codes)).map((q) => [q.code, q.content.title]));
  return (code) => titles.get(code) ?? shortTitle(code);
}
