/**
 * Possible duplicates, resolved by a service manager. Merging moves the newer person's referrals
 * to the older person and marks the newer record `merged_into` the older one; nothing is deleted,
 * so every episode keeps its contacts, goals, onward referrals and status history, and the
 * newer record stays as it was. Gaps in the older record (no phone, say) are filled from the
 * newer one. "Not the same person" clears the flag. Both are one transaction with their audit.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { forbidden, HttpProblem, notFound } from '../web/problems.ts';
import { loadForService } from './triage.ts';

/** Person fields copied to the older record when it has none and the newer one has. */
export const FILLABLE = ['nhs_number', 'sex', 'gender', 'ethnicity', 'address', 'postcode', 'email', 'phone', 'preferred_contact', 'preferred_language', 'accessibility_needs', 'gp_practice_id', 'gp_practice_name'] as const;

async function episodesInScope(db: Kysely<DB>, actor: Actor, personId: string) {
  return db
    .selectFrom('referral as r')
    .innerJoin('organisation as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.status', 'r.referred_on', 's.name as service'])
    .where('r.person_id', '=', personId)
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .orderBy('r.referred_on')
    .execute();
}

/**
 * The flagged referral's person and the earlier person it may duplicate, side by side. The
 * earlier person is shown only when one of their episodes is in the actor's own services;
 * otherwise `older` is null (another service's records stay private).
 */
export async function duplicatePair(db: Kysely<DB>, actor: Actor, referralId: string) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  if (!referral.possible_duplicate_of) throw notFound('This referral is not flagged as a possible duplicate.');
  const [newer, older, newerEpisodes, olderEpisodes] = await Promise.all([
    db.selectFrom('person').selectAll().where('id', '=', referral.person_id).executeTakeFirstOrThrow(),
    db.selectFrom('person').selectAll().where('id', '=', referral.possible_duplicate_of).executeTakeFirstOrThrow(),
    episodesInScope(db, actor, referral.person_id),
    episodesInScope(db, actor, referral.possible_duplicate_of),
  ]);
  const visible = olderEpisodes.length > 0;
  return { referral, grant, newer, newerEpisodes, older: visible ? older : null, olderEpisodes };
}

function mayManage(actor: Actor, serviceId: string) {
  const grant = grantingMembership(actor, 'referral.manage', serviceId);
  if (!grant) throw forbidden('Only a service manager can merge records or clear a duplicate flag.');
  return grant;
}

/**
 * Merges the flagged referral's person into the earlier person. `pair` is what the manager saw:
 * if the flag has changed since, nothing is merged (409).
 */
export async function mergePeople(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, pair: { newerId: string; olderId: string }) {
  const { referral } = await loadForService(db, actor, referralId);
  const grant = mayManage(actor, referral.service_id);
  if (referral.person_id !== pair.newerId || referral.possible_duplicate_of !== pair.olderId) {
    throw new HttpProblem(409, 'Changed by someone else', 'This referral’s duplicate flag has changed since you looked at it. Nothing has been merged.');
  }
  if ((await episodesInScope(db, actor, pair.olderId)).length === 0) throw notFound('There is no earlier record of this person in your service.');
  return db.transaction().execute(async (trx) => {
    const people = await trx.selectFrom('person').selectAll().where('id', 'in', [pair.newerId, pair.olderId]).orderBy('id').forUpdate().execute();
    const newer = people.find((p) => p.id === pair.newerId);
    const older = people.find((p) => p.id === pair.olderId);
    if (!newer || !older) throw notFound();
    if (newer.merged_into || older.merged_into) throw new HttpProblem(409, 'Already merged', 'One of these records has already been merged into another. Nothing has been changed.');
    const fill: Record<string, unknown> = {};
    for (const f of FILLABLE) if (older[f] === null && newer[f] !== null) fill[f] = newer[f];
    if (!older.interpreter_needed && newer.interpreter_needed) fill.interpreter_needed = true;
    const moved = await trx
      .updateTable('referral')
      .set({ person_id: older.id, possible_duplicate_of: null, updated_at: new Date(), version: sql`version + 1` })
      .where('person_id', '=', newer.id)
      .returning('id')
      .execute();
    // Other referrals flagged against the newer record now point at the one that remains.
    await trx.updateTable('referral').set({ possible_duplicate_of: older.id }).where('possible_duplicate_of', '=', newer.id).where('person_id', '!=', older.id).execute();
    await trx.updateTable('referral').set({ possible_duplicate_of: null }).where('possible_duplicate_of', '=', older.id).where('person_id', '=', older.id).execute();
    await trx.updateTable('person').set({ merged_into: older.id, version: sql`version + 1` }).where('id', '=', newer.id).execute();
    if (Object.keys(fill).length) await trx.updateTable('person').set({ ...fill, version: sql`version + 1` }).where('id', '=', older.id).execute();
    const details = { merged: newer.id, into: older.id, referrals: moved.map((m) => m.id), filled: Object.keys(fill) };
    await recordAudit(trx, ctx, { action: 'person.merge', ...grant, entityType: 'person', entityId: older.id, details });
    await recordAudit(trx, ctx, { action: 'person.merged-into', ...grant, entityType: 'person', entityId: newer.id, details });
    return { personId: older.id, moved: moved.length, filled: Object.keys(fill) };
  });
}

/** "These are different people": clears the flag on this referral. */
export async function dismissDuplicate(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, olderId: string) {
  const { referral } = await loadForService(db, actor, referralId);
  const grant = mayManage(actor, referral.service_id);
  if (referral.possible_duplicate_of !== olderId) {
    throw new HttpProblem(409, 'Changed by someone else', 'This referral’s duplicate flag has changed since you looked at it. Nothing has been changed.');
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('referral').set({ possible_duplicate_of: null, updated_at: new Date(), version: sql`version + 1` }).where('id', '=', referralId).where('possible_duplicate_of', '=', olderId).execute();
    await recordAudit(trx, ctx, { action: 'person.duplicate.dismiss', ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId, notSameAs: olderId } });
  });
}
