/**
 * Importing from paged HTTP feeds served by a real server on 127.0.0.1: following pages, ORUK 1.0
 * and 3.0 envelopes, the API root, registered feeds synced with modified_after, and the ways a
 * feed can fail (a timeout, an error page, too many pages, paging ignored, a private address).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { findFeed, registerFeed, syncFeed } from './feeds.ts';
import { importOruk } from './importer.ts';
import { commandLineContext } from '../../audit/audit.ts';

let t: TestDatabase;
let base: string;
let server: http.Server;
const requests: URL[] = [];

const organization = { id: '0f1e2d3c-4b5a-4968-8776-655443322101', name: 'Feed Test Trust', description: 'A charity.' };
const service = (n: number) => ({
  id: `0f1e2d3c-4b5a-4968-8776-6554433221${String(n).padStart(2, '0')}`,
  name: `Feed service ${n}`,
  description: `<p>Service number ${n}</p>`,
  status: 'active',
  organization,
  schedules: [{ id: `1f1e2d3c-4b5a-4968-8776-6554433221${String(n).padStart(2, '0')}`, freq: 'WEEKLY', byday: 'MO', opens_at: '10:00' }],
});

/** A 3.0 page of `per` services out of `pages` pages. */
function page30(n: number, pages: number, per = 2, offset = 0) {
  const contents = Array.from({ length: per }, (_, i) => service(offset + (n - 1) * per + i + 1));
  return { total_items: pages * per, total_pages: pages, page_number: n, size: per, first_page: n === 1, last_page: n === pages, empty: false, contents };
}

