/** Result shapes returned by scoring and change functions. */

/** Score of a sum scale (PHQ-9, GAD-7, WEMWBS, SWEMWBS, UCLA-3, custom sum). */
export interface SumScoreResult {
  readonly kind: 'sum';
  readonly code: string;
  readonly version: string;
  /** True when every scored item was answered. */
  readonly complete: boolean;
  /** 1-based numbers of unanswered scored items. */
  readonly missingItems: readonly number[];
  /** The score to report; for SWEMWBS this is the metric score. Null unless complete. */
  readonly total: number | null;
  readonly band: string | null;
  /** SWEMWBS only: raw 7–35 sum. */
  readonly raw?: number | null;
  /** SWEMWBS only: metric score from the conversion table (equal to `total`). */
  readonly metric?: number | null;
  /** PHQ-9 / GAD-7 only: at or above the Talking Therapies caseness cut-off. */
  readonly caseness?: boolean | null;
  /** Instruments with a prorating rule: a separately labelled estimate when a few items are missing. */
  readonly proratedScore?: ProratedScore | null;
  /** Answers to unscored items by key (PHQ-9: `difficulty`), null when not given. */
  readonly unscored?: Readonly<Record<string, number | null>>;
  /** 1-based items whose answer should trigger the safeguarding process (PHQ-9 item 9 > 0). */
  readonly safeguardingItems: readonly number[];
}

/** A total estimated from the answered items; never the same thing as `total`. */
export interface ProratedScore {
  readonly prorated: true;
  /** Mean of answered items × number of scored items, to 2 decimal places. */
  readonly total: number;
  readonly band: string | null;
  readonly caseness?: boolean;
  readonly answeredItems: number;
  readonly rule: string;
}

/** Score of a mean-scored (custom) questionnaire. */
export interface MeanScoreResult {
  readonly kind: 'mean';
  readonly code: string;
  readonly version: string;
  readonly complete: boolean;
  readonly missingItems: readonly number[];
  /** Mean of the items to 2 decimal places; null unless complete. */
  readonly mean: number | null;
  readonly band: string | null;
}

/** One separately reported item score. */
export interface ItemScore {
  readonly score: number | null;
  readonly band: string | null;
}

/** ONS4 and learner satisfaction: each item is its own outcome. */
export interface PerItemScoreResult {
  readonly kind: 'per-item';
  readonly code: string;
  readonly version: string;
  readonly complete: boolean;
  readonly missingItems: readonly number[];
  readonly items: Readonly<Record<string, ItemScore>>;
}

/** ONS direct loneliness question. */
export interface CategoryScoreResult {
  readonly kind: 'category';
  readonly code: string;
  readonly version: string;
  readonly complete: boolean;
  readonly missingItems: readonly number[];
  readonly score: number | null;
  /** Category code, e.g. `often-always`. */
  readonly band: string | null;
  /** True when the answer counts towards the headline indicator (often/always). */
  readonly headline: boolean | null;
}

/** Goal-based outcomes: one score per goal. */
export interface GoalScoreResult {
  readonly kind: 'goals';
  readonly code: string;
  readonly version: string;
  readonly complete: boolean;
  readonly missingItems: readonly number[];
  readonly goals: readonly { readonly goal: number; readonly score: number | null }[];
  /** Mean across goals to 2 decimal places; null unless every goal is rated. */
  readonly mean: number | null;
}

export type ScoreResult = SumScoreResult | MeanScoreResult | PerItemScoreResult | CategoryScoreResult | GoalScoreResult;

/** Whether a change is in the better or worse direction for the scale. */
export type Trend = 'better' | 'worse' | 'unchanged';

/** Reliable-change judgement. */
export type Direction = 'improved' | 'deteriorated' | 'no-reliable-change';

/** Change on one score between two time points. */
export interface MeasureChange {
  readonly baseline: number | null;
  readonly followup: number | null;
  readonly baselineBand: string | null;
  readonly followupBand: string | null;
  /** Follow-up minus baseline, as measured (2 decimal places). Null when either score is missing. */
  readonly change: number | null;
  /** `change` signed so that positive is better for this scale. */
  readonly improvement: number | null;
  readonly trend: Trend | null;
  /** Null when the scale has no reliable-change threshold or a score is missing. */
  readonly reliableChange: boolean | null;
  readonly reliableChangeThreshold: number | null;
  /** Null when the scale has no reliable-change threshold or a score is missing. */
  readonly direction: Direction | null;
}

/** Change on a single-score instrument, with recovery fields for PHQ-9 / GAD-7. */
export interface ScaleChangeResult extends MeasureChange {
  readonly kind: 'scale';
  readonly code: string;
  readonly version: string;
  /** True when both scores are complete (or prorated, when allowed). */
  readonly complete: boolean;
  /** True when a prorated score was used at either time point. */
  readonly prorated: boolean;
  /** SWEMWBS: raw totals and raw change, for reference only (change above is on metric scores). */
  readonly raw?: { readonly baseline: number | null; readonly followup: number | null; readonly change: number | null };
  /** PHQ-9 / GAD-7: name of the outcome definitions used. */
  readonly outcomeDefinitions?: string;
  readonly casenessAtBaseline?: boolean | null;
  readonly casenessAtFollowup?: boolean | null;
  /** Null when not at caseness at baseline (recovery is not defined) or a score is missing. */
  readonly recovery?: boolean | null;
  readonly reliableImprovement?: boolean | null;
  readonly reliableDeterioration?: boolean | null;
  /** Null when not at caseness at baseline or a score is missing. */
  readonly reliableRecovery?: boolean | null;
}

/** Per-item change (ONS4, learner satisfaction). */
export interface ItemsChangeResult {
  readonly kind: 'items';
  readonly code: string;
  readonly version: string;
  readonly items: Readonly<Record<string, MeasureChange>>;
}

/** Per-goal change (goal-based outcomes). */
export interface GoalsChangeResult {
  readonly kind: 'goals';
  readonly code: string;
  readonly version: string;
  readonly goals: readonly (MeasureChange & { readonly goal: number })[];
  /** Follow-up mean minus baseline mean; null unless every goal is rated at both times. */
  readonly meanChange: number | null;
}

export type ChangeResult = ScaleChangeResult | ItemsChangeResult | GoalsChangeResult;
