/**
 * The organisations a dashboard's filter offers: the social prescribing services and providers
 * in the report scope of the dashboard's role (resolveReportScope, the rule runReport applies), by
 * name. Referrers, practices and commissioning bodies are in a commissioner's scope too, but no
 * report counts by them, so they are not offered.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import type { DB } from '../../db/schema.ts';
import { resolveReportScope } from '../scope.ts';
import type { OrganisationChoice } from './form.ts';

const REPORTED_TYPES = ['social_prescribing_service', 'learning_provider', 'vcse'] as const;

/** `actor` is the dashboard's actor (actorAs), so the choices are those of that role alone. */
export async function organisationChoices(db: Kysely<DB>, actor: Actor): Promise<OrganisationChoice[]> {
  const scope = await resolveReportScope(db, actor);
  const ids = [...scope.organisationIds];
  if (ids.length === 0) return [];
  return db
    .selectFrom('organisation')
    .select(['id', 'name'])
    .where('id', 'in', ids)
    .where('type', 'in', REPORTED_TYPES)
    .orderBy('name')
    .execute();
}
