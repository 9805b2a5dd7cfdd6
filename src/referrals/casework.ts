/**
 * Stage 2: the link worker's conversations — contacts, "what matters to me", goals and agreed
 * actions. The first contact moves an accepted episode to "in progress".
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { CONTACT_METHODS } from '../db/schema-referrals.ts';
import { HttpProblem } from '../web/problems.ts';
import { applyReferralStatus, loadForService } from './triage.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-21');

export const contactSchema = z.object({
  date: day.refine((v) => v <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10), 'A contact cannot be in the future'),
  method: z.enum(CONTACT_METHODS, `method must be one of: ${CONTACT_METHODS.join(', ')}`),
  durationMinutes: z.number().int().min(1).max(600).optional(),
  place: z.string().trim().max(200).optional(),
  notes: z.string().trim().max(8000).optional(),
});

export const goalSchema = z.object({
  description: z.string().trim().min(1, 'Describe the goal in the person’s words').max(1000),
  importance: z.number().int().min(1, 'Importance is from 1 to 10').max(10, 'Importance is from 1 to 10').optional(),
});

export const whatMattersSchema = z.object({
  ownAccount: z.string().trim().max(8000).optional(),
  strengths: z.string().trim().max(4000).optional(),
  importantPeople: z.string().trim().max(4000).optional(),
  supportPreferences: z.string().trim().max(4000).optional(),
  needs: z.array(z.string().trim().min(1).max(200)).max(30).optional(),
  reviewOn: day.optional(),
});

export const actionSchema = z.object({
  goalId: z.uuid().optional(),
  who: z.string().trim().min(1, 'Say who will do it').max(200),
  what: z.string().trim().min(1, 'Say what will be done').max(1000),
  dueOn: day.optional(),
  confidence: z.number().int().min(0).max(10).optional(),
});

function open(status: string): void {
  if (status !== 'accepted' && status !== 'in_progress') {
    throw new HttpProblem(409, 'Not an open episode', `Casework can be recorded only on an accepted or in-progress referral; this one is "${status}".`);
  }
}

export async function addContact(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, c: z.infer<typeof contactSchema>) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  open(referral.status);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('referral_contact')
      .values({ referral_id: referralId, contact_on: c.date, method: c.method, duration_minutes: c.durationMinutes ?? null, place: c.place ?? null, notes: c.notes ?? null, recorded_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (referral.status === 'accepted') await applyReferralStatus(trx, referralId, 'accepted', 'in_progress', {}, 'first contact', actor.userId);
    await recordAudit(trx, ctx, { action: 'referral.contact.create', ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId } });
    return row;
  });
}

export async function addGoal(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, g: z.infer<typeof goalSchema>) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  open(referral.status);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('goal')
      .values({ referral_id: referralId, description: g.description, importance: g.importance ?? null, created_by: actor.userId })
      .returning(['id', 'description', 'importance', 'status'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'referral.goal.create', ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId } });
    return row;
  });
}

export async function saveWhatMatters(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, w: z.infer<typeof whatMattersSchema>) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  open(referral.status);
  const values = {
    own_account: w.ownAccount ?? null,
    strengths: w.strengths ?? null,
    important_people: w.importantPeople ?? null,
    support_preferences: w.supportPreferences ?? null,
    needs: w.needs ?? [],
    review_on: w.reviewOn ?? null,
    updated_at: new Date(),
    updated_by: actor.userId,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('what_matters').values({ referral_id: referralId, ...values }).onConflict((oc) => oc.column('referral_id').doUpdateSet(values)).execute();
    await recordAudit(trx, ctx, { action: 'referral.what-matters.save', ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId } });
  });
}

export async function addAction(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, a: z.infer<typeof actionSchema>) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  open(referral.status);
  return db.transaction().execute(async (trx) => {
    if (a.goalId) {
      const goal = await trx.selectFrom('goal').select('id').where('id', '=', a.goalId).where('referral_id', '=', referralId).executeTakeFirst();
      if (!goal) throw new HttpProblem(422, 'Unknown goal', 'goalId is not one of this referral’s goals.', [{ name: 'goalId', detail: 'not a goal of this referral' }]);
    }
    const row = await trx
      .insertInto('agreed_action')
      .values({ referral_id: referralId, goal_id: a.goalId ?? null, who: a.who, what: a.what, due_on: a.dueOn ?? null, confidence: a.confidence ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'referral.action.create', ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId } });
    return row;
  });
}
