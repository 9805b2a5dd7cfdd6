/**
 * `npm run bench:directory`: generates a London-scale directory (20,000 services, 40,000 locations
 * at real London postcodes, 60,000 schedules, course intakes and tags) and prints p50/p95 latency
 * for the ORUK `/oruk/services?search=` call and the link worker's search page (three filters and a
 * postcode), each beside the bare SQL underneath, with their ratio; then the time to import a
 * 10,000-service ORUK 3.0 file into an empty directory; and the peak memory. Runs on the embedded
 * database, then on PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set.
 * BENCH_STEPS=search or BENCH_STEPS=import runs one part only.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CompiledQuery, sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow, type QueryId } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { DB } from '../src/db/schema.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { createOfflinePostcodeLookup } from '../src/geo/postcodes.ts';
import type { TimedAnswer, TimedGet } from './http-worker.ts';
import { createSession } from '../src/auth/sessions.ts';
import { parseFilters } from '../src/directory/search/filters.ts';
import { londonToday, searchDirectory } from '../src/directory/search/query.ts';
import { refreshSearchIndex } from '../src/directory/search/search-index.ts';
import { LINKWELL_TAXONOMIES } from '../src/directory/taxonomies.ts';
import { importOruk } from '../src/directory/import/importer.ts';

const SERVICES = 20_000;
const LOCATIONS = 40_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARM_UP = 30;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let peakRss = 0;
const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** A small seeded generator, so every run builds the same directory. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function samplePostcodes(count: number): [string, number, number][] {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'data/geo/london_postcodes.csv.gz'))).toString('utf8').split('\n').slice(1).filter(Boolean);
  const rand = random(42);
  return Array.from({ length: count }, () => {
    const [postcode, lat, lng] = lines[Math.floor(rand() * lines.length)]!.split(',');
    return [postcode!, Number(lat), Number(lng)];
  });
}

const SUBJECTS = ['Mindfulness', 'Gardening', 'Pottery', 'Digital skills', 'ESOL', 'Walking', 'Yoga', 'Money advice', 'Book club', 'Choir', 'Art', 'Cooking', 'Maths', 'English', 'Photography', 'Woodwork', 'Dance', 'Tai chi', 'Knitting', 'Local history', 'Creative writing', 'Drama', 'Museum tours', 'Volunteering', 'Job club', 'Allotment', 'Swimming', 'Football', 'Computers', 'Sewing'];
const KINDS = ['for beginners', 'for wellbeing', 'group', 'club', 'course', 'workshop', 'drop-in', 'taster', 'level 1', 'improvers'];
const PHRASES = ['A friendly group for adults', 'learn new skills at your own pace', 'meet people in your area', 'no experience needed', 'tea and biscuits provided', 'support for people with anxiety', 'help with confidence and wellbeing', 'outdoors in all weathers', 'qualified tutors', 'a relaxed and welcoming space'];
const arr = (xs: readonly string[]) => sql.raw(`ARRAY[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`);

/** Fills the directory with bulk INSERT … SELECT generate_series (and multi-row inserts for places). */
export async function generate(db: Kysely<DB>, places: [string, number, number][]): Promise<void> {
  const activity = Object.values(LINKWELL_TAXONOMIES.activityType.terms).map((t) => t.id);
  const ways = Object.values(LINKWELL_TAXONOMIES.fiveWays.terms).map((t) => t.id);
  await sql`INSERT INTO dir_organization (id, name, description)
    SELECT md5('org' || g)::uuid, 'Provider ' || g, 'A community organisation' FROM generate_series(0, 1999) g`.execute(db);
  await sql`INSERT INTO dir_service (id, organization_id, name, description, lw_free, lw_fee_waived_for_social_prescribing, lw_fee_full,
      minimum_age, lw_step_free, lw_access_route, lw_delivery_language)
    SELECT md5('svc' || g)::uuid, md5('org' || (g % 2000))::uuid,
      (${arr(SUBJECTS)})[1 + (g * 7) % 30] || ' ' || (${arr(KINDS)})[1 + (g * 13) % 10],
      (${arr(PHRASES)})[1 + g % 10] || ', ' || (${arr(PHRASES)})[1 + (g / 10) % 10] || '.',
      g % 4 = 0, g % 5 = 1, CASE WHEN g % 3 = 0 THEN 50 + g % 200 END,
      CASE WHEN g % 6 = 0 THEN 19 END, g % 3 <> 2, CASE WHEN g % 2 = 0 THEN 'referral' ELSE 'signpost' END,
      CASE WHEN g % 25 = 0 THEN 'Bengali' END
    FROM generate_series(1, ${SERVICES}) g`.execute(db);
  for (let i = 0; i < LOCATIONS; i += 2000) {
    const batch = places.slice(i, i + 2000).map(([postcode, latitude, longitude], k) => ({ n: i + k + 1, postcode, latitude, longitude }));
    await db.insertInto('dir_location').values(batch.map((p) => ({ id: sql<string>`md5(${'loc' + p.n})::uuid`, name: `Venue ${p.n}`, description: null, latitude: p.latitude, longitude: p.longitude, external_identifier: null, external_identifier_type: null, organization_id: null }))).execute();
    await db.insertInto('dir_address').values(batch.map((p) => ({ id: sql<string>`md5(${'adr' + p.n})::uuid`, location_id: sql<string>`md5(${'loc' + p.n})::uuid`, attention: null, address_1: `${p.n} High Street`, city: 'London', region: null, postal_code: p.postcode }))).execute();
  }
  // Each service at two places; a schedule at each place and one for the service: 60,000.
  await sql`INSERT INTO dir_service_at_location (id, service_id, location_id)
    SELECT md5('sal' || g)::uuid, md5('svc' || ((g + 1) / 2))::uuid, md5('loc' || g)::uuid FROM generate_series(1, ${LOCATIONS}) g`.execute(db);
  await sql`INSERT INTO dir_schedule (id, service_at_location_id, freq, byday, opens_at, closes_at)
    SELECT md5('sch' || g)::uuid, md5('sal' || g)::uuid, 'WEEKLY', (ARRAY['MO','TU','WE','TH','FR','SA','SU','MO,WE','TU,TH'])[1 + (g * 5) % 9],
      make_time(9 + (g * 3) % 11, (g % 2) * 30, 0), make_time(11 + (g * 3) % 11, (g % 2) * 30, 0)
    FROM generate_series(1, ${LOCATIONS}) g`.execute(db);
  await sql`INSERT INTO dir_schedule (id, service_id, freq, byday, opens_at)
    SELECT md5('schs' || g)::uuid, md5('svc' || g)::uuid, 'WEEKLY', (ARRAY['MO','TU','WE','TH','FR','SA'])[1 + (g * 11) % 6], make_time(10 + g % 9, 0, 0)
    FROM generate_series(1, ${SERVICES}) g`.execute(db);
  // Two intakes for two services in five (courses).
  await sql`INSERT INTO dir_course_intake (service_id, location_id, start_date, end_date, weekdays, start_time, delivery, places_total, places_left, typical_wait_days)
    SELECT md5('svc' || s)::uuid, md5('loc' || (2 * s))::uuid, current_date + ((s * 17 + k * 40) % 150 - 30), current_date + ((s * 17 + k * 40) % 150 + 40),
      (ARRAY['MO','TU','WE','TH','FR','TU,TH'])[1 + (s + k) % 6], make_time(9 + (s * 7 + k) % 11, 0, 0),
      (ARRAY['in_person','in_person','online','blended'])[1 + (s + k) % 4], 15, (s * 3 + k) % 16, (s % 5) * 7
    FROM generate_series(1, ${SERVICES}) s, generate_series(0, 1) k WHERE s % 5 < 2`.execute(db);
  await sql`INSERT INTO dir_attribute (id, link_id, taxonomy_term_id)
    SELECT md5('att' || g)::uuid, md5('svc' || g)::uuid, (${sql.raw(`ARRAY[${activity.map((x) => `'${x}'::uuid`).join(',')}]`)})[1 + (g * 3) % 10] FROM generate_series(1, ${SERVICES}) g
    UNION ALL
    SELECT md5('atw' || g)::uuid, md5('svc' || g)::uuid, (${sql.raw(`ARRAY[${ways.map((x) => `'${x}'::uuid`).join(',')}]`)})[1 + g % 5] FROM generate_series(1, ${SERVICES}) g`.execute(db);
  await sql`INSERT INTO dir_cost_option (id, service_id, amount) SELECT md5('cost' || g)::uuid, md5('svc' || g)::uuid, (g % 4) * 5
    FROM generate_series(1, ${SERVICES}) g WHERE g % 3 = 1`.execute(db);
  await sql`INSERT INTO dir_language (id, service_id, name, code) SELECT md5('lang' || g)::uuid, md5('svc' || g)::uuid,
    (ARRAY['Polish','Somali','Turkish','Spanish'])[1 + g % 4], (ARRAY['pl','so','tr','es'])[1 + g % 4] FROM generate_series(1, ${SERVICES}) g WHERE g % 10 = 3`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/** Builds the search index for every service (what the first search after an import would do). */
export async function buildIndex(db: Kysely<DB>): Promise<number> {
  const n = await refreshSearchIndex(db, londonToday());
  await sql`ANALYZE dir_search_doc`.execute(db);
  await sql`ANALYZE dir_search_point`.execute(db);
  return n;
}

const IMPORTED = 10_000;
const uuidOf = (name: string) => {
  const h = createHash('md5').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * A 10,000-service ORUK 3.0 page as a council feed might send it: full records (organisation,
 * one or two places with addresses, schedules, costs, contacts, languages, taxonomy terms), HTML in
 * descriptions, empty strings. Ten records have no name (rejected when read) and five reuse a
 * schedule id that `clashes` already holds (rejected by the database, so the rest of their batch is
 * written again one record at a time).
 */
export function orukFile(places: [string, number, number][], clashes: string[]): unknown {
  const terms = [LINKWELL_TAXONOMIES.activityType, LINKWELL_TAXONOMIES.fiveWays].map((t) => Object.values(t.terms));
  const days = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
  const contents = Array.from({ length: IMPORTED }, (_, i) => {
    const id = uuidOf(`imp-svc-${i}`);
    const org = i % 2000;
    const locations = Array.from({ length: 1 + (i % 2) }, (_, k) => {
      const [postcode, latitude, longitude] = places[(i * 2 + k) % places.length]!;
      return { id: uuidOf(`imp-sal-${i}-${k}`), location: { id: uuidOf(`imp-loc-${i}-${k}`), location_type: 'physical', name: `Imported venue ${i}-${k}`, description: '', latitude, longitude,
        addresses: [{ id: uuidOf(`imp-adr-${i}-${k}`), address_1: `${i} Market Road `, city: 'London', state_province: '', postal_code: postcode, country: 'GB', address_type: 'physical' }] } };
    });
    return {
      id,
      name: i % 1000 === 999 ? '' : `${SUBJECTS[(i * 7) % 30]} ${KINDS[(i * 13) % 10]} (imported ${i})`,
      description: `<p>${PHRASES[i % 10]}.</p><p>${PHRASES[(i >> 3) % 10]} &amp; more.</p>`,
      status: 'active', email: i % 3 ? `svc${i}@example.org` : '', url: `https://example.org/services/${i}`, minimum_age: i % 6 ? 18 : '',
      organization: { id: uuidOf(`imp-org-${org}`), name: `Imported provider ${org}`, description: `<b>Provider ${org}</b>`, email: '', website: `https://example.org/${org}` },
      service_at_locations: locations,
      schedules: [{ id: i % 2000 === 1000 ? clashes[(i - 1000) / 2000]! : uuidOf(`imp-sch-${i}`), freq: 'WEEKLY', byday: days[i % 6], opens_at: `${10 + (i % 9)}:00`, closes_at: `${12 + (i % 9)}:00` }],
      cost_options: i % 3 === 0 ? [{ id: uuidOf(`imp-cost-${i}`), option: 'Per session', amount: (i % 4) * 5 }] : [],
      contacts: [{ id: uuidOf(`imp-con-${i}`), name: 'Reception', title: ' Front desk ', phones: [{ id: uuidOf(`imp-tel-${i}`), number: '020 7946 0000' }] }],
      languages: i % 10 === 3 ? [{ id: uuidOf(`imp-lang-${i}`), name: 'Polish' }] : [],
      attributes: terms.map((list, k) => {
        const term = list[(i + k) % list.length]!;
        return { id: uuidOf(`imp-att-${i}-${k}`), taxonomy_term: { id: term.id, name: term.name } };
      }),
    };
  });
  return { total_items: IMPORTED, total_pages: 1, page_number: 1, size: IMPORTED, first_page: true, last_page: true, empty: false, contents };
}

/** Imports the 10,000-service file into an empty directory and prints how long it took. */
async function importStep(database: Database, places: [string, number, number][]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-bench-import-'));
  try {
    await migrate(database);
    const clashes = Array.from({ length: 5 }, (_, k) => uuidOf(`imp-clash-${k}`));
    const seedFile = path.join(dir, 'seed.json');
    fs.writeFileSync(seedFile, JSON.stringify([{ id: uuidOf('imp-seed'), name: 'Seed service', organization: { id: uuidOf('imp-seed-org'), name: 'Seed provider' },
      schedules: clashes.map((id) => ({ id, freq: 'WEEKLY', byday: 'MO', opens_at: '09:00' })) }]));
    await importOruk(database, seedFile);
    const file = path.join(dir, 'services.json');
    fs.writeFileSync(file, JSON.stringify(orukFile(places, clashes)));
    sampleMemory();
    const s = await importOruk(database, file);
    sampleMemory();
    console.log(`  import of a ${IMPORTED}-service ORUK 3.0 file (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) into an empty directory: ${(s.durationMs / 1000).toFixed(1)} s`
      + ` (${s.created} created, ${s.rejected} rejected; target ≤ 20 s, search index refreshed included)`);
    const again = await importOruk(database, file);
    console.log(`  the same file again: ${(again.durationMs / 1000).toFixed(1)} s (${again.unchanged} unchanged)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark's browser (http-worker.ts): each answer carries the time the worker measured. */
function httpClient(port: number) {
  const worker = new Worker(new URL('./http-worker.ts', import.meta.url), { workerData: { port } });
  const waiting = new Map<number, (answer: TimedAnswer) => void>();
  let next = 0;
  worker.on('message', (answer: TimedAnswer) => {
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  return {
    get: (path: string, headers: Record<string, string> = {}) =>
      new Promise<TimedAnswer>((resolve, reject) => {
        const id = next++;
        waiting.set(id, (answer) => (answer.error ? reject(new Error(answer.error)) : resolve(answer)));
        worker.postMessage({ id, path, headers } satisfies TimedGet);
      }),
    close: async () => {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}

/** Records the SQL each request runs, so the same statements can be timed bare. */
class CaptureQueries implements KyselyPlugin {
  capturing = false;
  nodes: { node: RootOperationNode; queryId: QueryId }[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.capturing) this.nodes.push({ node: args.node, queryId: args.queryId });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
type Stats = { p50: number; p95: number };
const isTimedAnswer = (x: unknown): x is TimedAnswer => typeof x === 'object' && x !== null && 'ms' in x && 'statusCode' in x && 'bytes' in x;
/** Times several variants in turn, round after round, so a change in machine load hits them all alike. */
async function timeTogether<K extends string>(runs: number, variants: Record<K, (i: number) => Promise<unknown>>): Promise<Record<K, Stats>> {
  const keys = Object.keys(variants) as K[];
  for (let i = 0; i < WARM_UP; i++) for (const k of keys) await variants[k](i);
  const ms = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < runs; i++) {
    for (const k of keys) {
      const start = performance.now();
      const result = await variants[k](i);
      // An HTTP request is timed by the worker that sent it (from its first byte to the body's last).
      ms[k].push(isTimedAnswer(result) ? result.ms : performance.now() - start);
    }
    if (i % 20 === 0) sampleMemory();
  }
  return Object.fromEntries(keys.map((k) => {
    const sorted = ms[k].sort((a, b) => a - b);
    return [k, { p50: percentile(sorted, 50), p95: percentile(sorted, 95) }];
  })) as Record<K, Stats>;
}

const fmt = (n: number) => n.toFixed(2).padStart(8);
const load = () => `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`;
function report(label: string, app: Stats, bare: Stats, target: number): void {
  const ratio = app.p95 / bare.p95;
  const ok = app.p95 <= target && ratio <= 1.5 ? 'meets target' : 'MISSES target';
  console.log(`  ${label.padEnd(38)} p50 ${fmt(app.p50)} ms  p95 ${fmt(app.p95)} ms | bare SQL p50 ${fmt(bare.p50)} ms  p95 ${fmt(bare.p95)} ms | ratio p95 ${ratio.toFixed(2)} p50 ${(app.p50 / bare.p50).toFixed(2)}  (${ok}: p95 ≤ ${target} ms, ratio ≤ 1.5)`);
}

/** Generates the directory (unless `generated`: a kept database already holds it), then times the searches. */
export async function run(database: Database, places: [string, number, number][], target: number, generated = false): Promise<void> {
  if (!generated) {
    const started = performance.now();
    await migrate(database);
    await generate(database.db, places);
    console.log(`  generated ${SERVICES} services, ${LOCATIONS} locations, 60000 schedules in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const indexing = performance.now();
    const indexed = await buildIndex(database.db);
    console.log(`  search index built for ${indexed} services in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);
  }

  const capture = new CaptureQueries();
  const db = database.db.withPlugin(capture);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-bench-'));
  const config = loadConfig({ LINKWELL_DEMO: 'false', LOG_LEVEL: 'silent', LINKWELL_DATA_DIR: dataDir });
  const postcodes = createOfflinePostcodeLookup();
  const mailer = createMailer(config);
  // Loaded here, so that the import step runs without the web application.
  const { createApp } = await import('../src/app.ts');
  const app = await createApp({ config, database: { ...database, db }, mailer, postcodes });
  // Requests go over a real socket (HTTP/1.1 keep-alive) from another thread, as a browser's would.
  // Fastify's app.inject leaves work behind for the garbage collector (young-generation collections
  // of 13-18 ms instead of 0.3 ms for the same route: docs/benchmarks.md), which is not the server's.
  await app.listen({ host: '127.0.0.1', port: 0 });
  const client = httpClient((app.server.address() as AddressInfo).port);
  const bare = async (nodes: CaptureQueries['nodes']) => {
    for (const { node, queryId } of nodes) await database.db.executeQuery(database.db.getExecutor().compileQuery(node, queryId) as CompiledQuery);
  };
  const captured = async (work: () => Promise<unknown>) => {
    capture.nodes = [];
    capture.capturing = true;
    await work();
    capture.capturing = false;
    return capture.nodes;
  };

  // (a) ORUK search.
  const words = ['garden', 'mindfulness', 'digital skills', 'yoga', 'money advice', 'choir', 'pottery', 'walking'];
  const orukUrl = (i: number) => `/oruk/services?search=${encodeURIComponent(words[i % words.length]!)}`;
  const probe = await client.get(orukUrl(0));
  if (probe.statusCode !== 200) {
    console.log(`  ORUK /oruk/services?search=: not measured (answered ${probe.statusCode}: the ORUK API is not in place yet)`);
  } else {
    const statements: CaptureQueries['nodes'][] = [];
    for (let i = 0; i < words.length; i++) statements.push(await captured(() => client.get(orukUrl(i))));
    const r = await timeTogether(RUNS, {
      api: (i) => client.get(orukUrl(i)),
      sql: (i) => bare(statements[i % words.length]!),
    });
    report(`ORUK /services?search= (${statements[0]!.length} statement${statements[0]!.length === 1 ? '' : 's'})`, r.api, r.sql, target);
  }

  // (b) The link worker's search: three filters and a postcode.
  const org = await database.db.insertInto('organisation').values({ name: 'Bench links', type: 'social_prescribing_service', ods_code: null, area_code: null, area_name: null, parent_id: null }).returning('id').executeTakeFirstOrThrow();
  const user = await database.db.insertInto('app_user').values({ email: `bench-${randomBytes(4).toString('hex')}@example.test`, display_name: 'Bench', password_hash: null, totp_secret: null, totp_enabled_at: new Date(), totp_last_step: null, locked_until: null, last_sign_in_at: null }).returning('id').executeTakeFirstOrThrow();
  await database.db.insertInto('membership').values({ user_id: user.id, organisation_id: org.id, role: 'link_worker' }).execute();
  const { token } = await createSession(database.db, user.id, true);
  const origins = places.filter((_, i) => i % 800 === 0).map((p) => p[0]);
  const filters = (i: number) => `activity=learning&day=TU&free=yes&postcode=${encodeURIComponent(origins[i % origins.length]!)}&within=3`;
  // Cookies as a browser sends them: the session, then the CSRF secret the first page set.
  let cookie = `lw_session=${token}`;
  const page = (i: number) => client.get(`/directory?${filters(i)}`, { cookie });
  const first = await page(0);
  if (first.statusCode !== 200) throw new Error(`the search page answered ${first.statusCode}`);
  cookie = [cookie, ...first.cookies].join('; ');
  const parsed = origins.map((_, i) => {
    const f = parseFilters(Object.fromEntries(new URLSearchParams(filters(i)).entries()));
    if (!f.ok) throw new Error('bad bench filters');
    return f.data;
  });
  const searchStatements: CaptureQueries['nodes'][] = [];
  const pageStatements: CaptureQueries['nodes'][] = [];
  let results = 0;
  for (let i = 0; i < parsed.length; i++) {
    searchStatements.push(await captured(() => searchDirectory(db, postcodes, parsed[i]!, { shortlistFor: user.id })));
    pageStatements.push(await captured(() => page(i)));
    const outcome = await searchDirectory(database.db, postcodes, parsed[i]!);
    results += outcome.ok ? outcome.total : 0;
  }
  const r = await timeTogether(RUNS, {
    page: (i) => page(i),
    fn: (i) => searchDirectory(database.db, postcodes, parsed[i % parsed.length]!, { shortlistFor: user.id }),
    sql: (i) => bare(searchStatements[i % parsed.length]!),
    allSql: (i) => bare(pageStatements[i % parsed.length]!),
  });
  console.log(`  link worker's search: activity=learning, day=TU, free=yes, within 3 miles of ${parsed.length} London postcodes (${Math.round(results / parsed.length)} results on average)`);
  const describe = (nodes: CaptureQueries['nodes']) => nodes.map(({ node, queryId }) => {
    const text = database.db.getExecutor().compileQuery(node, queryId).sql.replace(/\s+/g, ' ').trim();
    return /^(select|insert|update|delete|with)\b.*?\bfrom "?(\w+)/i.exec(text)?.slice(1, 3).join(' ').toLowerCase() ?? text.slice(0, 30);
  }).join('; ');
  console.log(`  the page's statements: ${describe(pageStatements[0]!)}`);
  report(`search page /directory vs search SQL (${searchStatements[0]!.length})`, r.page, r.sql, target);
  report(`search page vs all its SQL (${pageStatements[0]!.length} statements)`, r.page, r.allSql, target);
  report('searchDirectory() vs search SQL', r.fn, r.sql, target);
  console.log(`  (${load()})`);

  await client.close();
  await app.close();
  mailer.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const STEPS = new Set((process.env.BENCH_STEPS ?? 'search,import').split(',').map((x) => x.trim()));

/** Runs `work` on a new database of the PostgreSQL server, dropped afterwards. */
async function withServerDatabase(serverUrl: string, work: (database: Database) => Promise<void>): Promise<void> {
  const name = `lw_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const server = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  try {
    await work(server);
  } finally {
    await server.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const memoryTimer = setInterval(sampleMemory, 25);
  const places = samplePostcodes(LOCATIONS);
  console.log(`\nEmbedded database (PGlite) (${load()})`);
  if (STEPS.has('search')) {
    const embedded = await openDatabase({});
    try {
      await run(embedded, places, 20);
    } finally {
      await embedded.close();
    }
  }
  if (STEPS.has('import')) {
    // In a data folder, as `linkwell import oruk` runs.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-bench-data-'));
    const embedded = await openDatabase({ dataDir });
    try {
      await importStep(embedded, places);
    } finally {
      await embedded.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    console.log(`\nPostgreSQL (${load()})`);
    if (STEPS.has('search')) await withServerDatabase(serverUrl, (server) => run(server, places, 10));
    if (STEPS.has('import')) await withServerDatabase(serverUrl, (server) => importStep(server, places));
  } else {
    console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  sampleMemory();
  clearInterval(memoryTimer);
  console.log(`\nPeak memory (RSS): ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
}

if (import.meta.main) await main();
