/**
 * Test set-up for the provider pages, the sharing agreements and the person's view: organisations,
 * staff, a listing, and referrals made through the real commands (createReferral,
 * changeReferralStatus, addGoal, createOnwardReferral) — never by writing journey rows directly.
 * Used by tests only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { commandLineContext } from '../../../audit/audit.ts';
import { loadActor, type Actor } from '../../../auth/actor.ts';
import type { DB } from '../../../db/schema.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../../test/support/factories.ts';
import { addGoal } from '../../casework.ts';
import { createReferral, referralInputSchema } from '../../intake.ts';
import { createOnwardReferral } from '../../onward.ts';
import { changeReferralStatus } from '../../triage.ts';

const unique = () => randomBytes(3).toString('hex');

export interface Cast {
  service: { id: string; name: string };
  college: { id: string; name: string };
  users: { gp: TestUser; manager: TestUser; worker: TestUser; provider: TestUser };
  /** A listing run by the college that takes referrals through Linkwell. */
  listingId: string;
  listingName: string;
}

export async function actorOf(db: Kysely<DB>, user: TestUser): Promise<Actor> {
  return (await loadActor(db, user.id))!;
}

/** A GP practice, a social prescribing service, a college with a listing, and their staff. */
export async function makeCast(db: Kysely<DB>, options: { contactEmail?: string | null } = {}): Promise<Cast> {
  const gp = await makeOrganisation(db, 'gp_practice');
  const service = await makeOrganisation(db, 'social_prescribing_service', `Community Links ${unique()}`);
  const college = await makeOrganisation(db, 'learning_provider', `Adult Learning ${unique()}`);
  const users = {
    gp: await makeUser(db, { roles: [[gp.id, 'referrer']], withTotp: true }),
    manager: await makeUser(db, { roles: [[service.id, 'service_manager']], withTotp: true }),
    worker: await makeUser(db, { roles: [[service.id, 'link_worker']], withTotp: true }),
    provider: await makeUser(db, { roles: [[college.id, 'provider_staff']], withTotp: true }),
  };
  const dirOrg = randomUUID();
  await db.insertInto('dir_organization').values({ id: dirOrg, name: college.name, description: 'Courses for adults', linkwell_organisation_id: college.id }).execute();
  const listingId = randomUUID();
  const listingName = `Watercolour for beginners ${unique()}`;
  await db
    .insertInto('dir_service')
    .values({ id: listingId, organization_id: dirOrg, name: listingName, lw_access_route: 'referral', lw_contact_email: options.contactEmail === undefined ? null : options.contactEmail })
    .execute();
  return { service: { id: service.id, name: service.name }, college: { id: college.id, name: college.name }, users, listingId, listingName };
}

export interface PersonDetails {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  nhsNumber?: string;
  email?: string;
  phone?: string;
}

/**
 * A GP referral, accepted and allocated to the link worker, with a goal; then (unless `onward`
 * is false) an onward referral to the college's listing. Returns the ids.
 */
export async function referOn(
  db: Kysely<DB>,
  cast: Cast,
  person: PersonDetails,
  options: { consent?: boolean; reasonText?: string; onward?: boolean; goal?: string } = {},
): Promise<{ referralId: string; personId: string; onwardId: string | null; onwardKind: string | null }> {
  const gp = await actorOf(db, cast.users.gp);
  const manager = await actorOf(db, cast.users.manager);
  const worker = await actorOf(db, cast.users.worker);
  const input = referralInputSchema.parse({
    serviceId: cast.service.id,
    person,
    reasons: ['loneliness', 'learning_informal'],
    reasonText: options.reasonText ?? 'I have not spoken to anyone for weeks.',
    risks: { noneKnown: true },
    consentToShare: options.consent ?? true,
  });
  const referral = await createReferral(db, commandLineContext(cast.users.gp.id), gp, input, 'web');
  await changeReferralStatus(db, commandLineContext(cast.users.manager.id), manager, referral.id, { status: 'accepted', assigneeEmail: cast.users.worker.email, version: 1 });
  await addGoal(db, commandLineContext(cast.users.worker.id), worker, referral.id, { description: options.goal ?? 'Paint with other people every week', importance: 8 });
  if (options.onward === false) return { referralId: referral.id, personId: referral.personId, onwardId: null, onwardKind: null };
  const onward = await createOnwardReferral(db, commandLineContext(cast.users.worker.id), worker, referral.id, { serviceId: cast.listingId, kind: 'referral' });
  return { referralId: referral.id, personId: referral.personId, onwardId: onward.id, onwardKind: onward.kind };
}
