/**
 * Form handling for pages: parse the posted fields with a zod schema and, when something is wrong,
 * give the view what the NHS.UK error summary and error messages need, keeping the person's answers.
 */
import type { z } from 'zod';

export interface FormErrors {
  /** For the error summary: `[{ text, href: '#field' }]`, in the order the fields appear. */
  list: { text: string; href: string }[];
  /** For each field's error message: `{ field: { text } }`. */
  byField: Record<string, { text: string }>;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors = emptyErrors();
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    addError(errors, field, issue.message);
  }
  return { ok: false, errors };
}

export function emptyErrors(): FormErrors {
  return { list: [], byField: {} };
}

/** Adds one message per field (the first wins, as the design system shows one per field). */
export function addError(errors: FormErrors, field: string, text: string): FormErrors {
  if (!errors.byField[field]) {
    errors.byField[field] = { text };
    errors.list.push({ text, href: `#${field}` });
  }
  return errors;
}

export function formError(field: string, text: string): FormErrors {
  return addError(emptyErrors(), field, text);
}

/** Trims every string field so that "  " counts as empty and stray spaces are not stored. */
export function trimmed(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  );
}
