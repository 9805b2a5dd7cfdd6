/**
 * Recording and ending data-sharing agreements. Each write is one transaction with its audit
 * event. Onward referrals carry personal data beyond contact details only while an agreement
 * between the two organisations is active (src/referrals/sharing.ts reads them).
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { SharingCategory } from '../referrals/codes.ts';
import { HttpProblem, forbidden, notFound, unprocessable } from '../web/problems.ts';
import { findAgreement, partnerOptions } from './repository.ts';

export interface AgreementInput {
  organisationId: string;
  partnerId: string;
  categories: SharingCategory[];
  purpose: string;
  lawfulBasis: string;
  startsOn: string;
  endsOn: string | null;
}

/** Records a new agreement between one of the actor's organisations and a partner in the same area. */
export async function createAgreement(db: Kysely<DB>, ctx: AuditContext, actor: Actor, input: AgreementInput): Promise<string> {
  const grant = grantingMembership(actor, 'sharing.manage', input.organisationId);
  if (!grant) throw forbidden('You cannot record data-sharing agreements for that organisation.');
  if (input.partnerId === input.organisationId) throw unprocessable('An agreement is between two different organisations.', [{ name: 'partnerId', detail: 'must be another organisation' }]);
  const partners = await partnerOptions(db, [input.organisationId]);
  if (!partners.some((p) => p.id === input.partnerId)) throw unprocessable('Choose an organisation in the same area as yours.', [{ name: 'partnerId', detail: 'not an organisation in your area' }]);
  if (input.endsOn && input.endsOn < input.startsOn) throw unprocessable('The end date must be the same as or after the start date.', [{ name: 'endsOn', detail: 'before the start date' }]);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('data_sharing_agreement')
      .values({
        organisation_a: input.organisationId,
        organisation_b: input.partnerId,
        categories: input.categories,
        purpose: input.purpose,
        lawful_basis: input.lawfulBasis,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'sharing.agreement.create',
      ...grant,
      entityType: 'data_sharing_agreement',
      entityId: row.id,
      details: { partner: input.partnerId, categories: input.categories, startsOn: input.startsOn, endsOn: input.endsOn },
    });
    return row.id;
  });
}

/** What happened when an agreement was ended early. */
export type EndOutcome = { kind: 'ended'; endsOn: string } | { kind: 'cancelled' };

/**
 * Ends an agreement early. `when` is 'now' or a date from today on. Ending now makes yesterday its
 * last day, so nothing more is shared under it from today; one that started today ends at the end
 * of today (its start and end may not cross); one that has not started yet is cancelled (removed),
 * since nothing can have been shared under it.
 */
export async function endAgreement(db: Kysely<DB>, ctx: AuditContext, actor: Actor, id: string, when: 'now' | string, today: string): Promise<EndOutcome> {
  const agreement = await findAgreement(db, actor, id, today);
  if (!agreement) throw notFound('There is no data-sharing agreement with that id for your organisation.');
  const grant = grantingMembership(actor, 'sharing.manage', agreement.ours.id)!;
  if (agreement.state === 'ended') throw new HttpProblem(409, 'Already ended', `This agreement ended on ${agreement.endsOn}.`);
  const yesterday = new Date(new Date(`${today}T00:00:00Z`).getTime() - 86_400_000).toISOString().slice(0, 10);
  let endsOn: string;
  if (when === 'now') {
    if (agreement.startsOn > today) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('data_sharing_agreement').where('id', '=', id).execute();
        await recordAudit(trx, ctx, {
          action: 'sharing.agreement.cancel',
          ...grant,
          entityType: 'data_sharing_agreement',
          entityId: id,
          details: { partner: agreement.theirs.id, categories: agreement.categories, startsOn: agreement.startsOn, endsOn: agreement.endsOn },
        });
      });
      return { kind: 'cancelled' };
    }
    endsOn = agreement.startsOn > yesterday ? agreement.startsOn : yesterday;
  } else {
    if (when < today) throw unprocessable('The end date must be today or later. To stop sharing straight away, choose “Now”.', [{ name: 'endsOn', detail: 'in the past' }]);
    if (when < agreement.startsOn) throw unprocessable('The end date must be the same as or after the start date.', [{ name: 'endsOn', detail: 'before the start date' }]);
    endsOn = when;
  }
  if (agreement.endsOn && agreement.endsOn <= endsOn) {
    throw unprocessable(`This agreement already ends on ${agreement.endsOn}. Choose an earlier date to end it early.`, [{ name: 'endsOn', detail: 'not earlier than the current end date' }]);
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('data_sharing_agreement').set({ ends_on: endsOn }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { action: 'sharing.agreement.end', ...grant, entityType: 'data_sharing_agreement', entityId: id, details: { partner: agreement.theirs.id, endsOn, previousEndsOn: agreement.endsOn } });
  });
  return { kind: 'ended', endsOn };
}
