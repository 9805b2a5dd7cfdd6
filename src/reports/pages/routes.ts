/**
 * Pages: the reports landing (`/reports`), each role's dashboard (`/reports/{dashboard}`; one report
 * at a time, `/reports/{dashboard}/{report}`, when it has more than two), and the CSV download of
 * any table on it (`/reports/{dashboard}/{report}/{table}.csv`). Filters are GET parameters, so a
 * filtered dashboard is a link that can be shared; a wrong filter re-renders the page with the
 * NHS.UK error summary (400). Every figure comes from runReport, which scopes,
 * suppresses and audits; the pages only choose which reports to show and how.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import type { Actor } from '../../auth/actor.ts';
import { auditContext } from '../../audit/context.ts';
import { forbidden, notFound } from '../../web/problems.ts';
import { runReport, runReports } from '../run.ts';
import { parseReportFilters } from '../filters.ts';
import { toCsv } from '../csv.ts';
import type { Report, ReportFilters, ReportName } from '../types.ts';
import { ALL_REPORTS, DASHBOARDS, REPORT_TITLES, actorAs, dashboardsFor, isDashboardKey, isSectioned, reportsShown, type Dashboard } from './dashboards.ts';
import {
  appliedFilters,
  checkFilters,
  filterChoices,
  filterQuery,
  problemAsErrors,
  rawFilters,
  type CheckedFilters,
  type RawFilters,
} from './form.ts';
import { organisationChoices } from './organisations.ts';
import { csvFileName, presentReport } from './present.ts';
import type { FormErrors } from '../../web/forms.ts';

const TEMPLATE = 'reports/pages/views/dashboard.njk';

/** The dashboard named in the URL, if the actor holds its role; otherwise 404 (as for any record out of reach). */
function dashboardFor(actor: Actor, key: unknown): Dashboard {
  if (!isDashboardKey(key)) throw notFound();
  const dashboard = DASHBOARDS[key];
  if (!dashboardsFor(actor).some((d) => d.key === key)) throw notFound('There is no such dashboard, or it is not one of yours.');
  return dashboard;
}

type Checked = { ok: true; filters: ReportFilters; checked: CheckedFilters } | { ok: false; errors: FormErrors };

/** Our own checks, then the report layer's parser (which knows its own rules). */
function readFilters(raw: RawFilters): Checked {
  const checked = checkFilters(raw);
  if (!checked.ok) return checked;
  try {
    return { ok: true, filters: parseReportFilters(checked.data), checked: checked.data };
  } catch (err) {
    const errors = problemAsErrors(err, raw);
    if (errors) return { ok: false, errors };
    throw err;
  }
}

export function registerReportPages(app: FastifyInstance, { database, postcodes, config }: AppDeps): void {
  const db = database.db;

  app.get('/reports', async (req, reply) => {
    const dashboards = dashboardsFor(req.actor!);
    if (dashboards.length === 0) throw forbidden('Reports are for link workers, service managers, provider staff and commissioners.');
    return reply.render('reports/pages/views/landing.njk', { title: 'Reports', dashboards, width: 'full' });
  });

  /** A dashboard page: its reports (or the one section named), with the filters from the URL. */
  async function dashboardPage(req: FastifyRequest, reply: FastifyReply, key: string, section: string | undefined) {
    const actor = req.actor!;
    const dashboard = dashboardFor(actor, key);
    const shown = reportsShown(dashboard, section);
    if (!shown) throw notFound('That report is not on this dashboard.');
    const as = actorAs(actor, dashboard);
    const raw = rawFilters(req.query);
    const organisations = await organisationChoices(db, as);
    const base = `/reports/${dashboard.key}`;
    const here = section === undefined ? base : `${base}/${section}`;
    const sectionLinks = (query: string) =>
      isSectioned(dashboard)
        ? [...dashboard.reports, ALL_REPORTS].map((name, i) => ({
            href: `${i === 0 ? base : `${base}/${name}`}${query ? `?${query}` : ''}`,
            text: name === ALL_REPORTS ? 'All of these on one page' : REPORT_TITLES[name as ReportName],
            current: shown.length === 1 ? shown[0] === name : name === ALL_REPORTS,
          }))
        : [];
    const page = {
      title: dashboard.title,
      dashboard,
      others: dashboardsFor(actor).filter((d) => d.key !== dashboard.key),
      base,
      action: here,
      values: raw,
      choices: filterChoices(raw, organisations),
      width: 'full',
    };
    const read = readFilters(raw);
    if (!read.ok) return reply.code(400).render(TEMPLATE, { ...page, errors: read.errors, sections: sectionLinks('') });
    let reports: Report[];
    try {
      reports = await runReports(db, as, shown, read.filters, { audit: auditContext(req), postcodes, maxAgeSeconds: config.reportsMaxAgeSeconds });
    } catch (err) {
      const errors = problemAsErrors(err, raw);
      if (!errors) throw err;
      return reply.code(400).render(TEMPLATE, { ...page, errors, sections: sectionLinks('') });
    }
    const query = filterQuery(read.checked);
    const presented = reports.map((r) => presentReport(r, base, query));
    return reply.render(TEMPLATE, {
      ...page,
      applied: appliedFilters(read.checked, organisations),
      suppressed: reports.some((r) => r.suppressed),
      sections: sectionLinks(query),
      contents: presented.length > 1 ? presented.map((r) => ({ href: `#section-${r.name}`, text: r.title })) : [],
      reports: presented,
    });
  }

  app.get('/reports/:dashboard', async (req, reply) => dashboardPage(req, reply, (req.params as { dashboard: string }).dashboard, undefined));
  app.get('/reports/:dashboard/:section', async (req, reply) => {
    const { dashboard, section } = req.params as { dashboard: string; section: string };
    return dashboardPage(req, reply, dashboard, section);
  });

  app.get('/reports/:dashboard/:report/:table.csv', async (req, reply) => {
    const actor = req.actor!;
    const { dashboard: key, report: name, table: tableId } = req.params as { dashboard: string; report: string; table: string };
    const dashboard = dashboardFor(actor, key);
    if (!(dashboard.reports as readonly string[]).includes(name)) throw notFound();
    const raw = rawFilters(req.query);
    const read = readFilters(raw);
    if (!read.ok) {
      const message = read.errors.list.map((e) => e.text).join('. ');
      return reply.code(400).render('web/views/error.njk', { title: 'The filters are not right', message, status: 400, requestId: req.id });
    }
    const report = await runReport(db, actorAs(actor, dashboard), name as ReportName, read.filters, { audit: auditContext(req), postcodes, maxAgeSeconds: config.reportsMaxAgeSeconds });
    const table = report.tables.find((t) => t.id === tableId);
    if (!table) throw notFound('That table is not in this report.');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csvFileName(report.name, table.id, report.dataAsOf)}"`)
      .send(toCsv(table));
  });
}
