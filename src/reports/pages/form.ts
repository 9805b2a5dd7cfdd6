/**
 * The dashboards' filter form: what the URL says, checked before any figure is read, the choices
 * with the person's answers selected, and the query string that carries the same filters to the
 * CSV links. A wrong value becomes an NHS.UK error message beside its field (status 400), never a
 * failed query.
 */
import { z } from 'zod';
import { LONDON_AREAS } from '../../organisations/areas.ts';
import { REASONS } from '../../referrals/codes.ts';
import { LINKWELL_TAXONOMIES } from '../../directory/taxonomies.ts';
import { shortTitle } from '../../outcomes/instruments.ts';
import { REPORT_MEASURES, isKnownInstrument } from '../measures.ts';
import { addError, emptyErrors, type FormErrors } from '../../web/forms.ts';
import { HttpProblem } from '../../web/problems.ts';

/** The filter fields, in the order of the form (and of the error summary). */
export const FILTER_FIELDS = ['from', 'to', 'organisationId', 'area', 'activity', 'reason', 'instrument'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type RawFilters = Partial<Record<FilterField, string>>;

const ACTIVITY_TYPES = LINKWELL_TAXONOMIES.activityType.terms as Record<string, { name: string }>;
/** The instruments the outcomes report can show, each once (items are reported under their instrument). */
const INSTRUMENTS = [...new Set(REPORT_MEASURES.map((m) => m.instrument))];

/** The query's filter values as typed (first value of each, trimmed; others ignored). */
export function rawFilters(query: unknown): RawFilters {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: RawFilters = {};
  for (const field of FILTER_FIELDS) {
    const value = Array.isArray(q[field]) ? (q[field] as unknown[])[0] : q[field];
    if (typeof value === 'string' && value.trim() !== '') out[field] = value.trim().slice(0, 200);
  }
  return out;
}

/** "1/4/2025", "01-04-2025" or "2025-04-01" → "2025-04-01"; null when it is not a real date. */
export function isoDate(text: string): string | null {
  let y: number, m: number, d: number;
  const dmy = /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(text);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (dmy) [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
  else if (ymd) [y, m, d] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const dateField = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const iso = isoDate(v);
      if (!iso) ctx.addIssue({ code: 'custom', message: `Enter ${label} as a real date, like 1/4/2025` });
      return iso ?? undefined;
    });

/** Our own first check of the filters (the report's parser checks them again against scope). */
const filterSchema = z
  .object({
    from: dateField('the first date'),
    to: dateField('the last date'),
    organisationId: z.uuid('Select an organisation from the list').optional(),
    area: z
      .string()
      .regex(/^[EWSN]\d{8}$/, 'Select an area from the list')
      .optional(),
    activity: z
      .string()
      .refine((v) => Object.hasOwn(ACTIVITY_TYPES, v), 'Select an activity type from the list')
      .optional(),
    reason: z
      .string()
      .refine((v) => Object.hasOwn(REASONS, v), 'Select a reason from the list')
      .optional(),
    instrument: z
      .string()
      .refine(isKnownInstrument, 'Select an outcome measure from the list')
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (f.from && f.to && f.from > f.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last date must be the same as or after the first date' });
  });

export type CheckedFilters = z.output<typeof filterSchema>;

/** Orders errors as the fields appear on the form, so the summary reads top to bottom. */
function ordered(errors: FormErrors): FormErrors {
  const rank = (href: string) => {
    const i = (FILTER_FIELDS as readonly string[]).indexOf(href.slice(1));
    return i < 0 ? FILTER_FIELDS.length : i;
  };
  const list = [...errors.list].sort((a, b) => rank(a.href) - rank(b.href));
  return { list, byField: errors.byField };
}

export function checkFilters(raw: RawFilters): { ok: true; data: CheckedFilters } | { ok: false; errors: FormErrors } {
  const result = filterSchema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const errors = emptyErrors();
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'from');
    addError(errors, (FILTER_FIELDS as readonly string[]).includes(field) ? field : 'from', issue.message);
  }
  return { ok: false, errors: ordered(errors) };
}

