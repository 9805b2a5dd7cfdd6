/**
 * Reading listings for editing. A provider sees only listings of directory organisations linked to
 * a Linkwell organisation where they hold `directory.edit`; a curator sees pending edits of
 * providers in the areas of the organisations where they hold `directory.curate`.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { organisationsWhere } from '../../auth/actor.ts';
import { inScope } from '../../auth/scope.ts';
import type { DB } from '../../db/schema.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import type { ListingData } from './listing-form.ts';

export const STALE_AFTER_DAYS = 90;

const TERM_CODES = new Map<string, { taxonomy: 'activityType' | 'fiveWays'; code: string }>(
  (['activityType', 'fiveWays'] as const).flatMap((taxonomy) =>
    Object.entries(LINKWELL_TAXONOMIES[taxonomy].terms).map(([code, t]) => [t.id, { taxonomy, code }] as const),
  ),
);

/** The listings the actor may edit, with staleness and review state. */
export async function listEditableServices(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .innerJoin('organisation as lo', 'lo.id', 'o.linkwell_organisation_id')
    .select([
      's.id',
      's.name',
      's.status',
      's.lw_last_checked_at',
      'o.name as organizationName',
      'lo.id as linkwellOrganisationId',
      sql<boolean>`s.lw_last_checked_at < now() - make_interval(days => ${STALE_AFTER_DAYS})`.as('stale'),
      sql<boolean>`exists (select 1 from dir_service_version v where v.service_id = s.id and v.state = 'pending')`.as('pending'),
    ])
    .where(inScope(actor, 'directory.edit', 'o.linkwell_organisation_id'))
    .orderBy('o.name')
    .orderBy('s.name')
    .execute();
}

/** One listing the actor may edit, or undefined. */
export async function findEditableService(db: Kysely<DB>, actor: Actor, serviceId: string) {
  return db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .innerJoin('organisation as lo', 'lo.id', 'o.linkwell_organisation_id')
    .selectAll('s')
    .select(['o.name as organizationName', 'lo.id as linkwellOrganisationId', 'lo.directory_review_required as reviewRequired'])
    .where('s.id', '=', serviceId)
    .where(inScope(actor, 'directory.edit', 'o.linkwell_organisation_id'))
    .executeTakeFirst();
}

/** The listing as the form and the version history see it. */
export async function loadListingData(db: Kysely<DB>, serviceId: string): Promise<ListingData> {
  const s = await db.selectFrom('dir_service').selectAll().where('id', '=', serviceId).executeTakeFirstOrThrow();
  const terms = await db.selectFrom('dir_attribute').select('taxonomy_term_id').where('link_id', '=', serviceId).execute();
  const venue = await db
    .selectFrom('dir_service_at_location as sal')
    .innerJoin('dir_location as l', 'l.id', 'sal.location_id')
    .leftJoin('dir_address as a', 'a.location_id', 'l.id')
    .select(['l.name', 'a.address_1', 'a.city', 'a.postal_code'])
    .where('sal.service_id', '=', serviceId)
    .where('l.location_type', '=', 'physical')
    .orderBy('sal.id')
    .executeTakeFirst();
  const codes = terms.map((t) => TERM_CODES.get(t.taxonomy_term_id)).filter((c) => c !== undefined);
  return {
    name: s.name,
    description: s.description ?? '',
    status: s.status === 'defunct' ? 'inactive' : s.status,
    activityTypes: codes.filter((c) => c.taxonomy === 'activityType').map((c) => c.code),
    fiveWays: codes.filter((c) => c.taxonomy === 'fiveWays').map((c) => c.code),
    level: s.lw_level,
    subject: s.lw_subject,
    qualification: s.lw_qualification,
    feeFull: s.lw_fee_full,
    feeConcession: s.lw_fee_concession,
    free: s.lw_free,
    feeWaived: s.lw_fee_waived_for_social_prescribing,
    eligibility: s.lw_eligibility,
    documentsToBring: s.lw_documents_to_bring,
    minimumAge: s.minimum_age === null ? null : Number(s.minimum_age),
    maximumAge: s.maximum_age === null ? null : Number(s.maximum_age),
    oneToOneSupport: s.lw_one_to_one_support,
    companionWelcome: s.lw_companion_welcome,
    stepFree: s.lw_step_free,
    hearingLoop: s.lw_hearing_loop,
    womenOnly: s.lw_women_only,
    deliveryLanguage: s.lw_delivery_language,
    accessRoute: s.lw_access_route,
    contactName: s.lw_contact_name,
    contactEmail: s.lw_contact_email,
    contactPhone: s.lw_contact_phone,
    url: s.url,
    venueName: venue?.name ?? null,
    venueAddress: venue?.address_1 ?? null,
    venueTown: venue?.city ?? null,
    venuePostcode: venue?.postal_code ?? null,
  };
}

export async function listVersions(db: Kysely<DB>, serviceId: string) {
  return db
    .selectFrom('dir_service_version as v')
    .leftJoin('app_user as u', 'u.id', 'v.changed_by')
    .leftJoin('app_user as r', 'r.id', 'v.reviewed_by')
    .select(['v.id', 'v.version', 'v.state', 'v.snapshot', 'v.changed_at', 'v.review_note', 'u.display_name as changedBy', 'r.display_name as reviewedBy'])
    .where('v.service_id', '=', serviceId)
    .orderBy('v.version', 'desc')
    .execute();
}

export async function listIntakes(db: Kysely<DB>, serviceId: string) {
  return db.selectFrom('dir_course_intake').selectAll().where('service_id', '=', serviceId).orderBy('start_date').execute();
}

/** Area codes in which the actor curates the directory. */
export async function curatedAreas(db: Kysely<DB>, actor: Actor): Promise<string[] | 'all'> {
  const scope = organisationsWhere(actor, 'directory.curate');
  if (scope === 'all') return 'all';
  if (scope.length === 0) return [];
  const rows = await db.selectFrom('organisation').select('area_code').where('id', 'in', scope).where('area_code', 'is not', null).execute();
  return [...new Set(rows.map((r) => r.area_code!))];
}

/** Pending edits a curator can decide, oldest first. */
export async function listPendingForCurator(db: Kysely<DB>, actor: Actor) {
  const areas = await curatedAreas(db, actor);
  if (areas !== 'all' && areas.length === 0) return [];
  let q = db
    .selectFrom('dir_service_version as v')
    .innerJoin('dir_service as s', 's.id', 'v.service_id')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .innerJoin('organisation as lo', 'lo.id', 'o.linkwell_organisation_id')
    .leftJoin('app_user as u', 'u.id', 'v.changed_by')
    .select(['v.id', 'v.service_id', 'v.version', 'v.snapshot', 'v.changed_at', 's.name as currentName', 'o.name as organizationName', 'u.display_name as changedBy'])
    .where('v.state', '=', 'pending');
  if (areas !== 'all') q = q.where('lo.area_code', 'in', areas);
  return q.orderBy('v.changed_at').execute();
}

/** Provider organisations in the curator's areas, with whether their edits need review. */
export async function listCuratedProviders(db: Kysely<DB>, actor: Actor) {
  const areas = await curatedAreas(db, actor);
  if (areas !== 'all' && areas.length === 0) return [];
  let q = db
    .selectFrom('organisation')
    .select(['id', 'name', 'directory_review_required', 'area_name'])
    .where('type', 'in', ['learning_provider', 'vcse']);
  if (areas !== 'all') q = q.where('area_code', 'in', areas);
  return q.orderBy('name').execute();
}
