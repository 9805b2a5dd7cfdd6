/** Creating organisations: a platform admin's job. */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB, OrganisationType } from '../db/schema.ts';
import { conflict, forbidden } from '../web/problems.ts';

export interface NewOrganisationInput {
  name: string;
  type: OrganisationType;
  odsCode: string | null;
  areaCode: string | null;
  areaName: string | null;
}

export async function createOrganisation(db: Kysely<DB>, ctx: AuditContext, actor: Actor | null, input: NewOrganisationInput) {
  if (actor && !actor.isPlatformAdmin) throw forbidden('Only a platform admin can add organisations.');
  return db.transaction().execute(async (trx) => {
    if (input.odsCode) {
      const clash = await trx.selectFrom('organisation').select('id').where('ods_code', '=', input.odsCode).executeTakeFirst();
      if (clash) throw conflict(`An organisation with ODS code ${input.odsCode} already exists.`);
    }
    const org = await trx
      .insertInto('organisation')
      .values({
        name: input.name,
        type: input.type,
        ods_code: input.odsCode,
        area_code: input.areaCode,
        area_name: input.areaName,
        parent_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'organisation.create',
      organisationId: org.id,
      role: actor ? 'platform_admin' : null,
      entityType: 'organisation',
      entityId: org.id,
    });
    return org;
  });
}
