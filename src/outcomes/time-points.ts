/**
 * Time points at which a measure is taken: at the start (first contact, or the start of a course),
 * at the end (discharge, or the end of a course), follow-ups a number of months after the end, or
 * at another time. Stored as `start`, `end`, `follow_up_<months>` or `other`; dates as YYYY-MM-DD.
 */

/** Which organisation collects: the link worker's social prescribing service, or a provider. */
export type Side = 'service' | 'provider';

export type ParsedTimePoint = { kind: 'start' } | { kind: 'end' } | { kind: 'follow_up'; months: number } | { kind: 'other' };

/** The stored code of a follow-up `months` after the end. */
export function followUp(months: number): string {
  return `follow_up_${months}`;
}

/** Reads a stored or posted time point; null when it is not one. */
export function parseTimePoint(value: unknown): ParsedTimePoint | null {
  if (value === 'start' || value === 'end' || value === 'other') return { kind: value };
  if (typeof value !== 'string') return null;
  const match = /^follow_up_([0-9]{1,2})$/.exec(value);
  if (!match) return null;
  const months = Number(match[1]);
  return months >= 1 && months <= 36 ? { kind: 'follow_up', months } : null;
}

/** How a time point reads on a page. */
export function timePointLabel(value: string, side: Side): string {
  const parsed = parseTimePoint(value);
  if (!parsed) return value;
  switch (parsed.kind) {
    case 'start':
      return side === 'service' ? 'Start (first contact)' : 'Start of the course';
    case 'end':
      return side === 'service' ? 'End (discharge)' : 'End of the course';
    case 'follow_up':
      return `${parsed.months} month${parsed.months === 1 ? '' : 's'} after the end`;
    case 'other':
      return 'Another time';
  }
}

/** Sorts time points in the order they happen. */
export function timePointOrder(value: string): number {
  const parsed = parseTimePoint(value);
  if (!parsed) return 999;
  if (parsed.kind === 'start') return 0;
  if (parsed.kind === 'end') return 100;
  if (parsed.kind === 'follow_up') return 100 + parsed.months;
  return 500;
}

/** Today as YYYY-MM-DD (UTC). */
export function isoDay(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date plus whole days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}

/** A YYYY-MM-DD date plus whole months, kept inside the month (31 January + 1 month = 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return isoDay(target);
}

/** When each kind of time point falls due for one episode or onward referral. */
export interface Anchors {
  /** First contact, or the first session of the course; null before then. */
  start: string | null;
  /** Discharge, or the end of the course; null until then. */
  end: string | null;
}

/** The day a time point becomes due, or null when it is not due yet (or never, for `other`). */
export function dueDate(timePoint: string, anchors: Anchors): string | null {
  const parsed = parseTimePoint(timePoint);
  if (!parsed || !anchors.start) return null;
  if (parsed.kind === 'start') return anchors.start;
  if (!anchors.end) return null;
  if (parsed.kind === 'end') return anchors.end;
  if (parsed.kind === 'follow_up') return addMonths(anchors.end, parsed.months);
  return null;
}
