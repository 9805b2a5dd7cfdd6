/**
 * The embedded database's thread (started by embedded.ts): PGlite runs here, so that while it
 * works on a statement the web server's thread goes on drawing pages and answering other requests.
 * It answers each message in turn: a statement with values, a script, or close.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { EmbeddedAnswer, EmbeddedRequest } from './embedded.ts';

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string | undefined };

/** A database error's fields (code, constraint, detail…) as plain data, to rebuild on the other side. */
function describe(err: unknown): { message: string; fields: Record<string, unknown> } {
  if (!(err instanceof Error)) return { message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    if (value === undefined || typeof value === 'function' || typeof value === 'object') continue;
    fields[key] = value;
  }
  return { message: err.message, fields };
}

let client: PGlite;
try {
  client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
  port.postMessage({ id: 0, rows: [] } satisfies EmbeddedAnswer);
} catch (err) {
  port.postMessage({ id: 0, error: describe(err) } satisfies EmbeddedAnswer);
  process.exit(1);
}

port.on('message', async (request: EmbeddedRequest) => {
  let answer: EmbeddedAnswer;
  try {
    if (request.kind === 'query') {
      const result = await client.query<Record<string, unknown>>(request.sql, request.params);
      answer = { id: request.id, rows: result.rows, ...(result.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}) };
    } else if (request.kind === 'exec') {
      const results = await client.exec(request.sql);
      answer = { id: request.id, rows: results[results.length - 1]?.rows ?? [] };
    } else {
      if (!client.closed) await client.close();
      answer = { id: request.id, rows: [] };
    }
  } catch (err) {
    answer = { id: request.id, error: describe(err) };
  }
  port.postMessage(answer);
  if (request.kind === 'close') port.close();
});
