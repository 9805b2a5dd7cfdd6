/**
 * What the outcome reports measure: each built-in instrument with a single score is one measure;
 * instruments reported item by item (ONS4, learner satisfaction) give one measure per item, coded
 * `instrument.item` (e.g. `ons4.anxious`). Organisations' own questionnaires (`custom-…`) are
 * measures too, with change but no reliable-change threshold. The thresholds, cut-offs and
 * directions come from the instrument definitions in src/measures/.
 */
import { BUILT_IN_INSTRUMENTS } from '../measures/registry.ts';

export interface ReportMeasure {
  /** The code stored in report_outcome.measure. */
  measure: string;
  instrument: string;
  /** The item's key, for instruments reported item by item. */
  item: string | null;
  label: string;
  higherIsBetter: boolean | null;
  /** An absolute change at or above this is reliable; null when the instrument has none. */
  reliableThreshold: number | null;
  /** A score at or above this is a clinical case (PHQ-9, GAD-7); null when there is none. */
  casenessAtOrAbove: number | null;
}

function build(): ReportMeasure[] {
  const out: ReportMeasure[] = [];
  for (const d of BUILT_IN_INSTRUMENTS) {
    const s = d.scoring;
    if (s.kind === 'per-item') {
      for (const i of s.items) {
        out.push({ measure: `${d.code}.${i.key}`, instrument: d.code, item: i.key, label: `${d.shortTitle}: ${i.label}`, higherIsBetter: i.higherIsBetter, reliableThreshold: null, casenessAtOrAbove: null });
      }
      continue;
    }
    out.push({
      measure: d.code,
      instrument: d.code,
      item: null,
      label: d.shortTitle,
      higherIsBetter: s.higherIsBetter,
      reliableThreshold: (s.kind === 'sum' || s.kind === 'mean') && s.reliableChange ? s.reliableChange.threshold : null,
      casenessAtOrAbove: s.kind === 'sum' && s.caseness ? s.caseness.atOrAbove : null,
    });
  }
  return out;
}

/** Every built-in measure, in the order the instruments are listed. */
export const REPORT_MEASURES: readonly ReportMeasure[] = build();

const CUSTOM = /^custom-[0-9a-f-]{36}$/;

/** The measures of an instrument code or of a measure code; empty when it is neither. */
export function measuresOf(code: string): ReportMeasure[] {
  if (CUSTOM.test(code)) return [customMeasure(code)];
  return REPORT_MEASURES.filter((m) => m.instrument === code || m.measure === code);
}

/** Whether an `instrument` filter names something the outcome report can show. */
export function isKnownInstrument(code: string): boolean {
  return measuresOf(code).length > 0;
}

/** A measure for an organisation's own questionnaire. */
export function customMeasure(code: string): ReportMeasure {
  return { measure: code, instrument: code, item: null, label: 'Organisation’s own questionnaire', higherIsBetter: null, reliableThreshold: null, casenessAtOrAbove: null };
}

/** The label of a stored measure code (custom codes included). */
export function measureLabel(measure: string): string {
  return REPORT_MEASURES.find((m) => m.measure === measure)?.label ?? (CUSTOM.test(measure) ? customMeasure(measure).label : measure);
}

/** Position of a measure in listings (built-ins in order, then the rest). */
export function measureOrder(measure: string): number {
  const i = REPORT_MEASURES.findIndex((m) => m.measure === measure);
  return i < 0 ? REPORT_MEASURES.length : i;
}

/** The learner satisfaction measure the providers report shows (overall, 0 to 10, at the end). */
export const SATISFACTION_MEASURE = 'learner-satisfaction.overall';
