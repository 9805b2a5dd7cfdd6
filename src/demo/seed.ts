/**
 * Demonstration data: one fictional London borough's social prescribing system. Idempotent: what
 * already exists is left alone, so it can be run any number of times.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, OrganisationType, Role } from '../db/schema.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import { seedDemoDirectory } from './directory.ts';
import { seedDemoPeople } from './people.ts';

/** Printed at start-up in demo mode; refused in production (demo mode cannot be on there). */
export const DEMO_PASSWORD = 'linkwell demo borough';
export const DEMO_AREA = { code: 'E09000028', name: 'Southwark' };

interface DemoOrg {
  key: string;
  name: string;
  type: OrganisationType;
  odsCode: string | null;
  parent?: string;
}

const ORGS: DemoOrg[] = [
  { key: 'pcn', name: 'Riverside Primary Care Network (demo)', type: 'primary_care_network', odsCode: 'U99001' },
  { key: 'gp1', name: 'Canal Street Surgery (demo)', type: 'gp_practice', odsCode: 'Y99001', parent: 'pcn' },
  { key: 'gp2', name: 'Peckham Green Medical Centre (demo)', type: 'gp_practice', odsCode: 'Y99002', parent: 'pcn' },
  { key: 'gp3', name: 'Bermondsey Health Practice (demo)', type: 'gp_practice', odsCode: 'Y99003', parent: 'pcn' },
  { key: 'sps', name: 'Southwark Community Links (demo)', type: 'social_prescribing_service', odsCode: null },
  { key: 'ace', name: 'Southwark Adult Learning (demo)', type: 'learning_provider', odsCode: null },
  { key: 'arts', name: 'Open Door Arts Collective (demo)', type: 'vcse', odsCode: null },
  { key: 'garden', name: 'Grow Together Community Gardens (demo)', type: 'vcse', odsCode: null },
  { key: 'icb', name: 'South East London Commissioning (demo)', type: 'commissioner', odsCode: null },
];

interface DemoUser {
  email: string;
  name: string;
  platformAdmin?: boolean;
  roles: [string, Role][];
}

export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@demo.linkwell.test', name: 'Alex Admin', platformAdmin: true, roles: [] },
  { email: 'gp@demo.linkwell.test', name: 'Dr Priya Shah', roles: [['gp1', 'referrer']] },
  { email: 'manager@demo.linkwell.test', name: 'Morgan Ellis', roles: [['sps', 'service_manager'], ['sps', 'org_admin']] },
  { email: 'linkworker@demo.linkwell.test', name: 'Sam Okafor', roles: [['sps', 'link_worker']] },
  { email: 'linkworker2@demo.linkwell.test', name: 'Jo Kowalski', roles: [['sps', 'link_worker']] },
  { email: 'linkworker3@demo.linkwell.test', name: 'Rui Costa', roles: [['sps', 'link_worker']] },
  { email: 'provider@demo.linkwell.test', name: 'Hannah Reid', roles: [['ace', 'provider_staff'], ['ace', 'org_admin']] },
  { email: 'vcse@demo.linkwell.test', name: 'Kwame Asante', roles: [['arts', 'provider_staff']] },
  { email: 'gardens@demo.linkwell.test', name: 'Lily Chen', roles: [['garden', 'provider_staff']] },
  { email: 'commissioner@demo.linkwell.test', name: 'Chris Morgan', roles: [['icb', 'commissioner']] },
  { email: 'curator@demo.linkwell.test', name: 'Dana Price', roles: [['sps', 'directory_curator']] },
];

async function upsertOrg(trx: Transaction<DB>, org: DemoOrg, parentId: string | null): Promise<string> {
  const existing = await trx.selectFrom('organisation').select('id').where('name', '=', org.name).executeTakeFirst();
  if (existing) return existing.id;
  const row = await trx
    .insertInto('organisation')
    .values({
      name: org.name,
      type: org.type,
      ods_code: org.odsCode,
      area_code: DEMO_AREA.code,
      area_name: DEMO_AREA.name,
      parent_id: parentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates whatever of the demo data is missing; returns how many accounts were created. */
export async function seedDemo(db: Kysely<DB>, ctx: AuditContext): Promise<{ usersCreated: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const result = await db.transaction().execute(async (trx) => {
    const ids: Record<string, string> = {};
    for (const org of ORGS) ids[org.key] = await upsertOrg(trx, org, org.parent ? (ids[org.parent] ?? null) : null);
    let usersCreated = 0;
    for (const u of DEMO_USERS) {
      let user = await trx.selectFrom('app_user').select('id').where(sql`lower(email)`, '=', u.email).executeTakeFirst();
      if (!user) {
        user = await trx
          .insertInto('app_user')
          .values({ email: u.email, display_name: u.name, password_hash: passwordHash, is_platform_admin: u.platformAdmin ?? false })
          .returning('id')
          .executeTakeFirstOrThrow();
        usersCreated++;
      }
      for (const [orgKey, role] of u.roles) {
        await trx
          .insertInto('membership')
          .values({ user_id: user.id, organisation_id: ids[orgKey]!, role })
          .onConflict((oc) => oc.columns(['user_id', 'organisation_id', 'role']).doNothing())
          .execute();
      }
    }
    await seedDemoDirectory(trx, ids);
    await recordAudit(trx, ctx, { action: 'demo.seed', details: { usersCreated } });
    return { usersCreated, serviceId: ids.sps!, providerId: ids.ace! };
  });
  // People are referred through the same commands staff use, each in its own transaction.
  await seedDemoPeople(db, result.serviceId, result.providerId);
  return { usersCreated: result.usersCreated };
}

export async function isEmpty(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('organisation').select('id').limit(1).executeTakeFirst();
  return !row;
}
