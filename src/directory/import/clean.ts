/**
 * Cleaning the values real directory feeds send: "" and whitespace-only become absent, text is
 * trimmed and its spaces collapsed, HTML becomes plain text, and values that cannot be right (an
 * email address without an "@", a URL that is not http(s), a time of "25:00") are dropped with a
 * warning rather than stored. Warnings name the record's source id and the field, never the value,
 * since some feeds put personal contact details in these fields.
 */
import { z } from 'zod';
import { htmlToLine, htmlToText } from './html.ts';

export interface ImportWarning {
  /** The record's id in the source, as given there. */
  sourceId: string | null;
  field: string;
  message: string;
}

const emailCheck = z.email();
const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const DAY_NAMES: Record<string, string> = {
  mon: 'MO', monday: 'MO', tue: 'TU', tues: 'TU', tuesday: 'TU', wed: 'WE', weds: 'WE', wednesday: 'WE',
  thu: 'TH', thur: 'TH', thurs: 'TH', thursday: 'TH', fri: 'FR', friday: 'FR', sat: 'SA', saturday: 'SA',
  sun: 'SU', sunday: 'SU',
};
const GB_NAMES = new Set(['gb', 'uk', 'united kingdom', 'great britain', 'england', 'scotland', 'wales', 'northern ireland', 'gbr']);

/** Cleans the fields of one source record, collecting warnings about what it had to drop. */
export class FieldCleaner {
  readonly sourceId: string | null;
  readonly warnings: ImportWarning[] = [];

  constructor(sourceId: string | null) {
    this.sourceId = sourceId;
  }

  warn(field: string, message: string): void {
    this.warnings.push({ sourceId: this.sourceId, field, message });
  }

  /** Single-line text: markup removed, whitespace collapsed; empty is null. */
  line(value: unknown): string | null {
    const raw = scalar(value);
    if (raw === null) return null;
    return htmlToLine(raw) || null;
  }

  /** Multi-line text (descriptions): HTML to plain text with paragraph breaks kept. */
  text(value: unknown): string | null {
    const raw = scalar(value);
    if (raw === null) return null;
    return htmlToText(raw) || null;
  }

  email(value: unknown, field: string): string | null {
    const v = this.line(value)?.replace(/^mailto:/i, '');
    if (!v) return null;
    if (emailCheck.safeParse(v).success) return v;
    this.warn(field, 'is not a valid email address and was left out');
    return null;
  }

