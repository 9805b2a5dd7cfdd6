/**
 * The instruments that can be recorded from answers, and the questionnaire forms built from their
 * definitions: one radios group per item, the wording only where the licence allows it (WEMWBS
 * and SWEMWBS once the deployment has confirmed its University of Warwick registration).
 */
import type { Config } from '../config.ts';
import { getInstrument, validateAnswers } from '../measures/index.ts';
import type { InstrumentListing, WordingOptions } from '../measures/index.ts';
import { WARWICK_CODES } from '../measures/routes.ts';
import { addError, emptyErrors, type FormErrors } from '../web/forms.ts';

/** Built-in instruments answered item by item, in the order they are offered (all choices: catalogue.ts). */
export const RECORDABLE_CODES: readonly string[] = ['swemwbs', 'ons4', 'wemwbs', 'phq9', 'gad7', 'ucla3', 'ons-loneliness', 'learner-satisfaction'];

/**
 * Not offered for self-completion: an answer to PHQ-9 question 9 (thoughts of self-harm) must be
 * followed up at once, so PHQ-9 is asked with a member of staff.
 */
export const STAFF_ONLY_CODES: readonly string[] = ['phq9'];

/** The licence context of this deployment. */
export function wordingFor(config: Pick<Config, 'warwickLicenceConfirmed'>): WordingOptions {
  return { registeredFor: config.warwickLicenceConfirmed ? WARWICK_CODES : [] };
}

/** Short name of any instrument code, for lists. */
export function shortTitle(code: string): string {
  return getInstrument(code)?.shortTitle ?? code;
}

/** Instruments a person may answer on their own phone: wording shown, and not staff-only. */
export function selfCompletable(wording: WordingOptions): InstrumentListing[] {
  return RECORDABLE_CODES.filter((code) => !STAFF_ONLY_CODES.includes(code))
    .map((code) => getInstrument(code, wording))
    .filter((listing): listing is InstrumentListing => !!listing && listing.wordingShown);
}

/** The form field of item `number` (1-based). */
export function fieldName(code: string, number: number): string {
  return `q-${code}-${number}`;
}

/** The value posted for "not answered" on staff forms. */
export const NOT_ANSWERED = 'none';

export interface QuestionView {
  name: string;
  legend: string;
  items: ({ value: string; text: string; checked: boolean } | { divider: string })[];
  errorMessage?: { text: string };
}

/** One instrument's questions as NHS.UK radios groups, with the posted values kept. */
export function questionViews(
  listing: InstrumentListing,
  values: Record<string, unknown>,
  errors: FormErrors,
  options: { allowNotAnswered: boolean },
): QuestionView[] {
  return listing.items.map((item, index) => {
    const name = fieldName(listing.code, index + 1);
    const posted = typeof values[name] === 'string' ? values[name] : undefined;
    const items: QuestionView['items'] = item.options.map((option) => ({ value: String(option.value), text: option.label, checked: posted === String(option.value) }));
    if (options.allowNotAnswered || !item.required) {
      items.push({ divider: 'or' }, { value: NOT_ANSWERED, text: 'Not answered', checked: posted === NOT_ANSWERED });
    }
    const legend = listing.wordingShown && item.text ? `${index + 1}. ${item.text}` : `Item ${index + 1}`;
    const error = errors.byField[name];
    return { name, legend, items, ...(error ? { errorMessage: error } : {}) };
  });
}

export type ParsedAnswers = { ok: true; answers: (number | null)[] } | { ok: false; errors: FormErrors };

/**
 * Reads one instrument's answers from a posted form and checks them with the scoring engine:
 * every item must be answered (or, where allowed, marked "not answered"), and every value must be
 * one the item allows. Problems name the item and link to it.
 */
export function parseAnswers(listing: InstrumentListing, body: Record<string, unknown>, options: { allowNotAnswered: boolean }, errors: FormErrors = emptyErrors()): ParsedAnswers {
  const start = errors.list.length;
  const answers: (number | null)[] = [];
  listing.items.forEach((item, index) => {
    const number = index + 1;
    const name = fieldName(listing.code, number);
    const raw = body[name];
    const mayLeave = options.allowNotAnswered || !item.required;
    if (raw === NOT_ANSWERED && mayLeave) {
      answers.push(null);
      return;
    }
    if (typeof raw !== 'string' || raw === '') {
      addError(errors, name, mayLeave ? `Select an answer for ${listing.shortTitle} item ${number}, or ‘Not answered’` : `Select an answer to question ${number}`);
      answers.push(null);
      return;
    }
    const value = Number(raw);
    answers.push(Number.isFinite(value) ? value : Number.NaN);
  });
  if (errors.list.length === start) {
    // Something that is not a number (a tampered form) becomes a value no item allows, so the engine names the item.
    const cleaned = answers.map((a) => (a !== null && Number.isNaN(a) ? -9999 : a));
    for (const problem of validateAnswers(listing, cleaned)) {
      const name = problem.item > 0 ? fieldName(listing.code, problem.item) : fieldName(listing.code, 1);
      addError(errors, name, `${listing.shortTitle}: ${problem.message}`);
    }
  }
  return errors.list.length === start ? { ok: true, answers } : { ok: false, errors };
}
