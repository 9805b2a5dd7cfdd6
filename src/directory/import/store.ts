/**
 * Writes imported records. A record is "unchanged" when the hash of what it would write equals
 * the hash stored when it was last imported (dir_import_record). The others are written in
 * batches of up to 50: `BEGIN; [DELETE the collections they replace;] EXECUTE a prepared INSERT;
 * COMMIT`, one round trip on one dedicated connection per chunk. The prepared statement writes
 * every table the batch needs at once, its common table expressions each reading their rows from
 * one jsonb argument (so the directory's statement triggers fire once per batch, not per record).
 * When a batch fails it is rolled back whole and its records are written again, each in a
 * transaction of its own: the one at fault is rejected alone and leaves no rows, the others are
 * kept. Organisations and locations shared by several records are written once per run.
 * Taxonomies and terms are only ever created, never changed: they may be Linkwell's own.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { ImportWarning } from './clean.ts';
import { IdMapper } from './ids.ts';
import type { NormalisedRecord } from './normalise.ts';
import { readChunkState, rowsOfUnit, UNIT_NAMES, UNITS, type ChunkState } from './existing.ts';
import { UndoLog } from './undo.ts';
import { fingerprint, jsonLiteral, TABLES, uuidLiteral, withFeed, type Row, type TableSpec } from './tables.ts';

/** Part of every record hash: raise it when the mapping changes, so the next import rewrites. */
const MAPPING_VERSION = 1;
const STATEMENT = 'linkwell_import_records';
/** Records written together in one transaction and one statement, unless the run says otherwise. */
const BATCH_SIZE = 50;
/** Tables whose rows are not found by `id`. */
const KEYS: Partial<Record<TableSpec['table'], string>> = { dir_import_record: 'service_id' };

export interface WritePlan {
  outcome: 'created' | 'updated' | 'unchanged';
  /** Statements (ids only) run before the insert. */
  deletes: string[];
  /** Rows for each table of the prepared statement. */
  rows: Map<TableSpec['table'], Row[]>;
  warnings: ImportWarning[];
  /** Updates what the run remembers, once the record is committed. */
  remember: () => void;
}

export type PlanResult = { ok: true; plan: WritePlan } | { ok: false; reason: string };
export type RecordResult = { ok: true; outcome: WritePlan['outcome']; warnings: ImportWarning[] } | { ok: false; reason: string };

type Conflict = 'update' | 'nothing' | 'fail';

/** Plans and writes the records of one import run (see the file's comment). */
export class DirectoryWriter {
  private readonly database: Database;
  private readonly feedId: string | null;
  private readonly sourceKey: string;
  private readonly serviceSpec: TableSpec;
  private readonly organizationSpec: TableSpec;
  /** The tables a record may write, in order, each with what to do when its row exists. */
  private readonly slots: [TableSpec, Conflict][];
  /** Organisations and locations that exist, and the fingerprints of those written in this run. */
  private readonly knownOrgs = new Set<string>();
  private readonly knownLocations = new Set<string>();
  private readonly writtenOrgs = new Map<string, string>();
  private readonly writtenLocations = new Map<string, string>();
  private readonly termIds = new Set<string>();
  private readonly taxonomyIds = new Set<string>();
  private readonly taxonomyByName = new Map<string, string>();
  private state: ChunkState = { services: new Map(), organizations: new Set(), locations: new Set() };
  /** What the records of the batch being written added to the above, to take back if it fails. */
  private readonly undo = new UndoLog();

  private readonly batchSize: number;

  constructor(database: Database, options: { feedId: string | null; sourceKey: string; batchSize?: number | undefined }) {
    this.database = database;
    this.batchSize = Math.max(1, options.batchSize ?? BATCH_SIZE);
    this.feedId = options.feedId;
    this.sourceKey = options.sourceKey;
    this.serviceSpec = withFeed(TABLES.service, this.feedId);
    this.organizationSpec = withFeed(TABLES.organization, this.feedId);
    this.slots = [
      [TABLES.taxonomy, 'nothing'], [TABLES.taxonomyTerm, 'nothing'], [this.organizationSpec, 'update'], [TABLES.organizationIdentifier, 'fail'],
      [TABLES.location, 'update'], [TABLES.address, 'fail'], [TABLES.accessibility, 'fail'], [this.serviceSpec, 'update'],
      [TABLES.serviceAtLocation, 'fail'], [TABLES.schedule, 'fail'], [TABLES.costOption, 'fail'], [TABLES.contact, 'fail'],
      [TABLES.phone, 'fail'], [TABLES.serviceArea, 'fail'], [TABLES.language, 'fail'], [TABLES.funding, 'fail'], [TABLES.attribute, 'fail'],
      [TABLES.importRecord, 'update'],
    ];
  }

