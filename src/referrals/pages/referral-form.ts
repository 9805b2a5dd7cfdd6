/**
 * The referral forms (a professional's and the person's own) as posted by a browser: read the
 * flat form fields, check what only a page can check (the date boxes, "say whether there are
 * risks", a way to contact the person), then let the domain's own schema (intake.ts) do the rest,
 * so the API and the pages accept exactly the same referrals. Errors come back keyed by field and
 * in the order the fields appear.
 */
import type { z } from 'zod';
import { emptyErrors, type FormErrors } from '../../web/forms.ts';
import { RISK_CODES } from '../codes.ts';
import { referralInputSchema, selfReferralSchema, type ReferralInput } from '../intake.ts';
import { addFieldError, dateParts, list, orderErrors, readDate, text } from './page-helpers.ts';

/** The order of the professional form's fields, for the error summary. */
export const FIELD_ORDER = [
  'givenName', 'familyName', 'dateOfBirth', 'nhsNumber', 'phone', 'email', 'postcode', 'reasons', 'reasonText', 'risks', 'riskDescription', 'consentToShare', 'consentMethod', 'consentGivenBy', 'serviceId', 'referrerOrganisationId',
  'sex', 'gender', 'ethnicity', 'preferredLanguage', 'interpreterNeeded', 'accessibilityNeeds', 'preferredContact', 'address', 'gpPracticeId',
  'lonelinessFactors', 'respondTo',
] as const;

const DATE_FIELDS = ['dateOfBirth'];

/** Fields of the optional "more about the person" section: it opens when any is filled in. */
export const MORE_FIELDS = ['sex', 'gender', 'ethnicity', 'preferredLanguage', 'interpreterNeeded', 'accessibilityNeeds', 'preferredContact', 'address', 'gpPracticeId', 'lonelinessFactors', 'respondTo'];

type Body = Record<string, unknown>;

/** Where a schema issue belongs on the page. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [first, second] = path;
  if (first === 'person' && typeof second === 'string') return second;
  if (first === 'risks' && typeof second === 'number') return 'riskDescription';
  return String(first ?? 'form');
}

function addIssues(errors: FormErrors, issues: readonly z.core.$ZodIssue[], wording: (m: string) => string = (m) => m): void {
  for (const issue of issues) addFieldError(errors, fieldOf(issue.path), wording(issue.message), DATE_FIELDS);
}

/** The person's details common to both forms. */
function personFrom(body: Body, dateOfBirth: string) {
  return {
    givenName: text(body.givenName) ?? '',
    familyName: text(body.familyName) ?? '',
    dateOfBirth,
    nhsNumber: text(body.nhsNumber),
    phone: text(body.phone),
    email: text(body.email),
    postcode: text(body.postcode),
  };
}

function checkEssentials(body: Body, errors: FormErrors, who: 'their' | 'your'): string {
  const dob = readDate(dateParts(body, 'dateOfBirth'), 'Date of birth');
  if ('error' in dob) addFieldError(errors, 'dateOfBirth', dob.error, DATE_FIELDS);
  else if ('empty' in dob) addFieldError(errors, 'dateOfBirth', `Enter ${who} date of birth`, DATE_FIELDS);
  if (!text(body.phone) && !text(body.email) && !text(body.address)) {
    addFieldError(errors, 'phone', who === 'your' ? 'Give a phone number or an email address so we can contact you' : 'Give a phone number or an email address (or their address, under “More about the person”) so the link worker can contact them');
  }
  if (list(body.reasons).length === 0) addFieldError(errors, 'reasons', who === 'your' ? 'Choose at least one thing you would like help with' : 'Choose at least one reason for the referral');
  if (body.consentToShare !== 'yes' && body.consentToShare !== 'no') {
    addFieldError(errors, 'consentToShare', who === 'your' ? 'Say whether we may share your details with organisations we refer you to' : 'Say whether the person agrees to their information being shared');
  }
  if (!text(body.serviceId)) addFieldError(errors, 'serviceId', 'Choose the social prescribing service to refer to');
  return 'value' in dob ? dob.value : '';
}

/** Reads the professional referral form. */
export function readProfessionalForm(body: Body): { ok: true; input: ReferralInput } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  const dateOfBirth = checkEssentials(body, errors, 'their');
  // Risks: "No known risks", or the kinds of risk with a description.
  const picked = list(body.risks);
  const riskCodes = picked.filter((c) => (RISK_CODES as readonly string[]).includes(c));
  let risks: ReferralInput['risks'] | undefined;
  if (picked.includes('none')) {
    if (picked.length > 1) addFieldError(errors, 'risks', 'Choose “No known risks”, or the kinds of risk, but not both');
    risks = { noneKnown: true };
  } else if (riskCodes.length) {
    const description = text(body.riskDescription);
    if (!description) addFieldError(errors, 'riskDescription', 'Describe the risks, so the link worker can keep the person and staff safe');
    risks = riskCodes.map((c) => ({ category: c as (typeof RISK_CODES)[number], description: description ?? '' }));
  } else addFieldError(errors, 'risks', 'Say whether there are any known risks (choose “No known risks” if there are none)');

  const consent = body.consentToShare === 'yes';
  const raw = {
    serviceId: text(body.serviceId) ?? '',
    ...(text(body.referrerOrganisationId) ? { referrerOrganisationId: text(body.referrerOrganisationId) } : {}),
    person: {
      ...personFrom(body, dateOfBirth),
      sex: text(body.sex),
      gender: text(body.gender),
      ethnicity: text(body.ethnicity),
      address: text(body.address),
      preferredContact: text(body.preferredContact),
      preferredLanguage: text(body.preferredLanguage),
      interpreterNeeded: body.interpreterNeeded === 'yes',
      accessibilityNeeds: text(body.accessibilityNeeds),
      gpPracticeId: text(body.gpPracticeId),
    },
    reasons: list(body.reasons),
    reasonText: text(body.reasonText),
    lonelinessFactors: list(body.lonelinessFactors),
    risks: risks ?? { noneKnown: true },
    consentToShare: consent,
    consentMethod: consent ? text(body.consentMethod) : undefined,
    consentGivenBy: consent ? text(body.consentGivenBy) : undefined,
    respondTo: text(body.respondTo),
  };
  if (consent && !raw.consentMethod) addFieldError(errors, 'consentMethod', 'Say how the person gave their consent');
  const parsed = referralInputSchema.safeParse(raw);
  if (!parsed.success) addIssues(errors, parsed.error.issues);
  if (errors.list.length || !parsed.success) return { ok: false, errors: orderErrors(errors, FIELD_ORDER) };
  return { ok: true, input: parsed.data };
}

const SELF_WORDING: Record<string, string> = {
  'Enter their first name': 'Enter your first name',
  'Enter their last name': 'Enter your last name',
};

/** Reads the self-referral form (plain English messages addressed to the person). */
export function readSelfReferralForm(body: Body): { ok: true; input: z.output<typeof selfReferralSchema> } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  const dateOfBirth = checkEssentials(body, errors, 'your');
  const raw = {
    serviceId: text(body.serviceId) ?? '',
    person: personFrom(body, dateOfBirth),
    reasons: list(body.reasons),
    reasonText: text(body.reasonText),
    consentToShare: body.consentToShare === 'yes',
  };
  const parsed = selfReferralSchema.safeParse(raw);
  if (!parsed.success) addIssues(errors, parsed.error.issues, (m) => SELF_WORDING[m] ?? m);
  if (errors.list.length || !parsed.success) return { ok: false, errors: orderErrors(errors, FIELD_ORDER) };
  return { ok: true, input: parsed.data };
}
