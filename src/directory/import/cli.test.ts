/**
 * `linkwell import oruk` and `linkwell import sync`, run as real child processes against a real
 * database: the embedded one in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { openDatabase } from '../../db/database.ts';
import { commandLineContext } from '../../audit/audit.ts';
import { registerFeed } from './feeds.ts';

// Each command starts Node and opens the database: slow on a busy machine.
const SLOW = 180_000;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '..', '..', '..', 'bin', 'linkwell.js');
const FIXTURE = path.join(HERE, 'fixtures', 'oruk3-messy-page.json');
let dataDir: string;
let pgDatabase: TestDatabase | undefined;
let server: http.Server;
let feedUrl: string;

function env(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', LINKWELL_DEMO: 'false' };
  delete base.DATABASE_URL;
  if (pgDatabase?.url) base.DATABASE_URL = pgDatabase.url;
  return base;
}

/** Runs the command without blocking this process (the test's feed server must keep answering). */
function linkwell(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dataDir], { env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function withDb<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(pgDatabase?.url ? { databaseUrl: pgDatabase.url } : { dataDir });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-import-cli-'));
  if (process.env.TEST_DATABASE_URL) pgDatabase = await createTestDatabase();
  server = http.createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
    const contents = [{ id: `2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a0${page}`, name: `Feed page ${page}`, organization: { id: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5aff', name: 'CLI feed org', description: '' } }];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ total_pages: 2, page_number: page, contents }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await pgDatabase?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('linkwell import oruk', () => {
  it('imports a file and prints the summary with every rejection explained', async () => {
    const r = await linkwell(['import', 'oruk', FIXTURE]);
    expect(r.stderr).toBe(''); // no progress line when standard error is not a terminal
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Imported ${FIXTURE} (ORUK 3.0, 1 page)`);
    expect(r.stdout).toContain('3 created, 0 updated, 0 unchanged, 6 rejected');
    expect(r.stdout).toContain('record 4 (id 5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a04): has no name');
    expect(r.stdout).toContain('record 9: has no id');
    expect(r.stdout).toContain('id svc-42, email: is not a valid email address and was left out');
    const names = await withDb((d) => d.db.selectFrom('dir_service').select('name').orderBy('name').execute());
    expect(names.map((n) => n.name)).toEqual(['Art Club', 'Community counselling', 'Walking group']);
  }, SLOW);

  it('finds nothing to do the second time', async () => {
    const r = await linkwell(['import', 'oruk', FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 created, 0 updated, 3 unchanged, 6 rejected');
  }, SLOW);

  it('says what is wrong, and exits 1', async () => {
    const missing = await linkwell(['import', 'oruk', path.join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no file at');
    const none = await linkwell(['import', 'oruk']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('import oruk needs one file or http(s) address');
  }, SLOW);
});

describe('linkwell import sync', () => {
  it('syncs one registered feed, or all of them', async () => {
    expect((await linkwell(['import', 'sync'])).stderr).toContain('import sync needs --feed ID or --all');
    const unknown = await linkwell(['import', 'sync', '--feed', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no registered feed with id');

    const feed = await withDb((d) => registerFeed(d.db, commandLineContext(), null, { name: 'CLI feed', url: feedUrl }));
    const one = await linkwell(['import', 'sync', '--feed', feed.id]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`Imported "CLI feed" (${feedUrl}) (ORUK 3.0, 2 pages)`);
    expect(one.stdout).toContain('2 created');
    const all = await linkwell(['import', 'sync', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('2 unchanged');
    expect(all.stdout).toMatch(/changes since \d{4}-\d{2}-\d{2}T/);
  }, SLOW);
});
