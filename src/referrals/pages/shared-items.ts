/**
 * What an onward referral carries (its `shared` object), as rows a person can read: every value
 * in it is listed, under its category, so the preview and the record show exactly what the
 * provider receives — nothing hidden, nothing added.
 */
import { ETHNIC_CATEGORIES, SHARING_CATEGORIES } from '../codes.ts';
import { PREFERRED_CONTACT, SEX } from './labels.ts';

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  phone: 'Phone',
  email: 'Email',
  preferredContact: 'Preferred contact',
  accessibility: 'Accessibility and communication needs',
  language: 'Preferred language',
  interpreterNeeded: 'Needs an interpreter',
  reasons: 'Reasons for referral',
  inTheirWords: 'In their own words',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  gender: 'Gender',
  ethnicity: 'Ethnic group',
};

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return 'Not recorded';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map((v) => show('', v)).join('; ') : 'None';
  if (key === 'preferredContact') return PREFERRED_CONTACT[String(value)] ?? String(value);
  if (key === 'sex') return SEX[String(value)] ?? String(value);
  if (key === 'ethnicity') return ETHNIC_CATEGORIES[String(value) as keyof typeof ETHNIC_CATEGORIES] ?? String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export interface SharedGroup {
  category: string;
  heading: string;
  rows: { label: string; value: string }[];
}

export function sharedItems(shared: Record<string, unknown> | null | undefined): SharedGroup[] {
  if (!shared) return [];
  return Object.entries(shared).map(([category, content]) => {
    const heading = SHARING_CATEGORIES[category as keyof typeof SHARING_CATEGORIES] ?? category;
    if (Array.isArray(content)) return { category, heading, rows: content.map((v, i) => ({ label: category === 'goals' ? `Goal ${i + 1}` : `${heading} ${i + 1}`, value: show('', v) })) };
    if (content && typeof content === 'object') {
      return { category, heading, rows: Object.entries(content as Record<string, unknown>).map(([k, v]) => ({ label: FIELD_LABELS[k] ?? k, value: show(k, v) })) };
    }
    return { category, heading, rows: [{ label: heading, value: show(category, content) }] };
  });
}
