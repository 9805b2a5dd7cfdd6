import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';

let d: TestDatabase;

beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(async () => {
  await d.close();
});

describe('the database connections', () => {
  it('run without JIT compilation on PostgreSQL, on every pooled connection', async () => {
    const rows = await Promise.all(
      [1, 2, 3, 4].map(async () => (await sql<{ jit: string; pid: number }>`SELECT current_setting('jit') AS jit, pg_backend_pid() AS pid, pg_sleep(0.05)`.execute(d.db)).rows[0]!),
    );
    if (d.kind === 'postgresql') {
      expect(new Set(rows.map((r) => r.pid)).size).toBe(4);
      expect(rows.map((r) => r.jit)).toEqual(['off', 'off', 'off', 'off']);
    } else {
      // PGlite has no JIT at all.
      expect((await sql<{ a: boolean }>`SELECT pg_jit_available() AS a`.execute(d.db)).rows[0]!.a).toBe(false);
    }
  });
});
