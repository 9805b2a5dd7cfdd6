/**
 * Registered external feeds: other directories' ORUK APIs that Linkwell re-imports on request
 * (the "Sync now" button, or `linkwell import sync`). A feed that spoke ORUK 3.0 at its last
 * complete sync is asked only for what changed since (`modified_after`); 1.0 feeds have no such
 * parameter and are read whole. Platform admins and directory curators manage feeds.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/actor.ts';
import { recordAudit, type AuditContext } from '../../audit/audit.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { conflict } from '../../web/problems.ts';
import { importOruk, type ImportOptions, type ImportSummary } from './importer.ts';
import { sourceKeyOf } from './source.ts';

export interface Feed {
  id: string;
  name: string;
  url: string;
  format: '1.0' | '3.0' | null;
  lastSyncedAt: Date | null;
  lastSummary: ImportSummary | null;
  createdAt: Date;
}

/** Feeds are a platform matter: platform admins and directory curators (in any organisation) manage them. */
export function mayManageFeeds(actor: Actor): boolean {
  return actor.isPlatformAdmin || can(actor, 'directory.curate');
}

/** The role and organisation under which an actor manages feeds, for the audit trail. */
export function feedRole(actor: Actor | null): { role: string | null; organisationId: string | null } {
  if (!actor) return { role: null, organisationId: null };
  if (actor.isPlatformAdmin) return { role: 'platform_admin', organisationId: null };
  const m = actor.memberships.find((x) => x.role === 'directory_curator');
  return { role: m ? 'directory_curator' : null, organisationId: m?.organisationId ?? null };
}

function toFeed(row: { id: string; name: string; url: string; format: '1.0' | '3.0' | null; last_synced_at: Date | null; last_summary: unknown; created_at: Date }): Feed {
  const summary = typeof row.last_summary === 'string' ? (JSON.parse(row.last_summary) as ImportSummary) : ((row.last_summary as ImportSummary | null) ?? null);
  return { id: row.id, name: row.name, url: row.url, format: row.format, lastSyncedAt: row.last_synced_at, lastSummary: summary, createdAt: row.created_at };
}

const COLUMNS = ['id', 'name', 'url', 'format', 'last_synced_at', 'last_summary', 'created_at'] as const;

export async function listFeeds(db: Kysely<DB>): Promise<Feed[]> {
  return (await db.selectFrom('dir_feed').select(COLUMNS).orderBy('name').orderBy('created_at').execute()).map(toFeed);
}

export async function findFeed(db: Kysely<DB>, id: string): Promise<Feed | undefined> {
  const row = await db.selectFrom('dir_feed').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toFeed(row) : undefined;
}

/** Registers a feed; a second feed with the same address is refused (409). */
export async function registerFeed(db: Kysely<DB>, ctx: AuditContext, actor: Actor | null, input: { name: string; url: string }): Promise<Feed> {
  return db.transaction().execute(async (trx) => {
    const clash = await trx.selectFrom('dir_feed').select('name').where('url', '=', input.url).executeTakeFirst();
    if (clash) throw conflict(`This address is already registered, as "${clash.name}".`);
    const row = await trx
      .insertInto('dir_feed')
      .values({ name: input.name, url: input.url, created_by: actor?.userId ?? null })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    const { role, organisationId } = feedRole(actor);
    await recordAudit(trx, ctx, { action: 'directory.feed.register', role, organisationId, entityType: 'dir_feed', entityId: row.id });
    return toFeed(row);
  });
}

/** Feeds being synced by this process: a second sync of the same feed waits for none, it is refused. */
const syncing = new Set<string>();

/**
 * Imports a feed (only what changed, for a 3.0 feed synced before), then records the summary and,
 * when every page was read, the time the sync started as the feed's last sync.
 */
export async function syncFeed(
  database: Database,
  feed: Feed,
  options: Pick<ImportOptions, 'allowPrivateAddresses' | 'onProgress' | 'timeoutMs'> & { context: AuditContext; actor: Actor | null },
): Promise<ImportSummary> {
  if (syncing.has(feed.id)) throw conflict(`"${feed.name}" is already being synced. Try again when it has finished.`);
  syncing.add(feed.id);
  try {
    const summary = await importOruk(database, feed.url, {
      feedId: feed.id,
      sourceKey: sourceKeyOf(feed.url),
      modifiedAfter: feed.format === '3.0' ? feed.lastSyncedAt : null,
      audit: { context: options.context, role: feedRole(options.actor).role },
      ...(options.allowPrivateAddresses !== undefined ? { allowPrivateAddresses: options.allowPrivateAddresses } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    const format = summary.source.format === 'unknown' ? feed.format : summary.source.format;
    await database.db
      .updateTable('dir_feed')
      .set({ last_summary: JSON.stringify(summary), format, ...(summary.complete ? { last_synced_at: summary.startedAt } : {}) })
      .where('id', '=', feed.id)
      .execute();
    return summary;
  } finally {
    syncing.delete(feed.id);
  }
}

/** One line about a run, for a flash message or the command line. */
export function describeSummary(summary: ImportSummary): string {
  const counts = `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected`;
  return summary.complete ? `Import finished: ${counts}.` : `Import stopped: ${summary.errors.join(' ')} Before it stopped: ${counts}.`;
}