  /** Loads the taxonomies and term ids (a directory has hundreds or thousands: cheap to hold). */
  async loadVocabulary(): Promise<void> {
    const db = this.database.db;
    for (const t of await db.selectFrom('dir_taxonomy').select(['id', 'name']).execute()) {
      this.taxonomyIds.add(t.id);
      if (!this.taxonomyByName.has(t.name.toLowerCase())) this.taxonomyByName.set(t.name.toLowerCase(), t.id);
    }
    for (const t of await db.selectFrom('dir_taxonomy_term').select('id').execute()) this.termIds.add(t.id);
  }

  taxonomyIdForName(name: string): string {
    return this.taxonomyByName.get(name.toLowerCase()) ?? IdMapper.global(`taxonomy:${name.toLowerCase()}`);
  }

  /** Reads what exists for a chunk of records, in three queries. */
  async prefetch(records: NormalisedRecord[]): Promise<void> {
    const orgIds = new Set(records.map((r) => r.organizationId).filter((id) => !this.knownOrgs.has(id)));
    const locationIds = new Set<string>();
    for (const r of records) {
      for (const l of r.locations) locationIds.add(String(l.row.id));
      for (const link of r.units.serviceAtLocations?.links ?? []) locationIds.add(String(link.location_id));
    }
    const unknownLocations = [...locationIds].filter((id) => !this.knownLocations.has(id));
    this.state = await readChunkState(this.database.db, records.map((r) => r.id), [...orgIds], unknownLocations);
    for (const id of this.state.organizations) this.knownOrgs.add(id);
    for (const id of this.state.locations) this.knownLocations.add(id);
  }

  /**
   * Writes a prefetched chunk, reporting each record's result. Records are written in batches,
   * each one transaction and one statement; when a batch fails it is rolled back and its records
   * are written again one per transaction, so the one at fault is rejected alone and leaves no
   * rows. Errors that are about a record (bad data, a clash of ids) reject it; others end the run.
   */
  async writeChunk(records: NormalisedRecord[], done: (record: NormalisedRecord, result: RecordResult) => void, isRecordError: (err: unknown) => boolean): Promise<void> {
    if (records.length === 0) return;
    await this.database.withScriptConnection(async (run) => {
      const [setting] = await run('SHOW standard_conforming_strings');
      if (setting?.standard_conforming_strings !== 'on') throw new Error('The importer needs standard_conforming_strings to be on.');
      // One statement per shape of batch (which tables it writes), planned once for the chunk.
      const prepared = new Map<string, string>();
      const statementFor = async (used: number[]) => {
        const shape = used.join(',');
        let statement = prepared.get(shape);
        if (!statement) {
          statement = `${STATEMENT}_${prepared.size + 1}`;
          await run(`PREPARE ${statement}(jsonb) AS ${this.preparedSql(used)}`);
          prepared.set(shape, statement);
        }
        return statement;
      };
      const write = async (plans: WritePlan[]) => {
        const used = this.slots.map((_, k) => k).filter((k) => plans.some((p) => p.rows.has(this.slots[k]![0].table)));
        const payload = used.map((k) => plans.flatMap((p) => p.rows.get(this.slots[k]![0].table) ?? []));
        const statement = await statementFor(used);
        await run(['BEGIN', ...plans.flatMap((p) => p.deletes), `EXECUTE ${statement}(${jsonLiteral(payload)})`, 'COMMIT;'].join(';\n'));
      };
      await run('SET plan_cache_mode = force_generic_plan');
      // Not waiting for each commit to reach the disk is safe here (a crash loses at most the
      // last moments of an import, which a re-run repeats).
      await run('SET synchronous_commit = off');
      try {
        let batch: { record: NormalisedRecord; plan: WritePlan }[] = [];
        const keys = new Set<string>();
        const flush = async () => {
          if (batch.length === 0) return;
          const pending = batch;
          batch = [];
          keys.clear();
          try {
            await write(pending.map((b) => b.plan));
            this.undo.forget();
            for (const { record, plan } of pending) done(record, { ok: true, outcome: plan.outcome, warnings: plan.warnings });
          } catch (err) {
            await run('ROLLBACK').catch(() => undefined);
            this.undo.revert();
            if (!isRecordError(err)) throw err;
            for (const { record } of pending) done(record, await this.writeAlone(record, write, isRecordError, run));
          }
        };
        const rowKeys = (plan: WritePlan) => [...plan.rows].flatMap(([table, rows]) => rows.map((r) => `${table}:${String(r[KEYS[table] ?? 'id'])}`));
        for (const record of records) {
          if (batch.length >= this.batchSize) await flush();
          let planned = this.plan(record);
          // A row written twice in one statement would fail it: such a record starts a new batch
          // (planned again, in case the batch before it was written one record at a time).
          if (planned.ok && planned.plan.outcome !== 'unchanged' && rowKeys(planned.plan).some((k) => keys.has(k))) {
            await flush();
            planned = this.plan(record);
          }
          if (!planned.ok || planned.plan.outcome === 'unchanged') {
            done(record, planned.ok ? { ok: true, outcome: 'unchanged', warnings: planned.plan.warnings } : planned);
            continue;
          }
          const plan = planned.plan;
          batch.push({ record, plan });
          for (const k of rowKeys(plan)) keys.add(k);
          // Later records of the batch are planned knowing what this one writes (undone if the batch fails).
          this.undo.recording = true;
          plan.remember();
          this.undo.recording = false;
        }
        await flush();
      } finally {
        for (const statement of prepared.values()) await run(`DEALLOCATE ${statement}`).catch(() => undefined);
        await run('RESET plan_cache_mode').catch(() => undefined);
        await run('RESET synchronous_commit').catch(() => undefined);
      }
    });
  }