  url(value: unknown, field: string): string | null {
    let v = this.line(value);
    if (!v) return null;
    if (/^www\./i.test(v)) v = `https://${v}`;
    try {
      const u = new URL(v);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0 && !/\s/.test(v)) return v;
    } catch {
      // fall through to the warning
    }
    this.warn(field, 'is not a valid web address (http or https) and was left out');
    return null;
  }

  number(value: unknown, field: string, range: { min?: number; max?: number } = {}): number | null {
    const raw = typeof value === 'number' ? value : this.line(value)?.replace(/[£,\s]/g, '');
    if (raw === null || raw === undefined || raw === '') return null;
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isFinite(n) || (range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
      this.warn(field, 'is not a number in the expected range and was left out');
      return null;
    }
    return n;
  }

  integer(value: unknown, field: string, range: { min?: number; max?: number } = {}): number | null {
    const n = this.number(value, field, range);
    if (n === null) return null;
    if (!Number.isInteger(n)) {
      this.warn(field, 'is not a whole number and was left out');
      return null;
    }
    return n;
  }

  /** A date as YYYY-MM-DD, from YYYY-MM-DD, an ISO date-time or a UK DD/MM/YYYY. */
  date(value: unknown, field: string): string | null {
    const v = this.line(value);
    if (!v) return null;
    let y: number, m: number, d: number;
    const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(v);
    const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
    if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else if (uk) [d, m, y] = [Number(uk[1]), Number(uk[2]), Number(uk[3])];
    else {
      this.warn(field, 'is not a date and was left out');
      return null;
    }
    const date = new Date(Date.UTC(y, m - 1, d));
    if (y < 1900 || y > 2200 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
      this.warn(field, 'is not a real date and was left out');
      return null;
    }
    return date.toISOString().slice(0, 10);
  }

  /** A time of day as HH:MM:SS, from "9:30", "09:30:00", "09:30:00Z", "9.30am" or "2pm". */
  time(value: unknown, field: string): string | null {
    const v = this.line(value)?.toLowerCase().replace(/\s+/g, '');
    if (!v) return null;
    const match = /^(\d{1,2})(?:[:.](\d{2}))?(?::(\d{2})(?:\.\d+)?)?(am|pm)?(?:z|[+-]\d{2}:?\d{2})?$/.exec(v);
    if (match && (match[2] !== undefined || match[4] !== undefined)) {
      let h = Number(match[1]);
      const min = Number(match[2] ?? 0);
      const s = Number(match[3] ?? 0);
      if (match[4]) {
        if (h < 1 || h > 12) h = 99;
        else if (match[4] === 'pm' && h < 12) h += 12;
        else if (match[4] === 'am' && h === 12) h = 0;
      }
      if (h <= 23 && min <= 59 && s <= 59) return `${pad(h)}:${pad(min)}:${pad(s)}`;
      if (h === 24 && min === 0 && s === 0) return '23:59:59';
    }
    this.warn(field, 'is not a time of day and was left out');
    return null;
  }

  /** Weekdays as iCal codes ("MO,WE", or "1MO" for monthly rules), from codes or English names, in week order. */
  days(value: unknown, field: string): string | null {
    const v = this.line(value);
    if (!v) return null;
    const codes: string[] = [];
    for (const part of v.split(/[\s,;/]+/).filter(Boolean)) {
      const named = DAY_NAMES[part.toLowerCase().replace(/\.$/, '')];
      const coded = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part.toUpperCase());
      const code = named ?? (coded ? `${coded[1] ?? ''}${coded[2]}` : undefined);
      if (!code) {
        this.warn(field, 'has a day that is not a day of the week and was left out');
        return null;
      }
      if (!codes.includes(code)) codes.push(code);
    }
    const weekday = (code: string) => DAY_CODES.indexOf(code.slice(-2) as (typeof DAY_CODES)[number]);
    return codes.sort((a, b) => weekday(a) - weekday(b)).join(',') || null;
  }

  /** One of a fixed list (compared without case or surrounding spaces), else the fallback. */
  choice<T extends string>(value: unknown, field: string, allowed: readonly T[], fallback: T | null): T | null {
    const v = this.line(value)?.toLowerCase();
    if (!v) return fallback;
    const found = allowed.find((a) => a.toLowerCase() === v);
    if (found) return found;
    this.warn(field, fallback ? `is not one of ${allowed.join(', ')}; "${fallback}" was used` : `is not one of ${allowed.join(', ')} and was left out`);
    return fallback;
  }

  /** An ISO 3166 alpha-2 country code; UK names become GB. */
  country(value: unknown): string {
    const v = this.line(value);
    if (!v || GB_NAMES.has(v.toLowerCase())) return 'GB';
    if (/^[a-zA-Z]{2}$/.test(v)) return v.toUpperCase();
    this.warn('country', 'is not a two-letter country code; GB was used');
    return 'GB';
  }

  /** A UK postcode in capitals with one space before the inward code; other text as given. */
  postcode(value: unknown): string | null {
    const v = this.line(value);
    if (!v) return null;
    const compact = v.toUpperCase().replace(/\s+/g, '');
    if (/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
    return v.toUpperCase();
  }
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array from the source, or undefined when the key is missing or null (so nothing stored is removed). */
export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** A string or number from the source as text; anything else (objects, arrays, booleans) is absent. */
export function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
