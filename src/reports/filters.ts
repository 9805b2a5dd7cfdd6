/**
 * The filters every report accepts, checked once: dates, an organisation, an area, an activity
 * type, a reason for referral, an outcome instrument. Anything else — an unknown filter, a
 * malformed value — is refused with a message naming it (400), never ignored, so no filter can
 * reach past what the reports show.
 */
import { z } from 'zod';
import { REASON_CODES } from '../referrals/codes.ts';
import { badRequest } from '../web/problems.ts';
import { ACTIVITY_CODES } from './labels.ts';
import { isKnownInstrument } from './measures.ts';
import type { ReportFilters } from './types.ts';

/** Empty form fields mean "not filtered". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const dayField = (name: string) =>
  z
    .string(`${name} must be a date like 2025-04-01`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date like 2025-04-01`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${name} must be a real date`);

/** The filter fields (shared by the API's query string and the dashboards' forms). */
export const reportFilterFields = {
  from: optional(dayField('from')),
  to: optional(dayField('to')),
  organisationId: optional(z.uuid('organisationId must be the id of an organisation')),
  area: optional(z.string('area must be an ONS local authority code like E09000028').regex(/^[EWSN]\d{8}$/, 'area must be an ONS local authority code like E09000028')),
  activity: optional(z.enum(ACTIVITY_CODES as [string, ...string[]], `activity must be one of: ${ACTIVITY_CODES.join(', ')}`)),
  reason: optional(z.enum(REASON_CODES, `reason must be one of: ${REASON_CODES.join(', ')}`)),
  instrument: optional(
    z.string('instrument must be an instrument code like phq9').refine(isKnownInstrument, 'instrument must be an instrument code like phq9, swemwbs or ons4 (or one item, like ons4.anxious)'),
  ),
};

export const reportFiltersSchema = z
  .strictObject(reportFilterFields, { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown filter: ${issue.keys.join(', ')}. Filters are: ${Object.keys(reportFilterFields).join(', ')}` : undefined) })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from must be on or before to', path: ['to'] });

/** Checks a query (or form) and returns the filters; a bad value is a 400 problem naming it. */
export function parseReportFilters(query: unknown): ReportFilters {
  const parsed = reportFiltersSchema.safeParse(query ?? {});
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ name: i.path.length ? i.path.join('.') : 'query', detail: i.message }));
    throw badRequest(fields.map((f) => (f.name === 'query' ? f.detail : `${f.name}: ${f.detail}`)).join('; '), fields);
  }
  const out: ReportFilters = {};
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) (out as Record<string, string>)[k] = v as string;
  return out;
}
