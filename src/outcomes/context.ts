/**
 * Where a measure is recorded from: a link worker's episode (referral.work in the episode's
 * service) or a provider's onward referral (onward.respond in the provider). Anyone else gets
 * "not found", so ids cannot be probed. A provider sees only what was shared with it.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { DB } from '../db/schema.ts';
import { loadOnward } from '../referrals/onward.ts';
import { loadForService } from '../referrals/triage.ts';
import { HttpProblem, notFound } from '../web/problems.ts';
import { episodeAnchors, onwardAnchors } from './anchors.ts';
import type { Anchors, Side } from './time-points.ts';

export interface MeasureContext {
  side: Side;
  personId: string;
  /** The name this organisation knows the person by (a provider: only what was shared). */
  personName: string;
  /** Service side: the episode. Provider side: null (the episode is not the provider's). */
  referralId: string | null;
  /** Provider side: the onward referral. */
  onwardId: string | null;
  organisationId: string;
  organisationName: string;
  /** What it is about: the service's name, or the course or activity. */
  about: string;
  grant: { organisationId: string; role: string };
  /** Where this organisation may email a self-completion link (a provider: only if shared). */
  email: string | null;
  anchors: Anchors;
  /** The page of this context, e.g. /outcomes/episodes/<id>. */
  basePath: string;
}

/** The link worker's context: an episode in a service where the actor holds referral.work. */
export async function episodeContext(db: Kysely<DB>, actor: Actor, referralId: string): Promise<MeasureContext> {
  const { referral, grant } = await loadForService(db, actor, referralId);
  const person = await db.selectFrom('person').select(['given_name', 'family_name', 'email']).where('id', '=', referral.person_id).executeTakeFirstOrThrow();
  const service = await db.selectFrom('organisation').select('name').where('id', '=', referral.service_id).executeTakeFirstOrThrow();
  const anchors = (await episodeAnchors(db, [referral.id])).get(referral.id) ?? { start: null, end: null };
  return {
    side: 'service',
    personId: referral.person_id,
    personName: `${person.given_name} ${person.family_name}`,
    referralId: referral.id,
    onwardId: null,
    organisationId: referral.service_id,
    organisationName: service.name,
    about: service.name,
    grant,
    email: person.email,
    anchors,
    basePath: `/outcomes/episodes/${referral.id}`,
  };
}

/**
 * The provider's context: an onward referral to an organisation where the actor holds
 * onward.respond. The referring service's staff are sent to the episode instead (a redirect).
 */
export async function onwardContext(db: Kysely<DB>, actor: Actor, onwardId: string): Promise<MeasureContext | { redirect: string }> {
  const { row, side, grant } = await loadOnward(db, actor, onwardId);
  if (side === 'service') return { redirect: `/outcomes/episodes/${row.referral_id}` };
  if (!row.provider_id) throw notFound();
  if (row.status === 'declined' || row.status === 'withdrawn' || row.status === 'sent' || row.status === 'waitlisted') {
    throw new HttpProblem(409, 'Not taking part yet', 'Outcome measures can be recorded once the person has been accepted for the course or activity.');
  }
  const [provider, listing] = await Promise.all([
    db.selectFrom('organisation').select('name').where('id', '=', row.provider_id).executeTakeFirstOrThrow(),
    db.selectFrom('dir_service').select('name').where('id', '=', row.dir_service_id).executeTakeFirstOrThrow(),
  ]);
  const contact = (row.shared as { contact?: { name?: string; email?: string } }).contact ?? {};
  const anchors = (await onwardAnchors(db, [row.id])).get(row.id) ?? { start: null, end: null };
  return {
    side: 'provider',
    personId: row.person_id,
    personName: contact.name ?? 'The person referred',
    referralId: null,
    onwardId: row.id,
    organisationId: row.provider_id,
    organisationName: provider.name,
    about: listing.name,
    grant,
    email: contact.email ?? null,
    anchors,
    basePath: `/outcomes/onward/${row.id}`,
  };
}
