/**
 * Bulk loading as a database administrator would: the journey tables' keys, indexes and foreign
 * keys are set aside while the rows go in, then put back exactly as the migrations defined them
 * (read from the catalogue). Putting a foreign key back makes PostgreSQL check every row against
 * it, so the loaded data are proven valid against every constraint; CHECK and NOT NULL
 * constraints stay in force throughout.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';

/** The tables the generator fills in bulk. */
export const BULK_TABLES = ['person', 'referral', 'referral_status_event', 'referral_contact', 'what_matters', 'onward_referral', 'onward_status_event',
  'attendance', 'provider_concern', 'measure_response', 'measure_not_collected'];

/** Removes the keys, indexes and foreign keys of the bulk tables; returns the statements that put them back, in order. */
export async function setAsideConstraints(db: Kysely<DB>): Promise<string[]> {
  const constraints = await sql<{ name: string; tbl: string; type: string; def: string }>`
    SELECT c.conname AS name, c.conrelid::regclass::text AS tbl, c.contype AS type, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c
    WHERE c.contype IN ('p', 'u', 'f') AND (c.conrelid::regclass::text = ANY(${BULK_TABLES}) OR (c.contype = 'f' AND c.confrelid::regclass::text = ANY(${BULK_TABLES})))
    ORDER BY c.conrelid::regclass::text, c.conname`.execute(db);
  const indexes = await sql<{ name: string; def: string }>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
    WHERE i.indrelid::regclass::text = ANY(${BULK_TABLES}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY 1`.execute(db);
  const foreign = constraints.rows.filter((c) => c.type === 'f');
  const keys = constraints.rows.filter((c) => c.type !== 'f');
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  for (const c of [...foreign, ...keys]) await sql.raw(`ALTER TABLE ${c.tbl} DROP CONSTRAINT ${q(c.name)}`).execute(db);
  for (const i of indexes.rows) await sql.raw(`DROP INDEX ${i.name}`).execute(db);
  return [
    ...keys.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}`),
    ...indexes.rows.map((i) => i.def),
    ...foreign.map((c) => `ALTER TABLE ${c.tbl} ADD CONSTRAINT ${q(c.name)} ${c.def}`),
  ];
}

/** Puts them back on one connection, with enough memory to sort each index in one go. */
export async function restoreConstraints(database: Database, statements: string[]): Promise<void> {
  await database.withScriptConnection(async (run) => {
    await run(`SET maintenance_work_mem = '${database.kind === 'postgresql' ? 256 : 64}MB'`);
    try {
      for (const statement of statements) await run(statement);
    } finally {
      await run('RESET maintenance_work_mem');
    }
  });
}