  /** Plans a record again and writes it in a transaction of its own (after its batch failed). */
  private async writeAlone(
    record: NormalisedRecord,
    write: (plans: WritePlan[]) => Promise<void>,
    isRecordError: (err: unknown) => boolean,
    run: (sqlText: string) => Promise<unknown>,
  ): Promise<RecordResult> {
    const planned = this.plan(record);
    if (!planned.ok) return planned;
    try {
      if (planned.plan.outcome !== 'unchanged') await write([planned.plan]);
    } catch (err) {
      await run('ROLLBACK').catch(() => undefined);
      if (!isRecordError(err)) throw err;
      return { ok: false, reason: describeDatabaseError(err as DatabaseError) };
    }
    planned.plan.remember();
    return { ok: true, outcome: planned.plan.outcome, warnings: planned.plan.warnings };
  }

  /** Works out what to write for one record (after the prefetch of its chunk). */
  plan(record: NormalisedRecord): PlanResult {
    const warnings = [...record.warnings];
    const warn = (field: string, message: string) => warnings.push({ sourceId: record.sourceId, field, message });
    const orgKnown = this.knownOrgs.has(record.organizationId) || this.writtenOrgs.has(record.organizationId);
    if (!record.organization && !orgKnown) return { ok: false, reason: 'refers to an organisation that is neither in the source record nor in the directory' };

    const recordTermIds = new Set(record.terms.map((t) => String(t.id)));
    const termKnown = (id: string) => this.termIds.has(id) || recordTermIds.has(id);
    const own = new Set(record.locations.map((l) => String(l.row.id)));
    const locationKnown = (id: string) => own.has(id) || this.knownLocations.has(id) || this.writtenLocations.has(id);
    const units = UNIT_NAMES.map((name) => [name, rowsOfUnit(record, name, locationKnown, termKnown, warn)] as const);

    const feed: Row = this.feedId ? { source_feed_id: this.feedId } : {};
    const service = { ...record.service, ...feed };
    const org = record.organization ? { ...record.organization.row, ...feed } : null;
    const orgPrint = org ? `${fingerprint([org], this.organizationSpec.columns)}\n${record.organization!.identifiers ? fingerprint(record.organization!.identifiers, TABLES.organizationIdentifier.columns) : '-'}` : null;
    const locationPrints = record.locations.map((l) => [
      fingerprint([l.row], TABLES.location.columns),
      l.addresses ? fingerprint(l.addresses, TABLES.address.columns) : '-',
      l.accessibility ? fingerprint(l.accessibility, TABLES.accessibility.columns) : '-',
    ].join('\n'));
    const hash = createHash('sha256')
      .update(JSON.stringify({ v: MAPPING_VERSION, orgPrint, orgRef: record.organizationId, locationPrints, service: fingerprint([service], this.serviceSpec.columns), units }))
      .digest('base64url');

    const stored = this.state.services.get(record.id);
    const nothing = { ok: true as const, plan: { outcome: 'unchanged' as const, deletes: [], rows: new Map(), warnings, remember: () => undefined } };
    if (stored === hash) return nothing;

    const rows = new Map<TableSpec['table'], Row[]>();
    const add = (spec: TableSpec, more: readonly Row[]) => {
      if (more.length) rows.set(spec.table, [...(rows.get(spec.table) ?? []), ...more]);
    };
    const deletes: string[] = [];
    const remembered: (() => void)[] = [];

    // Vocabulary: create what is missing; a parent term only if it is known.
    const taxonomies = record.taxonomies.filter((t) => !this.taxonomyIds.has(String(t.id)));
    const terms = record.terms
      .filter((t) => !this.termIds.has(String(t.id)))
      .map((t): Row => ({ ...t, parent_id: typeof t.parent_id === 'string' && termKnown(t.parent_id) ? t.parent_id : null }));
    add(TABLES.taxonomy, taxonomies);
    add(TABLES.taxonomyTerm, terms);
    remembered.push(() => {
      for (const t of taxonomies) {
        this.undo.add(this.taxonomyIds, String(t.id));
        if (!this.taxonomyByName.has(String(t.name).toLowerCase())) this.undo.set(this.taxonomyByName, String(t.name).toLowerCase(), String(t.id));
      }
      for (const t of terms) this.undo.add(this.termIds, String(t.id));
    });

    // The organisation, once per run.
    if (org && this.writtenOrgs.get(record.organizationId) !== orgPrint) {
      add(this.organizationSpec, [org]);
      const identifiers = record.organization!.identifiers;
      if (identifiers) {
        if (orgKnown) deletes.push(`DELETE FROM dir_organization_identifier WHERE organization_id = ${uuidLiteral(record.organizationId)}`);
        add(TABLES.organizationIdentifier, identifiers);
      }
      remembered.push(() => this.undo.set(this.writtenOrgs, record.organizationId, orgPrint!));
    }

    // Locations, shared between services: once per run.
    record.locations.forEach((location, k) => {
      const id = String(location.row.id);
      if (this.writtenLocations.get(id) === locationPrints[k]) return;
      const known = this.knownLocations.has(id) || this.writtenLocations.has(id);
      add(TABLES.location, [location.row]);
      if (location.addresses) {
        if (known) deletes.push(`DELETE FROM dir_address WHERE location_id = ${uuidLiteral(id)}`);
        add(TABLES.address, location.addresses);
      }
      if (location.accessibility) {
        if (known) deletes.push(`DELETE FROM dir_accessibility WHERE location_id = ${uuidLiteral(id)}`);
        add(TABLES.accessibility, location.accessibility);
      }
      remembered.push(() => this.undo.set(this.writtenLocations, id, locationPrints[k]!));
    });

    // The service, the collections it carries (replacing what is stored), and the hash.
    add(this.serviceSpec, [service]);
    for (const [name, unitRows] of units) {
      if (!unitRows) continue;
      if (stored !== undefined) deletes.push(...UNITS[name].remove(record.id));
      UNITS[name].tables.forEach((spec, k) => add(spec, unitRows[k]!));
    }
    add(TABLES.importRecord, [{ service_id: record.id, source_key: this.sourceKey, source_id: record.sourceId, content_hash: hash, feed_id: this.feedId }]);
    return { ok: true, plan: { outcome: stored === undefined ? 'created' : 'updated', deletes, rows, warnings, remember: () => remembered.forEach((f) => f()) } };
  }

