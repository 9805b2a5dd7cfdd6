/**
 * Shared types for outcome-measure definitions (data) and the results of
 * scoring them. Definitions are plain, versioned data so the same engine can
 * score built-in instruments and organisation-defined questionnaires.
 */

/** One allowed answer to an item: the stored value and what the person sees. */
export interface ResponseOption {
  readonly value: number;
  readonly label: string;
}

/** One question in an instrument. */
export interface ItemDefinition {
  /** Stable key, unique within the instrument (e.g. `satisfaction`, `phq9-3`). */
  readonly key: string;
  /** Question wording. Absent when the licence does not allow it to be shown. */
  readonly text?: string;
  readonly options: readonly ResponseOption[];
  /** Lowest allowed value (the smallest option value). */
  readonly min: number;
  readonly max: number;
  /** False for an item that is asked but not part of any score (PHQ-9 item 10). */
  readonly scored: boolean;
  /** False for an item that may be left off the end of `answers` entirely. */
  readonly required: boolean;
  /**
   * When set, an answer at or above this value should trigger the
   * organisation's safeguarding process (e.g. PHQ-9 item 9). Not part of any score.
   */
  readonly safeguardingAtOrAbove?: number;
}

/**
 * A named range of scores. A value belongs to the band with the greatest
 * `min` that is less than or equal to it; `max` is the highest score the
 * band can actually hold (informative, used in listings and tests).
 */
export interface Band {
  readonly code: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
}

/** Where the wording comes from and whether it may be shown. */
export interface LicenceInfo {
  /** True when a deployment must confirm registration before wording is shown. */
  readonly requiresRegistration: boolean;
  /** False when the wording is not shipped at all (proprietary instruments). */
  readonly wordingIncluded: boolean;
  /** Copyright line that must be displayed with the wording, if any. */
  readonly notice?: string;
  /** Plain-language summary of the terms of use. */
  readonly terms: string;
}

/** Caseness cut-off: a total at or above this value counts as a case. */
export interface CasenessRule {
  readonly atOrAbove: number;
  readonly source: string;
}

/** A rule for estimating a total when a few items are missing. */
export interface ProratingRule {
  /** Fewest scored items that must be answered for a prorated total. */
  readonly minAnswered: number;
  readonly method: string;
  readonly source: string;
}

/** Talking-Therapies-style recovery definitions, described as data. */
export interface RecoveryRule {
  readonly label: string;
  readonly recovery: string;
  readonly reliableImprovement: string;
  readonly reliableDeterioration: string;
  readonly reliableRecovery: string;
  readonly source: string;
}

/** A reliable-change threshold: an absolute change at or above it is reliable. */
export interface ReliableChangeRule {
  readonly threshold: number;
  /** What the threshold applies to (e.g. `total`, `metric`). */
  readonly on: string;
  readonly derivation: string;
  readonly source: string;
}

/** Sum of all scored items (optionally converted through a table). */
export interface SumScoring {
  readonly kind: 'sum';
  readonly min: number;
  readonly max: number;
  readonly higherIsBetter: boolean;
  readonly bands: readonly Band[];
  readonly bandsSource: string;
  readonly caseness?: CasenessRule;
  readonly prorating?: ProratingRule;
  readonly reliableChange?: ReliableChangeRule;
  readonly recovery?: RecoveryRule;
  /**
   * Raw total → converted score table (SWEMWBS metric). When present, the
   * result's `total` and `band`, and all change, use the converted score.
   */
  readonly conversion?: { readonly name: string; readonly table: Readonly<Record<number, number>>; readonly source: string };
}

/** Mean of all scored items (organisation-defined questionnaires). */
export interface MeanScoring {
  readonly kind: 'mean';
  readonly min: number;
  readonly max: number;
  readonly higherIsBetter: boolean;
  readonly bands: readonly Band[];
  readonly reliableChange?: ReliableChangeRule;
}

/** Each item is its own outcome; there is no combined score (ONS4). */
export interface PerItemScoring {
  readonly kind: 'per-item';
  readonly items: readonly {
    readonly key: string;
    readonly label: string;
    readonly higherIsBetter: boolean;
    readonly bands: readonly Band[];
  }[];
  readonly bandsSource?: string;
}

/** A single ordinal category question (ONS direct loneliness question). */
export interface CategoryScoring {
  readonly kind: 'category';
  readonly higherIsBetter: boolean;
  /** One band per option value. */
  readonly bands: readonly Band[];
  /** Values that make up the published headline indicator. */
  readonly headline: { readonly label: string; readonly values: readonly number[] };
}

/** One rating per personal goal; the number of goals varies per person. */
export interface GoalScoring {
  readonly kind: 'goals';
  readonly minGoals: number;
  readonly maxGoals: number;
  readonly higherIsBetter: true;
}

/** Scored outside Linkwell under licence; only score and level are recorded. */
export interface ExternalScoring {
  readonly kind: 'external';
  readonly scoreMin: number;
  readonly scoreMax: number;
  /** Allowed level values, or null when the instrument has no levels. */
  readonly levels: readonly number[] | null;
  readonly higherIsBetter: boolean;
}

export type ScoringRule = SumScoring | MeanScoring | PerItemScoring | CategoryScoring | GoalScoring | ExternalScoring;

/** A versioned instrument definition. */
export interface InstrumentDefinition {
  readonly code: string;
  readonly version: string;
  readonly title: string;
  /** Short name used in messages, e.g. `PHQ-9`. */
  readonly shortTitle: string;
  readonly instructions?: string;
  readonly recall?: string;
  readonly licence: LicenceInfo;
  /** Items in answer order. Empty for goal-based and externally scored instruments. */
  readonly items: readonly ItemDefinition[];
  /** Template for each goal's rating (goal-based outcomes only). */
  readonly goalItem?: ItemDefinition;
  readonly scoring: ScoringRule;
  readonly sources: readonly string[];
  /** Decisions and caveats worth showing to implementers. */
  readonly notes: readonly string[];
}

/** A problem with a list of answers; `item` is 1-based, 0 for the whole list. */
export interface AnswerProblem {
  readonly item: number;
  readonly message: string;
}

/** Answers in item order; `null` marks an unanswered item. */
export type Answers = readonly (number | null)[];
