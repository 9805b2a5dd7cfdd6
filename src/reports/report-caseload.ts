/**
 * Caseload: each link worker's open episodes (accepted or in progress) against their service's
 * caseload target, how many are still waiting for a first contact, and the start measures due
 * and overdue for them under the service's measurement plan. A link worker sees their own row; a
 * service manager every link worker of the service; a commissioner one row per service, with no
 * names (link workers are counted, not named).
 */
import { sql } from 'kysely';
import { defaultPlan } from '../outcomes/plans.ts';
import { col, organisationNames, type ReportBuilder } from './build.ts';
import { anyId, count, episodeWhere } from './query.ts';
import { percent, round } from './stats.ts';
import { columnSums, derivedInRows, type ProtectedTable } from './suppression.ts';
import type { ReportTable } from './types.ts';

interface Row {
  service_id: string;
  user_id: string | null;
  name: string | null;
  is_worker: boolean | null;
  target: number;
  open: string | null;
  waiting: string | null;
  due: string | null;
  overdue: string | null;
}

export const caseloadReport: ReportBuilder = async ({ db, scope, filters, today }) => {
  const defaults = defaultPlan('', 'service');
  const services = [...new Set([...scope.serviceIds, ...scope.workerServiceIds])];
  const result = await sql<Row>`
    WITH plan AS (
      SELECT o.id, o.caseload_target, coalesce(mp.overdue_after_days, ${defaults.overdueAfterDays}) AS overdue_days
      FROM organisation o LEFT JOIN measure_plan mp ON mp.organisation_id = o.id
      WHERE o.type = 'social_prescribing_service' AND ${anyId('o.id', services)}
    ), agg AS (
      -- From the index alone (report_episode_open_pending_idx); start_pending says whether a start
      -- measure the plan asks for is missing (worked out by the refresh, migration 0012).
      SELECT e.service_id, e.assigned_to, count(*) AS open, count(*) FILTER (WHERE e.first_contact_on IS NULL) AS waiting,
        count(*) FILTER (WHERE e.start_pending AND e.measure_start <= ${today}::date) AS due,
        count(*) FILTER (WHERE e.start_pending AND e.measure_start + p.overdue_days <= ${today}::date) AS overdue
      FROM report_episode e JOIN plan p ON p.id = e.service_id
      WHERE e.status IN ('accepted', 'in_progress') AND ${episodeWhere(scope, filters, 'e')}
      GROUP BY e.service_id, e.assigned_to
    ), workers AS (
      SELECT DISTINCT m.organisation_id AS service_id, m.user_id
      FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.role = 'link_worker' AND m.active AND u.active AND m.organisation_id IN (SELECT id FROM plan)
        AND (${anyId('m.organisation_id', scope.serviceIds)} OR (${anyId('m.organisation_id', scope.workerServiceIds)} AND m.user_id = ${scope.userId}))
    )
    SELECT coalesce(w.service_id, a.service_id) AS service_id, coalesce(w.user_id, a.assigned_to) AS user_id, u.display_name AS name,
      w.user_id IS NOT NULL AS is_worker, p.caseload_target AS target, a.open, a.waiting, a.due, a.overdue
    FROM workers w
    FULL JOIN agg a ON a.service_id = w.service_id AND a.assigned_to = w.user_id
    JOIN plan p ON p.id = coalesce(w.service_id, a.service_id)
    LEFT JOIN app_user u ON u.id = coalesce(w.user_id, a.assigned_to)`.execute(db);

  const rows = result.rows;
  const names = await organisationNames(db, rows.map((r) => r.service_id));
  const serviceName = (id: string) => names.get(id) ?? 'Unknown service';
  const totals = { open: 0, waiting: 0, due: 0, overdue: 0 };
  for (const r of rows) {
    totals.open += count(r.open);
    totals.waiting += count(r.waiting);
    totals.due += count(r.due);
    totals.overdue += count(r.overdue);
  }
  let table: ReportTable;
  let protect: ProtectedTable['protect'];
  if (scope.aggregateOnly) {
    const byService = new Map<string, { label: string; workers: number; target: number; open: number; waiting: number; due: number; overdue: number }>();
    for (const r of rows) {
      const s = byService.get(r.service_id) ?? { label: serviceName(r.service_id), workers: 0, target: r.target, open: 0, waiting: 0, due: 0, overdue: 0 };
      if (r.is_worker) s.workers += 1;
      s.open += count(r.open);
      s.waiting += count(r.waiting);
      s.due += count(r.due);
      s.overdue += count(r.overdue);
      byService.set(r.service_id, s);
    }
    const list = [...byService.values()].sort((a, b) => a.label.localeCompare(b.label));
    table = {
      id: 'caseload',
      title: 'Caseloads by service',
      description: 'Open episodes (accepted or in progress) per service, the mean per link worker against the service’s caseload target, and start measures due.',
      columns: [
        col('label', 'Service', 'label'),
        col('workers', 'Link workers', 'number'),
        col('open', 'Open episodes', 'count'),
        col('perWorker', 'Mean per link worker', 'number'),
        col('target', 'Caseload target', 'number'),
        col('waiting', 'Waiting for a first contact', 'count'),
        col('due', 'Start measures due', 'count'),
        col('overdue', 'Of which overdue', 'count'),
      ],
      rows: list.map((s) => ({ label: s.label, workers: s.workers, open: s.open, perWorker: s.workers ? round(s.open / s.workers, 1) : null, target: s.target, waiting: s.waiting, due: s.due, overdue: s.overdue })),
      total: { label: 'All services', workers: list.reduce((n, s) => n + s.workers, 0), ...totals, perWorker: null, target: null },
    };
    protect = { sums: columnSums(table, ['open', 'waiting', 'due', 'overdue']), derived: derivedInRows(table, 'perWorker', ['open']) };
  } else {
    const list = rows
      .map((r) => ({ service: serviceName(r.service_id), name: r.user_id ? (r.name ?? 'Unknown') + (r.is_worker ? '' : ' (no longer a link worker here)') : 'Not allocated', r }))
      .sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
    table = {
      id: 'caseload',
      title: 'Caseloads',
      description: 'Each link worker’s open episodes (accepted or in progress) against the service’s caseload target, and start measures due.',
      columns: [
        col('label', 'Link worker', 'label'),
        col('service', 'Service', 'label'),
        col('open', 'Open episodes', 'count'),
        col('target', 'Caseload target', 'number'),
        col('percentOfTarget', '% of target', 'percent'),
        col('waiting', 'Waiting for a first contact', 'count'),
        col('due', 'Start measures due', 'count'),
        col('overdue', 'Of which overdue', 'count'),
      ],
      rows: list.map(({ service, name, r }) => ({
        label: name,
        service,
        open: count(r.open),
        target: r.target,
        percentOfTarget: percent(count(r.open), r.target),
        waiting: count(r.waiting),
        due: count(r.due),
        overdue: count(r.overdue),
      })),
      total: { label: 'Total', service: null, ...totals, target: null, percentOfTarget: null },
      chart: { kind: 'bar', labelKey: 'label', valueKey: 'open' },
    };
    protect = { sums: columnSums(table, ['open', 'waiting', 'due', 'overdue']) };
  }
  return {
    title: 'Caseload',
    tables: [{ table, protect }],
    notes: ['Measures due are the start measures of the service’s measurement plan not yet recorded (or marked as not collected) once the first contact has happened; overdue after the plan’s number of days.'],
  };
};
