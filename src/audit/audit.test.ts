import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { audit, canonicalJson, commandLineContext } from './audit.ts';
import { verifyAuditChain } from './verify.ts';

let database: TestDatabase;
const ctx = { actorUserId: null, requestId: 'req-1', ip: '127.0.0.1' };

/** Changes rows behind the application's back, as an attacker with database access would. */
async function tamper(statement: string): Promise<void> {
  await database.withScriptConnection(async (run) => {
    await run(`BEGIN; ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only; ${statement}; ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only; COMMIT;`);
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('the audit trail', () => {
  it('hashes JSON the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('appends numbered events, each chained to the one before, and verifies them', async () => {
    for (let i = 0; i < 5; i++) {
      await audit(database.db, ctx, { action: 'test.event', entityType: 'thing', entityId: String(i), details: { n: i, nested: { b: 2, a: 1 } } });
    }
    await audit(database.db, commandLineContext(), { action: 'test.cli', outcome: 'failure' });
    const rows = await database.db.selectFrom('audit_event').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[1]!.prev_hash).toBe(rows[0]!.hash);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, count: 6 });
  });

  it('keeps the chain whole when events are written concurrently', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => audit(database.db, ctx, { action: 'test.concurrent', entityId: String(i) })));
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, count: 16 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from anyone using the table normally', async () => {
    await expect(sql`UPDATE audit_event SET action = 'x' WHERE seq = 1`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 1`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('names the first altered event', async () => {
    await tamper(`UPDATE audit_event SET entity_id = 'changed' WHERE seq = 3`);
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: false, seq: 3, count: 2 });
    if (!result.ok) expect(result.problem).toMatch(/altered/);
    await tamper(`UPDATE audit_event SET entity_id = '2' WHERE seq = 3`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('notices an altered timestamp or details', async () => {
    await tamper(`UPDATE audit_event SET details = '{"n": 99}' WHERE seq = 4`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, seq: 4 });
  });

  it('notices a removed event', async () => {
    await tamper(`UPDATE audit_event SET details = '{"n": 3, "nested": {"a": 1, "b": 2}}' WHERE seq = 4`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await tamper(`DELETE FROM audit_event WHERE seq = 5`);
    const result = await verifyAuditChain(database.db);
    expect(result).toMatchObject({ ok: false, seq: 5 });
    if (!result.ok) expect(result.problem).toMatch(/missing/);
  });
});