/**
 * A 4xx problem from the report layer (its filter parser, or a filter outside the caller's scope)
 * as form errors: each named field beside its field, anything else at the organisation field when
 * the filters name one (the usual cause), or at the top of the form.
 */
export function problemAsErrors(err: unknown, raw: RawFilters): FormErrors | null {
  const status = err instanceof HttpProblem ? err.status : (err as { statusCode?: unknown })?.statusCode;
  const isZod = err instanceof z.ZodError;
  if (!isZod && !(typeof status === 'number' && status >= 400 && status < 500)) return null;
  const errors = emptyErrors();
  const fieldOf = (name: string) => {
    const last = name.split(/[.[\]/]/).filter(Boolean).at(-1) ?? '';
    return (FILTER_FIELDS as readonly string[]).includes(last) ? last : null;
  };
  if (isZod) {
    for (const issue of (err as z.ZodError).issues) addError(errors, fieldOf(issue.path.map(String).join('.')) ?? 'from', issue.message);
  } else if (err instanceof HttpProblem) {
    for (const f of err.fields) addError(errors, fieldOf(f.name) ?? 'from', f.detail);
    if (errors.list.length === 0) {
      const scope = status === 403 || status === 404;
      const field = scope && raw.organisationId ? 'organisationId' : 'from';
      addError(errors, field, scope && raw.organisationId ? 'Select an organisation from the list' : err.message);
    }
  } else {
    addError(errors, 'from', (err as Error).message);
  }
  return ordered(errors);
}

/** The filters as a query string (ISO dates), for the CSV links. */
export function filterQuery(f: CheckedFilters): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = f[field];
    if (value) params.set(field, value);
  }
  return params.toString();
}

export interface OrganisationChoice {
  id: string;
  name: string;
}

type Item = { value: string; text: string; selected: boolean };
const select = (anyText: string, pairs: readonly (readonly [string, string])[], chosen: string | undefined): Item[] => [
  { value: '', text: anyText, selected: !chosen },
  ...pairs.map(([value, text]) => ({ value, text, selected: value === chosen })),
];

/** The form's choices, with the values in the URL selected. */
export function filterChoices(raw: RawFilters, organisations: readonly OrganisationChoice[]) {
  return {
    organisation: select('All you can see', organisations.map((o) => [o.id, o.name] as const), raw.organisationId),
    area: select('Any area', LONDON_AREAS.map((a) => [a.code, a.name] as const), raw.area),
    activity: select('Any activity', Object.entries(ACTIVITY_TYPES).map(([code, t]) => [code, t.name] as const), raw.activity),
    reason: select('Any reason', Object.entries(REASONS), raw.reason),
    instrument: select('Every measure', INSTRUMENTS.map((c) => [c, shortTitle(c)] as const), raw.instrument),
  };
}

/** The filters in words, for "Showing figures for: …". */
export function appliedFilters(f: CheckedFilters, organisations: readonly OrganisationChoice[]): string[] {
  const out: string[] = [];
  const day = (iso: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  if (f.from && f.to) out.push(`referred from ${day(f.from)} to ${day(f.to)}`);
  else if (f.from) out.push(`referred from ${day(f.from)}`);
  else if (f.to) out.push(`referred up to ${day(f.to)}`);
  if (f.organisationId) out.push(organisations.find((o) => o.id === f.organisationId)?.name ?? 'one organisation');
  if (f.area) out.push(`people living in ${LONDON_AREAS.find((a) => a.code === f.area)?.name ?? f.area}`);
  if (f.activity) out.push(`activity: ${ACTIVITY_TYPES[f.activity]?.name ?? f.activity}`);
  if (f.reason) out.push(`reason: ${(REASONS as Record<string, string>)[f.reason] ?? f.reason}`);
  if (f.instrument) out.push(`measure: ${shortTitle(f.instrument)}`);
  return out;
}
