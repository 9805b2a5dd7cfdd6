/**
 * The goal-based outcomes part of the timeline: each goal's ratings (0–10) over time, and the
 * change since that goal's first rating. Goals are matched by their ids, so a goal added later
 * starts its own line. No reliable-change threshold is published for goal-based outcomes, so
 * change is shown as a difference only.
 */
import { goalIdOf, measureChange } from '../measures/index.ts';
import { renderChart, type ChartSeries } from './chart.ts';
import type { StoredScore } from './responses.ts';
import { LEADING_HEADERS, changeText, formatDate, leadingCells, type Cell, type InstrumentTimeline } from './timeline-cells.ts';
import type { VisibleResponse } from './visibility.ts';

/** Longest goal text in the chart's legend (the table has it in full). */
const LEGEND_LENGTH = 34;

function shorten(text: string): string {
  return text.length <= LEGEND_LENGTH ? text : `${text.slice(0, LEGEND_LENGTH - 1).trimEnd()}…`;
}

function ratingsOf(r: VisibleResponse): { goalId: string; score: number | null }[] {
  const score = r.score as StoredScore;
  if (score.kind !== 'goals') return [];
  return r.itemKeys.flatMap((key, index) => {
    const goalId = goalIdOf(key);
    return goalId ? [{ goalId, score: score.goals[index]?.score ?? null }] : [];
  });
}

/**
 * The section of goal ratings. `words` holds the text of the goals the viewer may read (the
 * service's own episodes); other goals are called "Goal 1", "Goal 2"… in the order first rated.
 */
export function goalsTimeline(responses: readonly VisibleResponse[], words: ReadonlyMap<string, string>): InstrumentTimeline | null {
  const goalIds: string[] = [];
  for (const r of responses) for (const { goalId } of ratingsOf(r)) if (!goalIds.includes(goalId)) goalIds.push(goalId);
  if (goalIds.length === 0) return null;
  const label = (goalId: string) => words.get(goalId) ?? `Goal ${goalIds.indexOf(goalId) + 1}`;
  const first = new Map<string, number>();
  const series = new Map<string, ChartSeries>(goalIds.map((id) => [id, { label: shorten(label(id)), points: [] }]));
  const rows: Cell[][] = [];
  for (const r of responses) {
    for (const { goalId, score } of ratingsOf(r)) {
      series.get(goalId)!.points.push({ date: r.completedOn, value: score, label: score === null ? 'Not rated' : String(score) });
      let change: Cell = { text: 'Not shown: not rated here' };
      if (score !== null && !first.has(goalId)) {
        first.set(goalId, score);
        change = { text: 'First rating' };
      } else if (score !== null) {
        const c = measureChange({ score: first.get(goalId)!, band: null }, { score, band: null }, true, undefined);
        change = { text: changeText(c.change!, c.trend) };
      }
      rows.push([...leadingCells(r), { text: label(goalId) }, { text: score === null ? 'Not rated' : `${score} out of 10` }, change]);
    }
  }
  const list = [...series.values()];
  const description = list.map((s) => `${s.label}: ${s.points.map((p) => `${p.label} on ${formatDate(p.date)}`).join('; ')}.`).join(' ');
  return {
    code: 'goal-based-outcome',
    title: 'Goal-based outcomes',
    chart: renderChart({
      id: 'chart-goal-based-outcome',
      title: 'Progress towards each goal over time',
      description: `${description} The table below the chart gives the same data.`,
      yLabel: 'Progress (0 to 10)',
      yMin: 0,
      yMax: 10,
      series: list,
    }),
    caption: 'progress towards each goal (0 no progress, 10 goal reached) and change since its first rating',
    headers: [...LEADING_HEADERS, 'Goal', 'Rating', 'Change since first rating'],
    rows,
    notes: ['Each goal is rated from 0 (no progress at all) to 10 (goal reached). No reliable-change threshold is published for goal-based outcomes, so change is shown as a difference only.'],
  };
}
