import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { commandLineContext } from '../audit/audit.ts';

let t: TestApp;
let orgId: string;
let otherOrgId: string;

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await makeOrganisation(t.database.db, 'learning_provider', 'Delta College')).id;
  otherOrgId = (await makeOrganisation(t.database.db, 'vcse', 'Epsilon Gardens')).id;
});
afterAll(async () => {
  await t.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the API with personal tokens', () => {
  it('creates a token in the UI, shows it once, uses it, and revokes it', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'provider_staff']], withTotp: true });
    const b = new TestBrowser(t.app);
    await b.signIn(user);
    const noName = await b.post('/account/tokens', { name: '' }, '/account');
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('Enter a name for the token');
    const created = await b.post('/account/tokens', { name: 'College MIS' }, '/account');
    const token = created.body.match(/id="api-token">(lw_[\w-]+)</)?.[1];
    expect(token).toBeTruthy();
    const stored = await t.database.db.selectFrom('api_token').select('token_hash').where('name', '=', 'College MIS').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token!.slice(3, 20));

    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(token!) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: user.email, memberships: [{ organisationId: orgId, role: 'provider_staff' }] });

    const tokenRow = await t.database.db.selectFrom('api_token').select('id').where('name', '=', 'College MIS').executeTakeFirstOrThrow();
    expect((await b.post(`/account/tokens/${tokenRow.id}/revoke`, {}, '/account')).statusCode).toBe(303);
    const after = await t.app.inject({ url: '/api/v1/me', headers: bearer(token!) });
    expect(after.statusCode).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
    expect(after.json()).toMatchObject({ status: 401, title: 'Unauthorised' });
  });

  it('scopes organisations to the caller', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'provider_staff']] });
    const { token } = await createApiToken(t.database.db, commandLineContext(user.id), user.id, 'test');
    const list = await t.app.inject({ url: '/api/v1/organisations', headers: bearer(token) });
    expect(list.json().data.map((o: { name: string }) => o.name)).toEqual(['Delta College']);
    expect((await t.app.inject({ url: `/api/v1/organisations/${orgId}`, headers: bearer(token) })).statusCode).toBe(200);
    const other = await t.app.inject({ url: `/api/v1/organisations/${otherOrgId}`, headers: bearer(token) });
    expect(other.statusCode).toBe(404);
  });

  it('answers bad input with problem+json naming the field', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'provider_staff']] });
    const { token } = await createApiToken(t.database.db, commandLineContext(user.id), user.id, 'test');
    const res = await t.app.inject({ url: '/api/v1/organisations/not-a-uuid', headers: bearer(token) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, errors: [{ name: 'params.id', detail: 'id must be a UUID' }] });
  });

  it('refuses a made-up token and a missing one', async () => {
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer('lw_made-up') })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
  });

  it('describes itself in OpenAPI 3', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/me', '/api/v1/organisations', '/api/v1/organisations/{id}']));
    expect(Object.keys(spec.paths).some((p: string) => p.startsWith('/sign-in'))).toBe(false);
  });
});

describe('health and request ids', () => {
  it('reports the database reachable and echoes a request id', async () => {
    const res = await t.app.inject({ url: '/health', headers: { 'x-request-id': 'trace-12345678' } });
    expect(res.json()).toMatchObject({ status: 'UP', database: { status: 'UP' } });
    expect(res.headers['x-request-id']).toBe('trace-12345678');
  });
});
