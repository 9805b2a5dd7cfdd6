/** The directory feeds pages, through the real application with a signed-in browser. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';

let t: TestApp;
let server: http.Server;
let feedUrl: string;
let admin: TestUser;
let curator: TestUser;
let linkWorker: TestUser;

beforeAll(async () => {
  t = await buildTestApp();
  server = http.createServer((_req, res) => {
    const organization = { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7eff', name: 'Page Test Charity', description: '' };
    const contents = [
      { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e01', name: 'Gardening club', description: '<p>Grow <i>food</i>.</p>', organization },
      { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e02', name: 'Book group', email: 'not an email', organization },
      { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e03', name: '', organization },
    ];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ total_items: 3, total_pages: 1, page_number: 1, contents }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services`;
  const org = await makeOrganisation(t.database.db, 'social_prescribing_service');
  admin = await makeUser(t.database.db, { platformAdmin: true, withTotp: true });
  curator = await makeUser(t.database.db, { roles: [[org.id, 'directory_curator']] });
  linkWorker = await makeUser(t.database.db, { roles: [[org.id, 'link_worker']], withTotp: true });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t.close();
});

describe('directory feeds page', () => {
  it('lets a platform admin register a feed, with clear errors and answers kept', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(admin);
    const empty = await b.get('/directory/feeds');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No feeds are registered yet.');

    const bad = await b.post('/directory/feeds', { name: '', url: 'ftp://files.example.org/list' }, '/directory/feeds');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter a name for the feed');
    expect(bad.body).toContain('Enter a web address starting with https:// or http://');
    expect(bad.body).toContain('value="ftp://files.example.org/list"');

    const ok = await b.post('/directory/feeds', { name: 'Borough directory', url: feedUrl }, '/directory/feeds');
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/directory/feeds');
    const list = await b.get('/directory/feeds');
    expect(list.body).toContain('Borough directory has been registered');
    expect(list.body).toContain(feedUrl);
    expect(list.body).toContain('Not synced yet');

    const again = await b.post('/directory/feeds', { name: 'Same again', url: feedUrl }, '/directory/feeds');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This address is already registered, as &quot;Borough directory&quot;.');
  });

  it('syncs a feed with "Sync now" and shows the summary, rejections and warnings', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(admin);
    const feed = await t.database.db.selectFrom('dir_feed').select('id').where('url', '=', feedUrl).executeTakeFirstOrThrow();
    const res = await b.post(`/directory/feeds/${feed.id}/sync`, {}, '/directory/feeds');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/directory/feeds/${feed.id}`);
    const page = await b.get(`/directory/feeds/${feed.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Import finished: 2 created, 0 updated, 0 unchanged, 1 rejected.');
    expect(page.body).toContain('It has no name.');
    expect(page.body).toContain('It is not a valid email address and was left out.');
    expect(page.body).not.toContain('not an email');
    const list = await b.get('/directory/feeds');
    expect(list.body).toContain('2 created, 0 updated, 0 unchanged, 1 rejected');
    expect(list.body).toContain('ORUK 3.0');
    const svc = await t.database.db.selectFrom('dir_service').select(['description', 'source_feed_id']).where('name', '=', 'Gardening club').executeTakeFirstOrThrow();
    expect(svc).toEqual({ description: 'Grow food.', source_feed_id: feed.id });
    const events = await t.database.db.selectFrom('audit_event').select(['action', 'actor_user_id', 'role']).where('action', 'like', 'directory.%').orderBy('seq').execute();
    expect(events).toEqual([
      { action: 'directory.feed.register', actor_user_id: admin.id, role: 'platform_admin' },
      { action: 'directory.import', actor_user_id: admin.id, role: 'platform_admin' },
    ]);
  });

  it('is open to directory curators, and to nobody else', async () => {
    const c = new TestBrowser(t.app);
    await c.signIn(curator);
    expect((await c.get('/directory/feeds')).statusCode).toBe(200);

    const w = new TestBrowser(t.app);
    await w.signIn(linkWorker);
    expect((await w.get('/directory/feeds')).statusCode).toBe(403);
    const feed = await t.database.db.selectFrom('dir_feed').select('id').executeTakeFirstOrThrow();
    expect((await w.get(`/directory/feeds/${feed.id}`)).statusCode).toBe(403);
    const csrf = await w.csrfToken('/account');
    expect((await w.postRaw(`/directory/feeds/${feed.id}/sync`, { _csrf: csrf })).statusCode).toBe(403);
    expect((await w.postRaw('/directory/feeds', { _csrf: csrf, name: 'Sneaky', url: 'https://example.org/services' })).statusCode).toBe(403);
    expect(await t.database.db.selectFrom('dir_feed').select('name').where('name', '=', 'Sneaky').executeTakeFirst()).toBeUndefined();

    expect((await c.get('/directory/feeds/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await c.get('/directory/feeds/not-an-id')).statusCode).toBe(404);
  });
});
