/**
 * Walks the audit chain from the first event and reports the first one that does not fit: a
 * missing sequence number (a removed row), a previous-hash that does not match (a removed or
 * reordered row), or a hash that does not match the row's own fields (an altered row).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { GENESIS_HASH, hashEvent } from './audit.ts';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; count: number; seq: number; problem: string };

const BATCH = 2000;

export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return { ok: false, count, seq: expectedSeq, problem: `event ${expectedSeq} is missing (next found is ${seq})` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, count, seq, problem: `event ${seq} does not follow the event before it (chain broken)` };
      }
      if (hashEvent({ ...row, seq }) !== row.hash) {
        return { ok: false, count, seq, problem: `event ${seq} has been altered (its hash does not match its contents)` };
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      count++;
    }
    if (rows.length < BATCH) return { ok: true, count };
  }
}
