/**
 * Stage 1: a referral arrives — from a professional's form, the API, or the person themselves.
 * The person is recorded, possible duplicates are flagged (same NHS number; otherwise a close name
 * with the same date of birth and postcode), and the episode starts as "received".
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { ReferralMethod } from '../db/schema-referrals.ts';
import { normalisePostcode } from '../geo/postcodes.ts';
import { forbidden, unprocessable } from '../web/problems.ts';
import { ETHNIC_CODES, LONELINESS_FACTOR_CODES, REASON_CODES, RISK_CODES } from './codes.ts';
import { cleanNhsNumber, isValidNhsNumber } from './nhs-number.ts';

const isoDate = (label: string) =>
  z
    .string(`${label} must be a date, like 1956-03-21`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} must be a date in the form YYYY-MM-DD, like 1956-03-21`)
    .refine((v) => !Number.isNaN(new Date(`${v}T00:00:00Z`).getTime()) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), `${label} must be a real date`);

export const personSchema = z.object({
  givenName: z.string().trim().min(1, 'Enter their first name').max(100),
  familyName: z.string().trim().min(1, 'Enter their last name').max(100),
  dateOfBirth: isoDate('Date of birth').refine((v) => v <= new Date().toISOString().slice(0, 10) && v >= '1900-01-01', 'Date of birth must be in the past, and after 1900'),
  nhsNumber: z
    .string()
    .optional()
    .transform((v) => (v ? v.trim() : undefined))
    .refine((v) => v === undefined || v === '' || isValidNhsNumber(v), 'NHS number is not valid: check it is 10 digits and typed correctly')
    .transform((v) => (v ? cleanNhsNumber(v) : null)),
  sex: z.enum(['female', 'male', 'not_known', 'not_stated']).optional(),
  gender: z.string().max(100).optional(),
  ethnicity: z.enum(ETHNIC_CODES, 'Ethnicity must be an NHS ethnic category code (A to S, Z or 99)').optional(),
  address: z.string().max(500).optional(),
  postcode: z
    .string()
    .optional()
    .refine((v) => !v || normalisePostcode(v) !== null, 'Postcode is not a UK postcode, like SE15 4QX')
    .transform((v) => (v ? normalisePostcode(v) : null)),
  email: z.email('Email address must be like name@example.com').max(320).optional(),
  phone: z
    .string()
    .regex(/^[+\d][\d ()-]{6,20}$/, 'Phone number must be like 07700 900123')
    .optional(),
  preferredContact: z.enum(['phone', 'email', 'text', 'letter']).optional(),
  preferredLanguage: z.string().max(100).optional(),
  interpreterNeeded: z.boolean().optional(),
  accessibilityNeeds: z.string().max(2000).optional(),
  gpPracticeId: z.uuid().optional(),
});

export const riskSchema = z.union([
  z.object({ noneKnown: z.literal(true) }),
  z.array(z.object({ category: z.enum(RISK_CODES, 'Risk category is not one of the list'), description: z.string().trim().min(1, 'Describe the risk').max(2000) })).min(1, 'Record at least one risk, or say no risks are known'),
]);

export const referralInputSchema = z.object({
  serviceId: z.uuid('serviceId must be the id of a social prescribing service'),
  person: personSchema,
  reasons: z.array(z.enum(REASON_CODES, `Reasons must be from the list: ${REASON_CODES.join(', ')}`)).min(1, 'Give at least one reason for the referral'),
  reasonText: z.string().max(4000).optional(),
  lonelinessFactors: z.array(z.enum(LONELINESS_FACTOR_CODES)).optional(),
  risks: riskSchema,
  consentToShare: z.boolean('Say whether the person consents to their information being shared'),
  consentGivenBy: z.string().max(200).optional(),
  consentMethod: z.enum(['verbal', 'written', 'electronic']).optional(),
  respondTo: z.string().max(500).optional(),
  referrerContact: z.string().max(500).optional(),
  referrerRole: z.string().max(200).optional(),
  /** Which of the referrer's organisations is referring (when they have several). */
  referrerOrganisationId: z.uuid().optional(),
});
export type ReferralInput = z.infer<typeof referralInputSchema>;

/** A self-referral: the person, why, and their consent; no referrer. */
export const selfReferralSchema = referralInputSchema.pick({ serviceId: true, person: true, reasons: true, reasonText: true }).extend({
  consentToShare: z.boolean().optional(),
});

async function flagDuplicate(trx: Transaction<DB>, p: { nhsNumber: string | null; givenName: string; familyName: string; dateOfBirth: string; postcode: string | null }) {
  if (p.nhsNumber) {
    const same = await trx.selectFrom('person').select('id').where('nhs_number', '=', p.nhsNumber).where('merged_into', 'is', null).orderBy('created_at').executeTakeFirst();
    if (same) return same.id;
  }
  if (!p.postcode) return null;
  const close = await trx
    .selectFrom('person')
    .select('id')
    .where(sql<boolean>`date_of_birth = ${p.dateOfBirth}::date`)
    .where('postcode', '=', p.postcode)
    .where('merged_into', 'is', null)
    .where(sql<boolean>`similarity(lower(given_name || ' ' || family_name), lower(${`${p.givenName} ${p.familyName}`})) > 0.45`)
    .orderBy('created_at')
    .executeTakeFirst();
  return close?.id ?? null;
}

