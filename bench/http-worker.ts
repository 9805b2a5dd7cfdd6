/**
 * The benchmark's browser: a worker thread that sends GET requests over one keep-alive connection
 * and times each from the first byte sent to the last byte of the body received. In a thread of
 * its own, its HTTP work does not run on the server's event loop, as a real browser's would not.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface TimedGet {
  id: number;
  path: string;
  headers: Record<string, string>;
}
export interface TimedAnswer {
  id: number;
  statusCode: number;
  ms: number;
  bytes: number;
  /** name=value of each cookie the answer set. */
  cookies: string[];
  error?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const port = (workerData as { port: number }).port;

parentPort!.on('message', (message: TimedGet | 'close') => {
  if (message === 'close') {
    agent.destroy();
    parentPort!.close();
    return;
  }
  const { id, path, headers } = message;
  const started = performance.now();
  http
    .get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        const answer: TimedAnswer = {
          id,
          statusCode: res.statusCode ?? 0,
          ms: performance.now() - started,
          bytes,
          cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!),
        };
        parentPort!.postMessage(answer);
      });
    })
    .on('error', (err) => parentPort!.postMessage({ id, statusCode: 0, ms: 0, bytes: 0, cookies: [], error: err.message } satisfies TimedAnswer));
});
