/**
 * Demo people and their referrals, made through the same commands staff use, so the demo shows a
 * caseload, a referral waiting for triage and one already referred on to a course. Fictional
 * people, with NHS numbers from the never-issued 999 range. Run once: skipped if anyone exists.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { commandLineContext } from '../audit/audit.ts';
import { loadActor, type Actor } from '../auth/actor.ts';
import { createReferral } from '../referrals/intake.ts';
import { changeReferralStatus } from '../referrals/triage.ts';
import { addContact, addGoal } from '../referrals/casework.ts';
import { createOnwardReferral } from '../referrals/onward.ts';
import { demoId } from './directory.ts';

async function actor(db: Kysely<DB>, email: string): Promise<Actor> {
  const user = await db.selectFrom('app_user').select('id').where(sql`lower(email)`, '=', email).executeTakeFirstOrThrow();
  return (await loadActor(db, user.id))!;
}

const today = (offset = 0) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoPeople(db: Kysely<DB>, serviceId: string, providerId: string): Promise<void> {
  if (await db.selectFrom('person').select('id').limit(1).executeTakeFirst()) return;
  const ctx = commandLineContext();
  const gp = await actor(db, 'gp@demo.linkwell.test');
  const manager = await actor(db, 'manager@demo.linkwell.test');
  const worker = await actor(db, 'linkworker@demo.linkwell.test');

  await db
    .insertInto('data_sharing_agreement')
    .values({ organisation_a: serviceId, organisation_b: providerId, categories: ['contact', 'needs', 'goals', 'outcomes'], purpose: 'Onward referrals from social prescribing to adult learning, and their outcomes', lawful_basis: 'Direct care (UK GDPR 6(1)(e) and 9(2)(h))', starts_on: today(-90) })
    .execute();

  const refer = (givenName: string, familyName: string, dateOfBirth: string, nhsNumber: string, reasons: string[], reasonText: string) =>
    createReferral(
      db,
      ctx,
      gp,
      {
        serviceId,
        person: { givenName, familyName, dateOfBirth, nhsNumber, postcode: 'SE15 4QX', email: `${givenName.toLowerCase()}@example.test`, phone: '07700 900000', preferredContact: 'phone' },
        reasons: reasons as ['loneliness'],
        reasonText,
        risks: { noneKnown: true },
        consentToShare: true,
        consentMethod: 'verbal',
      },
      'web',
    );

  // Waiting for triage.
  await refer('Tomasz', 'Demo', '1971-09-02', '9990000026', ['money_debt', 'low_mood_anxiety'], 'Since losing my job the bills keep piling up and I cannot sleep.');
  // Accepted, waiting for a first contact.
  const aisha = await refer('Aisha', 'Demo', '1988-01-30', '9990000034', ['loneliness', 'employment'], 'I have just moved here and do not know anyone.');
  await changeReferralStatus(db, ctx, manager, aisha.id, { status: 'accepted', assigneeEmail: worker.email, version: aisha.version });
  // In progress, referred on to a course.
  const margaret = await refer('Margaret', 'Demo', '1948-05-12', '9990000018', ['loneliness', 'learning_informal'], 'Since my husband died I do not see anyone. I used to love painting.');
  await changeReferralStatus(db, ctx, manager, margaret.id, { status: 'accepted', assigneeEmail: worker.email, version: margaret.version });
  await addContact(db, ctx, worker, margaret.id, { date: today(-3), method: 'face_to_face', durationMinutes: 50, place: 'Peckham Library', notes: 'First conversation: what matters is getting out of the house and being creative again.' });
  await addGoal(db, ctx, worker, margaret.id, { description: 'Get out of the house twice a week', importance: 9 });
  await addGoal(db, ctx, worker, margaret.id, { description: 'Start painting again with other people', importance: 8 });
  await createOnwardReferral(db, ctx, worker, margaret.id, { serviceId: demoId('service:Mindfulness for wellbeing'), kind: 'supported', note: 'Margaret would like to try the Tuesday morning group; she may need help with the enrolment form.' });
}
