/**
 * The embedded database (PGlite) in a thread of its own (embedded-worker.ts). PGlite runs each
 * statement on the thread that calls it, so in the web server's thread every statement stopped
 * everything else: no page could be drawn, no request read, until it finished. From here, a
 * statement is a message to that thread, and its rows come back as a message.
 */
import { Worker } from 'node:worker_threads';

export type EmbeddedRequest =
  | { id: number; kind: 'query'; sql: string; params: unknown[] }
  | { id: number; kind: 'exec'; sql: string }
  | { id: number; kind: 'close' };

export type EmbeddedAnswer =
  | { id: number; rows: Record<string, unknown>[]; affectedRows?: number; error?: undefined }
  | { id: number; error: { message: string; fields: Record<string, unknown> } };

/** A database error from the embedded database, with PostgreSQL's fields (`code`, `constraint`…). */
export class EmbeddedDatabaseError extends Error {
  code?: string;
  constraint?: string;
  detail?: string;
}

type Waiting = { resolve: (answer: EmbeddedAnswer) => void; reject: (err: Error) => void };

export class EmbeddedClient {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private ended = false;

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (answer: EmbeddedAnswer) => {
      const waiting = this.waiting.get(answer.id);
      if (!waiting) return;
      this.waiting.delete(answer.id);
      // The thread keeps the process alive only while a statement is waiting for it.
      if (this.waiting.size === 0) worker.unref();
      waiting.resolve(answer);
    });
    const fail = (err: Error) => {
      this.ended = true;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The embedded database stopped (exit code ${code}).`)));
  }

  /** Starts the thread and opens the database in `dataDir` (in memory when undefined). */
  static async open(dataDir: string | undefined): Promise<EmbeddedClient> {
    const worker = new Worker(new URL('./embedded-worker.ts', import.meta.url), { workerData: { dataDir } });
    const client = new EmbeddedClient(worker);
    // The thread's first message (id 0) says whether the database opened.
    const opened = await client.wait(0);
    if (opened.error) throw new Error(opened.error.message);
    return client;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** One statement with its values; its rows. */
  async query(sql: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number }> {
    return this.answer(await this.send((id) => ({ id, kind: 'query', sql, params })));
  }

  /** A script of several statements; the rows of the last. */
  async exec(sql: string): Promise<Record<string, unknown>[]> {
    return this.answer(await this.send((id) => ({ id, kind: 'exec', sql }))).rows;
  }

  /** Closes the database (writing it out, when in a folder) and ends the thread. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.answer(await this.send((id) => ({ id, kind: 'close' })));
    this.ended = true;
  }

  private answer(answer: EmbeddedAnswer): { rows: Record<string, unknown>[]; affectedRows?: number } {
    if (answer.error) throw Object.assign(new EmbeddedDatabaseError(answer.error.message), answer.error.fields);
    return answer;
  }

  private send(request: (id: number) => EmbeddedRequest): Promise<EmbeddedAnswer> {
    if (this.ended) return Promise.reject(new Error('The embedded database is closed.'));
    const id = this.nextId++;
    const answered = this.wait(id);
    this.worker.postMessage(request(id));
    return answered;
  }

  private wait(id: number): Promise<EmbeddedAnswer> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
    });
  }
}
