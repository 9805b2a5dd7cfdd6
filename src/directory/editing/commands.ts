/**
 * Saving a provider's listing. When the provider's organisation needs review, the edit is kept as
 * a pending version until a curator approves it; otherwise it goes live at once. Either way a
 * version is recorded, so every listing keeps its history.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { grantingMembership } from '../../auth/actor.ts';
import { recordAudit, type AuditContext } from '../../audit/audit.ts';
import type { DB } from '../../db/schema.ts';
import type { PostcodeLookup } from '../../geo/postcodes.ts';
import { forbidden, notFound } from '../../web/problems.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { serviceColumns, type ListingData } from './listing-form.ts';
import { curatedAreas } from './repository.ts';

/** Term ids of Linkwell's own taxonomies: the tags a provider sets (imported tags are left alone). */
const LINKWELL_TERM_IDS = (['activityType', 'fiveWays'] as const).flatMap((t) => Object.values(LINKWELL_TAXONOMIES[t].terms).map((x) => x.id));

function termIds(d: ListingData): string[] {
  const a = LINKWELL_TAXONOMIES.activityType.terms as Record<string, { id: string }>;
  const f = LINKWELL_TAXONOMIES.fiveWays.terms as Record<string, { id: string }>;
  return [...d.activityTypes.map((c) => a[c]!.id), ...d.fiveWays.map((c) => f[c]!.id)];
}

/** Coordinates of the venue's postcode, looked up before the transaction starts. */
export async function venuePoint(postcodes: PostcodeLookup, d: ListingData) {
  if (!d.venuePostcode) return null;
  const found = await postcodes.lookup(d.venuePostcode).catch(() => null);
  return found ? { latitude: found.latitude, longitude: found.longitude } : null;
}

/** Makes the directory rows match the listing data. */
export async function applyListing(
  trx: Transaction<DB>,
  serviceId: string,
  d: ListingData,
  point: { latitude: number; longitude: number } | null,
): Promise<void> {
  await trx
    .updateTable('dir_service')
    .set({ ...serviceColumns(d), last_modified: new Date(), lw_last_checked_at: new Date(), assured_date: sql`current_date` })
    .where('id', '=', serviceId)
    .execute();
  await trx.deleteFrom('dir_attribute').where('link_id', '=', serviceId).where('taxonomy_term_id', 'in', LINKWELL_TERM_IDS).execute();
  const ids = termIds(d);
  if (ids.length) {
    await trx
      .insertInto('dir_attribute')
      .values(ids.map((t) => ({ id: randomUUID(), link_id: serviceId, link_type: 'service', taxonomy_term_id: t })))
      .execute();
  }
  await applyVenue(trx, serviceId, d, point);
}

async function applyVenue(trx: Transaction<DB>, serviceId: string, d: ListingData, point: { latitude: number; longitude: number } | null) {
  const existing = await trx
    .selectFrom('dir_service_at_location as sal')
    .innerJoin('dir_location as l', 'l.id', 'sal.location_id')
    .select(['sal.id as salId', 'l.id as locationId'])
    .where('sal.service_id', '=', serviceId)
    .where('l.location_type', '=', 'physical')
    .orderBy('sal.id')
    .executeTakeFirst();
  if (!d.venueAddress || !d.venueTown || !d.venuePostcode) {
    if (existing) await trx.deleteFrom('dir_service_at_location').where('id', '=', existing.salId).execute();
    return;
  }
  const locationId = existing?.locationId ?? randomUUID();
  const location = {
    name: d.venueName,
    latitude: point?.latitude ?? null,
    longitude: point?.longitude ?? null,
    last_modified: new Date(),
  };
  if (existing) {
    await trx.updateTable('dir_location').set(location).where('id', '=', locationId).execute();
    await trx.deleteFrom('dir_address').where('location_id', '=', locationId).execute();
  } else {
    const org = await trx.selectFrom('dir_service').select('organization_id').where('id', '=', serviceId).executeTakeFirstOrThrow();
    await trx.insertInto('dir_location').values({ id: locationId, location_type: 'physical', organization_id: org.organization_id, ...location }).execute();
    await trx.insertInto('dir_service_at_location').values({ id: randomUUID(), service_id: serviceId, location_id: locationId }).execute();
  }
  await trx
    .insertInto('dir_address')
    .values({ id: randomUUID(), location_id: locationId, address_1: d.venueAddress, city: d.venueTown, postal_code: d.venuePostcode, country: 'GB', address_type: 'physical' })
    .execute();
}

