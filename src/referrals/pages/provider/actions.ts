/**
 * The provider's answers to an onward referral as page forms: which status each action moves to,
 * which need a form of their own, and how a posted form becomes the change that
 * `changeOnwardStatus` checks and applies.
 */
import { z } from 'zod';
import type { OnwardStatus } from '../../../db/schema-referrals.ts';
import type { onwardStatusSchema } from '../../onward.ts';
import { addError, emptyErrors, type FormErrors } from '../../../web/forms.ts';
import { readDate } from './date-input.ts';
import { FEE_OUTCOMES, PROGRESSIONS } from './labels.ts';

export interface ProviderAction {
  status: OnwardStatus;
  /** The form page's path segment, or null when a single button does it. */
  slug: string | null;
  /** The button or link. */
  label: string;
  /** The form page's heading. */
  title: string;
}

export const PROVIDER_ACTIONS: ProviderAction[] = [
  { status: 'accepted', slug: null, label: 'Accept', title: 'Accept' },
  { status: 'waitlisted', slug: 'waiting-list', label: 'Put on the waiting list', title: 'Put on the waiting list' },
  { status: 'declined', slug: 'decline', label: 'Decline', title: 'Decline the referral' },
  { status: 'enrolled', slug: 'enrol', label: 'Enrol', title: 'Enrol' },
  { status: 'started', slug: null, label: 'Mark as started', title: 'Mark as started' },
  { status: 'completed', slug: 'complete', label: 'Record completion', title: 'Record completion and what comes next' },
  { status: 'did_not_start', slug: 'did-not-start', label: 'They did not start', title: 'Record that they did not start' },
  { status: 'withdrawn', slug: 'withdraw', label: 'They withdrew', title: 'Record that they withdrew' },
];

export function actionBySlug(slug: string): ProviderAction | undefined {
  return PROVIDER_ACTIONS.find((a) => a.slug === slug);
}

/** The actions possible from a status, in the order above. */
export function actionsFrom(next: readonly OnwardStatus[]): ProviderAction[] {
  return PROVIDER_ACTIONS.filter((a) => next.includes(a.status));
}

type Change = z.infer<typeof onwardStatusSchema>;

const text = (max: number, label: string) => z.string().max(max, `${label} must be ${max} characters or fewer`).optional().transform((v) => (v ? v : undefined));
const baseSchema = z.object({
  status: z.enum(PROVIDER_ACTIONS.map((a) => a.status) as [OnwardStatus, ...OnwardStatus[]], 'Choose what to do'),
  version: z.string().regex(/^\d{1,9}$/, 'The form is missing the record’s version: reload the page and try again').transform(Number),
  reason: text(2000, 'The reason'),
  readiness: text(1000, 'Readiness'),
  supportNeeds: text(2000, 'Support needs'),
  mathsEnglishNeeds: text(1000, 'Maths and English needs'),
  feeOutcome: z.enum(Object.keys(FEE_OUTCOMES) as [keyof typeof FEE_OUTCOMES]).optional(),
  achievement: text(2000, 'Achievement'),
  qualification: text(200, 'Qualification'),
  progression: z.enum(Object.keys(PROGRESSIONS) as [keyof typeof PROGRESSIONS]).optional(),
});

const REASON_PROMPTS: Partial<Record<OnwardStatus, string>> = {
  declined: 'Give the reason you cannot take this referral',
  withdrawn: 'Give the reason they withdrew',
  did_not_start: 'Give the reason they did not start',
};

/** A posted action form as a status change, or the errors to show beside its fields. */
export function parseAction(body: Record<string, unknown>): { ok: true; change: Change } | { ok: false; errors: FormErrors } {
  const parsed = baseSchema.safeParse(body);
  const errors = emptyErrors();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) addError(errors, String(issue.path[0] ?? 'form'), issue.message);
    return { ok: false, errors };
  }
  const v = parsed.data;
  const change: Change = { status: v.status, version: v.version };
  const prompt = REASON_PROMPTS[v.status];
  if (prompt) {
    if (!v.reason) addError(errors, 'reason', prompt);
    else change.reason = v.reason;
  }
  if (v.status === 'waitlisted') {
    const start = readDate(body, 'expectedStart', 'expected start date', true);
    if (start.error) addError(errors, 'expectedStart-day', start.error);
    else change.expectedStart = start.value!;
  }
  if (v.status === 'enrolled') {
    if (!v.feeOutcome) addError(errors, 'feeOutcome', 'Select the fee outcome');
    else {
      change.enrolment = {
        feeOutcome: v.feeOutcome,
        ...(v.readiness ? { readiness: v.readiness } : {}),
        ...(v.supportNeeds ? { supportNeeds: v.supportNeeds } : {}),
        ...(v.mathsEnglishNeeds ? { mathsEnglishNeeds: v.mathsEnglishNeeds } : {}),
      };
    }
  }
  if (v.status === 'completed') {
    if (!v.progression) addError(errors, 'progression', 'Select what they are going on to, or none');
    else {
      change.completion = {
        progression: v.progression,
        ...(v.achievement ? { achievement: v.achievement } : {}),
        ...(v.qualification ? { qualification: v.qualification } : {}),
      };
    }
  }
  return errors.list.length ? { ok: false, errors } : { ok: true, change };
}

export const attendanceFormSchema = z.object({
  attended: z.enum(['yes', 'no'], 'Select whether they came to the session'),
  attendanceNote: z.string().max(1000, 'The note must be 1000 characters or fewer').optional().transform((v) => (v ? v : undefined)),
});

export const concernFormSchema = z.object({
  kind: z.enum(['check_in', 'disengaging', 'wellbeing', 'safeguarding'], 'Select what kind of message this is'),
  note: z.string().min(1, 'Describe what is happening, for the link worker').max(4000, 'The message must be 4000 characters or fewer'),
});
