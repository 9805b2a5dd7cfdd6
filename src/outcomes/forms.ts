/**
 * The forms of the outcome pages: choosing what to record, sending a link, marking a measure as
 * not collected, and dates typed as day, month and year (the NHS.UK date input).
 */
import { z } from 'zod';
import { NOT_COLLECTED_REASONS } from '../db/schema-measures.ts';
import { validateExternalResult } from '../measures/index.ts';
import type { InstrumentDefinition } from '../measures/index.ts';
import { addError, emptyErrors, type FormErrors } from '../web/forms.ts';
import { isoDay, parseTimePoint } from './time-points.ts';

const timePoint = z.string('Select when it is for').refine((v) => parseTimePoint(v) !== null, 'Select when it is for');

/** One of the codes offered (the organisation's choices, see catalogue.ts). */
function oneOf(codes: readonly string[], message: string) {
  return z.string(message).refine((v) => codes.includes(v), message);
}

/** Step 1 of recording: which questionnaire (one of `codes`), for which time point, how it was completed. */
export function chooseSchemaFor(codes: readonly string[]) {
  return z.object({
    instrument: oneOf(codes, 'Select the questionnaire'),
    timePoint,
    how: z.enum(['session', 'paper'], 'Select how it was completed'),
  });
}

/** Sending a self-completion link: one or more questionnaires for one time point. */
export const sendSchema = z.object({
  instruments: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string()).min(1, 'Select at least one questionnaire').max(6, 'Select no more than 6 questionnaires'),
  ),
  timePoint,
});

export const NOT_COLLECTED_LABELS: Record<(typeof NOT_COLLECTED_REASONS)[number], string> = {
  declined: 'They did not want to answer',
  not_contactable: 'We could not contact them',
  not_appropriate: 'It was not appropriate to ask',
  other: 'Another reason',
};

/** Recording that a planned measure (one of `codes`) will not be collected. */
export function notCollectedSchemaFor(codes: readonly string[]) {
  return z.object({
    instrument: oneOf(codes, 'Select the questionnaire'),
    timePoint,
    reason: z.enum(NOT_COLLECTED_REASONS, 'Select why it was not collected'),
  });
}

/** A date typed in the three boxes `<prefix>-day`, `-month` and `-year`, checked to be real. */
export function readDate(
  body: Record<string, unknown>,
  prefix: string,
  what: { name: string; example: string; notFuture?: boolean; notBefore?: string },
  errors: FormErrors = emptyErrors(),
): { value: string | null; errors: FormErrors } {
  const part = (p: string) => (typeof body[`${prefix}-${p}`] === 'string' ? (body[`${prefix}-${p}`] as string).trim() : '');
  const [d, m, y] = [part('day'), part('month'), part('year')];
  const field = `${prefix}-day`;
  if (!d && !m && !y) return { value: null, errors: addError(errors, field, `Enter ${what.name}`) };
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) {
    return { value: null, errors: addError(errors, field, `${capitalise(what.name)} must be a real date, for example ${what.example}`) };
  }
  const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || isoDay(date) !== value) {
    return { value: null, errors: addError(errors, field, `${capitalise(what.name)} must be a real date, for example ${what.example}`) };
  }
  if (what.notFuture && value > isoDay()) return { value: null, errors: addError(errors, field, `${capitalise(what.name)} must be today or in the past`) };
  if (what.notBefore && value < what.notBefore) return { value: null, errors: addError(errors, field, `${capitalise(what.name)} must be after ${what.notBefore.slice(0, 4)}`) };
  return { value, errors };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The day, month and year boxes' values for a YYYY-MM-DD date. */
export function dateParts(value: string): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = value.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/**
 * The score (and level) of an externally scored instrument as typed, checked against its ranges:
 * a problem names the field (`score`, `level`) and says what is allowed.
 */
export function readExternalResult(definition: InstrumentDefinition, body: Record<string, unknown>): { ok: true; score: number; level: number | null } | { ok: false; errors: FormErrors } {
  const errors = emptyErrors();
  const scoring = definition.scoring;
  if (scoring.kind !== 'external') throw new Error(`${definition.code} is not externally scored`);
  const rawScore = typeof body.score === 'string' ? body.score.trim() : '';
  const score = /^-?\d+(\.\d+)?$/.test(rawScore) ? Number(rawScore) : null;
  if (rawScore === '') addError(errors, 'score', `Enter the ${definition.shortTitle} score`);
  else if (score === null) addError(errors, 'score', `The ${definition.shortTitle} score must be a number, like ${scoring.scoreMax === 100 ? '61.2' : '21'}`);
  const level = typeof body.level === 'string' && /^\d+$/.test(body.level) ? Number(body.level) : null;
  if (scoring.levels && body.level === undefined) addError(errors, 'level', `Select the ${definition.shortTitle} level`);
  if (errors.list.length === 0) {
    for (const problem of validateExternalResult(definition.code, { score, level: scoring.levels ? level : undefined })) {
      addError(errors, problem.field === 'level' ? 'level' : 'score', problem.message);
    }
  }
  return errors.list.length ? { ok: false, errors } : { ok: true, score: score!, level: scoring.levels ? level : null };
}
