/**
 * Writes imported records. A record is "unchanged" when the hash of what it would write equals
 * the hash stored when it was last imported (dir_import_record); otherwise its rows are written in
 * a transaction of its own: `BEGIN; [DELETE the collections it replaces;] EXECUTE a prepared
 * INSERT; COMMIT`, sent as one round trip on one dedicated connection per chunk. The prepared
 * statement writes every table the record needs at once, its common table expressions each
 * reading their rows from one jsonb argument; a record that fails is rolled back whole. Organisations and locations
 * shared by several records are written once per run. Taxonomies and terms are only ever created,
 * never changed: they may be Linkwell's own.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { ImportWarning } from './clean.ts';
import { IdMapper } from './ids.ts';
import type { NormalisedRecord } from './normalise.ts';
import { readChunkState, UNIT_NAMES, UNITS, type ChunkState } from './existing.ts';
import { fingerprint, jsonLiteral, TABLES, uuidLiteral, withFeed, type Row, type TableSpec } from './tables.ts';

/** Part of every record hash: raise it when the mapping changes, so the next import rewrites. */
const MAPPING_VERSION = 1;
const STATEMENT = 'linkwell_import_record';

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

  constructor(database: Database, options: { feedId: string | null; sourceKey: string }) {
    this.database = database;
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
   * Writes a prefetched chunk, each record in its own transaction, reporting each result. Errors
   * that are about a record (bad data, a clash of ids) reject it; others end the run.
   */
  async writeChunk(records: NormalisedRecord[], done: (record: NormalisedRecord, result: RecordResult) => void, isRecordError: (err: unknown) => boolean): Promise<void> {
    if (records.length === 0) return;
    await this.database.withScriptConnection(async (run) => {
      const [setting] = await run('SHOW standard_conforming_strings');
      if (setting?.standard_conforming_strings !== 'on') throw new Error('The importer needs standard_conforming_strings to be on.');
      // One statement per shape of record (which tables it writes), planned once for the chunk.
      const prepared = new Map<string, string>();
      await run('SET plan_cache_mode = force_generic_plan');
      // Each record commits on its own; not waiting for each commit to reach the disk is safe here
      // (a crash loses at most the last moments of an import, which a re-run repeats).
      await run('SET synchronous_commit = off');
      try {
        for (const record of records) {
          const planned = this.plan(record);
          if (!planned.ok) {
            done(record, planned);
            continue;
          }
          const { plan } = planned;
          if (plan.outcome !== 'unchanged') {
            const used = this.slots.map((_, k) => k).filter((k) => plan.rows.has(this.slots[k]![0].table));
            const shape = used.join(',');
            let statement = prepared.get(shape);
            if (!statement) {
              statement = `${STATEMENT}_${prepared.size + 1}`;
              await run(`PREPARE ${statement}(jsonb) AS ${this.preparedSql(used)}`);
              prepared.set(shape, statement);
            }
            const payload = used.map((k) => plan.rows.get(this.slots[k]![0].table)!);
            try {
              await run(['BEGIN', ...plan.deletes, `EXECUTE ${statement}(${jsonLiteral(payload)})`, 'COMMIT;'].join(';\n'));
            } catch (err) {
              await run('ROLLBACK').catch(() => undefined);
              if (!isRecordError(err)) throw err;
              done(record, { ok: false, reason: describeDatabaseError(err as DatabaseError) });
              continue;
            }
          }
          plan.remember();
          done(record, { ok: true, outcome: plan.outcome, warnings: plan.warnings });
        }
      } finally {
        for (const statement of prepared.values()) await run(`DEALLOCATE ${statement}`).catch(() => undefined);
        await run('RESET plan_cache_mode').catch(() => undefined);
        await run('RESET synchronous_commit').catch(() => undefined);
      }
    });
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
        this.taxonomyIds.add(String(t.id));
        if (!this.taxonomyByName.has(String(t.name).toLowerCase())) this.taxonomyByName.set(String(t.name).toLowerCase(), String(t.id));
      }
      for (const t of terms) this.termIds.add(String(t.id));
    });

    // The organisation, once per run.
    if (org && this.writtenOrgs.get(record.organizationId) !== orgPrint) {
      add(this.organizationSpec, [org]);
      const identifiers = record.organization!.identifiers;
      if (identifiers) {
        if (orgKnown) deletes.push(`DELETE FROM dir_organization_identifier WHERE organization_id = ${uuidLiteral(record.organizationId)}`);
        add(TABLES.organizationIdentifier, identifiers);
      }
      remembered.push(() => this.writtenOrgs.set(record.organizationId, orgPrint!));
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
      remembered.push(() => this.writtenLocations.set(id, locationPrints[k]!));
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

/** A unit's rows as [table][row] (null when the record does not carry it), links to unknown places and terms left out. */
function rowsOfUnit(
  record: NormalisedRecord,
  name: (typeof UNIT_NAMES)[number],
  locationKnown: (id: string) => boolean,
  termKnown: (id: string) => boolean,
  warn: (field: string, message: string) => void,
): Row[][] | null {
  const u = record.units;
  switch (name) {
    case 'serviceAtLocations': {
      if (!u.serviceAtLocations) return null;
      const links = u.serviceAtLocations.links.filter((l) => locationKnown(String(l.location_id)));
      if (links.length < u.serviceAtLocations.links.length) warn('service_at_locations', 'refers to a location that is neither in the record nor in the directory; it was left out');
      const linkIds = new Set(links.map((l) => l.id));
      return [links, u.serviceAtLocations.schedules.filter((s) => linkIds.has(s.service_at_location_id))];
    }
    case 'contacts':
      return u.contacts ? [u.contacts.contacts, u.contacts.phones] : null;
    case 'attributes': {
      if (!u.attributes) return null;
      const known = u.attributes.filter((a) => termKnown(String(a.taxonomy_term_id)));
      if (known.length < u.attributes.length) warn('attributes', 'refers to a taxonomy term that is neither in the record nor in the directory; it was left out');
      return [known];
    }
    default: {
      const unitRows = u[name];
      return unitRows ? [unitRows] : null;
    }
  }
}
