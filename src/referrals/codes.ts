/**
 * The coded lists of the referral journey, in one place: reasons for referral, risks, ethnic
 * categories, and the SNOMED CT concepts recorded at triage.
 */

export const REASONS = {
  loneliness: 'Loneliness or isolation',
  low_mood_anxiety: 'Low mood or anxiety',
  housing: 'Housing',
  money_debt: 'Money or debt',
  employment: 'Employment',
  learning_formal: 'Learning or skills (formal: courses and qualifications)',
  learning_informal: 'Learning or skills (informal: hobbies, groups, trying something new)',
  physical_activity: 'Physical activity',
  caring: 'Caring responsibilities',
  long_term_condition: 'Living with a long-term condition',
  bereavement: 'Bereavement',
  domestic_abuse: 'Domestic abuse',
  substance_use: 'Alcohol or substance use',
  other: 'Other',
} as const;
export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

export const RISK_CATEGORIES = {
  safeguarding_adult: 'Safeguarding concern (adult)',
  safeguarding_child: 'Safeguarding concern (child)',
  self_harm: 'Risk of self-harm or suicide',
  lone_working: 'Risk to staff (lone working)',
  other: 'Other risk',
} as const;
export const RISK_CODES = Object.keys(RISK_CATEGORIES) as [keyof typeof RISK_CATEGORIES, ...(keyof typeof RISK_CATEGORIES)[]];

/** The "big five" risk factors for loneliness named in the research behind Linkwell. */
export const LONELINESS_FACTORS = {
  acute_poverty: 'Acute poverty',
  life_transition: 'A life transition (bereavement, retirement, moving, leaving care…)',
  living_alone: 'Living alone',
  feeling_different: 'Feeling different or facing prejudice',
  deaf_or_disabled: 'Being deaf or disabled',
} as const;
export const LONELINESS_FACTOR_CODES = Object.keys(LONELINESS_FACTORS) as [keyof typeof LONELINESS_FACTORS, ...(keyof typeof LONELINESS_FACTORS)[]];

/** NHS Data Dictionary ethnic category (England), as used by UK Core. */
export const ETHNIC_CATEGORIES = {
  A: 'White: British',
  B: 'White: Irish',
  C: 'White: any other White background',
  D: 'Mixed: White and Black Caribbean',
  E: 'Mixed: White and Black African',
  F: 'Mixed: White and Asian',
  G: 'Mixed: any other mixed background',
  H: 'Asian or Asian British: Indian',
  J: 'Asian or Asian British: Pakistani',
  K: 'Asian or Asian British: Bangladeshi',
  L: 'Asian or Asian British: any other Asian background',
  M: 'Black or Black British: Caribbean',
  N: 'Black or Black British: African',
  P: 'Black or Black British: any other Black background',
  R: 'Other ethnic groups: Chinese',
  S: 'Other ethnic groups: any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
} as const;
export const ETHNIC_CODES = Object.keys(ETHNIC_CATEGORIES) as [string, ...string[]];

/** SNOMED CT: the person accepted referral to the social prescribing service. */
export const SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = '871731000000106';
/** SNOMED CT: the person declined social prescribing. */
export const SNOMED_SOCIAL_PRESCRIBING_DECLINED = '871711000000103';

/** What an onward referral can carry, category by category. */
export const SHARING_CATEGORIES = {
  contact: 'Name and how to contact them',
  needs: 'Accessibility and communication needs, language and interpreter',
  reasons: 'Why they were referred, in their own words',
  goals: 'Their goals',
  demographics: 'Date of birth, sex, gender and ethnicity',
  outcomes: 'Wellbeing and outcome measures',
} as const;
export type SharingCategory = keyof typeof SHARING_CATEGORIES;
export const SHARING_CODES = Object.keys(SHARING_CATEGORIES) as [SharingCategory, ...SharingCategory[]];