  /** One INSERT … SELECT per table used, all in one statement, each reading its rows from $1 -> position. */
  private preparedSql(used: number[]): string {
    const id = (name: string) => `"${name}"`;
    const ctes = used.map((slot, k) => {
      const [spec, conflict] = this.slots[slot]!;
      const columns = spec.touches ? [...spec.columns, spec.touches] : [...spec.columns];
      const values = spec.columns.map((c) => `r.${id(c)}`);
      if (spec.touches) values.push('now()');
      const key = spec.key ?? 'id';
      const updates = columns.filter((c) => c !== key).map((c) => (c === spec.touches ? `${id(c)} = now()` : `${id(c)} = excluded.${id(c)}`));
      const onConflict = conflict === 'update' ? `ON CONFLICT (${id(key)}) DO UPDATE SET ${updates.join(', ')}` : conflict === 'nothing' ? `ON CONFLICT (${id(key)}) DO NOTHING` : '';
      return `w${k} AS (INSERT INTO ${id(spec.table)} (${columns.map(id).join(', ')})
        SELECT ${values.join(', ')} FROM jsonb_populate_recordset(NULL::${id(spec.table)}, $1 -> ${k}) AS r ${onConflict})`;
    });
    return `WITH ${ctes.join(',\n')} SELECT 1`;
  }
}

interface DatabaseError {
  code?: string;
  message: string;
  constraint?: string;
}

/** Why the database refused a record, in words (names of constraints only, no values). */
function describeDatabaseError(err: DatabaseError): string {
  if (err.code === '23505') return `could not be saved: an id in it is already used by another record (${err.constraint ?? 'unique key'})`;
  if (err.code === '23503') return `could not be saved: it refers to a row that does not exist (${err.constraint ?? 'foreign key'})`;
  if (err.code === '23514') return `could not be saved: a value is not allowed (${err.constraint ?? 'check'})`;
  return `could not be saved: ${err.message}`;
}
