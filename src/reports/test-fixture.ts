/**
 * For the report tests: a small borough built with the real commands (referral, triage, contacts,
 * onward referrals, the provider's answers, attendance, completion, measures), then dated in the
 * past so every figure can be worked out by hand. The figures are in reports.test.ts.
 *
 * Southwark (E09000028): two social prescribing services (Alpha Links: E1–E6; Beta Links: E7 and
 * five more referrals B1–B5), a provider on Linkwell (Adult Learning: courses L1 formal, L2
 * informal) and a charity ("@Grow Together": L3 gardening), a GP practice, a council team and a
 * commissioner. Haringey (E09000014): Far Links (E8), outside the commissioner's area.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { loadActor, type Actor } from '../auth/actor.ts';
import { commandLineContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { recordResponse } from '../outcomes/responses.ts';
import { addContact, contactSchema } from '../referrals/casework.ts';
import { createReferral, referralInputSchema, selfReferralSchema } from '../referrals/intake.ts';
import { changeOnwardStatus, createOnwardReferral, onwardStatusSchema, recordAttendance } from '../referrals/onward.ts';
import { changeReferralStatus } from '../referrals/triage.ts';
import { makeFullDirService } from '../../test/support/directory-factories.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../test/support/factories.ts';

/** Words that must never appear in a commissioner's report, filter answer or CSV. */
export const SECRETS = ['Annabel', 'Quixote', '9990000018', '1950-06-01', 'SE15 4QX', 'Moved to Spain', 'husband died', 'Farfetched'];

export interface Fixture {
  orgs: Record<'alpha' | 'beta' | 'far' | 'learning' | 'garden' | 'gp' | 'team' | 'icb', string>;
  users: Record<'manager' | 'w1' | 'w2' | 'w3' | 'betaManager' | 'farManager' | 'provider' | 'commissioner' | 'gp' | 'team', TestUser>;
  actors: Record<'manager' | 'w1' | 'w2' | 'provider' | 'commissioner' | 'betaManager', Actor>;
  listings: Record<'l1' | 'l2' | 'l3', string>;
  episodes: Record<string, string>;
  onward: Record<string, string>;
}

const day = (d: string) => new Date(`${d}T12:00:00Z`);

