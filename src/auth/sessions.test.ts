import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { loadActor } from './actor.ts';
import { createSession, findSession } from './sessions.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('finding the session and its person (one statement per request)', () => {
  it('gives the person with every live membership in a live organisation, in order of organisation name', async () => {
    const db = database.db;
    const zebra = await makeOrganisation(db, 'learning_provider', 'Zebra Learning');
    const apple = await makeOrganisation(db, 'social_prescribing_service', 'Apple Links');
    const closed = await makeOrganisation(db, 'vcse', 'Closed Charity');
    const user = await makeUser(db, { roles: [[zebra.id, 'provider_staff'], [apple.id, 'link_worker'], [apple.id, 'service_manager'], [closed.id, 'provider_staff']] });
    await db.updateTable('organisation').set({ active: false }).where('id', '=', closed.id).execute();
    await db.updateTable('membership').set({ active: false }).where('user_id', '=', user.id).where('role', '=', 'service_manager').execute();

    const { token } = await createSession(db, user.id, true);
    const found = await findSession(db, token, 30);
    expect(found?.session).toMatchObject({ userId: user.id, twoFactorPassed: true, pendingTotpSecret: null });
    expect(found?.actor.memberships).toEqual([
      { organisationId: apple.id, organisationName: 'Apple Links', organisationType: 'social_prescribing_service', role: 'link_worker' },
      { organisationId: zebra.id, organisationName: 'Zebra Learning', organisationType: 'learning_provider', role: 'provider_staff' },
    ]);
    expect(found?.actor).toEqual(await loadActor(db, user.id));
  });

  it('gives a person with no memberships an empty list, and refuses an unknown token', async () => {
    const db = database.db;
    const user = await makeUser(db);
    const { token } = await createSession(db, user.id, false);
    const found = await findSession(db, token, 30);
    expect(found?.actor.memberships).toEqual([]);
    expect(found?.actor.userId).toBe(user.id);
    expect(await findSession(db, `${token}x`, 30)).toBeNull();
  });

  it('ends the session of a deactivated account, and an idle one', async () => {
    const db = database.db;
    const org = await makeOrganisation(db);
    const gone = await makeUser(db, { roles: [[org.id, 'link_worker']] });
    const a = await createSession(db, gone.id, true);
    await db.updateTable('app_user').set({ active: false }).where('id', '=', gone.id).execute();
    expect(await findSession(db, a.token, 30)).toBeNull();
    expect(await db.selectFrom('user_session').select('id_hash').where('id_hash', '=', a.session.idHash).executeTakeFirst()).toBeUndefined();

    const idle = await makeUser(db, { roles: [[org.id, 'link_worker']] });
    const b = await createSession(db, idle.id, true);
    await db.updateTable('user_session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('id_hash', '=', b.session.idHash).execute();
    expect(await findSession(db, b.token, 30)).toBeNull();
    expect(await db.selectFrom('user_session').select('id_hash').where('id_hash', '=', b.session.idHash).executeTakeFirst()).toBeUndefined();
  });
});
