/**
 * Turning column values into ORUK property values. The standard asks that optional fields without a
 * value are omitted, never null or "": each helper answers undefined for "no value", and compact()
 * drops those keys (and empty arrays) before a record leaves the API. Values that the schemas would
 * reject (a web address without a scheme, an email that is not one) are dropped too, rather than
 * making a whole record invalid.
 */

/** Trimmed text, or undefined when there is none. */
export function text(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** A number (numeric columns are read as float8 or strings), or undefined. */
export function num(value: number | string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** An ISO 8601 date-time in UTC with milliseconds, as the schemas' `date-time` format expects. */
export function dateTime(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An absolute URI. "www.example.org" gains https://; anything else that is not a URI is dropped. */
export function uri(value: string | null | undefined): string | undefined {
  const t = text(value);
  if (!t || /\s/.test(t)) return undefined;
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(t) ? t : /^[\w-]+(\.[\w-]+)+([/?#].*)?$/.test(t) ? `https://${t}` : undefined;
  if (!candidate) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return undefined;
  }
  // Keep the address as written when it only uses characters a URI may hold; else percent-encode it.
  return /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/.test(candidate) ? candidate : parsed.href;
}

const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;

/** An email address, or undefined when there is none or it is not one. */
export function email(value: string | null | undefined): string | undefined {
  const t = text(value);
  return t && EMAIL.test(t) ? t : undefined;
}

type Compact<T> = { [K in keyof T]: Exclude<T[K], null> };

/** The object without its undefined, null, "" and [] properties. */
export function compact<T extends Record<string, unknown>>(record: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out as Compact<T>;
}

/** Groups rows by a key, keeping their order. */
export function groupBy<T>(rows: T[], key: (row: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}
