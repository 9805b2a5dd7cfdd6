/**
 * Small helpers shared by the social prescribing service's pages: reading NHS.UK date inputs and
 * checkbox groups from a posted form, and turning a command's 409/422 problem into the error
 * summary of the page the person was on (a mistake or a clash is never a 500).
 */
import { HttpProblem } from '../../web/problems.ts';
import { addError, emptyErrors, type FormErrors } from '../../web/forms.ts';

/** Today as YYYY-MM-DD (UTC, as the domain commands use). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A checkbox group arrives as nothing, one string or an array. */
export function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** The three boxes of an NHS.UK date input named `<prefix>[day]`, `<prefix>[month]`, `<prefix>[year]`. */
export function dateParts(body: Record<string, unknown>, prefix: string): DateParts {
  const get = (k: string) => (typeof body[`${prefix}[${k}]`] === 'string' ? String(body[`${prefix}[${k}]`]).trim() : '');
  return { day: get('day'), month: get('month'), year: get('year') };
}

/** Date-input values for re-rendering a form from an ISO date. */
export function partsOf(iso: string | null | undefined): DateParts {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1]! } : { day: '', month: '', year: '' };
}

/**
 * Reads a date input: `{ empty }` when nothing was typed, `{ value }` for a real date, or
 * `{ error }` with a message in the design system's style ("Date of birth must include a year").
 */
export function readDate(parts: DateParts, label: string): { empty: true } | { value: string } | { error: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return { empty: true };
  const missing = [!day && 'a day', !month && 'a month', !year && 'a year'].filter(Boolean) as string[];
  if (missing.length) return { error: `${label} must include ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { error: `${label} must be a real date, with numbers only, like 21 3 1956` };
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(iso)) return { error: `${label} must be a real date` };
  return { value: iso };
}

/** Field ids that a date input's error should link to (its first box). */
export function dateHref(prefix: string): string {
  return `#${prefix}-day`;
}

/** Adds an error, linking a date input's message to its day box. */
export function addFieldError(errors: FormErrors, field: string, message: string, dateFields: readonly string[] = []): void {
  const before = errors.list.length;
  addError(errors, field, message);
  if (dateFields.includes(field) && errors.list.length > before) errors.list[errors.list.length - 1]!.href = dateHref(field);
}

/** Orders the error summary the way the fields appear on the page. */
export function orderErrors(errors: FormErrors, order: readonly string[]): FormErrors {
  const pos = (href: string) => {
    const id = href.replace(/^#/, '').replace(/-day$/, '');
    const i = order.findIndex((f) => id === f || id.startsWith(`${f}-`));
    return i === -1 ? order.length : i;
  };
  errors.list.sort((a, b) => pos(a.href) - pos(b.href));
  return errors;
}

/** Whether a problem thrown by a command is one to show on the page (a clash or a refused change). */
export function isPageProblem(err: unknown): err is HttpProblem {
  return err instanceof HttpProblem && (err.status === 409 || err.status === 422);
}

/** A 409/422 from a command, as the page's error summary: linked to its field when there is one. */
export function problemErrors(err: HttpProblem, fields: Record<string, string> = {}, fallback = 'form'): FormErrors {
  const errors = emptyErrors();
  if (err.title === 'Changed by someone else') {
    addError(errors, fallback, 'Someone else changed this record while you were working on it, so nothing has been saved. The page now shows the latest version: check it, then try again.');
    return errors;
  }
  const named = err.fields.map((f) => fields[f.name]).find((f): f is string => !!f);
  addError(errors, named ?? fallback, err.message);
  return errors;
}
