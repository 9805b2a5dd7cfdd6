/**
 * One outcome timeline per person: for each instrument, the scores and bands at each time point,
 * the change since the first measure (the baseline) with reliable-change markers from the
 * scoring engine, a chart, and the same data as a table. Change is shown honestly: none when
 * either score is missing or the two were answered on different versions of the questionnaire;
 * prorated scores are labelled and never used for change.
 */
import { compareScores, getInstrument } from '../measures/index.ts';
import type { Band, ChangeResult, InstrumentListing, MeasureChange, ScoreResult } from '../measures/index.ts';
import type { MeasureMethod } from '../db/schema-measures.ts';
import { renderChart, type ChartSeries } from './chart.ts';
import { timePointLabel } from './time-points.ts';
import type { VisibleResponse } from './visibility.ts';

export const METHOD_LABELS: Record<MeasureMethod, string> = {
  staff: 'In a session with staff',
  self: 'By the person, on their phone',
  provider: 'By the provider',
  paper: 'Transcribed from paper',
};

/** One outcome reported by an instrument: its total, or one ONS4 item. */
interface Outcome {
  key: string;
  label: string;
  bands: readonly Band[];
  higherIsBetter: boolean;
}

interface Point {
  value: number | null;
  band: string | null;
  prorated: boolean;
}

export interface Cell {
  text: string;
  tag?: { text: string; classes: string };
}

export interface InstrumentTimeline {
  code: string;
  title: string;
  chart: string;
  headers: string[];
  rows: Cell[][];
  notes: string[];
}

function outcomesOf(listing: InstrumentListing): Outcome[] {
  const s = listing.scoring;
  if (s.kind === 'per-item') return s.items.map((i) => ({ key: i.key, label: i.label, bands: i.bands, higherIsBetter: i.higherIsBetter }));
  if (s.kind === 'sum' || s.kind === 'mean' || s.kind === 'category') return [{ key: 'total', label: listing.shortTitle, bands: s.bands, higherIsBetter: s.higherIsBetter }];
  return [];
}

function range(listing: InstrumentListing): [number, number] {
  const s = listing.scoring;
  if (s.kind === 'sum' || s.kind === 'mean') return [s.min, s.max];
  const values = listing.items.flatMap((i) => (i.scored ? [i.min, i.max] : []));
  return [Math.min(...values), Math.max(...values)];
}

function pointOf(score: ScoreResult, key: string): Point {
  switch (score.kind) {
    case 'sum':
      if (score.total === null && score.proratedScore) return { value: score.proratedScore.total, band: score.proratedScore.band, prorated: true };
      return { value: score.total, band: score.band, prorated: false };
    case 'mean':
      return { value: score.mean, band: score.band, prorated: false };
    case 'category':
      return { value: score.score, band: score.band, prorated: false };
    case 'per-item':
      return { value: score.items[key]?.score ?? null, band: score.items[key]?.band ?? null, prorated: false };
    default:
      return { value: null, band: null, prorated: false };
  }
}

