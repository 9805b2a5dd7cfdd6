/**
 * Kysely on PGlite. PGlite is one connection, so Linkwell's driver hands it out to one user at a
 * time: a transaction holds it from BEGIN to COMMIT, and other queries queue behind it. Without
 * this, two requests' transactions would interleave on the single connection.
 */
import type { EmbeddedClient } from './embedded.ts';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';

/** A first-come, first-served lock. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves with the function that releases the lock. */
  lock(timeoutMs: number): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`The embedded database was busy for more than ${timeoutMs / 1000} seconds.`));
      }, timeoutMs);
      void previous.then(() => {
        clearTimeout(timer);
        if (timedOut) release();
        else resolve(release);
      });
    });
  }
}

class PGliteConnection implements DatabaseConnection {
  private readonly client: EmbeddedClient;
  constructor(client: EmbeddedClient) {
    this.client = client;
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query(compiled.sql, [...compiled.parameters]);
    return {
      rows: result.rows as R[],
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported on the embedded database.');
  }
}

class PGliteDriver implements Driver {
  private readonly client: EmbeddedClient;
  private readonly mutex: Mutex;
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(client: EmbeddedClient, mutex: Mutex) {
    this.client = client;
    this.mutex = mutex;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.lock(30_000);
    const connection = new PGliteConnection(this.client);
    this.releases.set(connection, release);
    return connection;
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.releases.get(connection)?.();
    this.releases.delete(connection);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async destroy(): Promise<void> {}
}

export function pgliteDialect(client: EmbeddedClient, mutex: Mutex): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PGliteDriver(client, mutex),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}
