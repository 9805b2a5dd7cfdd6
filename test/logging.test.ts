/** Request logs: one JSON line per request with its id and route pattern, and no personal data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/app.ts';
import { makeOrganisation, makeUser } from './support/factories.ts';
import { TestBrowser } from './support/http.ts';

let t: TestApp;
const lines: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ LOG_LEVEL: 'info' }, lines);
});
afterAll(async () => {
  await t.close();
});

describe('request logs', () => {
  it('log the route pattern and request id, never emails, names, tokens or query strings', async () => {
    const org = await makeOrganisation(t.database.db);
    const user = await makeUser(t.database.db, { roles: [[org.id, 'commissioner']], email: 'private.person@example.test' });
    const b = new TestBrowser(t.app);
    await b.signIn(user);
    await b.get(`/organisations/${org.id}?search=Private+Person`);
    await b.post('/forgot-password', { email: 'private.person@example.test' }, '/forgot-password');
    await t.app.inject({ url: '/reset-password/secret-token-value' });

    const all = lines.join('');
    expect(all).not.toMatch(/private\.person|Private|secret-token-value|correct horse/i);
    const served = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request served');
    expect(served.length).toBeGreaterThan(5);
    expect(served).toContainEqual(expect.objectContaining({ route: '/organisations/:id', method: 'GET', status: 200 }));
    expect(served).toContainEqual(expect.objectContaining({ route: '/reset-password/:token' }));
    for (const l of served) expect(typeof l.reqId).toBe('string');
  });
});
