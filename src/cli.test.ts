/**
 * The `linkwell` command, run as a real child process against a real database: the embedded one
 * in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database.ts';
import { openDatabase } from './db/database.ts';
import { sha256 } from './auth/tokens.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'linkwell.js');
let dataDir: string;
let pgDatabase: TestDatabase | undefined;
const usingPostgres = !!process.env.TEST_DATABASE_URL;

function env(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', LINKWELL_DEMO: 'false' };
  delete base.DATABASE_URL;
  if (pgDatabase?.url) base.DATABASE_URL = pgDatabase.url;
  return base;
}

function linkwell(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dataDir], { env: env(), input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Opens the same database the commands use, for checks and for tampering. */
async function withDb<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const database = await openDatabase(pgDatabase?.url ? { databaseUrl: pgDatabase.url } : { dataDir });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-cli-'));
  if (usingPostgres) {
    // A fresh, empty PostgreSQL database: createTestDatabase migrates, so drop to empty by making our own.
    pgDatabase = await createTestDatabase();
    await pgDatabase.withScriptConnection((run) => run('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
  }
});
afterAll(async () => {
  await pgDatabase?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('linkwell command line', () => {
  it('explains itself and rejects unknown commands', () => {
    expect(linkwell(['--help']).stdout).toContain('Usage: linkwell');
    const bad = linkwell(['fly']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown command "fly"');
  });

  it('migrates once, then says the database is up to date', () => {
    const first = linkwell(['migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('0001_foundation');
    expect(linkwell(['migrate']).stdout).toContain('up to date');
  });

  it('seeds the demo idempotently', async () => {
    expect(linkwell(['seed-demo']).code).toBe(0);
    expect(linkwell(['seed-demo']).stdout).toContain('0 new accounts');
    const count = await withDb((d) => d.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(Number(count.n)).toBe(11);
  });

  it('creates a user with a role, refusing a weak password with a clear message', () => {
    const weak = linkwell(['user', 'create', '--email', 'ops@example.test', '--name', 'Ops', '--password-stdin'], 'password1\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Password must be 10 characters or more');
    const ok = linkwell(['user', 'create', '--email', 'ops@example.test', '--name', 'Ops', '--organisation', 'Y99001', '--role', 'referrer', '--password-stdin'], 'amber falcon harbour\n');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const invited = linkwell(['user', 'create', '--email', 'new@example.test', '--name', 'New Person', '--platform-admin']);
    expect(invited.stdout).toMatch(/\/invitations\/[\w-]+/);
    const again = linkwell(['user', 'create', '--email', 'OPS@example.test', '--name', 'Ops']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('creates an API token and prints only the token', async () => {
    const r = linkwell(['token', 'create', '--email', 'gp@demo.linkwell.test']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lw_[\w-]{40,}\n$/);
    const token = r.stdout.trim();
    const row = await withDb((d) => d.db.selectFrom('api_token').select('user_id').where('token_hash', '=', sha256(token)).executeTakeFirst());
    expect(row).toBeTruthy();
    const missing = linkwell(['token', 'create', '--email', 'nobody@example.test']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no active user');
  });

  it('declines overdue onward referrals for providers that chose it', async () => {
    expect(linkwell(['referrals', 'decline-overdue']).stdout).toBe('0 overdue onward referrals declined.\n');
    // The demo's referral to the adult learning service goes past its reply-by date, and the provider chose automatic decline.
    await withDb(async (d) => {
      await d.db.updateTable('onward_referral').set({ respond_by: '2026-01-05' }).where('status', '=', 'sent').execute();
      await d.db.updateTable('organisation').set({ auto_decline_overdue: true }).where('type', '=', 'learning_provider').execute();
    });
    const r = linkwell(['referrals', 'decline-overdue']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 overdue onward referral declined.\n');
    const rows = await withDb((d) => d.db.selectFrom('onward_referral').select(['status', 'decision_reason']).execute());
    expect(rows).toEqual([{ status: 'declined', decision_reason: expect.stringMatching(/No reply within \d+ working days/) }]);
  });

  it('verifies the audit trail, and names the first tampered event', async () => {
    const ok = linkwell(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact: \d+ events/);
    await withDb((d) =>
      d.withScriptConnection((run) =>
        run(`BEGIN; ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;
             UPDATE audit_event SET action = 'nothing.to.see' WHERE seq = 2;
             ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only; COMMIT;`),
      ),
    );
    const bad = linkwell(['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('event 2 has been altered');
  });

  it.skipIf(usingPostgres)('refuses to open the embedded database while another process has it', async () => {
    const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env: { ...env(), HOST: '127.0.0.1' } });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start')), 60_000);
        let out = '';
        server.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Linkwell is running')) {
            clearTimeout(timer);
            resolve();
          }
        });
        server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const second = linkwell(['migrate']);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`in use by another Linkwell process (pid ${server.pid})`);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    // Once it has stopped, the database opens again.
    expect(linkwell(['migrate']).code).toBe(0);
  });
});