async function nextVersion(trx: Transaction<DB>, serviceId: string): Promise<number> {
  const row = await trx
    .selectFrom('dir_service_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('service_id', '=', serviceId)
    .executeTakeFirst();
  return Number(row?.v ?? 0) + 1;
}

async function recordVersion(trx: Transaction<DB>, serviceId: string, d: ListingData, state: 'published' | 'pending', actorId: string) {
  if (state === 'published') {
    await trx.updateTable('dir_service_version').set({ state: 'superseded' }).where('service_id', '=', serviceId).where('state', '=', 'published').execute();
  }
  // A newer pending edit replaces an older one.
  await trx.updateTable('dir_service_version').set({ state: 'superseded' }).where('service_id', '=', serviceId).where('state', '=', 'pending').execute();
  await trx
    .insertInto('dir_service_version')
    .values({ service_id: serviceId, version: await nextVersion(trx, serviceId), state, snapshot: JSON.stringify(d), changed_by: actorId })
    .execute();
}

/** The directory organisation for a Linkwell organisation, created on first use. */
async function directoryOrganisationFor(trx: Transaction<DB>, linkwellOrganisationId: string): Promise<string> {
  const found = await trx.selectFrom('dir_organization').select('id').where('linkwell_organisation_id', '=', linkwellOrganisationId).executeTakeFirst();
  if (found) return found.id;
  const org = await trx.selectFrom('organisation').select(['name']).where('id', '=', linkwellOrganisationId).executeTakeFirstOrThrow();
  const id = randomUUID();
  await trx.insertInto('dir_organization').values({ id, name: org.name, description: org.name, linkwell_organisation_id: linkwellOrganisationId }).execute();
  return id;
}

export interface SaveResult {
  serviceId: string;
  state: 'published' | 'pending';
}

/** Creates a listing for one of the actor's organisations. */
export async function createListing(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  linkwellOrganisationId: string,
  d: ListingData,
  point: { latitude: number; longitude: number } | null,
): Promise<SaveResult> {
  const grant = grantingMembership(actor, 'directory.edit', linkwellOrganisationId);
  if (!grant) throw forbidden('You cannot add listings for this organisation.');
  return db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organisation').select('directory_review_required').where('id', '=', linkwellOrganisationId).executeTakeFirstOrThrow();
    const organizationId = await directoryOrganisationFor(trx, linkwellOrganisationId);
    const serviceId = randomUUID();
    const state = org.directory_review_required ? 'pending' : 'published';
    // Under review, the new listing exists but is not shown ('inactive') until a curator approves it.
    await trx
      .insertInto('dir_service')
      .values({ id: serviceId, organization_id: organizationId, ...serviceColumns(d), status: state === 'pending' ? 'inactive' : d.status })
      .execute();
    if (state === 'published') await applyListing(trx, serviceId, d, point);
    await recordVersion(trx, serviceId, d, state, actor.userId);
    await recordAudit(trx, ctx, { action: 'directory.listing.create', ...grant, entityType: 'dir_service', entityId: serviceId, details: { state } });
    return { serviceId, state };
  });
}

