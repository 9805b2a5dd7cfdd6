/**
 * Progress on a terminal: one line on standard error, rewritten in place at most ten times a
 * second, and cleared at the end so the summary is what stays on screen. When standard error is
 * not a terminal (a pipe, a log file, cron) nothing is written: the final summary is enough.
 */
import type { ImportProgress } from './importer.ts';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressLine {
  update(progress: ImportProgress): void;
  /** Clears the line (call before printing the summary). */
  done(): void;
}

export function describeProgress(p: ImportProgress): string {
  const of = p.expected ? ` of ${p.expected.toLocaleString('en-GB')}` : '';
  const page = p.totalPages && p.totalPages > 1 ? ` (page ${p.page} of ${p.totalPages})` : p.page > 1 ? ` (page ${p.page})` : '';
  return `Importing: ${p.processed.toLocaleString('en-GB')}${of} records${page}: ${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged, ${p.rejected} rejected`;
}

export function terminalProgress(stream: ProgressStream, now: () => number = Date.now): ProgressLine {
  let last = -Infinity;
  let shown = false;
  return {
    update(progress) {
      if (!stream.isTTY) return;
      const t = now();
      if (t - last < 100) return;
      last = t;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[2K${describeProgress(progress).slice(0, width)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
