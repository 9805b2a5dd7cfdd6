/**
 * One outcome timeline per person: for each instrument, the scores and bands at each time point,
 * the change since the first measure (the baseline) with reliable-change markers from the
 * scoring engine, a chart, and the same data as a table. Change is shown honestly: none when
 * either score is missing or the two were answered on different versions of the questionnaire;
 * prorated scores are labelled and never used for change. Responses entered in error are left
 * out of every score, chart and change, and listed apart as corrected.
 */
import { compareScores } from '../measures/index.ts';
import type { Band, ChangeResult, InstrumentDefinition, MeasureChange } from '../measures/index.ts';
import type { Definitions } from './catalogue.ts';
import { renderChart, type ChartSeries } from './chart.ts';
import type { StoredScore } from './responses.ts';
import { LEADING_HEADERS, changeText, formatDate, leadingCells, type Cell, type InstrumentTimeline } from './timeline-cells.ts';
import { externalTimeline } from './timeline-external.ts';
import { goalsTimeline } from './timeline-goals.ts';
import { timePointLabel } from './time-points.ts';
import type { VisibleResponse } from './visibility.ts';

export { METHOD_LABELS, type Cell, type InstrumentTimeline } from './timeline-cells.ts';

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

function outcomesOf(definition: InstrumentDefinition): Outcome[] {
  const s = definition.scoring;
  if (s.kind === 'per-item') return s.items.map((i) => ({ key: i.key, label: i.label, bands: i.bands, higherIsBetter: i.higherIsBetter }));
  if (s.kind === 'sum' || s.kind === 'mean' || s.kind === 'category') return [{ key: 'total', label: definition.shortTitle, bands: s.bands, higherIsBetter: s.higherIsBetter }];
  return [];
}

function range(definition: InstrumentDefinition): [number, number] {
  const s = definition.scoring;
  if (s.kind === 'sum' || s.kind === 'mean') return [s.min, s.max];
  const values = definition.items.flatMap((i) => (i.scored ? [i.min, i.max] : []));
  return [Math.min(...values), Math.max(...values)];
}

