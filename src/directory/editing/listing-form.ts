/**
 * The listing form a provider fills in: its fields, how they are checked, and how they map to the
 * directory row and to the snapshot kept in the version history.
 */
import { z } from 'zod';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { normalisePostcode } from '../../geo/postcodes.ts';

const ACTIVITY_CODES = Object.keys(LINKWELL_TAXONOMIES.activityType.terms) as [string, ...string[]];
const FIVE_WAYS_CODES = Object.keys(LINKWELL_TAXONOMIES.fiveWays.terms) as [string, ...string[]];

const optionalText = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be ${max} characters or fewer`)
    .optional()
    .transform((v) => (v ? v : null));

const money = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.replace(/^£/, '') : ''))
    .refine((v) => v === '' || /^\d{1,5}(\.\d{1,2})?$/.test(v), `${label} must be an amount in pounds, like 45 or 12.50`)
    .transform((v) => (v === '' ? null : v));

const age = (label: string) =>
  z
    .string()
    .optional()
    .refine((v) => !v || (/^\d{1,3}$/.test(v) && Number(v) <= 120), `${label} must be a whole number of years from 0 to 120`)
    .transform((v) => (v ? Number(v) : null));

/** Checkbox groups arrive as a string, an array, or nothing. */
const checkboxes = (codes: [string, ...string[]], message: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .pipe(z.array(z.enum(codes, message)));

const yes = z
  .string()
  .optional()
  .transform((v) => v === 'yes');

export const listingSchema = z
  .object({
    name: z.string().min(1, 'Enter the name of the course or activity').max(200, 'Name must be 200 characters or fewer'),
    description: z.string().min(1, 'Describe what people will do and get from it').max(5000, 'Description must be 5,000 characters or fewer'),
    status: z.enum(['active', 'temporarily closed', 'inactive'], 'Select whether it is running'),
    activityTypes: checkboxes(ACTIVITY_CODES, 'Select a type of activity from the list').refine((v) => v.length > 0, 'Select at least one type of activity'),
    fiveWays: checkboxes(FIVE_WAYS_CODES, 'Select from the Five Ways to Wellbeing listed'),
    level: z.enum(['', 'entry', '1', '2', '3', 'non_accredited'], 'Select a level').transform((v) => (v === '' ? null : v)),
    subject: optionalText(200, 'Subject'),
    qualification: optionalText(200, 'Qualification'),
    feeFull: money('Full fee'),
    feeConcession: money('Concession fee'),
    free: yes,
    feeWaived: yes,
    eligibility: optionalText(2000, 'Who can join'),
    documentsToBring: optionalText(1000, 'Documents to bring'),
    minimumAge: age('Minimum age'),
    maximumAge: age('Maximum age'),
    oneToOneSupport: yes,
    companionWelcome: yes,
    stepFree: yes,
    hearingLoop: yes,
    womenOnly: yes,
    deliveryLanguage: optionalText(100, 'Language it is taught in'),
    accessRoute: z.enum(['signpost', 'referral'], 'Select how people get in'),
    contactName: optionalText(200, 'Contact name'),
    contactEmail: z
      .string()
      .optional()
      .refine((v) => !v || z.email().safeParse(v).success, 'Enter the contact email address in the correct format, like name@example.org')
      .transform((v) => v || null),
    contactPhone: z
      .string()
      .optional()
      .refine((v) => !v || /^[+\d][\d ()-]{6,20}$/.test(v), 'Enter a phone number, like 020 7946 0000')
      .transform((v) => v || null),
    url: z
      .string()
      .optional()
      .refine((v) => !v || /^https?:\/\/[^\s]+\.[^\s]+$/.test(v), 'Enter the web address in full, starting https://')
      .transform((v) => v || null),
    venueName: optionalText(200, 'Venue name'),
    venueAddress: optionalText(200, 'Venue address'),
    venueTown: optionalText(100, 'Town or city'),
    venuePostcode: z
      .string()
      .optional()
      .refine((v) => !v || normalisePostcode(v) !== null, 'Enter a real postcode, like SE15 4QX')
      .transform((v) => (v ? normalisePostcode(v) : null)),
  })
  .superRefine((v, ctx) => {
    if (v.minimumAge !== null && v.maximumAge !== null && v.maximumAge < v.minimumAge) {
      ctx.addIssue({ code: 'custom', path: ['maximumAge'], message: 'Maximum age must be the same as or more than the minimum age' });
    }
    const anyVenue = v.venueAddress || v.venueTown || v.venuePostcode;
    if (anyVenue) {
      if (!v.venueAddress) ctx.addIssue({ code: 'custom', path: ['venueAddress'], message: 'Enter the first line of the venue address' });
      if (!v.venueTown) ctx.addIssue({ code: 'custom', path: ['venueTown'], message: 'Enter the town or city of the venue' });
      if (!v.venuePostcode) ctx.addIssue({ code: 'custom', path: ['venuePostcode'], message: 'Enter the postcode of the venue' });
    }
    if (v.free && v.feeFull !== null && Number(v.feeFull) > 0) {
      ctx.addIssue({ code: 'custom', path: ['feeFull'], message: 'Leave the full fee empty if the course is free' });
    }
  });

/** What a listing looks like in a version snapshot (and the form's parsed output). */
export type ListingData = z.output<typeof listingSchema>;

/** The columns of dir_service a listing sets. */
export function serviceColumns(d: ListingData) {
  return {
    name: d.name,
    description: d.description,
    status: d.status,
    url: d.url,
    minimum_age: d.minimumAge,
    maximum_age: d.maximumAge,
    lw_level: d.level as 'entry' | '1' | '2' | '3' | 'non_accredited' | null,
    lw_subject: d.subject,
    lw_qualification: d.qualification,
    lw_fee_full: d.feeFull,
    lw_fee_concession: d.feeConcession,
    lw_free: d.free,
    lw_fee_waived_for_social_prescribing: d.feeWaived,
    fees_description: feesDescription(d),
    lw_eligibility: d.eligibility,
    lw_documents_to_bring: d.documentsToBring,
    lw_one_to_one_support: d.oneToOneSupport,
    lw_companion_welcome: d.companionWelcome,
    lw_step_free: d.stepFree,
    lw_hearing_loop: d.hearingLoop,
    lw_women_only: d.womenOnly,
    lw_delivery_language: d.deliveryLanguage,
    lw_access_route: d.accessRoute,
    lw_contact_name: d.contactName,
    lw_contact_email: d.contactEmail,
    lw_contact_phone: d.contactPhone,
  };
}

/** The plain-English fees line that ORUK consumers see in `fees_description`. */
export function feesDescription(d: Pick<ListingData, 'free' | 'feeFull' | 'feeConcession' | 'feeWaived'>): string | null {
  if (d.free) return 'Free';
  const parts: string[] = [];
  if (d.feeFull) parts.push(`£${d.feeFull}`);
  if (d.feeConcession) parts.push(`£${d.feeConcession} with concessions`);
  if (d.feeWaived) parts.push('free for people referred by social prescribing');
  return parts.length ? parts.join('; ') : null;
}

/** Form field values (strings, as posted) for a snapshot: to pre-fill the edit form. */
export function formValues(d: ListingData): Record<string, unknown> {
  const flag = (b: boolean) => (b ? 'yes' : undefined);
  return {
    ...d,
    level: d.level ?? '',
    feeFull: d.feeFull ?? '',
    feeConcession: d.feeConcession ?? '',
    minimumAge: d.minimumAge ?? '',
    maximumAge: d.maximumAge ?? '',
    free: flag(d.free),
    feeWaived: flag(d.feeWaived),
    oneToOneSupport: flag(d.oneToOneSupport),
    companionWelcome: flag(d.companionWelcome),
    stepFree: flag(d.stepFree),
    hearingLoop: flag(d.hearingLoop),
    womenOnly: flag(d.womenOnly),
  };
}

export const ACTIVITY_ITEMS = Object.entries(LINKWELL_TAXONOMIES.activityType.terms).map(([code, t]) => ({ value: code, text: t.name }));
export const FIVE_WAYS_ITEMS = Object.entries(LINKWELL_TAXONOMIES.fiveWays.terms).map(([code, t]) => ({ value: code, text: t.name }));
