/**
 * What was shared with the provider, as summary-list rows — built only from the onward referral's
 * `shared` JSON — and the categories that were not shared, so the provider knows not to expect them.
 */
import { ETHNIC_CATEGORIES, SHARING_CATEGORIES, type SharingCategory } from '../../codes.ts';
import type { Shared } from '../../provider-referral.ts';
import { PREFERRED_CONTACT } from './labels.ts';

interface Row {
  key: { text: string };
  value: { text?: string; html?: string };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const list = (items: string[]) => `<ul class="nhsuk-list nhsuk-list--bullet">${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;

const SEX: Record<string, string> = { female: 'Female', male: 'Male', not_known: 'Not known', not_stated: 'Not stated' };

/** Any JSON value as readable lines ("label: value"), for categories this page has no layout for. */
function plainLines(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.flatMap((v) => plainLines(v, prefix));
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object');
    const nested = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && typeof v === 'object');
    const line = parts.map(([k, v]) => `${k}: ${String(v)}`).join(', ');
    return [...(line ? [`${prefix}${line}`] : []), ...nested.flatMap(([k, v]) => plainLines(v, `${prefix}${k}: `))];
  }
  return [`${prefix}${String(value)}`];
}

export function sharedRows(shared: Shared): { rows: Row[]; notShared: string[] } {
  const rows: Row[] = [];
  const add = (key: string, text: string | undefined | null) => {
    if (text) rows.push({ key: { text: key }, value: { text } });
  };
  const c = shared.contact;
  if (c) {
    add('Name', c.name);
    add('Phone', c.phone);
    add('Email', c.email);
    add('Prefers to be contacted by', c.preferredContact ? (PREFERRED_CONTACT[c.preferredContact] ?? c.preferredContact) : undefined);
  }
  const n = shared.needs;
  if (n) {
    add('Accessibility and communication needs', n.accessibility);
    add('Preferred language', n.language);
    if (n.interpreterNeeded !== undefined) add('Needs an interpreter', n.interpreterNeeded ? 'Yes' : 'No');
  }
  const r = shared.reasons;
  if (r) {
    if (r.reasons?.length) rows.push({ key: { text: 'Why they were referred' }, value: { html: list(r.reasons) } });
    add('In their own words', r.inTheirWords);
  }
  if (shared.goals) rows.push({ key: { text: 'Their goals' }, value: shared.goals.length ? { html: list(shared.goals) } : { text: 'None recorded yet' } });
  const d = shared.demographics;
  if (d) {
    add('Date of birth', d.dateOfBirth ? new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${d.dateOfBirth}T00:00:00Z`)) : undefined);
    add('Sex', d.sex ? (SEX[d.sex] ?? d.sex) : undefined);
    add('Gender', d.gender);
    add('Ethnicity', d.ethnicity ? ((ETHNIC_CATEGORIES as Record<string, string>)[d.ethnicity] ?? d.ethnicity) : undefined);
  }
  // Categories added later than this page (outcome measures, …) are shown plainly rather than hidden.
  const known = ['contact', 'needs', 'reasons', 'goals', 'demographics'];
  for (const [key, value] of Object.entries(shared as Record<string, unknown>)) {
    if (known.includes(key) || value === null || value === undefined) continue;
    const label = (SHARING_CATEGORIES as Record<string, string>)[key] ?? key;
    rows.push({ key: { text: label }, value: { html: list(plainLines(value)) } });
  }
  // Outcome measures never travel with an onward referral: they are shared on the timeline instead.
  const notShared = (Object.keys(SHARING_CATEGORIES) as SharingCategory[]).filter((k) => k !== 'outcomes' && !(k in shared)).map((k) => SHARING_CATEGORIES[k]);
  return { rows, notShared };
}
