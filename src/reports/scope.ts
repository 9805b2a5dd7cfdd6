/**
 * Who sees which figures, decided in the data layer (deny by default). From the actor's
 * memberships that grant `reports.view`:
 *
 * - service_manager: every episode of their social prescribing service(s), not suppressed;
 * - link_worker: the episodes allocated to them in their service(s), not suppressed;
 * - provider_staff: the onward referrals (not signposts) sent to their organisation(s) and the
 *   measures the provider took — never the rest of the episode, which a provider does not see;
 * - commissioner: every organisation in their commissioner organisation's area — organisations
 *   whose area_code is that area (a region code such as E12000007 stands for its boroughs) and
 *   the commissioner organisation's child organisations — always suppressed.
 *
 * Several roles give the union. Holding the commissioner role at all makes the figures
 * suppressed (the dashboards run each role on its own, so a manager who is also a commissioner
 * still sees their own service unsuppressed on the manager's dashboard).
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { roleGrants } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { LONDON_AREAS } from '../organisations/areas.ts';

export interface ReportScope {
  userId: string;
  /** Services all of whose episodes are in scope. */
  serviceIds: string[];
  /** Services where only the episodes allocated to the user are in scope. */
  workerServiceIds: string[];
  /** Providers whose onward referrals (not signposts) and measures are in scope. */
  providerIds: string[];
  /** Organisations the caller may name in the organisationId filter. */
  organisationIds: Set<string>;
  /** Local authorities the caller's figures are about, for the population and the supply of places. */
  areas: string[];
  /** True when the caller sees aggregates only: small numbers are suppressed. */
  aggregateOnly: boolean;
}

/** Region codes that stand for their local authorities. */
export const REGION_AREAS: Record<string, readonly string[]> = {
  E12000007: LONDON_AREAS.map((a) => a.code),
};

/** The local authorities an area code stands for. */
export function expandArea(code: string | null): string[] {
  if (!code) return [];
  return [...(REGION_AREAS[code] ?? [code])];
}

/** The caller's scope. Empty (everything false) when no membership grants reports.view. */
export async function resolveReportScope(db: Kysely<DB>, actor: Actor): Promise<ReportScope> {
  const granted = actor.memberships.filter((m) => roleGrants(m.role, 'reports.view'));
  const ids = (role: string) => [...new Set(granted.filter((m) => m.role === role).map((m) => m.organisationId))];
  const managed = ids('service_manager');
  const worked = ids('link_worker');
  const provided = ids('provider_staff');
  const commissioning = ids('commissioner');
  const own = [...new Set([...managed, ...worked, ...provided, ...commissioning])];

  const orgs = own.length ? await db.selectFrom('organisation').select(['id', 'area_code']).where('id', 'in', own).execute() : [];
  const areaOf = new Map(orgs.map((o) => [o.id, o.area_code]));
  const commissionedAreas = [...new Set(commissioning.flatMap((id) => expandArea(areaOf.get(id) ?? null)))];
  let areaOrgs: string[] = [];
  let areaServices: string[] = [];
  if (commissioning.length) {
    const rows = await db
      .selectFrom('organisation')
      .select(['id', 'type'])
      .where((eb) => eb.or([eb('parent_id', 'in', commissioning), ...(commissionedAreas.length ? [eb('area_code', 'in', commissionedAreas)] : [])]))
      .execute();
    areaOrgs = rows.map((r) => r.id);
    // Episodes belong to social prescribing services only: listing the area's other organisations
    // (a city's 1,800 providers) in every report statement cost ~7 ms of planning each.
    areaServices = rows.filter((r) => r.type === 'social_prescribing_service').map((r) => r.id);
  }
  const serviceIds = [...new Set([...managed, ...areaServices])];
  const providerIds = [...new Set([...provided, ...areaOrgs])];
  const areas = new Set(commissionedAreas);
  for (const id of [...managed, ...worked, ...provided]) for (const a of expandArea(areaOf.get(id) ?? null)) areas.add(a);
  return {
    userId: actor.userId,
    serviceIds,
    workerServiceIds: worked,
    providerIds,
    organisationIds: new Set([...own, ...areaOrgs]),
    areas: [...areas].sort(),
    aggregateOnly: commissioning.length > 0,
  };
}

/** Whether the scope can show anything at all. */
export function scopeIsEmpty(s: ReportScope): boolean {
  return s.serviceIds.length === 0 && s.workerServiceIds.length === 0 && s.providerIds.length === 0;
}
