/**
 * GET /api/v1/reports/{name}: a report as JSON, or as CSV with format=csv (every table one after
 * another, or one with table=ID). Same filters as the dashboards; suppressed cells are "<5" in
 * both formats. Bad filters and unknown report names answer problem+json.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { ProblemSchema } from '../api/schemas.ts';
import { notFound } from '../web/problems.ts';
import { reportToCsv, toCsv } from './csv.ts';
import { reportFilterFields } from './filters.ts';
import { isReportName, runReport } from './run.ts';
import { REPORT_NAMES, type ReportFilters } from './types.ts';

const CellSchema = z.union([z.number(), z.string(), z.null()]);

const ReportSchema = z.object({
  name: z.enum(REPORT_NAMES),
  title: z.string(),
  filters: z.object({ from: z.string(), to: z.string(), organisationId: z.string(), area: z.string(), activity: z.string(), reason: z.string(), instrument: z.string() }).partial(),
  dataAsOf: z.string(),
  suppressed: z.boolean(),
  tables: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string().optional(),
      columns: z.array(z.object({ key: z.string(), label: z.string(), kind: z.enum(['label', 'count', 'percent', 'days', 'number']) })),
      rows: z.array(z.record(z.string(), CellSchema)),
      total: z.record(z.string(), CellSchema).optional(),
      chart: z.object({ kind: z.enum(['bar', 'funnel']), labelKey: z.string(), valueKey: z.string() }).optional(),
    }),
  ),
  notes: z.array(z.string()),
});

const querySchema = z.strictObject(
  {
    ...reportFilterFields,
    format: z.enum(['json', 'csv'], 'format must be json or csv').optional(),
    table: z.string().max(100).optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown parameter: ${issue.keys.join(', ')}` : undefined) },
);

export function registerReportApiRoutes(app: FastifyInstance, { database, postcodes, config }: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;

  api.get(
    '/api/v1/reports/:name',
    {
      schema: {
        tags: ['Reports'],
        summary: 'A report (referrals, funnel, waits, outcomes, equity, providers, caseload) as JSON, or CSV with format=csv',
        description:
          'Aggregate figures within the caller’s scope. Commissioners’ figures are always suppressed: counts from 1 to 4, and anything from which one could be worked out, are the string "<5". With format=csv the tables follow one another (a title line, a header, rows, totals); table=ID gives one table.',
        params: z.object({ name: z.string().describe(`One of: ${REPORT_NAMES.join(', ')}`) }),
        querystring: querySchema,
        produces: ['application/json', 'text/csv'],
        response: { 200: ReportSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      if (!isReportName(name)) throw notFound(`There is no report called "${name}". Reports: ${REPORT_NAMES.join(', ')}.`);
      const { format, table, ...rest } = req.query;
      const filters = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as ReportFilters;
      const report = await runReport(db, req.actor!, name, filters, { audit: auditContext(req), postcodes, maxAgeSeconds: config.reportsMaxAgeSeconds });
      if (format !== 'csv') return report;
      let body: string;
      if (table) {
        const one = report.tables.find((t) => t.id === table);
        if (!one) throw notFound(`This report has no table "${table}". Tables: ${report.tables.map((t) => t.id).join(', ')}.`);
        body = toCsv(one);
      } else {
        body = reportToCsv(report);
      }
      // CSV is text, not the JSON the response schema describes: send it past the serializer.
      return (reply as unknown as FastifyReply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="linkwell-${name}${table ? `-${table.replace(/[^a-z0-9-]/gi, '')}` : ''}.csv"`)
        .send(`\ufeff${body}`);
    },
  );
}
