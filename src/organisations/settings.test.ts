import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('organisation settings', () => {
  it('lets a provider’s admin set the reply window and automatic decline, with clear errors', async () => {
    const college = await makeOrganisation(t.database.db, 'learning_provider');
    const admin = await makeUser(t.database.db, { roles: [[college.id, 'org_admin']], withTotp: true });
    const b = new TestBrowser(t.app);
    await b.signIn(admin);
    const page = `/organisations/${college.id}/settings`;
    const bad = await b.post(page, { caseloadTarget: '30', responseWindowDays: '0' }, page);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Reply within must be at least 1 working day');
    expect((await b.post(page, { caseloadTarget: '25', responseWindowDays: '5', autoDecline: 'yes' }, page)).statusCode).toBe(303);
    const row = await t.database.db.selectFrom('organisation').select(['caseload_target', 'response_window_days', 'auto_decline_overdue']).where('id', '=', college.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ caseload_target: 25, response_window_days: 5, auto_decline_overdue: true });
  });

  it('is not found for staff without the role, or for another organisation', async () => {
    const service = await makeOrganisation(t.database.db, 'social_prescribing_service');
    const other = await makeOrganisation(t.database.db, 'social_prescribing_service');
    const worker = await makeUser(t.database.db, { roles: [[service.id, 'link_worker']], withTotp: true });
    const manager = await makeUser(t.database.db, { roles: [[service.id, 'service_manager']], withTotp: true });
    const w = new TestBrowser(t.app);
    await w.signIn(worker);
    expect((await w.get(`/organisations/${service.id}/settings`)).statusCode).toBe(404);
    const m = new TestBrowser(t.app);
    await m.signIn(manager);
    expect((await m.get(`/organisations/${service.id}/settings`)).statusCode).toBe(200);
    expect((await m.get(`/organisations/${other.id}/settings`)).statusCode).toBe(404);
  });
});