function changeOf(change: ChangeResult | null, key: string): MeasureChange | null {
  if (!change) return null;
  if (change.kind === 'items') return change.items[key] ?? null;
  if (change.kind === 'scale') return change;
  return null;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${Math.abs(value)}` : '0';
}

function bandLabel(bands: readonly Band[], code: string | null): string {
  if (!code) return '—';
  return bands.find((b) => b.code === code)?.label ?? code;
}

/** The change column and the reliable-change marker of one row. */
function changeCells(isBaseline: boolean, reason: string | null, change: MeasureChange | null, extra: ChangeResult | null): Cell[] {
  if (isBaseline) return [{ text: 'Baseline' }, { text: '—' }];
  if (reason) return [{ text: reason }, { text: '—' }];
  if (!change || change.change === null) return [{ text: 'Not shown: a score is missing here or at the baseline' }, { text: '—' }];
  const trend = change.trend === 'better' ? 'better' : change.trend === 'worse' ? 'worse' : 'no change';
  const text = `${signed(change.change)} (${trend})`;
  if (change.reliableChange === null) return [{ text }, { text: 'No published threshold' }];
  let marker: Cell;
  if (change.direction === 'improved') marker = { text: '', tag: { text: 'Reliable improvement', classes: 'nhsuk-tag--green' } };
  else if (change.direction === 'deteriorated') marker = { text: '', tag: { text: 'Reliable deterioration', classes: 'nhsuk-tag--red' } };
  else marker = { text: '', tag: { text: 'No reliable change', classes: 'nhsuk-tag--grey' } };
  if (extra?.kind === 'scale' && extra.reliableRecovery) marker = { text: 'Reliable recovery (Talking Therapies definitions)', tag: marker.tag! };
  else if (extra?.kind === 'scale' && extra.recovery) marker = { text: 'Recovery (Talking Therapies definitions)', tag: marker.tag! };
  return [{ text }, marker];
}

function formatDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The timeline of one instrument from its responses (oldest first). */
export function instrumentTimeline(code: string, responses: readonly VisibleResponse[]): InstrumentTimeline | null {
  const listing = getInstrument(code);
  if (!listing || responses.length === 0) return null;
  const outcomes = outcomesOf(listing);
  if (outcomes.length === 0) return null;
  const baseline = responses[0]!;
  const compared = responses.map((r, index) => {
    if (index === 0) return { change: null, reason: null };
    if (r.version !== baseline.version) return { change: null, reason: 'Not compared: a different version of the questionnaire' };
    try {
      return { change: compareScores(code, baseline.answers, r.answers), reason: null };
    } catch {
      return { change: null, reason: 'Not compared: these answers cannot be compared' };
    }
  });
  const perItem = outcomes.length > 1;
  const headers = ['Date', 'Time point', 'Collected by', 'How', ...(perItem ? ['Question'] : []), 'Score', 'Band', 'Change since baseline', 'Reliable change'];
  const rows: Cell[][] = [];
  const notes: string[] = [];
  const series: ChartSeries[] = outcomes.map((o) => ({ label: o.label, points: [] }));
  responses.forEach((r, index) => {
    outcomes.forEach((outcome, o) => {
      const point = pointOf(r.score, outcome.key);
      const label = point.value === null ? 'No score' : `${point.value}${point.prorated ? ' (prorated)' : ''}`;
      series[o]!.points.push({ date: r.completedOn, value: point.value, label });
      if (point.prorated && !notes.includes(PRORATED_NOTE)) notes.push(PRORATED_NOTE);
      const { change, reason } = compared[index]!;
      const proratedReason = !reason && index > 0 && (point.prorated || pointOf(baseline.score, outcome.key).prorated) ? 'Not shown: a prorated score is an estimate' : reason;
      rows.push([
        { text: formatDate(r.completedOn) },
        { text: timePointLabel(r.timePoint, r.side) },
        { text: r.organisationName },
        { text: METHOD_LABELS[r.method] },
        ...(perItem ? [{ text: outcome.label }] : []),
        { text: point.value === null ? 'No score: not every question was answered' : label },
        { text: bandLabel(outcome.bands, point.band) },
        ...changeCells(index === 0, proratedReason, changeOf(change, outcome.key), change),
      ]);
    });
  });
  for (const outcome of outcomes) {
    if (!outcome.higherIsBetter) notes.push(`${outcome.label}: a lower score is better.`);
  }
  if (listing.scoring.kind === 'sum' && listing.scoring.conversion) notes.push('Scores are metric scores converted from the raw total with the published table; change is on metric scores.');
  const [yMin, yMax] = range(listing);
  const description = series
    .map((s) => `${s.label}: ${s.points.map((p) => `${p.label} on ${formatDate(p.date)}`).join('; ')}.`)
    .join(' ');
  const chart = renderChart({
    id: `chart-${code}`,
    title: `${listing.shortTitle} scores over time`,
    description: `${description} The table below the chart gives the same data.`,
    yLabel: perItem ? 'Score (0 to 10)' : `${listing.shortTitle} score`,
    yMin,
    yMax,
    series,
  });
  return { code, title: listing.title, chart, headers, rows, notes };
}

const PRORATED_NOTE = 'A prorated score is an estimate from the questions answered when one or two were missed; it is labelled “prorated” and is not used to show change.';

/** The whole timeline: one section per instrument, in the order instruments were first used. */
export function buildTimeline(responses: readonly VisibleResponse[]): InstrumentTimeline[] {
  const codes = [...new Set(responses.map((r) => r.code))];
  return codes.map((code) => instrumentTimeline(code, responses.filter((r) => r.code === code))).filter((t): t is InstrumentTimeline => t !== null);
}