function pointOf(score: StoredScore, key: string): Point {
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

function bandLabel(bands: readonly Band[], code: string | null): string {
  if (!code) return '—';
  return bands.find((b) => b.code === code)?.label ?? code;
}

/** The change column and the reliable-change marker of one row. */
function changeCells(isBaseline: boolean, reason: string | null, change: MeasureChange | null, extra: ChangeResult | null): Cell[] {
  if (isBaseline) return [{ text: 'Baseline' }, { text: '—' }];
  if (reason) return [{ text: reason }, { text: '—' }];
  if (!change || change.change === null) return [{ text: 'Not shown: a score is missing here or at the baseline' }, { text: '—' }];
  const text = changeText(change.change, change.trend);
  if (change.reliableChange === null) return [{ text }, { text: 'No published threshold' }];
  let marker: Cell;
  if (change.direction === 'improved') marker = { text: '', tag: { text: 'Reliable improvement', classes: 'nhsuk-tag--green' } };
  else if (change.direction === 'deteriorated') marker = { text: '', tag: { text: 'Reliable deterioration', classes: 'nhsuk-tag--red' } };
  else marker = { text: '', tag: { text: 'No reliable change', classes: 'nhsuk-tag--grey' } };
  if (extra?.kind === 'scale' && extra.reliableRecovery) marker = { text: 'Reliable recovery (Talking Therapies definitions)', tag: marker.tag! };
  else if (extra?.kind === 'scale' && extra.recovery) marker = { text: 'Recovery (Talking Therapies definitions)', tag: marker.tag! };
  return [{ text }, marker];
}

/**
 * The timeline of one instrument answered item by item (built-in or an organisation's own), from
 * its completed responses (oldest first) and the definition of each response's version.
 */
export function instrumentTimeline(code: string, responses: readonly VisibleResponse[], definitions: Definitions): InstrumentTimeline | null {
  const versions = responses.map((r) => definitions.get(r.code, r.version));
  const latest = versions.at(-1);
  if (!latest || versions.some((d) => !d) || outcomesOf(latest).length === 0) return null;
  const outcomes = outcomesOf(latest);
  const baseline = responses[0]!;
  const compared = responses.map((r, index) => {
    if (index === 0) return { change: null, reason: null };
    if (r.version !== baseline.version) return { change: null, reason: 'Not compared: a different version of the questionnaire' };
    try {
      return { change: compareScores(versions[0]!, baseline.answers, r.answers), reason: null };
    } catch {
      return { change: null, reason: 'Not compared: these answers cannot be compared' };
    }
  });
  const perItem = outcomes.length > 1;
  const headers = [...LEADING_HEADERS, ...(perItem ? ['Question'] : []), 'Score', 'Band', 'Change since baseline', 'Reliable change'];
  const rows: Cell[][] = [];
  const notes: string[] = [];
  const series: ChartSeries[] = outcomes.map((o) => ({ label: o.label, points: [] }));
  responses.forEach((r, index) => {
    const own = outcomesOf(versions[index]!);
    outcomes.forEach((outcome, o) => {
      const point = pointOf(r.score, outcome.key);
      const label = point.value === null ? 'No score' : `${point.value}${point.prorated ? ' (prorated)' : ''}`;
      series[o]!.points.push({ date: r.completedOn, value: point.value, label });
      if (point.prorated && !notes.includes(PRORATED_NOTE)) notes.push(PRORATED_NOTE);
      const { change, reason } = compared[index]!;
      const proratedReason = !reason && index > 0 && (point.prorated || pointOf(baseline.score, outcome.key).prorated) ? 'Not shown: a prorated score is an estimate' : reason;
      rows.push([
        ...leadingCells(r),
        ...(perItem ? [{ text: outcome.label }] : []),
        { text: point.value === null ? 'No score: not every question was answered' : label },
        { text: bandLabel((own.find((x) => x.key === outcome.key) ?? outcome).bands, point.band) },
        ...changeCells(index === 0, proratedReason, changeOf(change, outcome.key), change),
      ]);
    });
  });
  for (const outcome of outcomes) {
    if (!outcome.higherIsBetter) notes.push(`${outcome.label}: a lower score is better.`);
  }
  if (latest.scoring.kind === 'sum' && latest.scoring.conversion) notes.push('Scores are metric scores converted from the raw total with the published table; change is on metric scores.');
  if (new Set(responses.map((r) => r.version)).size > 1) notes.push('Answered on more than one version of the questionnaire: change is shown only against a baseline of the same version.');
  const ranges = versions.map((d) => range(d!));
  const description = series.map((s) => `${s.label}: ${s.points.map((p) => `${p.label} on ${formatDate(p.date)}`).join('; ')}.`).join(' ');
  const chart = renderChart({
    id: `chart-${code}`,
    title: `${latest.shortTitle} scores over time`,
    description: `${description} The table below the chart gives the same data.`,
    yLabel: perItem ? 'Score (0 to 10)' : `${latest.shortTitle} score`,
    yMin: Math.min(...ranges.map((r) => r[0])),
    yMax: Math.max(...ranges.map((r) => r[1])),
    series,
  });
  return { code, title: latest.title, chart, caption: 'scores and change since the baseline (the first measure)', headers, rows, notes };
}

const PRORATED_NOTE = 'A prorated score is an estimate from the questions answered when one or two were missed; it is labelled “prorated” and is not used to show change.';

/** A response left out because it was entered in error, for the list of corrections. */
export interface CorrectedEntry {
  title: string;
  completedOn: string;
  timePoint: string;
  organisationName: string;
  markedOn: Date;
}

/** The whole timeline, in the order instruments were first used, and the responses entered in error. */
export function buildTimeline(
  responses: readonly VisibleResponse[],
  definitions: Definitions,
  goalLabels: ReadonlyMap<string, string> = new Map(),
): { sections: InstrumentTimeline[]; corrected: CorrectedEntry[] } {
  const completed = responses.filter((r) => r.status === 'completed');
  const codes = [...new Set(completed.map((r) => r.code))];
  const sections = codes
    .map((code) => {
      const mine = completed.filter((r) => r.code === code);
      const definition = definitions.get(code, mine.at(-1)!.version);
      if (definition?.scoring.kind === 'goals') return goalsTimeline(mine, goalLabels);
      if (definition?.scoring.kind === 'external') return externalTimeline(definition, mine);
      return instrumentTimeline(code, mine, definitions);
    })
    .filter((t): t is InstrumentTimeline => t !== null);
  const corrected = responses
    .filter((r) => r.status === 'entered-in-error')
    .map((r) => ({
      title: definitions.get(r.code, r.version)?.title ?? r.code,
      completedOn: r.completedOn,
      timePoint: timePointLabel(r.timePoint, r.side),
      organisationName: r.organisationName,
      markedOn: r.enteredInErrorAt!,
    }));
  return { sections, corrected };
}
