/**
 * The part of the timeline for instruments scored outside Linkwell under licence (PAM, LEAF-7):
 * the score (and level) as recorded from the licensed scorer, never computed or checked against
 * cut-points here, and the difference since the first one — without any reliable-change claim,
 * as the research notes define no threshold for them.
 */
import { measureChange } from '../measures/index.ts';
import type { InstrumentDefinition } from '../measures/index.ts';
import { renderChart } from './chart.ts';
import type { StoredScore } from './responses.ts';
import { LEADING_HEADERS, changeText, formatDate, leadingCells, type Cell, type InstrumentTimeline } from './timeline-cells.ts';
import type { VisibleResponse } from './visibility.ts';

/** The section of one externally scored instrument, from its completed responses (oldest first). */
export function externalTimeline(definition: InstrumentDefinition, responses: readonly VisibleResponse[]): InstrumentTimeline | null {
  const scoring = definition.scoring;
  if (scoring.kind !== 'external') return null;
  const results = responses.map((r) => {
    const score = r.score as StoredScore;
    return score.kind === 'external' ? score : null;
  });
  const base = results[0] ?? null;
  const hasLevels = scoring.levels !== null;
  const rows: Cell[][] = responses.map((r, index) => {
    const result = results[index] ?? null;
    let change: Cell = { text: 'Baseline' };
    if (index > 0) {
      const c = measureChange({ score: base?.score ?? null, band: null }, { score: result?.score ?? null, band: null }, scoring.higherIsBetter, undefined);
      change = { text: c.change === null ? 'Not shown: a score is missing' : changeText(c.change, c.trend) };
    }
    return [
      ...leadingCells(r),
      { text: result ? String(result.score) : 'No score' },
      ...(hasLevels ? [{ text: result?.level === null || !result ? '—' : `Level ${result.level}` }] : []),
      change,
    ];
  });
  const points = responses.map((r, index) => {
    const result = results[index];
    const label = result ? `${result.score}${hasLevels && result.level !== null ? ` (level ${result.level})` : ''}` : 'No score';
    return { date: r.completedOn, value: result?.score ?? null, label };
  });
  return {
    code: definition.code,
    title: definition.title,
    chart: renderChart({
      id: `chart-${definition.code}`,
      title: `${definition.shortTitle} scores over time`,
      description: `${definition.shortTitle}: ${points.map((p) => `${p.label} on ${formatDate(p.date)}`).join('; ')}. The table below the chart gives the same data.`,
      yLabel: `${definition.shortTitle} score`,
      yMin: scoring.scoreMin,
      yMax: scoring.scoreMax,
      series: [{ label: definition.shortTitle, points }],
    }),
    caption: 'scores recorded from the licensed scorer, and change since the first',
    headers: [...LEADING_HEADERS, 'Score', ...(hasLevels ? ['Level'] : []), 'Change since the first'],
    rows,
    notes: [
      `${definition.shortTitle} is scored outside Linkwell under licence: the score${hasLevels ? ' and level are' : ' is'} recorded as the licensed scorer gave ${hasLevels ? 'them' : 'it'}. No reliable-change threshold is defined for it here, so change is shown as a difference only.`,
    ],
  };
}
