/**
 * `importOruk(db, source, options)`: imports ORUK 3.0 or 1.0 services from a file or a paged
 * http(s) feed into the directory, and says what happened — created, updated, unchanged, and
 * rejected with reasons. Records are read page by page and written in chunks: each chunk's
 * existing rows are read in a few queries, then its records are written in batches, each batch one
 * transaction; a batch that fails is written again one record per transaction, so a bad record is
 * rejected alone and leaves nothing behind (store.ts). The search index is brought up to date at
 * the end, so what was imported is found at once. One audit event per run.
 */
import type { Database } from '../../db/database.ts';
import { audit, commandLineContext, type AuditContext } from '../../audit/audit.ts';
import type { ImportWarning } from './clean.ts';
import { IdMapper } from './ids.ts';
import { normaliseRecord, type NormalisedRecord, type NormaliseContext } from './normalise.ts';
import { readSource, isUrl, sourceKeyOf, SourceError, type OrukFormat, type SourceShape } from './source.ts';
import { DirectoryWriter } from './store.ts';
import { londonToday } from '../search/query.ts';
import { refreshSearchIndex } from '../search/search-index.ts';

export interface ImportOptions {
  /** The registered feed being synced: its rows are marked with it. */
  feedId?: string | null;
  /** Scopes non-UUID ids (default: the address without its query, or the file's name). */
  sourceKey?: string;
  /** Ask the feed only for records modified on or after this time. */
  modifiedAfter?: Date | null;
  /** Time limit for each request, in milliseconds (default 30 seconds). */
  timeoutMs?: number;
  /** Stop after this many pages (default 1,000). */
  maxPages?: number;
  /** Allow addresses on private and loopback networks (the command line does; the web does outside production). */
  allowPrivateAddresses?: boolean;
  /** Records whose existing rows are read together (default 250). */
  chunkSize?: number;
  /** Records written together in one transaction (default 50); a batch that fails is written again one by one. */
  batchSize?: number;
  /** Who is importing, for the audit trail (default: the command line). */
  audit?: { context: AuditContext; role?: string | null };
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportProgress extends ImportCounts {
  processed: number;
  /** How many records the source says it has, when it says. */
  expected: number | null;
  page: number;
  totalPages: number | null;
}

export interface Rejection {
  /** The record's id as given in the source (null when it had none). */
  sourceId: string | null;
  /** 1-based position of the record in the whole source. */
  position: number;
  reason: string;
}

export interface ImportSummary extends ImportCounts {
  source: { kind: 'file' | 'url'; format: OrukFormat; shape: SourceShape | null; pages: number; modifiedAfter: string | null };
  rejections: Rejection[];
  rejectionsOmitted: number;
  warnings: ImportWarning[];
  warningCount: number;
  /** Problems with the source itself (a page that failed, too many pages); the run stopped there. */
  errors: string[];
  /** True when every page was read. */
  complete: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

const MAX_REJECTIONS = 1000;
const MAX_WARNINGS = 200;
/** SQLSTATE classes that mean "the server or connection failed", not "this record is wrong". */
const INFRASTRUCTURE = /^(08|53|57|58|XX)/;

/** A database error about the record (bad data, a clash of ids) rather than about the database. */
function isRecordError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !INFRASTRUCTURE.test(code);
}

/**
 * Imports a file or feed into the directory of `database` (the embedded one or PostgreSQL) and
 * returns the summary. Problems with the source (a missing file, a page that fails) end the run
 * with `complete: false` and the problem in `errors`; they are not thrown.
 */
export async function importOruk(database: Database, source: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const db = database.db;
  const started = new Date();
  const summary: ImportSummary = {
    source: { kind: isUrl(source) ? 'url' : 'file', format: 'unknown', shape: null, pages: 0, modifiedAfter: options.modifiedAfter?.toISOString() ?? null },
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejections: [],
    rejectionsOmitted: 0,
    warnings: [],
    warningCount: 0,
    errors: [],
    complete: false,
    startedAt: started.toISOString(),
    finishedAt: '',
    durationMs: 0,
  };
  const reject = (sourceId: string | null, position: number, reason: string) => {
    summary.rejected++;
    if (summary.rejections.length < MAX_REJECTIONS) summary.rejections.push({ sourceId, position, reason });
    else summary.rejectionsOmitted++;
  };
  const addWarnings = (warnings: ImportWarning[]) => {
    summary.warningCount += warnings.length;
    for (const w of warnings) if (summary.warnings.length < MAX_WARNINGS) summary.warnings.push(w);
  };

  const ids = new IdMapper(options.sourceKey ?? sourceKeyOf(source));
  const writer = new DirectoryWriter(database, { feedId: options.feedId ?? null, sourceKey: ids.sourceKey, batchSize: options.batchSize });
  await writer.loadVocabulary();
  const claims = new Map<string, string>();
  const ctx: NormaliseContext = {
    ids,
    claim(kind, id, parentId) {
      const owner = claims.get(`${kind}:${id}`);
      if (owner === undefined) claims.set(`${kind}:${id}`, parentId);
      if (owner === undefined || owner === parentId) return id;
      const second = ids.rescope(kind, id, parentId);
      claims.set(`${kind}:${second}`, parentId);
      return second;
    },
    taxonomyIdForName: (name) => writer.taxonomyIdForName(name),
  };
  const seen = new Set<string>();
  const chunkSize = options.chunkSize ?? 250;
  let position = 0;
  const progress = { processed: 0, expected: null as number | null, page: 0, totalPages: null as number | null };
  const report = () => options.onProgress?.({ ...progress, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected });

  try {
    const pages = readSource(source, {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxPages: options.maxPages ?? 1000,
      allowPrivateAddresses: options.allowPrivateAddresses ?? false,
      modifiedAfter: options.modifiedAfter ?? null,
    });
    for await (const page of pages) {
      summary.source.pages++;
      summary.source.shape = page.shape;
      if (summary.source.format === 'unknown') summary.source.format = page.format;
      progress.page = page.pageNumber;
      progress.totalPages = page.totalPages;
      progress.expected ??= page.totalItems ?? (page.totalPages === 1 ? page.items.length : null);
      for (let start = 0; start < page.items.length; start += chunkSize) {
        const records: NormalisedRecord[] = [];
        for (const raw of page.items.slice(start, start + chunkSize)) {
          position++;
          const result = normaliseRecord(raw, position, ctx);
          if (!result.ok) reject(result.sourceId, position, result.reason);
          else if (seen.has(result.record.id)) reject(result.record.sourceId, position, 'appears more than once in the source; the first one was imported');
          else {
            seen.add(result.record.id);
            records.push(result.record);
          }
        }
        await writer.prefetch(records);
        progress.processed = position - records.length;
        await writer.writeChunk(
          records,
          (record, result) => {
            if (!result.ok) reject(record.sourceId, record.position, result.reason);
            else {
              summary[result.outcome]++;
              addWarnings(result.warnings);
            }
            progress.processed++;
            report();
          },
          isRecordError,
        );
      }
      report();
    }
    summary.complete = true;
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    summary.errors.push(err.message);
  }

  // Whatever was written is searchable as soon as the run ends (not at the first search).
  if (summary.created + summary.updated > 0) await refreshSearchIndex(db, londonToday());
  summary.rejections.sort((a, b) => a.position - b.position);
  const finished = new Date();
  summary.finishedAt = finished.toISOString();
  summary.durationMs = finished.getTime() - started.getTime();
  await audit(db, options.audit?.context ?? commandLineContext(), {
    action: 'directory.import',
    outcome: summary.complete ? 'success' : 'failure',
    role: options.audit?.role ?? null,
    entityType: options.feedId ? 'dir_feed' : null,
    entityId: options.feedId ?? null,
    details: {
      sourceKind: summary.source.kind,
      format: summary.source.format,
      shape: summary.source.shape,
      pages: summary.source.pages,
      incremental: summary.source.modifiedAfter !== null,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      warnings: summary.warningCount,
      complete: summary.complete,
    },
  });
  return summary;
}