/** Saves an edit: live at once, or pending review. */
export async function updateListing(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  serviceId: string,
  linkwellOrganisationId: string,
  d: ListingData,
  point: { latitude: number; longitude: number } | null,
): Promise<SaveResult> {
  const grant = grantingMembership(actor, 'directory.edit', linkwellOrganisationId);
  if (!grant) throw forbidden('You cannot edit this listing.');
  return db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organisation').select('directory_review_required').where('id', '=', linkwellOrganisationId).executeTakeFirstOrThrow();
    const state = org.directory_review_required ? 'pending' : 'published';
    if (state === 'published') await applyListing(trx, serviceId, d, point);
    await recordVersion(trx, serviceId, d, state, actor.userId);
    await recordAudit(trx, ctx, { action: 'directory.listing.update', ...grant, entityType: 'dir_service', entityId: serviceId, details: { state } });
    return { serviceId, state };
  });
}

/** "This listing is still correct": resets the staleness clock without changing anything else. */
export async function confirmListing(db: Kysely<DB>, ctx: AuditContext, actor: Actor, serviceId: string, linkwellOrganisationId: string) {
  const grant = grantingMembership(actor, 'directory.edit', linkwellOrganisationId);
  if (!grant) throw forbidden('You cannot confirm this listing.');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('dir_service').set({ lw_last_checked_at: new Date(), assured_date: sql`current_date` }).where('id', '=', serviceId).execute();
    await recordAudit(trx, ctx, { action: 'directory.listing.confirm', ...grant, entityType: 'dir_service', entityId: serviceId });
  });
}

/** A curator approves or rejects a pending edit of a provider in their area. */
export async function decidePendingVersion(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  versionId: string,
  decision: 'approve' | 'reject',
  note: string | null,
  postcodes: PostcodeLookup,
): Promise<{ serviceId: string }> {
  const areas = await curatedAreas(db, actor);
  const pending = await db
    .selectFrom('dir_service_version as v')
    .innerJoin('dir_service as s', 's.id', 'v.service_id')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .innerJoin('organisation as lo', 'lo.id', 'o.linkwell_organisation_id')
    .select(['v.id', 'v.service_id', 'v.snapshot', 'lo.area_code', 'lo.id as linkwellOrganisationId'])
    .where('v.id', '=', versionId)
    .where('v.state', '=', 'pending')
    .executeTakeFirst();
  if (!pending || (areas !== 'all' && !areas.includes(pending.area_code ?? ''))) throw notFound('There is no such edit waiting for your review.');
  const data = pending.snapshot as ListingData;
  const point = decision === 'approve' ? await venuePoint(postcodes, data) : null;
  return db.transaction().execute(async (trx) => {
    if (decision === 'approve') {
      await applyListing(trx, pending.service_id, data, point);
      await trx.updateTable('dir_service_version').set({ state: 'superseded' }).where('service_id', '=', pending.service_id).where('state', '=', 'published').execute();
    }
    await trx
      .updateTable('dir_service_version')
      .set({ state: decision === 'approve' ? 'published' : 'rejected', reviewed_by: actor.userId, reviewed_at: new Date(), review_note: note })
      .where('id', '=', versionId)
      .execute();
    const curatorOrg = actor.memberships.find((m) => m.role === 'directory_curator');
    await recordAudit(trx, ctx, {
      action: decision === 'approve' ? 'directory.listing.approve' : 'directory.listing.reject',
      organisationId: curatorOrg?.organisationId ?? null,
      role: curatorOrg ? 'directory_curator' : null,
      entityType: 'dir_service',
      entityId: pending.service_id,
    });
    return { serviceId: pending.service_id };
  });
}

/** A curator turns review on or off for a provider organisation in their area. */
export async function setReviewRequired(db: Kysely<DB>, ctx: AuditContext, actor: Actor, organisationId: string, required: boolean) {
  const areas = await curatedAreas(db, actor);
  const org = await db.selectFrom('organisation').select(['id', 'area_code']).where('id', '=', organisationId).executeTakeFirst();
  if (!org || (areas !== 'all' && !areas.includes(org.area_code ?? ''))) throw notFound('There is no such provider in your area.');
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('organisation').set({ directory_review_required: required }).where('id', '=', organisationId).execute();
    await recordAudit(trx, ctx, { action: 'directory.review-required.set', entityType: 'organisation', entityId: organisationId, details: { required } });
  });
}
