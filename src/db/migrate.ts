/**
 * Numbered, forward-only SQL migrations (src/db/migrations/NNNN_name.sql), each applied once, in
 * order, inside its own transaction, while holding an advisory lock so that two processes starting
 * together cannot both apply the same one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Arbitrary constant naming Linkwell's migration lock. */
const MIGRATION_LOCK_ID = 47_112_026;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file) => ({
    version: Number(file.slice(0, 4)),
    name: file.slice(5, -4),
    sql: fs.readFileSync(path.join(dir, file), 'utf8'),
  }));
}

/** Applies every pending migration; returns the names of those applied. */
export async function migrate(database: Database, migrations = readMigrations()): Promise<string[]> {
  return database.withScriptConnection(async (run) => {
    await run(`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      await run(`CREATE TABLE IF NOT EXISTS schema_migration (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const rows = await run('SELECT version FROM schema_migration');
      const done = new Set(rows.map((r) => Number(r.version)));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        const label = `${String(m.version).padStart(4, '0')}_${m.name}`;
        try {
          await run(
            `BEGIN;\n${m.sql}\n;INSERT INTO schema_migration (version, name) VALUES (${m.version}, '${m.name}');\nCOMMIT;`,
          );
        } catch (err) {
          await run('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${label} failed: ${(err as Error).message}`);
        }
        applied.push(label);
      }
      return applied;
    } finally {
      await run(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  });
}