function send(res: http.ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  t = await createTestDatabase();
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const n = Number(url.searchParams.get('page') ?? '1');
    switch (url.pathname) {
      case '/v3/services':
        return send(res, page30(n, 3));
      case '/v1/services': {
        const content = [1, 2].map((i) => {
          const { schedules: _threeZero, ...rest } = service(20 + (n - 1) * 2 + i);
          return { ...rest, id: String(100 + (n - 1) * 2 + i), regular_schedules: [{ id: `rs${n}${i}`, weekday: 'Tuesday', opens_at: '13:00', closes_at: '15:00' }] };
        });
        return send(res, { totalElements: 4, totalPages: 2, number: n, size: 2, first: n === 1, last: n === 2, content });
      }
      case '/api':
        return send(res, { version: 'HSDS-UK-3.0', profile: 'https://openreferraluk.org', openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json' });
      case '/api/services':
        return send(res, page30(n, 1, 1, 40));
      case '/slow':
        return; // never answers
      case '/broken-second-page/services':
        return n === 1 ? send(res, page30(1, 3, 2, 50)) : send(res, { error: 'oops' }, 500);
      case '/endless/services':
        return send(res, page30(n, 1000, 1, 60 + n));
      case '/no-paging/services':
        return send(res, page30(1, 5, 2, 80));
      default:
        return send(res, { error: 'not found' }, 404);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await t.close();
});

const open = { allowPrivateAddresses: true };
const pagesRequested = (path: string) => requests.filter((r) => r.pathname === path).map((r) => r.searchParams.get('page'));

describe('a paged HTTP feed', () => {
  it('follows every page of an ORUK 3.0 feed, asking for full records', async () => {
    const s = await importOruk(t, `${base}/v3/services`, open);
    expect(s).toMatchObject({ complete: true, created: 6, rejected: 0, source: { kind: 'url', format: '3.0', shape: 'page', pages: 3 } });
    expect(pagesRequested('/v3/services')).toEqual(['1', '2', '3']);
    expect(requests.find((r) => r.pathname === '/v3/services')!.searchParams.get('full')).toBe('true');
    const svc = await t.db.selectFrom('dir_service').select(['name', 'description']).where('name', '=', 'Feed service 6').executeTakeFirstOrThrow();
    expect(svc.description).toBe('Service number 6');
  });

  it('follows the pages of an ORUK 1.0 feed (content, totalPages)', async () => {
    const s = await importOruk(t, `${base}/v1/services`, open);
    expect(s).toMatchObject({ complete: true, created: 4, source: { format: '1.0', pages: 2 } });
    expect(pagesRequested('/v1/services')).toEqual(['1', '2']);
  });

  it('finds the services list from the API root', async () => {
    const s = await importOruk(t, `${base}/api`, open);
    expect(s).toMatchObject({ complete: true, created: 1 });
    expect(requests.some((r) => r.pathname === '/api/services')).toBe(true);
  });
});

describe('a feed that fails', () => {
  it('gives up on a request after its time limit, saying so', async () => {
    const started = Date.now();
    const s = await importOruk(t, `${base}/slow`, { ...open, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(s).toMatchObject({ complete: false, created: 0 });
    expect(s.errors).toEqual(['Page 1 did not answer within 0.3 seconds.']);
  });

  it('keeps the pages read before a page fails', async () => {
    const s = await importOruk(t, `${base}/broken-second-page/services`, open);
    expect(s).toMatchObject({ complete: false, created: 2 });
    expect(s.errors).toEqual(['Page 2 answered with HTTP status 500.']);
    const events = await t.db.selectFrom('audit_event').select(['outcome']).where('action', '=', 'directory.import').orderBy('seq', 'desc').limit(1).execute();
    expect(events[0]!.outcome).toBe('failure');
  });

  it('stops at the page cap, and when a feed ignores the page number', async () => {
    const capped = await importOruk(t, `${base}/endless/services`, { ...open, maxPages: 2 });
    expect(capped).toMatchObject({ complete: false, created: 2 });
    expect(capped.errors[0]).toBe('The feed has more than 2 pages; the import stopped there.');
    const same = await importOruk(t, `${base}/no-paging/services`, open);
    expect(same).toMatchObject({ complete: false, created: 2 });
    expect(same.errors[0]).toContain('Page 2 repeats page 1');
  });

  it('does not fetch from private or loopback addresses unless allowed', async () => {
    const s = await importOruk(t, `${base}/v3/services`, { allowPrivateAddresses: false });
    expect(s.complete).toBe(false);
    expect(s.errors[0]).toMatch(/is on a private or local network/);
  });
});

describe('registered feeds', () => {
  it('syncs a 3.0 feed, then asks only for changes since the last sync', async () => {
    const feed = await registerFeed(t.db, commandLineContext(), null, { name: 'Test feed', url: `${base}/v3/services` });
    const first = await syncFeed(t, feed, { context: commandLineContext(), actor: null, allowPrivateAddresses: true });
    expect(first).toMatchObject({ complete: true, unchanged: 0, updated: 6 }); // imported above from a file, now marked with the feed
    const stored = (await findFeed(t.db, feed.id))!;
    expect(stored.format).toBe('3.0');
    expect(stored.lastSyncedAt?.toISOString()).toBe(first.startedAt);
    expect(stored.lastSummary).toMatchObject({ updated: 6, complete: true });
    const marked = await t.db.selectFrom('dir_service').select('source_feed_id').where('name', '=', 'Feed service 1').executeTakeFirstOrThrow();
    expect(marked.source_feed_id).toBe(feed.id);

    requests.length = 0;
    const second = await syncFeed(t, stored, { context: commandLineContext(), actor: null, allowPrivateAddresses: true });
    expect(second).toMatchObject({ complete: true, unchanged: 6, created: 0, updated: 0 });
    expect(second.source.modifiedAfter).toBe(first.startedAt);
    expect(requests.map((r) => r.searchParams.get('modified_after'))).toEqual([first.startedAt, first.startedAt, first.startedAt]);
  });

  it('reads a 1.0 feed whole every time (1.0 has no modified_after)', async () => {
    const feed = await registerFeed(t.db, commandLineContext(), null, { name: 'Old feed', url: `${base}/v1/services` });
    await syncFeed(t, feed, { context: commandLineContext(), actor: null, allowPrivateAddresses: true });
    requests.length = 0;
    const again = await syncFeed(t, (await findFeed(t.db, feed.id))!, { context: commandLineContext(), actor: null, allowPrivateAddresses: true });
    expect(again.source.modifiedAfter).toBeNull();
    expect(requests.every((r) => !r.searchParams.has('modified_after'))).toBe(true);
  });

  it('refuses to register the same address twice', async () => {
    await expect(registerFeed(t.db, commandLineContext(), null, { name: 'Again', url: `${base}/v3/services` })).rejects.toThrow('already registered, as "Test feed"');
  });
});
