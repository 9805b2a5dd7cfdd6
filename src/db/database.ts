/**
 * Opens the database: PGlite (PostgreSQL compiled to WebAssembly, embedded in this process, in a
 * thread of its own: embedded.ts) by default, or a real PostgreSQL server when a URL is given. Both
 * speak the same SQL, so the rest of Linkwell never needs to know which one it has.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { acquireDataDirLock } from './lock.ts';
import { EmbeddedClient } from './embedded.ts';
import { Mutex, pgliteDialect } from './pglite-dialect.ts';
import { preparedName } from './prepared.ts';

/** Runs SQL text that may hold several statements (migrations); returns the last rows. */
export type ScriptRunner = (sqlText: string) => Promise<Record<string, unknown>[]>;

export interface Database {
  db: Kysely<DB>;
  kind: 'embedded' | 'postgresql';
  /** Runs `work` on one dedicated connection that accepts multi-statement scripts. */
  withScriptConnection<T>(work: (run: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  databaseUrl?: string | undefined;
  /** Folder for the embedded database. Omit for an in-memory one (tests). */
  dataDir?: string | undefined;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

// PostgreSQL returns int8 and numeric as strings to avoid losing precision; our counts and
// sequence numbers fit easily in a JavaScript number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * pg's client, running every query in pg's callback form. Kysely calls `query(text, values)` with
 * no callback, which pg answers through a promise of its own; in that form the results of recent
 * queries outlived the young-generation collections, which copied megabytes each time and paused
 * the process for 10-20 ms every few dozen requests. The callback form leaves nothing behind
 * (collections under 1 ms): measured in docs/benchmarks.md, "Directory".
 */
class CallbackFormClient extends pg.Client {
  // @ts-expect-error pg's overloads: this keeps each of them, answering a call without a callback with a promise.
  override query(config: unknown, values?: unknown, callback?: unknown): unknown {
    const query = super.query.bind(this) as (...args: unknown[]) => unknown;
    const name = typeof config === 'string' && Array.isArray(values) ? preparedName(config) : undefined;
    if (name) return this.query({ name, text: config, values }, callback);
    const hasCallback = typeof values === 'function' || typeof callback === 'function';
    if (hasCallback || (typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function')) {
      return query(config, values, callback);
    }
    return new Promise((resolve, reject) => {
      query(config, values, (err: Error | null, result: unknown) => (err ? reject(err) : resolve(result)));
    });
  }
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openEmbedded(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // JIT compilation off for Linkwell's sessions: its statements are short lookups, or report and
  // refresh statements over summary tables that PostgreSQL costs high enough to compile, where
  // compiling took longer than it saved (183 ms of a 359 ms report; 0.85 s of a 1.1 s refresh
  // batch: docs/benchmarks.md). Sent once per connection, at start-up.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off', Client: CallbackFormClient as typeof pg.Client });
  // An idle connection can be closed by the server (a restart, a failover, an administrator).
  // The pool replaces it; without this listener the error would end the whole process.
  pool.on('error', (err) => {
    process.stderr.write(`linkwell: an idle PostgreSQL connection closed (${(err as Error & { code?: string }).code ?? err.message}); it will be replaced\n`);
  });
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    throw new Error(`Could not connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgresql',
    async withScriptConnection(work) {
      const client = await pool.connect();
      try {
        return await work(async (text) => {
          // With no parameters, pg uses the simple protocol, which accepts several statements.
          const result = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
          const last = Array.isArray(result) ? result[result.length - 1] : result;
          return (last?.rows ?? []) as Record<string, unknown>[];
        });
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}

async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  let release = (): void => {};
  let client: EmbeddedClient;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    release = acquireDataDirLock(dataDir);
    try {
      client = await EmbeddedClient.open(path.join(dataDir, 'pgdata'));
    } catch (err) {
      release();
      throw new Error(`Could not open the embedded database in ${dataDir}: ${(err as Error).message}`);
    }
  } else {
    client = await EmbeddedClient.open(undefined);
  }
  const mutex = new Mutex();
  const db = new Kysely<DB>({ dialect: pgliteDialect(client, mutex) });
  return {
    db,
    kind: 'embedded',
    async withScriptConnection(work) {
      // PGlite is one connection: hold it, so no Kysely query runs in the middle of a script.
      const release = await mutex.lock(30_000);
      try {
        return await work((text) => client.exec(text));
      } finally {
        release();
      }
    },
    close: async () => {
      await db.destroy();
      await client.close();
      release();
    },
  };
}

/** Hides the password in a connection string before it is shown to anyone. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
