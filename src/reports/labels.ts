/**
 * The words reports use for codes, and the groupings that make the journey's codes comparable
 * with the Census: age at referral in bands, the NHS ethnic categories in the Census 2021
 * high-level groups, sex. One place, so the summaries, the queries and the population reference
 * agree.
 */
import type { OrganisationType } from '../db/schema.ts';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { ONWARD_KIND } from '../referrals/pages/labels.ts';
import { DISCHARGE_REASONS } from '../referrals/pages/record-routes.ts';
import { LONELINESS_FACTORS, REASONS } from '../referrals/codes.ts';

/** Where referrals come from: the referring organisation's type, or the person themselves. */
export const SOURCE_LABELS: Record<OrganisationType | 'self' | 'other', string> = {
  gp_practice: 'GP practice',
  primary_care_network: 'Primary care network',
  social_prescribing_service: 'Social prescribing service',
  learning_provider: 'Learning provider',
  vcse: 'Voluntary or community organisation',
  referring_team: 'Council or other team',
  commissioner: 'Commissioner',
  self: 'Self-referral',
  other: 'Other or not recorded',
};

export const REASON_LABELS: Record<string, string> = REASONS;
export const LONELINESS_LABELS: Record<string, string> = LONELINESS_FACTORS;
export const KIND_LABELS: Record<string, string> = ONWARD_KIND;

/** Discharge reasons offered on the discharge page; anything typed instead is counted as "other". */
export const LISTED_DISCHARGE_REASONS: readonly string[] = DISCHARGE_REASONS;
export const OTHER_DISCHARGE = 'other';

/** Activity types (the directory's Linkwell taxonomy), by code, in their listed order. */
export const ACTIVITY_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(LINKWELL_TAXONOMIES.activityType.terms).map(([code, t]) => [code, t.name]),
);
export const ACTIVITY_CODES = Object.keys(ACTIVITY_LABELS);

/** Census 2021 five-year age bands, as stored on each episode (age on the day of referral). */
export const CENSUS_AGE_BANDS = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85+'] as const;

/** The bands reports show: ten years wide, each made of two Census bands (children together). */
export const AGE_GROUPS: readonly { key: string; label: string; bands: readonly string[] }[] = [
  { key: '0-14', label: 'Under 15', bands: ['0-4', '5-9', '10-14'] },
  { key: '15-24', label: '15 to 24', bands: ['15-19', '20-24'] },
  { key: '25-34', label: '25 to 34', bands: ['25-29', '30-34'] },
  { key: '35-44', label: '35 to 44', bands: ['35-39', '40-44'] },
  { key: '45-54', label: '45 to 54', bands: ['45-49', '50-54'] },
  { key: '55-64', label: '55 to 64', bands: ['55-59', '60-64'] },
  { key: '65-74', label: '65 to 74', bands: ['65-69', '70-74'] },
  { key: '75-84', label: '75 to 84', bands: ['75-79', '80-84'] },
  { key: '85+', label: '85 and over', bands: ['85+'] },
];
/** Age groups compared with the population: adults (the Census has no 18+ band; 15+ is nearest). */
export const COMPARED_AGE_GROUPS = AGE_GROUPS.filter((g) => g.key !== '0-14').map((g) => g.key);

/** SQL: the Census band of an age in whole years (used when summaries are built). */
export const AGE_BAND_SQL = `CASE WHEN a.age IS NULL OR a.age < 0 THEN NULL WHEN a.age >= 85 THEN '85+' ELSE (a.age / 5 * 5)::text || '-' || (a.age / 5 * 5 + 4)::text END`;

/** Census 2021 high-level ethnic groups, with the NHS ethnic category codes in each. */
export const ETHNIC_GROUPS: readonly { key: string; label: string; census: string; nhsCodes: readonly string[] }[] = [
  { key: 'asian', label: 'Asian or Asian British', census: 'Asian, Asian British or Asian Welsh', nhsCodes: ['H', 'J', 'K', 'L', 'R'] },
  { key: 'black', label: 'Black or Black British', census: 'Black, Black British, Black Welsh, Caribbean or African', nhsCodes: ['M', 'N', 'P'] },
  { key: 'mixed', label: 'Mixed or multiple ethnic groups', census: 'Mixed or Multiple ethnic groups', nhsCodes: ['D', 'E', 'F', 'G'] },
  { key: 'white', label: 'White', census: 'White', nhsCodes: ['A', 'B', 'C'] },
  { key: 'other', label: 'Other ethnic group', census: 'Other ethnic group', nhsCodes: ['S'] },
];

/** SQL: the high-level group of an NHS ethnic category code in `p.ethnicity` (null when not stated). */
export const ETHNIC_GROUP_SQL = `CASE ${ETHNIC_GROUPS.map((g) => `WHEN p.ethnicity IN (${g.nhsCodes.map((c) => `'${c}'`).join(', ')}) THEN '${g.key}'`).join(' ')} END`;

export const SEX_GROUPS: readonly { key: string; label: string; census: string }[] = [
  { key: 'female', label: 'Female', census: 'Female' },
  { key: 'male', label: 'Male', census: 'Male' },
];

/** The label of a row whose characteristic was not recorded. */
export const NOT_KNOWN = 'Not known or not stated';

/** Progression recorded at the end of a course that counts as having progressed. */
export const PROGRESSIONS = ['another_course', 'volunteering', 'employment', 'peer_group'] as const;

/** Levels of a listing that make it formal learning (with a qualification, or at entry level to 3). */
export const FORMAL_LEVELS = ['entry', '1', '2', '3'] as const;

/** A referral is under-represented when its share is below this fraction of the population share. */
export const UNDER_REPRESENTED_RATIO = 2 / 3;
