/** The embedded database in its own thread: statements, scripts, errors and closing, on a real PGlite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedClient, EmbeddedDatabaseError } from './embedded.ts';

let client: EmbeddedClient;

beforeAll(async () => {
  client = await EmbeddedClient.open(undefined);
});
afterAll(async () => {
  await client.close();
});

describe('the embedded database thread', () => {
  it('runs statements with values and scripts, and gives their rows', async () => {
    await client.exec('CREATE TABLE t (id int PRIMARY KEY, seen timestamptz, tags text[]); INSERT INTO t VALUES (1, now(), ARRAY[\'a\'])');
    const inserted = await client.query('INSERT INTO t VALUES ($1, $2, $3)', [2, new Date('2026-11-22T09:00:00Z'), ['b', 'c']]);
    expect(inserted.affectedRows).toBe(1);
    const { rows } = await client.query('SELECT id, seen, tags FROM t WHERE id = $1', [2]);
    expect(rows).toEqual([{ id: 2, seen: new Date('2026-11-22T09:00:00Z'), tags: ['b', 'c'] }]);
    expect(await client.exec('SELECT 1 AS one; SELECT count(*)::int AS n FROM t')).toEqual([{ n: 2 }]);
  });

  it("passes on PostgreSQL's error fields, so a duplicate is recognised as one", async () => {
    const err = await client.query('INSERT INTO t VALUES ($1)', [1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedDatabaseError);
    expect(err).toMatchObject({ code: '23505', constraint: 't_pkey' });
    // The connection is still usable afterwards.
    expect((await client.query('SELECT count(*)::int AS n FROM t', [])).rows).toEqual([{ n: 2 }]);
  });

  it('leaves this thread free while a statement runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    await client.query('SELECT pg_sleep(0.3)', []);
    clearInterval(timer);
    // Had the statement run on this thread, no timer could have fired until it ended.
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('answers clearly once closed', async () => {
    const other = await EmbeddedClient.open(undefined);
    await other.close();
    expect(other.closed).toBe(true);
    await expect(other.query('SELECT 1', [])).rejects.toThrow('The embedded database is closed.');
  });
});
