/**
 * Which responses a timeline shows. An organisation always sees what it collected itself. The
 * link worker's service sees a provider's measures, and the provider sees the service's, only
 * while the person's consent to share stands (given, and not withdrawn) AND an active
 * data-sharing agreement between the two organisations includes outcome measures.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { MeasureMethod, ResponseStatus } from '../db/schema-measures.ts';
import type { StoredScore } from './responses.ts';
import { activeAgreement } from '../referrals/sharing.ts';
import type { MeasureContext } from './context.ts';
import type { Side } from './time-points.ts';

export interface VisibleResponse {
  id: string;
  code: string;
  version: string;
  timePoint: string;
  /** Which side collected it (for labels). */
  side: Side;
  organisationId: string;
  organisationName: string;
  method: MeasureMethod;
  completedOn: string;
  recordedAt: Date;
  answers: (number | null)[];
  score: StoredScore;
  /** The linkId of each answer in the stored QuestionnaireResponse (goal ratings: `goal-<goal id>`). */
  itemKeys: string[];
  /** `entered-in-error`: kept, but left out of scores, chart and change. */
  status: ResponseStatus;
  enteredInErrorAt: Date | null;
}

/** Why another organisation's measures are or are not shown. */
export interface SharingNote {
  organisationName: string;
  shown: boolean;
  reason: string;
}

const NO_CONSENT = 'the person has not agreed to their information being shared, or has withdrawn their agreement';
const NO_AGREEMENT = 'there is no active data-sharing agreement with them that includes outcome measures';

interface Consent {
  consent_to_share: boolean;
  consent_withdrawn_at: Date | null;
}

function consents(episode: Consent): boolean {
  return episode.consent_to_share && episode.consent_withdrawn_at === null;
}

async function sharesOutcomes(db: Kysely<DB>, orgA: string, orgB: string): Promise<boolean> {
  const agreement = await activeAgreement(db, orgA, orgB);
  return !!agreement && agreement.categories.includes('outcomes');
}

function responses(db: Kysely<DB>) {
  return db
    .selectFrom('measure_response as m')
    .innerJoin('organisation as org', 'org.id', 'm.organisation_id')
    .select([
      'm.id',
      'm.instrument_code',
      'm.instrument_version',
      'm.time_point',
      'm.organisation_id',
      'org.name as organisation_name',
      'm.method',
      'm.answers',
      'm.score',
      'm.recorded_at',
      'm.referral_id',
      'm.status',
      'm.entered_in_error_at',
      sql<string>`to_char(m.completed_on, 'YYYY-MM-DD')`.as('completed_on'),
      sql<{ linkId: string }[] | null>`m.questionnaire_response -> 'item'`.as('items'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof responses>['execute']>>[number];

function present(row: Row): VisibleResponse {
  return {
    id: row.id,
    code: row.instrument_code,
    version: row.instrument_version,
    timePoint: row.time_point,
    side: row.referral_id ? 'service' : 'provider',
    organisationId: row.organisation_id,
    organisationName: row.organisation_name,
    method: row.method,
    completedOn: row.completed_on,
    recordedAt: row.recorded_at,
    answers: row.answers,
    score: row.score as unknown as StoredScore,
    itemKeys: (row.items ?? []).map((item) => item.linkId),
    status: row.status,
    enteredInErrorAt: row.entered_in_error_at,
  };
}

/** The responses the context's organisation may see for the person, and notes on what is not shared. */
export async function visibleResponses(db: Kysely<DB>, ctx: MeasureContext): Promise<{ responses: VisibleResponse[]; notes: SharingNote[] }> {
  const rows: Row[] = [];
  const notes: SharingNote[] = [];
  if (ctx.side === 'service') {
    const episodes = await db
      .selectFrom('referral')
      .select(['id', 'consent_to_share', 'consent_withdrawn_at'])
      .where('person_id', '=', ctx.personId)
      .where('service_id', '=', ctx.organisationId)
      .execute();
    const episodeIds = episodes.map((e) => e.id);
    rows.push(...(await responses(db).where('m.referral_id', 'in', episodeIds).execute()));
    const onwards = await db
      .selectFrom('onward_referral as o')
      .innerJoin('organisation as p', 'p.id', 'o.provider_id')
      .select(['o.id', 'o.referral_id', 'o.provider_id', 'p.name'])
      .where('o.referral_id', 'in', episodeIds)
      .where('o.kind', '!=', 'signpost')
      .execute();
    const allowed: string[] = [];
    for (const providerId of new Set(onwards.map((o) => o.provider_id!))) {
      const mine = onwards.filter((o) => o.provider_id === providerId);
      const agreement = await sharesOutcomes(db, ctx.organisationId, providerId);
      const consented = mine.filter((o) => consents(episodes.find((e) => e.id === o.referral_id)!));
      if (agreement) allowed.push(...consented.map((o) => o.id));
      const shown = agreement && consented.length > 0;
      notes.push({ organisationName: mine[0]!.name, shown, reason: shown ? 'shared with the person’s agreement' : !agreement ? NO_AGREEMENT : NO_CONSENT });
      if (shown && consented.length < mine.length) notes.push({ organisationName: mine[0]!.name, shown: false, reason: `for some referrals, ${NO_CONSENT}` });
    }
    if (allowed.length) {
      const providerRows = await responses(db).innerJoin('onward_referral as o', 'o.id', 'm.onward_referral_id').where('m.onward_referral_id', 'in', allowed).whereRef('m.organisation_id', '=', 'o.provider_id').execute();
      rows.push(...providerRows);
    }
  } else {
    const onwards = await db
      .selectFrom('onward_referral as o')
      .innerJoin('referral as r', 'r.id', 'o.referral_id')
      .innerJoin('organisation as s', 's.id', 'r.service_id')
      .select(['o.id', 'o.referral_id', 'r.service_id', 's.name', 'r.consent_to_share', 'r.consent_withdrawn_at'])
      .where('o.provider_id', '=', ctx.organisationId)
      .where('r.person_id', '=', ctx.personId)
      .where('o.kind', '!=', 'signpost')
      .execute();
    rows.push(...(await responses(db).where('m.onward_referral_id', 'in', onwards.map((o) => o.id)).where('m.organisation_id', '=', ctx.organisationId).execute()));
    const allowed: string[] = [];
    for (const serviceId of new Set(onwards.map((o) => o.service_id))) {
      const theirs = onwards.filter((o) => o.service_id === serviceId);
      const agreement = await sharesOutcomes(db, serviceId, ctx.organisationId);
      const consented = theirs.filter(consents);
      if (agreement) allowed.push(...consented.map((o) => o.referral_id));
      const shown = agreement && consented.length > 0;
      notes.push({ organisationName: theirs[0]!.name, shown, reason: shown ? 'shared with the person’s agreement' : !agreement ? NO_AGREEMENT : NO_CONSENT });
    }
    if (allowed.length) rows.push(...(await responses(db).where('m.referral_id', 'in', [...new Set(allowed)]).execute()));
  }
  const list = rows.map(present).sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.recordedAt.getTime() - b.recordedAt.getTime());
  return { responses: list, notes };
}
