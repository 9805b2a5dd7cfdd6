/**
 * The command line's `import oruk <file-or-url>` and `import sync --feed ID | --all`: progress on
 * standard error while it runs (on a terminal), then a plain summary on standard output. Exit
 * code 0 when every page was read (records may still have been rejected: the summary says which
 * and why), 1 when the source could not be read to the end.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { commandLineContext } from '../../audit/audit.ts';
import type { Database } from '../../db/database.ts';
import { findFeed, listFeeds, syncFeed, type Feed } from './feeds.ts';
import { importOruk, type ImportSummary } from './importer.ts';
import { terminalProgress, type ProgressStream } from './progress.ts';
import { isUrl } from './source.ts';

export interface Output {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

const SHOWN = 20;

/** The summary as lines of text for a terminal or a log. */
export function formatSummary(label: string, s: ImportSummary): string {
  const shapes = { page: `${s.source.pages} page${s.source.pages === 1 ? '' : 's'}`, array: 'an array of services', record: 'one record' };
  const shape = s.source.shape ? shapes[s.source.shape] : 'nothing read';
  const format = s.source.format === 'unknown' ? 'ORUK' : `ORUK ${s.source.format}`;
  const lines = [
    `${s.complete ? 'Imported' : 'Partly imported'} ${label} (${format}, ${shape}${s.source.modifiedAfter ? `, changes since ${s.source.modifiedAfter}` : ''}) in ${(s.durationMs / 1000).toFixed(1)} s:`,
    `  ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected, ${s.warningCount} warnings.`,
  ];
  if (s.rejections.length) {
    lines.push('Rejected:');
    for (const r of s.rejections.slice(0, SHOWN)) lines.push(`  record ${r.position}${r.sourceId ? ` (id ${r.sourceId})` : ''}: ${r.reason}`);
    const more = s.rejected - Math.min(SHOWN, s.rejections.length);
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  if (s.warnings.length) {
    lines.push('Warnings:');
    for (const w of s.warnings.slice(0, SHOWN)) lines.push(`  ${w.sourceId ? `id ${w.sourceId}, ` : ''}${w.field}: ${w.message}`);
    const more = s.warningCount - Math.min(SHOWN, s.warnings.length);
    if (more > 0) lines.push(`  … and ${more} more`);
  }
  for (const e of s.errors) lines.push(`Stopped: ${e}`);
  return `${lines.join('\n')}\n`;
}

/** Checked before the database is opened, so a mistyped path is reported at once. */
export function checkSource(source: string): void {
  if (isUrl(source)) {
    if (!URL.canParse(source)) throw new Error(`${source} is not a valid web address.`);
    return;
  }
  if (!fs.existsSync(source)) throw new Error(`There is no file at ${source}.`);
  if (!fs.statSync(source).isFile()) throw new Error(`${source} is not a file.`);
}

export async function importCommand(database: Database, source: string, out: Output): Promise<number> {
  const progress = terminalProgress(out.stderr);
  let summary: ImportSummary;
  try {
    summary = await importOruk(database, source, { allowPrivateAddresses: true, onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
  }
  out.stdout.write(formatSummary(source, summary));
  return summary.complete ? 0 : 1;
}

export async function syncCommand(database: Database, target: { feed?: string | undefined; all?: boolean | undefined }, out: Output): Promise<number> {
  let feeds: Feed[];
  if (target.all) feeds = await listFeeds(database.db);
  else {
    if (!z.uuid().safeParse(target.feed).success) throw new Error('--feed needs the id of a registered feed (see /directory/feeds).');
    const feed = await findFeed(database.db, target.feed!);
    if (!feed) throw new Error(`There is no registered feed with id ${target.feed}.`);
    feeds = [feed];
  }
  if (feeds.length === 0) {
    out.stdout.write('No feeds are registered.\n');
    return 0;
  }
  let code = 0;
  for (const feed of feeds) {
    const progress = terminalProgress(out.stderr);
    try {
      const summary = await syncFeed(database, feed, { context: commandLineContext(), actor: null, allowPrivateAddresses: true, onProgress: (p) => progress.update(p) });
      progress.done();
      out.stdout.write(formatSummary(`"${feed.name}" (${feed.url})`, summary));
      if (!summary.complete) code = 1;
    } finally {
      progress.done();
    }
  }
  return code;
}
