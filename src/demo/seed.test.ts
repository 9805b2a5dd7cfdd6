import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { commandLineContext } from '../audit/audit.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { seedDemo } from './seed.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const count = async (table: 'dir_service' | 'dir_course_intake' | 'app_user' | 'organisation' | 'dir_attribute') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('demo data', () => {
  it('creates the fictional borough once, and seeding again changes nothing', async () => {
    expect((await seedDemo(database.db, commandLineContext())).usersCreated).toBe(11);
    const before = { services: await count('dir_service'), intakes: await count('dir_course_intake'), orgs: await count('organisation'), tags: await count('dir_attribute') };
    expect(before.services).toBeGreaterThanOrEqual(10);
    expect(before.orgs).toBe(9);
    expect((await seedDemo(database.db, commandLineContext())).usersCreated).toBe(0);
    expect({ services: await count('dir_service'), intakes: await count('dir_course_intake'), orgs: await count('organisation'), tags: await count('dir_attribute') }).toEqual(before);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('includes the adult education courses with intakes, linked to the provider', async () => {
    const rows = await database.db
      .selectFrom('dir_service as s')
      .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
      .innerJoin('organisation as lo', 'lo.id', 'o.linkwell_organisation_id')
      .select(['s.name', 'lo.name as provider'])
      .where('lo.type', '=', 'learning_provider')
      .execute();
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['Mindfulness for wellbeing', 'Digital skills for beginners', 'ESOL entry 2', 'Managing money']));
    const intakes = await database.db
      .selectFrom('dir_course_intake as i')
      .innerJoin('dir_service as s', 's.id', 'i.service_id')
      .select(['s.name', 'i.places_left'])
      .where('s.name', '=', 'ESOL entry 2')
      .execute();
    expect(intakes).toEqual([{ name: 'ESOL entry 2', places_left: 0 }]);
  });

  it('includes fictional people with 999-range NHS numbers, at different stages', async () => {
    const people = await database.db
      .selectFrom('person as p')
      .innerJoin('referral as r', 'r.person_id', 'p.id')
      .select(['p.nhs_number', 'r.status'])
      .orderBy('p.nhs_number')
      .execute();
    expect(people.length).toBeGreaterThanOrEqual(3);
    for (const p of people) expect(p.nhs_number).toMatch(/^999/);
    expect(people.map((p) => p.status).sort()).toEqual(['accepted', 'in_progress', 'received']);
    const onward = await database.db.selectFrom('onward_referral').select(['status', 'shared']).executeTakeFirstOrThrow();
    expect(onward.status).toBe('sent');
    expect(JSON.stringify(onward.shared)).not.toContain('999');
  });
});