/** Creates the person and the referral; returns the referral. */
export async function createReferral(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor | null,
  input: ReferralInput | (z.infer<typeof selfReferralSchema> & { risks?: undefined }),
  method: ReferralMethod,
): Promise<{ id: string; status: string; version: number; personId: string; possibleDuplicateOf: string | null }> {
  let referrerOrg: { id: string; name: string; role: string } | null = null;
  if (actor) {
    const wanted = 'referrerOrganisationId' in input ? input.referrerOrganisationId : undefined;
    const m = actor.memberships.find((x) => (!wanted || x.organisationId === wanted) && grantingMembership(actor, 'referral.create', x.organisationId));
    if (!m) throw forbidden('You cannot make referrals' + (wanted ? ' for that organisation.' : '.'));
    referrerOrg = { id: m.organisationId, name: m.organisationName, role: m.role };
  }
  return db.transaction().execute(async (trx) => {
    const service = await trx.selectFrom('organisation').select(['id', 'type', 'active']).where('id', '=', input.serviceId).executeTakeFirst();
    if (!service || service.type !== 'social_prescribing_service' || !service.active) {
      throw unprocessable('serviceId is not a social prescribing service that takes referrals.', [{ name: 'serviceId', detail: 'not a social prescribing service' }]);
    }
    const p = input.person;
    const duplicate = await flagDuplicate(trx, { ...p, nhsNumber: p.nhsNumber ?? null, postcode: p.postcode ?? null });
    const person = await trx
      .insertInto('person')
      .values({
        given_name: p.givenName,
        family_name: p.familyName,
        date_of_birth: p.dateOfBirth,
        nhs_number: p.nhsNumber ?? null,
        sex: p.sex ?? null,
        gender: p.gender ?? null,
        ethnicity: p.ethnicity ?? null,
        address: p.address ?? null,
        postcode: p.postcode ?? null,
        email: p.email ?? null,
        phone: p.phone ?? null,
        preferred_contact: p.preferredContact ?? null,
        preferred_language: p.preferredLanguage ?? null,
        interpreter_needed: p.interpreterNeeded ?? false,
        accessibility_needs: p.accessibilityNeeds ?? null,
        gp_practice_id: p.gpPracticeId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const risks = input.risks === undefined || 'noneKnown' in (input.risks as object) ? null : (input.risks as { category: string; description: string }[]);
    const full = 'risks' in input && input.risks !== undefined ? (input as ReferralInput) : null;
    const referral = await trx
      .insertInto('referral')
      .values({
        person_id: person.id,
        service_id: input.serviceId,
        method,
        referrer_user_id: actor?.userId ?? null,
        referrer_name: actor?.displayName ?? `${p.givenName} ${p.familyName} (self-referral)`,
        referrer_role: full?.referrerRole ?? referrerOrg?.role ?? 'self',
        referrer_organisation_id: referrerOrg?.id ?? null,
        referrer_organisation_name: referrerOrg?.name ?? null,
        referrer_contact: full?.referrerContact ?? actor?.email ?? p.email ?? p.phone ?? null,
        respond_to: full?.respondTo ?? null,
        reasons: input.reasons,
        loneliness_factors: full?.lonelinessFactors ?? [],
        reason_text: input.reasonText ?? null,
        risks_none_known: risks === null,
        risks: JSON.stringify(risks ?? []),
        consent_to_share: input.consentToShare ?? false,
        consent_given_by: full?.consentGivenBy ?? (input.consentToShare ? `${p.givenName} ${p.familyName}` : null),
        consent_recorded_on: input.consentToShare ? new Date().toISOString().slice(0, 10) : null,
        consent_method: full?.consentMethod ?? (method === 'self' ? 'electronic' : null),
        possible_duplicate_of: duplicate,
      })
      .returning(['id', 'status', 'version'])
      .executeTakeFirstOrThrow();
    await trx.insertInto('referral_status_event').values({ referral_id: referral.id, from_status: null, to_status: 'received', actor_user_id: actor?.userId ?? null }).execute();
    await recordAudit(trx, ctx, {
      action: 'referral.create',
      organisationId: referrerOrg?.id ?? input.serviceId,
      role: referrerOrg?.role ?? 'self',
      entityType: 'person',
      entityId: person.id,
      details: { referral: referral.id, method, possibleDuplicate: duplicate !== null },
    });
    return { ...referral, personId: person.id, possibleDuplicateOf: duplicate };
  });
}