export async function buildFixture(db: Kysely<DB>): Promise<Fixture> {
  const org = async (type: Parameters<typeof makeOrganisation>[1], name: string, area = 'E09000028') => {
    const o = await makeOrganisation(db, type, name);
    if (area !== 'E09000028') await db.updateTable('organisation').set({ area_code: area, area_name: 'Haringey' }).where('id', '=', o.id).execute();
    return o.id;
  };
  const orgs = {
    alpha: await org('social_prescribing_service', 'Alpha Links'),
    beta: await org('social_prescribing_service', 'Beta Links'),
    far: await org('social_prescribing_service', 'Far Links', 'E09000014'),
    learning: await org('learning_provider', 'Adult Learning'),
    garden: await org('vcse', '@Grow Together'),
    gp: await org('gp_practice', 'Canal Street Surgery'),
    team: await org('referring_team', 'Council Wellbeing Team'),
    icb: await org('commissioner', 'South East Commissioning'),
  };
  const users = {
    manager: await makeUser(db, { roles: [[orgs.alpha, 'service_manager']] }),
    w1: await makeUser(db, { roles: [[orgs.alpha, 'link_worker']] }),
    w2: await makeUser(db, { roles: [[orgs.alpha, 'link_worker']] }),
    w3: await makeUser(db, { roles: [[orgs.beta, 'link_worker']] }),
    betaManager: await makeUser(db, { roles: [[orgs.beta, 'service_manager']] }),
    farManager: await makeUser(db, { roles: [[orgs.far, 'service_manager']] }),
    provider: await makeUser(db, { roles: [[orgs.learning, 'provider_staff']] }),
    commissioner: await makeUser(db, { roles: [[orgs.icb, 'commissioner']] }),
    gp: await makeUser(db, { roles: [[orgs.gp, 'referrer']] }),
    team: await makeUser(db, { roles: [[orgs.team, 'referrer']] }),
  };
  const actor = async (u: TestUser) => (await loadActor(db, u.id))!;
  const a = {
    manager: await actor(users.manager),
    w1: await actor(users.w1),
    w2: await actor(users.w2),
    w3: await actor(users.w3),
    betaManager: await actor(users.betaManager),
    farManager: await actor(users.farManager),
    provider: await actor(users.provider),
    commissioner: await actor(users.commissioner),
    gp: await actor(users.gp),
    team: await actor(users.team),
  };
  const ctx = (x: Actor) => commandLineContext(x.userId);

  // The directory: three listings at SE15 1AA (Southwark), each with an intake that has not finished.
  const listing = async (providerId: string, name: string, level: 'non_accredited' | '1', terms: string[], places: number, waiting: number) =>
    (
      await makeFullDirService(db, {
        organization: { name: `${name} provider`, linkwell_organisation_id: providerId },
        service: { name, lw_level: level, lw_access_route: 'referral' },
        termIds: terms,
        intake: { places_left: places, places_total: 12, waiting_list_length: waiting },
      })
    ).service.id;
  const t = LINKWELL_TAXONOMIES.activityType.terms;
  const listings = {
    l1: await listing(orgs.learning, 'Maths for life', '1', [t.learning.id], 0, 2),
    l2: await listing(orgs.learning, 'Watercolour for beginners', 'non_accredited', [t['arts-culture'].id, t.learning.id], 0, 3),
    l3: await listing(orgs.garden, 'Community garden', 'non_accredited', [t['nature-gardening'].id], 5, 0),
  };
  await db
    .insertInto('data_sharing_agreement')
    .values({ organisation_a: orgs.alpha, organisation_b: orgs.learning, categories: ['contact', 'needs', 'goals'], purpose: 'Onward referral', lawful_basis: 'Direct care', starts_on: '2020-01-01' })
    .execute();

  // Commands, then the dates they happened on.
  const refer = async (by: Actor | null, serviceId: string, referredOn: string, person: Record<string, unknown>, reasons: string[], extra: Record<string, unknown> = {}) => {
    const base = { serviceId, person: { givenName: 'Test', familyName: 'Person', ...person }, reasons, consentToShare: true, ...extra };
    const r = by
      ? await createReferral(db, ctx(by), by, referralInputSchema.parse({ risks: { noneKnown: true }, ...base }), 'web')
      : await createReferral(db, commandLineContext(), null, selfReferralSchema.parse(base), 'self');
    await db.updateTable('referral').set({ referred_on: referredOn }).where('id', '=', r.id).execute();
    await db.updateTable('referral_status_event').set({ at: day(referredOn) }).where('referral_id', '=', r.id).execute();
    return r.id;
  };
  const version = async (id: string) => (await db.selectFrom('referral').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const accept = async (by: Actor, id: string, worker: TestUser, on: string) => {
    await changeReferralStatus(db, ctx(by), by, id, { status: 'accepted', assigneeEmail: worker.email, version: await version(id) });
    await db.updateTable('referral_status_event').set({ at: day(on) }).where('referral_id', '=', id).where('to_status', '=', 'accepted').execute();
  };
  const status = async (by: Actor, id: string, to: 'declined' | 'closed', reason: string, on: string) => {
    await changeReferralStatus(db, ctx(by), by, id, { status: to, reason, version: await version(id) });
    await db.updateTable('referral_status_event').set({ at: day(on) }).where('referral_id', '=', id).where('to_status', '=', to).execute();
    if (to === 'closed') await db.updateTable('referral').set({ closed_at: day(on) }).where('id', '=', id).execute();
  };
  const contact = async (by: Actor, id: string, on: string) => {
    await addContact(db, ctx(by), by, id, contactSchema.parse({ date: on, method: 'face_to_face' }));
    await db.updateTable('referral_status_event').set({ at: day(on) }).where('referral_id', '=', id).where('to_status', '=', 'in_progress').execute();
  };
  const onwardVersion = async (id: string) => (await db.selectFrom('onward_referral').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const referOn = async (by: Actor, id: string, listingId: string, kind: 'referral' | 'signpost', on: string) => {
    const o = await createOnwardReferral(db, ctx(by), by, id, { serviceId: listingId, kind });
    await db.updateTable('onward_referral').set({ created_at: day(on) }).where('id', '=', o.id).execute();
    await db.updateTable('onward_status_event').set({ at: day(on) }).where('onward_referral_id', '=', o.id).execute();
    return o.id;
  };
  const provider = async (by: Actor, id: string, change: Record<string, unknown>, on: string) => {
    const to = change.status as string;
    await changeOnwardStatus(db, ctx(by), by, id, onwardStatusSchema.parse({ ...change, version: await onwardVersion(id) }));
    await db.updateTable('onward_status_event').set({ at: day(on) }).where('onward_referral_id', '=', id).where('to_status', '=', to).execute();
  };
  const attend = async (by: Actor, id: string, on: string, attended: boolean) => {
    await recordAttendance(db, ctx(by), by, id, { date: on, attended });
    await db.updateTable('onward_status_event').set({ at: day(on) }).where('onward_referral_id', '=', id).where('to_status', '=', 'started').where('reason', '=', 'first session attended').execute();
  };
  const personOf = async (id: string) => (await db.selectFrom('referral').select('person_id').where('id', '=', id).executeTakeFirstOrThrow()).person_id;
  const measure = async (by: Actor, target: { referralId?: string; onwardId?: string; organisationId: string }, code: string, timePoint: string, answers: number[], on: string) => {
    const referralId = target.referralId ?? (await db.selectFrom('onward_referral').select('referral_id').where('id', '=', target.onwardId!).executeTakeFirstOrThrow()).referral_id;
    const role = by.memberships.find((m) => m.organisationId === target.organisationId)!.role;
    return (
      await recordResponse(
        db,
        ctx(by),
        { personId: await personOf(referralId), referralId: target.onwardId ? null : referralId, onwardId: target.onwardId ?? null, organisationId: target.organisationId },
        { code, timePoint, answers, method: 'staff', completedOn: on, enteredByUserId: by.userId },
        { organisationId: target.organisationId, role },
      )
    ).id;
  };
  const all = (n: number, v: number) => Array.from({ length: n }, () => v);

  const episodes: Record<string, string> = {};
  const onward: Record<string, string> = {};
  const alpha = orgs.alpha;

  // E1: GP referral, two contacts then a third, informal learning course completed with progression, discharged.
  episodes.E1 = await refer(a.gp, alpha, '2025-01-10', { givenName: 'Annabel', familyName: 'Quixote', dateOfBirth: '1950-06-01', nhsNumber: '9990000018', sex: 'female', ethnicity: 'A', postcode: 'SE15 4QX' }, ['loneliness', 'learning_informal'], { lonelinessFactors: ['living_alone', 'acute_poverty'], reasonText: 'Since my husband died I see no one' });
  await accept(a.manager, episodes.E1, users.w1, '2025-01-12');
  await contact(a.w1, episodes.E1, '2025-01-15');
  await contact(a.w1, episodes.E1, '2025-01-22');
  onward.O1 = await referOn(a.w1, episodes.E1, listings.l2, 'referral', '2025-01-25');
  await provider(a.provider, onward.O1, { status: 'accepted' }, '2025-01-28');
  await provider(a.provider, onward.O1, { status: 'enrolled', enrolment: { feeOutcome: 'free' } }, '2025-01-30');
  await attend(a.provider, onward.O1, '2025-02-03', true);
  await attend(a.provider, onward.O1, '2025-02-10', true);
  await attend(a.provider, onward.O1, '2025-02-17', false);
  await contact(a.w1, episodes.E1, '2025-02-05');
  await provider(a.provider, onward.O1, { status: 'completed', completion: { progression: 'another_course' } }, '2025-03-01');
  await status(a.w1, episodes.E1, 'closed', 'Goals met', '2025-03-10');
  const wrong = await measure(a.w1, { referralId: episodes.E1, organisationId: alpha }, 'phq9', 'start', all(9, 0), '2025-01-14');
  await sql`UPDATE measure_response SET status = 'entered-in-error', entered_in_error_at = now(), entered_in_error_by = ${users.w1.id}, entered_in_error_reason = 'Wrong person' WHERE id = ${wrong}`.execute(db);
  await measure(a.w1, { referralId: episodes.E1, organisationId: alpha }, 'swemwbs', 'start', all(7, 2), '2025-01-15');
  await measure(a.w1, { referralId: episodes.E1, organisationId: alpha }, 'swemwbs', 'end', all(7, 3), '2025-03-10');
  await measure(a.w1, { referralId: episodes.E1, organisationId: alpha }, 'phq9', 'start', all(9, 2), '2025-01-15');
  await measure(a.w1, { referralId: episodes.E1, organisationId: alpha }, 'phq9', 'end', all(9, 1), '2025-03-10');
  await measure(a.provider, { onwardId: onward.O1, organisationId: orgs.learning }, 'swemwbs', 'start', all(7, 2), '2025-02-03');
  await measure(a.provider, { onwardId: onward.O1, organisationId: orgs.learning }, 'swemwbs', 'end', all(7, 4), '2025-03-01');
  await measure(a.provider, { onwardId: onward.O1, organisationId: orgs.learning }, 'learner-satisfaction', 'end', [8, 8, 8, 8, 8, 8, 9, 9], '2025-03-01');

  // E2: GP referral, one contact, formal course: waiting list, accepted, started (still going).
  episodes.E2 = await refer(a.gp, alpha, '2025-01-20', { givenName: 'Bob', dateOfBirth: '1980-03-15', sex: 'male', ethnicity: 'N', postcode: 'SE15 1AA' }, ['low_mood_anxiety', 'learning_formal'], { lonelinessFactors: ['deaf_or_disabled'] });
  await accept(a.manager, episodes.E2, users.w1, '2025-01-21');
  await contact(a.w1, episodes.E2, '2025-01-27');
  await measure(a.w1, { referralId: episodes.E2, organisationId: alpha }, 'phq9', 'start', all(9, 1), '2025-01-27');
  onward.O2 = await referOn(a.w1, episodes.E2, listings.l1, 'referral', '2025-02-01');
  await provider(a.provider, onward.O2, { status: 'waitlisted', expectedStart: '2025-02-20' }, '2025-02-03');
  await provider(a.provider, onward.O2, { status: 'accepted' }, '2025-02-10');
  await provider(a.provider, onward.O2, { status: 'enrolled', enrolment: { feeOutcome: 'free' } }, '2025-02-12');
  await attend(a.provider, onward.O2, '2025-02-20', true);
  await measure(a.provider, { onwardId: onward.O2, organisationId: orgs.learning }, 'swemwbs', 'start', all(7, 3), '2025-02-20');

  // E3: self-referral from Haringey, two contacts, gardening declined, signposted to watercolour, closed.
  episodes.E3 = await refer(null, alpha, '2025-02-05', { givenName: 'Cat', dateOfBirth: '1995-09-09', sex: 'female', ethnicity: 'H', postcode: 'N4 1AA' }, ['loneliness']);
  await accept(a.manager, episodes.E3, users.w2, '2025-02-06');
  await contact(a.w2, episodes.E3, '2025-02-10');
  await contact(a.w2, episodes.E3, '2025-02-12');
  onward.O3 = await referOn(a.w2, episodes.E3, listings.l3, 'referral', '2025-02-14');
  const gardener = await makeUser(db, { roles: [[orgs.garden, 'provider_staff']] });
  await provider((await loadActor(db, gardener.id))!, onward.O3, { status: 'declined', reason: 'Full' }, '2025-02-18');
  onward.O4 = await referOn(a.w2, episodes.E3, listings.l2, 'signpost', '2025-02-20');
  await measure(a.w2, { referralId: episodes.E3, organisationId: alpha }, 'swemwbs', 'start', all(7, 3), '2025-02-10');
  await measure(a.w2, { referralId: episodes.E3, organisationId: alpha }, 'swemwbs', 'end', all(7, 3), '2025-03-01');
  await measure(a.w2, { referralId: episodes.E3, organisationId: alpha }, 'swemwbs', 'follow_up_6', all(7, 4), '2025-09-01');
  await status(a.w2, episodes.E3, 'closed', 'Could not be contacted', '2025-03-01');

  // E4: from the council team, no sex, ethnicity or postcode recorded; declined.
  episodes.E4 = await refer(a.team, alpha, '2025-02-10', { givenName: 'Dan', dateOfBirth: '1960-01-01' }, ['housing']);
  await status(a.manager, episodes.E4, 'declined', 'Needs housing advice first', '2025-02-11');

  // E5: GP referral, accepted, no contact yet, referred on to watercolour (still waiting for a reply).
  episodes.E5 = await refer(a.gp, alpha, '2025-03-03', { givenName: 'Eve', dateOfBirth: '1970-12-12', sex: 'female', ethnicity: 'Z', postcode: 'SE15 4QX' }, ['physical_activity'], { lonelinessFactors: ['life_transition'] });
  await accept(a.manager, episodes.E5, users.w2, '2025-03-04');
  onward.O5 = await referOn(a.w2, episodes.E5, listings.l2, 'referral', '2025-03-05');

  // E6: GP referral, not yet triaged.
  episodes.E6 = await refer(a.gp, alpha, '2025-03-15', { givenName: 'Fay', dateOfBirth: '1940-05-05', sex: 'female', ethnicity: 'A', postcode: 'SE15 1AA' }, ['loneliness']);

  // Beta Links: E7 (discharged for a reason typed by hand), and five referrals waiting.
  episodes.E7 = await refer(a.gp, orgs.beta, '2025-01-05', { givenName: 'Gus', dateOfBirth: '1985-07-07', sex: 'male', ethnicity: 'C', postcode: 'SE15 4QX' }, ['loneliness']);
  await accept(a.betaManager, episodes.E7, users.w3, '2025-01-06');
  await contact(a.w3, episodes.E7, '2025-01-09');
  await measure(a.w3, { referralId: episodes.E7, organisationId: orgs.beta }, 'swemwbs', 'start', all(7, 4), '2025-01-09');
  await measure(a.w3, { referralId: episodes.E7, organisationId: orgs.beta }, 'swemwbs', 'end', all(7, 2), '2025-02-01');
  await status(a.w3, episodes.E7, 'closed', 'Moved to Spain', '2025-02-01');
  for (let i = 1; i <= 5; i++) {
    episodes[`B${i}`] = await refer(a.gp, orgs.beta, `2025-04-0${i}`, { givenName: `Bea${i}`, dateOfBirth: '1960-06-06', sex: 'female', ethnicity: 'A', postcode: 'SE15 1AA' }, ['loneliness']);
  }

  // Far Links (Haringey): outside the commissioner's area.
  episodes.E8 = await refer(a.gp, orgs.far, '2025-01-07', { givenName: 'Farfetched', familyName: 'Person', dateOfBirth: '1975-01-01', sex: 'male', postcode: 'N4 1AA' }, ['loneliness']);

  return { orgs, users, actors: { manager: a.manager, w1: a.w1, w2: a.w2, provider: a.provider, commissioner: a.commissioner, betaManager: a.betaManager }, listings, episodes, onward };
}

/** A random id that is nobody's. */
export const nobody = () => randomUUID();
