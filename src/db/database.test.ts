import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { PREPARED, preparedName } from './prepared.ts';

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

describe('prepared statements', () => {
  it('name each marked text once, and leave other statements unnamed', () => {
    const a = `${PREPARED} SELECT 1 WHERE 1 = $1`;
    expect(preparedName(a)).toMatch(/^linkwell_\d+$/);
    expect(preparedName(a)).toBe(preparedName(a));
    expect(preparedName(`${PREPARED} SELECT 2 WHERE 1 = $1`)).not.toBe(preparedName(a));
    expect(preparedName('SELECT 1 WHERE 1 = $1')).toBeUndefined();
  });

  it('are kept by PostgreSQL on the connection and answer for each value (the embedded database runs them as they are)', async () => {
    const statement = (n: number) => sql<{ n: number }>`${sql.raw(PREPARED)} SELECT g AS n FROM generate_series(1, 10) g WHERE g <= ${n}::int ORDER BY g DESC LIMIT 1`;
    await d.db.connection().execute(async (conn) => {
      // Past the five runs after which PostgreSQL may switch to one plan for every value.
      for (const n of [3, 7, 1, 9, 2, 8, 5, 10]) expect((await statement(n).execute(conn)).rows).toEqual([{ n }]);
      if (d.kind === 'postgresql') {
        const kept = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(conn);
        expect(kept.rows.map((r) => r.statement)).toContainEqual(expect.stringContaining('generate_series(1, 10)'));
      }
    });
  });
});
