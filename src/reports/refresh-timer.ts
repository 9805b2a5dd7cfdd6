/**
 * Refreshing the report summaries in the background, so that a report rarely has to do it first.
 * The server (src/server.ts) starts one timer per process: every interval it looks whether any
 * episode has changed (report_dirty) and, if so, calls refreshReportSummaries. Refreshes never
 * overlap (the next one is scheduled when the last has finished), a failure is logged — its kind
 * only, never a message that could carry a value from a row — and tried again next time, and the
 * timer never keeps the process alive. Reports keep their own freshness rule (refresh.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DB } from '../db/schema.ts';
import type { PostcodeLookup } from '../geo/postcodes.ts';
import { refreshReportSummaries, type RefreshResult } from './refresh.ts';

export interface RefreshTimerOptions {
  /** Milliseconds between the end of one look and the start of the next. */
  intervalMs: number;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  postcodes?: PostcodeLookup;
  /** Told after each refresh that did something (tests). */
  onRefresh?: (result: RefreshResult) => void;
}

export interface RefreshTimer {
  /** Stops the timer; resolves once a refresh under way has finished. */
  stop(): Promise<void>;
}

/** Refreshes if episodes have changed or the summaries were never built; returns what it did, or null. */
async function refreshIfNeeded(db: Kysely<DB>, postcodes: PostcodeLookup | undefined): Promise<RefreshResult | null> {
  const state = await sql<{ needed: boolean }>`
    SELECT full_at IS NULL OR EXISTS (SELECT 1 FROM report_dirty) AS needed FROM report_state`.execute(db);
  if (!state.rows[0]?.needed) return null;
  return refreshReportSummaries(db, postcodes ? { postcodes } : {});
}

/** Starts refreshing the summaries every `intervalMs` in the background. */
export function startReportRefreshTimer(db: Kysely<DB>, opts: RefreshTimerOptions): RefreshTimer {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const tick = async () => {
    try {
      const result = await refreshIfNeeded(db, opts.postcodes);
      if (result) {
        opts.log.info({ mode: result.mode, episodes: result.episodes, onward: result.onward, outcomes: result.outcomes, ms: result.ms }, 'report summaries refreshed in the background');
        opts.onRefresh?.(result);
      }
    } catch (err) {
      const e = err as Error & { code?: unknown };
      opts.log.error({ err: { type: e?.name, code: typeof e?.code === 'string' ? e.code : undefined } }, 'background refresh of the report summaries failed; it will be tried again');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }, opts.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Starts the background refresh for an application unless `seconds` is 0, and stops it when the
 * application closes (before the database is closed). Call before the application is ready.
 */
export function registerReportRefreshTimer(app: FastifyInstance, db: Kysely<DB>, seconds: number, postcodes?: PostcodeLookup): RefreshTimer | null {
  if (seconds <= 0) return null;
  const timer = startReportRefreshTimer(db, { intervalMs: seconds * 1000, log: app.log, ...(postcodes ? { postcodes } : {}) });
  app.addHook('onClose', async () => {
    await timer.stop();
  });
  return timer;
}
