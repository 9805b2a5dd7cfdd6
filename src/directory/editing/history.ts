/** What changed between two versions of a listing, in words a provider understands. */
const LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  status: 'Running or not',
  activityTypes: 'Type of activity',
  fiveWays: 'Five Ways to Wellbeing',
  level: 'Level',
  subject: 'Subject',
  qualification: 'Qualification',
  feeFull: 'Full fee',
  feeConcession: 'Concession fee',
  free: 'Free',
  feeWaived: 'Fee waived for social prescribing',
  eligibility: 'Who can join',
  documentsToBring: 'Documents to bring',
  minimumAge: 'Minimum age',
  maximumAge: 'Maximum age',
  oneToOneSupport: 'One-to-one support',
  companionWelcome: 'Companion welcome',
  stepFree: 'Step-free access',
  hearingLoop: 'Hearing loop',
  womenOnly: 'Women only',
  deliveryLanguage: 'Language',
  accessRoute: 'How people get in',
  contactName: 'Contact name',
  contactEmail: 'Contact email',
  contactPhone: 'Contact phone',
  url: 'Web address',
  venueName: 'Venue name',
  venueAddress: 'Venue address',
  venueTown: 'Town',
  venuePostcode: 'Postcode',
};

/** The labels of the fields that differ; every field for the first version. */
export function describeChanges(before: unknown, after: unknown): string[] {
  const a = (before ?? null) as Record<string, unknown> | null;
  const b = (after ?? {}) as Record<string, unknown>;
  if (!a) return ['First version'];
  return Object.keys(LABELS).filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)).map((k) => LABELS[k]!);
}
