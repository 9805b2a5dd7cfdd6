/**
 * Cold and warm timings for the reporting benchmark. "Cold" is the first run on a connection that
 * has never run anything but `SELECT 1` (a new pool for PostgreSQL; the embedded database closed
 * and opened again, a new WebAssembly instance): no plan or catalogue caches. Neither PostgreSQL's
 * shared buffers nor the operating system's page cache are emptied, so data read by earlier work
 * may still be in memory. "Warm" repeats the same call on that connection.
 */
import os from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';

export interface Session { db: Kysely<DB>; close(): Promise<void>; extra?: unknown }
export interface Targets { cold: number; warm: number }
export interface Timing { label: string; cold: number; warm: number[]; cached?: number; error?: string; note?: string }

let peakRss = 0;
/** Samples this process's resident memory (call often; a timer does it every 25 ms). */
export function sampleMemory(): number {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return peakRss;
}
export const peakMb = () => Math.round(sampleMemory() / 1024 / 1024);
export const load = () => `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const ms = (x: number) => `${Math.round(x)}`.padStart(6);

/**
 * Opens a fresh session, runs `work` once cold and `warmRuns` times warm, closes it. With `forget`,
 * each warm run first empties the application's cache of built reports, so that it recomputes the
 * figures on the warm connection (as after every refresh); one last run then shows the cached answer.
 */
export async function coldAndWarm(label: string, open: () => Promise<Session>, work: (s: Session) => Promise<string | void>, warmRuns: number, forget?: (s: Session) => void): Promise<Timing> {
  const session = await open();
  try {
    await sql`SELECT 1`.execute(session.db);
    const started = performance.now();
    let note: string | void;
    try {
      note = await work(session);
    } catch (err) {
      return { label, cold: NaN, warm: [], error: (err as Error).message.split('\n')[0]!.slice(0, 160) };
    }
    const cold = performance.now() - started;
    sampleMemory();
    const warm: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      forget?.(session);
      const t = performance.now();
      await work(session);
      warm.push(performance.now() - t);
      sampleMemory();
    }
    let cached: number | undefined;
    if (forget) {
      const t = performance.now();
      await work(session);
      cached = performance.now() - t;
    }
    return { label, cold, warm, ...(cached === undefined ? {} : { cached }), ...(note ? { note } : {}) };
  } finally {
    await session.close();
  }
}

/** One line per timing, against the targets. */
export function line(t: Timing, targets: Targets): string {
  if (t.error) return `    ${t.label.padEnd(44)} not measured: ${t.error}`;
  const warm = median(t.warm);
  const ok = t.cold <= targets.cold && warm <= targets.warm;
  const cached = t.cached === undefined ? '' : ` | cached ${ms(t.cached)} ms`;
  return `    ${t.label.padEnd(40)} cold ${ms(t.cold)} ms | warm median ${ms(warm)} ms, max ${ms(Math.max(...t.warm))} ms${cached} | ${ok ? 'meets target' : 'MISSES target'}${t.note ? `  (${t.note})` : ''}`;
}

export function misses(t: Timing, targets: Targets): boolean {
  return !t.error && (t.cold > targets.cold || median(t.warm) > targets.warm);
}
