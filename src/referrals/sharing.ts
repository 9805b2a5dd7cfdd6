/**
 * What an onward referral may carry. The minimum needed, and personal data only with the person's
 * consent and under an active data-sharing agreement between the two organisations; with consent
 * but no agreement, contact details only; without consent, or to a provider not on Linkwell, it
 * becomes a signpost. The link worker sees this plan before sending, and the provider receives
 * exactly what it lists.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { OnwardKind } from '../db/schema-referrals.ts';
import { REASONS, SHARING_CATEGORIES, type SharingCategory } from './codes.ts';

/** What a referral shares by default when an agreement allows it. */
export const DEFAULT_CATEGORIES: SharingCategory[] = ['contact', 'needs', 'reasons', 'goals'];

export interface SharingPlan {
  kind: OnwardKind;
  status: 'signposted' | 'sent';
  providerId: string | null;
  categories: SharingCategory[];
  shared: Record<string, unknown>;
  /** Plain-English explanation for the link worker. */
  explanation: string;
  agreementId: string | null;
}

export async function activeAgreement(db: Kysely<DB>, orgA: string, orgB: string) {
  return db
    .selectFrom('data_sharing_agreement')
    .select(['id', 'categories'])
    .where((eb) => eb.or([eb.and([eb('organisation_a', '=', orgA), eb('organisation_b', '=', orgB)]), eb.and([eb('organisation_a', '=', orgB), eb('organisation_b', '=', orgA)])]))
    .where(sql<boolean>`starts_on <= current_date and (ends_on is null or ends_on >= current_date)`)
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
}

export async function planSharing(db: Kysely<DB>, referralId: string, dirServiceId: string, requested: OnwardKind): Promise<SharingPlan> {
  const r = await db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.service_id', 'r.consent_to_share', 'r.consent_withdrawn_at', 'r.reasons', 'r.reason_text',
      'p.given_name', 'p.family_name', 'p.phone', 'p.email', 'p.preferred_contact', 'p.accessibility_needs',
      'p.preferred_language', 'p.interpreter_needed', 'p.date_of_birth', 'p.sex', 'p.gender', 'p.ethnicity',
    ])
    .where('r.id', '=', referralId)
    .executeTakeFirstOrThrow();
  const listing = await db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .select(['s.name', 's.lw_access_route', 'o.linkwell_organisation_id'])
    .where('s.id', '=', dirServiceId)
    .executeTakeFirstOrThrow();
  const signpost = (explanation: string): SharingPlan => ({ kind: 'signpost', status: 'signposted', providerId: listing.linkwell_organisation_id, categories: [], shared: {}, explanation, agreementId: null });

  if (requested === 'signpost') return signpost('A signpost: the person is given the details. Nothing is sent to the provider.');
  if (!listing.linkwell_organisation_id || listing.lw_access_route !== 'referral') {
    return signpost(`${listing.name} does not take referrals through Linkwell, so this will be recorded as a signpost: give the person the contact details.`);
  }
  if (!r.consent_to_share || r.consent_withdrawn_at) {
    return signpost('The person has not agreed to their information being shared, so this will be recorded as a signpost. Record their consent first if they want you to refer them.');
  }
  const agreement = await activeAgreement(db, r.service_id, listing.linkwell_organisation_id);
  const categories: SharingCategory[] = agreement ? DEFAULT_CATEGORIES.filter((c) => agreement.categories.includes(c)) : ['contact'];
  if (!categories.includes('contact')) categories.unshift('contact');
  const shared: Record<string, unknown> = {};
  for (const c of categories) {
    if (c === 'contact') shared.contact = { name: `${r.given_name} ${r.family_name}`, ...(r.phone ? { phone: r.phone } : {}), ...(r.email ? { email: r.email } : {}), ...(r.preferred_contact ? { preferredContact: r.preferred_contact } : {}) };
    if (c === 'needs') shared.needs = { ...(r.accessibility_needs ? { accessibility: r.accessibility_needs } : {}), ...(r.preferred_language ? { language: r.preferred_language } : {}), interpreterNeeded: r.interpreter_needed };
    if (c === 'reasons') shared.reasons = { reasons: r.reasons.map((x) => REASONS[x as keyof typeof REASONS] ?? x), ...(r.reason_text ? { inTheirWords: r.reason_text } : {}) };
    if (c === 'demographics') shared.demographics = { dateOfBirth: new Date(r.date_of_birth).toISOString().slice(0, 10), sex: r.sex, gender: r.gender, ethnicity: r.ethnicity };
  }
  if (categories.includes('goals')) {
    const goals = await db.selectFrom('goal').select(['description', 'importance']).where('referral_id', '=', referralId).where('status', '=', 'active').orderBy('created_at').execute();
    shared.goals = goals.map((g) => g.description);
  }
  const labels = categories.map((c) => SHARING_CATEGORIES[c].toLowerCase());
  return {
    kind: requested,
    status: 'sent',
    providerId: listing.linkwell_organisation_id,
    categories,
    shared,
    agreementId: agreement?.id ?? null,
    explanation: agreement
      ? `Under your data-sharing agreement, the provider will receive: ${labels.join('; ')}.`
      : 'There is no data-sharing agreement with this provider, so they will receive contact details only.',
  };
}

/** Adds working days (Monday to Friday) to a date. */
export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}
