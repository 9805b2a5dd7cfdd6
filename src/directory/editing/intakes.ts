/**
 * Course intakes: when a course runs, how, and whether there is room. Providers change these often
 * (places left, waiting lists), so they go live at once, without review; each change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.ts';
import { grantingMembership } from '../../auth/actor.ts';
import { recordAudit, type AuditContext } from '../../audit/audit.ts';
import type { DB } from '../../db/schema.ts';
import { forbidden, notFound } from '../../web/problems.ts';

export const WEEKDAYS = [
  { value: 'MO', text: 'Monday' },
  { value: 'TU', text: 'Tuesday' },
  { value: 'WE', text: 'Wednesday' },
  { value: 'TH', text: 'Thursday' },
  { value: 'FR', text: 'Friday' },
  { value: 'SA', text: 'Saturday' },
  { value: 'SU', text: 'Sunday' },
] as const;

/** Day, month and year fields (the NHS.UK date input) as an ISO date, or a message. */
function dateFromParts(day: string, month: string, year: string, label: string, required: boolean): string | { error: string } | null {
  if (!day && !month && !year) return required ? { error: `Enter the ${label}` } : null;
  if (!day || !month || !year) return { error: `The ${label} must include a day, month and year` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return { error: `The ${label} must be a real date, like 15 1 2027` };
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return { error: `The ${label} must be a real date` };
  return iso;
}

const time = (label: string) =>
  z
    .string()
    .optional()
    .refine((v) => !v || /^([01]?\d|2[0-3])[:.][0-5]\d$/.test(v), `${label} must be a time like 10:00 or 14:30`)
    .transform((v) => (v ? `${v.replace('.', ':').padStart(5, '0')}:00` : null));

const count = (label: string) =>
  z
    .string()
    .optional()
    .refine((v) => !v || (/^\d{1,5}$/.test(v)), `${label} must be a whole number, like 12`)
    .transform((v) => (v ? Number(v) : null));

export const intakeSchema = z
  .object({
    'start-day': z.string().optional().default(''),
    'start-month': z.string().optional().default(''),
    'start-year': z.string().optional().default(''),
    'end-day': z.string().optional().default(''),
    'end-month': z.string().optional().default(''),
    'end-year': z.string().optional().default(''),
    weekdays: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.enum(WEEKDAYS.map((w) => w.value) as [string, ...string[]], 'Select days from the list'))),
    startTime: time('Start time'),
    endTime: time('End time'),
    sessions: count('Number of sessions'),
    delivery: z.enum(['in_person', 'online', 'blended'], 'Select how the course is delivered'),
    placesTotal: count('Places in total'),
    placesLeft: count('Places left'),
    waitingList: count('People on the waiting list'),
    typicalWaitDays: count('Typical wait'),
  })
  .transform((v, ctx) => {
    const start = dateFromParts(v['start-day'], v['start-month'], v['start-year'], 'start date', true);
    const end = dateFromParts(v['end-day'], v['end-month'], v['end-year'], 'end date', false);
    if (start && typeof start === 'object') ctx.addIssue({ code: 'custom', path: ['start-day'], message: start.error });
    if (end && typeof end === 'object') ctx.addIssue({ code: 'custom', path: ['end-day'], message: end.error });
    const startDate = typeof start === 'string' ? start : null;
    const endDate = typeof end === 'string' ? end : null;
    if (startDate && endDate && endDate < startDate) ctx.addIssue({ code: 'custom', path: ['end-day'], message: 'The end date must be the same as or after the start date' });
    if (v.startTime && v.endTime && v.endTime <= v.startTime) ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'End time must be after the start time' });
    if (v.placesLeft !== null && v.placesTotal !== null && v.placesLeft > v.placesTotal) {
      ctx.addIssue({ code: 'custom', path: ['placesLeft'], message: 'Places left cannot be more than places in total' });
    }
    if (v.sessions === 0) ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'Number of sessions must be 1 or more' });
    return {
      start_date: startDate ?? '',
      end_date: endDate,
      weekdays: v.weekdays.length ? v.weekdays.join(',') : null,
      start_time: v.startTime,
      end_time: v.endTime,
      sessions: v.sessions,
      delivery: v.delivery,
      places_total: v.placesTotal,
      places_left: v.placesLeft,
      waiting_list_length: v.waitingList ?? 0,
      typical_wait_days: v.typicalWaitDays,
    };
  });

export type IntakeData = z.output<typeof intakeSchema>;

/** Form values for an existing intake row. */
export function intakeFormValues(row: {
  start_date: Date;
  end_date: Date | null;
  weekdays: string | null;
  start_time: string | null;
  end_time: string | null;
  sessions: number | null;
  delivery: string;
  places_total: number | null;
  places_left: number | null;
  waiting_list_length: number;
  typical_wait_days: number | null;
}): Record<string, unknown> {
  const parts = (d: Date | null, prefix: string) =>
    d ? { [`${prefix}-day`]: String(d.getUTCDate()), [`${prefix}-month`]: String(d.getUTCMonth() + 1), [`${prefix}-year`]: String(d.getUTCFullYear()) } : {};
  return {
    ...parts(new Date(row.start_date), 'start'),
    ...parts(row.end_date ? new Date(row.end_date) : null, 'end'),
    weekdays: row.weekdays?.split(',') ?? [],
    startTime: row.start_time?.slice(0, 5) ?? '',
    endTime: row.end_time?.slice(0, 5) ?? '',
    sessions: row.sessions ?? '',
    delivery: row.delivery,
    placesTotal: row.places_total ?? '',
    placesLeft: row.places_left ?? '',
    waitingList: row.waiting_list_length || '',
    typicalWaitDays: row.typical_wait_days ?? '',
  };
}

export async function saveIntake(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  linkwellOrganisationId: string,
  serviceId: string,
  intakeId: string | null,
  data: IntakeData,
): Promise<string> {
  const grant = grantingMembership(actor, 'directory.edit', linkwellOrganisationId);
  if (!grant) throw forbidden('You cannot change this listing.');
  return db.transaction().execute(async (trx) => {
    let id = intakeId;
    if (id) {
      const r = await trx.updateTable('dir_course_intake').set(data).where('id', '=', id).where('service_id', '=', serviceId).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw notFound('There is no such intake on this listing.');
    } else {
      id = randomUUID();
      await trx.insertInto('dir_course_intake').values({ id, service_id: serviceId, ...data }).execute();
    }
    await trx.updateTable('dir_service').set({ last_modified: new Date(), lw_last_checked_at: new Date() }).where('id', '=', serviceId).execute();
    await recordAudit(trx, ctx, { action: intakeId ? 'directory.intake.update' : 'directory.intake.create', ...grant, entityType: 'dir_course_intake', entityId: id });
    return id;
  });
}

export async function deleteIntake(db: Kysely<DB>, ctx: AuditContext, actor: Actor, linkwellOrganisationId: string, serviceId: string, intakeId: string) {
  const grant = grantingMembership(actor, 'directory.edit', linkwellOrganisationId);
  if (!grant) throw forbidden('You cannot change this listing.');
  await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('dir_course_intake').where('id', '=', intakeId).where('service_id', '=', serviceId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('There is no such intake on this listing.');
    await trx.updateTable('dir_service').set({ last_modified: new Date() }).where('id', '=', serviceId).execute();
    await recordAudit(trx, ctx, { action: 'directory.intake.delete', ...grant, entityType: 'dir_course_intake', entityId: intakeId });
  });
}
