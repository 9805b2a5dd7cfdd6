/** The agreement forms: fields, choices and checks, with messages for the NHS.UK error summary. */
import { z } from 'zod';
import { SHARING_CATEGORIES, SHARING_CODES, type SharingCategory } from '../referrals/codes.ts';
import { readDate } from '../referrals/pages/provider/date-input.ts';
import { addError, emptyErrors, type FormErrors } from '../web/forms.ts';
import type { AgreementInput } from './commands.ts';

/** The lawful bases an agreement can rest on (UK GDPR Article 6, with the Article 9 condition for health data). */
export const LAWFUL_BASES = {
  public_task: 'Public task – UK GDPR Article 6(1)(e), with Article 9(2)(h) for health and social care',
  consent: 'Consent – UK GDPR Article 6(1)(a), with explicit consent under Article 9(2)(a)',
  legitimate_interests: 'Legitimate interests – UK GDPR Article 6(1)(f), with Article 9(2)(h) for health and social care',
  contract: 'Contract – UK GDPR Article 6(1)(b)',
  legal_obligation: 'Legal obligation – UK GDPR Article 6(1)(c)',
  vital_interests: 'Vital interests – UK GDPR Article 6(1)(d)',
} as const;

const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

const agreementSchema = z.object({
  organisationId: z.string().min(1, 'Select your organisation'),
  partnerId: z.string().min(1, 'Select the organisation you are sharing with'),
  categories: z.preprocess(list, z.array(z.enum(SHARING_CODES, 'Select categories from the list')).min(1, 'Select at least one kind of information')),
  purpose: z.string().min(1, 'Enter what the information is shared for').max(2000, 'The purpose must be 2000 characters or fewer'),
  lawfulBasis: z.enum(Object.keys(LAWFUL_BASES) as [keyof typeof LAWFUL_BASES], 'Select the lawful basis'),
});

/** The posted "add an agreement" form as a command's input, or the errors. */
export function parseAgreement(body: Record<string, unknown>): { ok: true; data: AgreementInput } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  const parsed = agreementSchema.safeParse(body);
  if (!parsed.success) for (const issue of parsed.error.issues) addError(errors, String(issue.path[0] ?? 'form'), issue.message);
  const start = readDate(body, 'startsOn', 'start date', true);
  const end = readDate(body, 'endsOn', 'end date', false);
  if (start.error) addError(errors, 'startsOn-day', start.error);
  if (end.error) addError(errors, 'endsOn-day', end.error);
  if (start.value && end.value && end.value < start.value) addError(errors, 'endsOn-day', 'The end date must be the same as or after the start date');
  if (!parsed.success || errors.list.length) return { ok: false, errors };
  const v = parsed.data;
  return {
    ok: true,
    data: { organisationId: v.organisationId, partnerId: v.partnerId, categories: v.categories as SharingCategory[], purpose: v.purpose, lawfulBasis: LAWFUL_BASES[v.lawfulBasis], startsOn: start.value!, endsOn: end.value },
  };
}

/** Checkbox items for the categories, ticked as posted. */
export function categoryItems(chosen: unknown): { value: string; text: string; checked: boolean }[] {
  const picked = list(chosen);
  return (Object.entries(SHARING_CATEGORIES) as [SharingCategory, string][]).map(([value, text]) => ({ value, text, checked: picked.includes(value) }));
}

/** The "end early" form: now, or on a date. */
export function parseEnd(body: Record<string, unknown>): { ok: true; when: string } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  if (body.when === 'now') return { ok: true, when: 'now' };
  if (body.when !== 'date') return { ok: false, errors: addError(errors, 'when', 'Select when the agreement ends') };
  const date = readDate(body, 'endsOn', 'end date', true);
  if (date.error) return { ok: false, errors: addError(errors, 'endsOn-day', date.error) };
  return { ok: true, when: date.value! };
}
