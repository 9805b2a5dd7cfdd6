/**
 * The NHS.UK date input (three boxes: day, month, year) as an ISO date. Shared by the provider's
 * pages, the data-sharing agreement pages and the person's own view.
 */

/** Reads `<prefix>-day`, `<prefix>-month` and `<prefix>-year` from a form body. */
export function datePartsOf(body: Record<string, unknown>, prefix: string): { day: string; month: string; year: string } {
  const part = (k: string) => {
    const v = body[`${prefix}-${k}`];
    return typeof v === 'string' ? v.trim() : '';
  };
  return { day: part('day'), month: part('month'), year: part('year') };
}

/**
 * An ISO date from the three parts; `null` when all are empty; otherwise `{ error }` with a
 * message naming the field (`label`, like "date of birth").
 */
export function isoFromParts(p: { day: string; month: string; year: string }, label: string): string | null | { error: string } {
  if (!p.day && !p.month && !p.year) return null;
  if (!p.day || !p.month || !p.year) return { error: `The ${label} must include a day, month and year` };
  if (!/^\d{1,2}$/.test(p.day) || !/^\d{1,2}$/.test(p.month) || !/^\d{4}$/.test(p.year)) return { error: `The ${label} must be a real date, like 21 3 1956` };
  const iso = `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) return { error: `The ${label} must be a real date` };
  return iso;
}

/** Reads and checks a date input: the ISO date, `null` if left empty, or an error message. */
export function readDate(body: Record<string, unknown>, prefix: string, label: string, required: boolean): { value: string | null; error?: string } {
  const r = isoFromParts(datePartsOf(body, prefix), label);
  if (r === null) return required ? { value: null, error: `Enter the ${label}` } : { value: null };
  if (typeof r === 'object') return { value: null, error: r.error };
  return { value: r };
}

/** The three parts of an ISO date, for filling in a date input again. */
export function partsOf(iso: string | null | undefined, prefix: string): Record<string, string> {
  if (!iso) return {};
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y ?? '' };
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function isoDay(d: Date = new Date()): string {
  return d.toISOString().slice(0, 10);
}
