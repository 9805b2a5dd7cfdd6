/**
 * The reporting benchmark's fixed world: London's 33 boroughs (with Census 2021 populations, age
 * and ethnic shares, and real postcodes), and in each borough two social prescribing services,
 * GP practices and their primary care networks, referring teams, learning providers and VCSE
 * organisations with their directory listings, course intakes and measurement plans; a London
 * commissioner above borough commissioners; and the staff who sign in (link workers, managers,
 * provider staff, GP referrers, commissioners).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { LINKWELL_TAXONOMIES } from '../src/directory/taxonomies.ts';
import { exec, id, lit, textArray, ui } from './reports-sql.ts';

export const SERVICES_PER_BOROUGH = 2;
export const GPS = 30;
export const PCNS = 5;
export const TEAMS = 3;
export const LEARNING_PROVIDERS = 3;
export const VCSES = 12;
export const GROUPS = 10;
/** Listings per organisation: learning providers, VCSEs, community groups not on Linkwell. */
export const LISTINGS = { lp: 12, vcse: 4, grp: 3 } as const;
export const LISTINGS_PER_BOROUGH = LEARNING_PROVIDERS * LISTINGS.lp + VCSES * LISTINGS.vcse + GROUPS * LISTINGS.grp;
const POSTCODES_PER_BOROUGH = 300;
/** Half the services measure with PHQ-9 and GAD-7, half with WEMWBS and ONS4 (b: borough, i: service). */
export const SERVICE_PLAN = `(CASE WHEN (b + i) % 2 = 0 THEN ARRAY['phq9','gad7'] ELSE ARRAY['wemwbs','ons4'] END)`;

export interface Borough {
  code: string;
  name: string;
  population: number;
  /** Referral propensity × census share, per NHS ethnic category code. */
  ethnic: [string, number][];
  /** Referral propensity × census share, per adult age band [min, max]. */
  ages: [number, number, number][];
  postcodes: [string, number, number][];
}

const ROOT = path.resolve(import.meta.dirname, '..');
function populationFile(name: string): string {
  const candidates = [path.join(ROOT, 'data/population', name), path.join(ROOT, '../shared/datasets/population', name)];
  const found = candidates.find((f) => fs.existsSync(f));
  if (!found) throw new Error(`Census table ${name} not found in data/population/`);
  return found;
}

function csv(file: string): Record<string, string>[] {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const split = (line: string) => [...line.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].map((m) => m[2] ?? m[1]!).slice(0, -1);
  const keys = split(header!);
  return lines.map((line) => Object.fromEntries(split(line).map((v, i) => [keys[i]!, v])));
}

/** Census group → NHS ethnic category, and how readily that group is referred (so equity flags show). */
const ETHNIC_MAP: Record<string, [string, number]> = {
  'English, Welsh, Scottish, Northern Irish or British': ['A', 1.2], Irish: ['B', 1.25], 'Gypsy or Irish Traveller': ['C', 0.8], Roma: ['C', 0.6],
  'Other White': ['C', 0.85], 'White and Black Caribbean': ['D', 1.0], 'White and Black African': ['E', 0.8], 'White and Asian': ['F', 0.8],
  'Other Mixed or Multiple ethnic groups': ['G', 0.85], Indian: ['H', 0.7], Pakistani: ['J', 0.6], Bangladeshi: ['K', 0.5], 'Other Asian': ['L', 0.6],
  Caribbean: ['M', 1.3], African: ['N', 0.8], 'Other Black': ['P', 0.9], Chinese: ['R', 0.35], Arab: ['S', 0.6], 'Any other ethnic group': ['S', 0.7],
};
/** Social prescribing reaches older people more: referral propensity by age. */
const AGE_PROPENSITY = (min: number) => (min < 25 ? 0.45 : min < 35 ? 0.6 : min < 45 ? 0.8 : min < 55 ? 1 : min < 65 ? 1.25 : min < 75 ? 1.45 : min < 85 ? 1.7 : 1.6);

/** Reads the Census 2021 tables and the London postcode file into one record per borough. */
export function loadBoroughs(): Borough[] {
  const sex = csv(populationFile('london_census2021_sex.csv'));
  const ethnic = csv(populationFile('london_census2021_ethnic_group.csv'));
  const age = csv(populationFile('london_census2021_age.csv'));
  const postcodes = new Map<string, [string, number, number][]>();
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'data/geo/london_postcodes.csv.gz'))).toString('utf8').split('\n').slice(1);
  for (const line of lines) {
    const [postcode, lat, lng, la] = line.split(',');
    if (!postcode || !la) continue;
    if (!postcodes.has(la)) postcodes.set(la, []);
    postcodes.get(la)!.push([postcode, Number(lat), Number(lng)]);
  }
  const codes = [...new Set(sex.map((r) => r.la_code!))].sort();
  return codes.map((code) => {
    const all = postcodes.get(code) ?? [];
    const step = Math.max(1, Math.floor(all.length / POSTCODES_PER_BOROUGH));
    const shares = new Map<string, number>();
    for (const r of ethnic.filter((x) => x.la_code === code)) {
      const [nhs, propensity] = ETHNIC_MAP[r.ethnic_group_19!] ?? ['S', 0.7];
      shares.set(nhs, (shares.get(nhs) ?? 0) + Number(r.count) * propensity);
    }
    const known = [...shares.values()].reduce((a, b) => a + b, 0);
    shares.set('Z', known * 0.035);
    shares.set('99', known * 0.025);
    const ages: [number, number, number][] = age
      .filter((x) => x.la_code === code && Number(x.age_max || 200) >= 18)
      .map((x) => {
        const min = Math.max(18, Number(x.age_min));
        const max = x.age_max ? Number(x.age_max) : 99;
        return [min, max, (Number(x.count) * (max - min + 1)) / (max - Number(x.age_min) + 1) * AGE_PROPENSITY(min)];
      });
    return {
      code,
      name: sex.find((r) => r.la_code === code)!.la_name!,
      population: sex.filter((r) => r.la_code === code).reduce((s, r) => s + Number(r.count), 0),
      ethnic: [...shares.entries()],
      ages,
      postcodes: all.filter((_, i) => i % step === 0).slice(0, POSTCODES_PER_BOROUGH),
    };
  });
}

/** Cumulative thresholds (starting at 0) for width_bucket, from weights. */
export function thresholds(weights: number[]): string {
  const total = weights.reduce((a, b) => a + b, 0);
  let c = 0;
  return `ARRAY[${weights.map((w) => { const t = c / total; c += w; return t.toFixed(8); }).join(',')}]::float8[]`;
}

/** Link workers per service, so that each takes on about 280 new people a year. */
export function linkWorkersPerService(referrals: number, boroughs: number): number {
  return Math.max(3, Math.ceil(referrals / (boroughs * SERVICES_PER_BOROUGH * 3 * 280)));
}

const ACTIVITY = LINKWELL_TAXONOMIES.activityType.terms;
const LP_COURSES: [string, keyof typeof ACTIVITY, string | null, string | null][] = [
  ['English (Functional Skills)', 'learning', 'entry', 'Functional Skills English Entry 3'], ['Maths (Functional Skills)', 'learning', '1', 'Functional Skills Maths Level 1'],
  ['Essential digital skills', 'learning', 'entry', 'Essential Digital Skills Entry 3'], ['ESOL for everyday life', 'learning', 'entry', 'ESOL Skills for Life Entry 2'],
  ['Mindfulness for wellbeing', 'learning', 'non_accredited', null], ['Pottery for beginners', 'learning', 'non_accredited', null],
  ['Creative writing', 'learning', 'non_accredited', null], ['Cookery on a budget', 'learning', 'non_accredited', null],
  ['Photography', 'learning', 'non_accredited', null], ['Job club', 'employment-support', null, null],
  ['Watercolour painting', 'arts-culture', null, null], ['Counselling skills', 'learning', '2', 'Level 2 Certificate in Counselling Skills'],
];
const VCSE_KINDS: [string, keyof typeof ACTIVITY][] = [
  ['Age UK', 'peer-support'], ['Mind', 'peer-support'], ['Carers Centre', 'advice'], ['Community Garden', 'nature-gardening'], ['Arts Collective', 'arts-culture'],
  ['Walking Club', 'physical-activity'], ["Men's Shed", 'learning'], ['Citizens Advice', 'advice'], ['Volunteer Centre', 'volunteering'],
  ['Library Friends', 'reading'], ['Museum Friends', 'museums-heritage'], ['Peer Support Network', 'peer-support'],
];
const GROUP_KINDS: (keyof typeof ACTIVITY)[] = ['physical-activity', 'arts-culture', 'nature-gardening', 'learning', 'peer-support', 'reading', 'volunteering', 'museums-heritage', 'physical-activity', 'learning'];

/** Creates the boroughs, organisations, staff, directory and plans. */
export async function buildReference(db: Kysely<DB>, boroughs: Borough[], linkWorkers: number, log: (line: string) => void): Promise<void> {
  const run = (text: string, label: string) => exec(db, text, label, log);
  await run(`CREATE UNLOGGED TABLE bench_borough (b int PRIMARY KEY, la_code text, la_name text, eth_cum float8[], eth_code text[], age_cum float8[], age_min int[], age_max int[], npc int)`, 'bench_borough');
  await run(`INSERT INTO bench_borough VALUES ${boroughs.map((bo, i) => `(${i + 1}, ${lit(bo.code)}, ${lit(bo.name)}, ${thresholds(bo.ethnic.map((e) => e[1]))}, ${textArray(bo.ethnic.map((e) => e[0]))},
    ${thresholds(bo.ages.map((a) => a[2]))}, ARRAY[${bo.ages.map((a) => a[0]).join(',')}], ARRAY[${bo.ages.map((a) => a[1]).join(',')}], ${bo.postcodes.length})`).join(',\n')}`, 'boroughs');
  await run(`CREATE UNLOGGED TABLE bench_postcode (b int, k int, postcode text, lat float8, lng float8, PRIMARY KEY (b, k))`, 'bench_postcode');
  await run(`INSERT INTO bench_postcode VALUES ${boroughs.flatMap((bo, i) => bo.postcodes.map(([pc, lat, lng], k) => `(${i + 1},${k},${lit(pc)},${lat},${lng})`)).join(',')}`, 'postcodes');

  const org = (kind: string, extra = '') => id(`'org:${kind}:' || b${extra}`);
  await run(`INSERT INTO organisation (id, name, type, ods_code, area_code, area_name, parent_id, caseload_target, response_window_days)
    SELECT ${id(`'org:london'`)}, 'London Social Prescribing Commissioning', 'commissioner', NULL, 'E12000007', 'London', NULL, 30, 10
    UNION ALL SELECT ${org('comm')}, la_name || ' Health and Care Partnership', 'commissioner', NULL, la_code, la_name, ${id(`'org:london'`)}, 30, 10 FROM bench_borough`, 'commissioners');
  await run(`INSERT INTO organisation (id, name, type, ods_code, area_code, area_name, parent_id, caseload_target, response_window_days)
    SELECT ${org('sps', ` || ':' || i`)}, la_name || ' Social Prescribing ' || (ARRAY['North','South'])[i], 'social_prescribing_service', NULL, la_code, la_name, ${org('comm')}, 40 + ${ui('b * 10 + i', 1, 31)}, 10
      FROM bench_borough, generate_series(1, ${SERVICES_PER_BOROUGH}) i
    UNION ALL SELECT ${org('pcn', ` || ':' || i`)}, la_name || ' Primary Care Network ' || i, 'primary_care_network', 'U' || lpad((b * 100 + i)::text, 5, '0'), la_code, la_name, ${org('comm')}, 30, 10
      FROM bench_borough, generate_series(1, ${PCNS}) i
    UNION ALL SELECT ${org('team', ` || ':' || i`)}, la_name || ' ' || (ARRAY['Hospital Discharge Team','Community Mental Health Team','Adult Social Care'])[i], 'referring_team', NULL, la_code, la_name, ${org('comm')}, 30, 10
      FROM bench_borough, generate_series(1, ${TEAMS}) i
    UNION ALL SELECT ${org('lp', ` || ':' || i`)}, la_name || ' ' || (ARRAY['Adult Learning Service','College','Workers'' Educational Association'])[i], 'learning_provider', NULL, la_code, la_name, ${org('comm')}, 30, 5 + ${ui('b * 10 + i', 2, 11)}
      FROM bench_borough, generate_series(1, ${LEARNING_PROVIDERS}) i
    UNION ALL SELECT ${org('vcse', ` || ':' || i`)}, la_name || ' ' || (${textArray(VCSE_KINDS.map((k) => k[0]))})[i], 'vcse', NULL, la_code, la_name, ${org('comm')}, 30, 5 + ${ui('b * 20 + i', 3, 11)}
      FROM bench_borough, generate_series(1, ${VCSES}) i`, 'services, networks, teams, providers');
  await run(`INSERT INTO organisation (id, name, type, ods_code, area_code, area_name, parent_id)
    SELECT ${org('gp', ` || ':' || i`)}, la_name || ' Medical Practice ' || i, 'gp_practice', 'G' || lpad((b * 100 + i)::text, 5, '0'), la_code, la_name, ${id(`'org:pcn:' || b || ':' || (1 + (i - 1) % ${PCNS})`)}
    FROM bench_borough, generate_series(1, ${GPS}) i`, 'GP practices');

  // Staff: link workers, service managers, provider staff, a referrer per GP practice, commissioners.
  const users: [string, string, string, string][] = [
    // key expression, organisation key expression, role, rows
    [`'lw:' || b || ':' || i || ':' || j`, `'org:sps:' || b || ':' || i`, 'link_worker', `bench_borough, generate_series(1, ${SERVICES_PER_BOROUGH}) i, generate_series(1, ${linkWorkers}) j`],
    [`'sm:' || b || ':' || i`, `'org:sps:' || b || ':' || i`, 'service_manager', `bench_borough, generate_series(1, ${SERVICES_PER_BOROUGH}) i`],
    [`'ps:lp:' || b || ':' || i`, `'org:lp:' || b || ':' || i`, 'provider_staff', `bench_borough, generate_series(1, ${LEARNING_PROVIDERS}) i`],
    [`'ps:vcse:' || b || ':' || i`, `'org:vcse:' || b || ':' || i`, 'provider_staff', `bench_borough, generate_series(1, ${VCSES}) i`],
    [`'gp:' || b || ':' || i`, `'org:gp:' || b || ':' || i`, 'referrer', `bench_borough, generate_series(1, ${GPS}) i`],
    [`'comm:' || b`, `'org:comm:' || b`, 'commissioner', 'bench_borough'],
    [`'comm:london'`, `'org:london'`, 'commissioner', '(SELECT 1) x'],
  ];
  for (const [key, orgKey, role, from] of users) {
    await run(`INSERT INTO app_user (id, email, display_name, password_hash, totp_enabled_at)
      SELECT ${id(`'user:' || ${key}`)}, replace(${key}, ':', '-') || '@bench.example.test', ${lit(role.replace('_', ' '))} || ' ' || replace(${key}, ':', ' '), NULL, now() FROM ${from}`, `${role} users`);
    await run(`INSERT INTO membership (user_id, organisation_id, role) SELECT ${id(`'user:' || ${key}`)}, ${id(orgKey)}, ${lit(role)} FROM ${from}`, `${role} memberships`);
  }

  // The directory: Linkwell providers' listings (mostly taking referrals) and community groups that are not on Linkwell.
  await run(`INSERT INTO dir_organization (id, name, description, linkwell_organisation_id)
    SELECT ${id(`'dorg:' || kind || ':' || b || ':' || i`)}, o.name, 'A local organisation', o.id
    FROM bench_borough, (VALUES ('lp', ${LEARNING_PROVIDERS}), ('vcse', ${VCSES})) k(kind, n), generate_series(1, n) i, organisation o
    WHERE o.id = ${id(`'org:' || kind || ':' || b || ':' || i`)}
    UNION ALL SELECT ${id(`'dorg:grp:' || b || ':' || i`)}, la_name || ' community group ' || i, 'A volunteer-run group', NULL FROM bench_borough, generate_series(1, ${GROUPS}) i`, 'directory organisations');
  const terms = (codes: readonly string[]) => textArray(codes);
  await run(`CREATE UNLOGGED TABLE bench_listing AS
    SELECT b, row_number() OVER (PARTITION BY b ORDER BY kind, i, j)::int AS ka, kind, i, j, id, provider, activity, level, qualification, name, route, pidx
    FROM (
      SELECT b, 'lp' AS kind, i, j, ${id(`'svc:lp:' || b || ':' || i || ':' || j`)} AS id, ${id(`'org:lp:' || b || ':' || i`)} AS provider,
        (${terms(LP_COURSES.map((c) => c[1]))})[j] AS activity, (ARRAY[${LP_COURSES.map((c) => (c[2] ? lit(c[2]) : 'NULL')).join(',')}]::text[])[j] AS level,
        (ARRAY[${LP_COURSES.map((c) => (c[3] ? lit(c[3]) : 'NULL')).join(',')}]::text[])[j] AS qualification,
        (${terms(LP_COURSES.map((c) => c[0]))})[j] AS name, CASE WHEN j = 10 THEN 'signpost' ELSE 'referral' END AS route, b * 100 + i AS pidx
      FROM bench_borough, generate_series(1, ${LEARNING_PROVIDERS}) i, generate_series(1, ${LISTINGS.lp}) j
      UNION ALL SELECT b, 'vcse', i, j, ${id(`'svc:vcse:' || b || ':' || i || ':' || j`)}, ${id(`'org:vcse:' || b || ':' || i`)},
        (${terms(VCSE_KINDS.map((k) => k[1]))})[i], CASE WHEN i = 7 THEN 'non_accredited' END, NULL,
        (${terms(VCSE_KINDS.map((k) => k[0]))})[i] || ' ' || (ARRAY['drop-in','group','course','club'])[j], CASE WHEN (i + j) % 7 = 0 THEN 'signpost' ELSE 'referral' END, b * 100 + 50 + i
      FROM bench_borough, generate_series(1, ${VCSES}) i, generate_series(1, ${LISTINGS.vcse}) j
      UNION ALL SELECT b, 'grp', i, j, ${id(`'svc:grp:' || b || ':' || i || ':' || j`)}, NULL::uuid,
        (${terms(GROUP_KINDS)})[i], CASE WHEN (${terms(GROUP_KINDS)})[i] = 'learning' THEN 'non_accredited' END, NULL, 'Community group ' || i || ' session ' || j, 'signpost', NULL
      FROM bench_borough, generate_series(1, ${GROUPS}) i, generate_series(1, ${LISTINGS.grp}) j
    ) x`, 'bench_listing');
  await run(`ALTER TABLE bench_listing ADD COLUMN kr int`, 'bench_listing.kr');
  await run(`UPDATE bench_listing l SET kr = n.kr FROM (SELECT id, row_number() OVER (PARTITION BY b ORDER BY ka)::int AS kr FROM bench_listing WHERE route = 'referral') n WHERE n.id = l.id`, 'referable listings numbered');
  await run(`CREATE UNIQUE INDEX ON bench_listing (b, ka)`, 'index');
  await run(`CREATE INDEX ON bench_listing (b, kr)`, 'index');
  await run(`INSERT INTO dir_service (id, organization_id, name, description, lw_level, lw_subject, lw_qualification, lw_free, lw_fee_waived_for_social_prescribing, lw_access_route)
    SELECT l.id, ${id(`'dorg:' || kind || ':' || b || ':' || i`)}, l.name, 'A friendly session for adults.',
      l.level, CASE WHEN l.activity = 'learning' THEN l.name END, l.qualification, (j % 3 = 0), (j % 3 = 1), l.route
    FROM bench_listing l`, 'listings');
  await run(`INSERT INTO dir_attribute (id, link_id, taxonomy_term_id)
    SELECT ${id(`'att:' || l.id`)}, l.id, t.id::uuid FROM bench_listing l
    JOIN (VALUES ${Object.entries(ACTIVITY).map(([code, t]) => `(${lit(code)}, ${lit(t.id)})`).join(',')}) t(code, id) ON t.code = l.activity`, 'activity tags');
  await run(`INSERT INTO dir_location (id, name, latitude, longitude)
    SELECT ${id(`'loc:' || l.id`)}, l.name, p.lat, p.lng FROM bench_listing l JOIN bench_borough bb ON bb.b = l.b
    JOIN bench_postcode p ON p.b = l.b AND p.k = ${ui('l.b * 1000 + l.ka', 4, 'bb.npc')}`, 'locations');
  await run(`INSERT INTO dir_address (id, location_id, address_1, city, postal_code)
    SELECT ${id(`'adr:' || l.id`)}, ${id(`'loc:' || l.id`)}, l.ka || ' High Street', 'London', p.postcode FROM bench_listing l JOIN bench_borough bb ON bb.b = l.b
    JOIN bench_postcode p ON p.b = l.b AND p.k = ${ui('l.b * 1000 + l.ka', 4, 'bb.npc')}`, 'addresses');
  await run(`INSERT INTO dir_service_at_location (id, service_id, location_id) SELECT ${id(`'sal:' || l.id`)}, l.id, ${id(`'loc:' || l.id`)} FROM bench_listing l`, 'service at location');
  await run(`INSERT INTO dir_course_intake (service_id, location_id, start_date, end_date, weekdays, sessions, places_total, places_left, waiting_list_length, typical_wait_days)
    SELECT l.id, ${id(`'loc:' || l.id`)}, current_date + (t * 120 - 600), current_date + (t * 120 - 530), (ARRAY['MO','TU','WE','TH','FR'])[1 + (l.ka + t) % 5], 10,
      12 + ${ui('l.b * 1000 + l.ka * 10 + t', 5, 9)}, CASE WHEN t >= 5 THEN ${ui('l.b * 1000 + l.ka * 10 + t', 6, 12)} ELSE 0 END,
      CASE WHEN t >= 5 AND ${ui('l.b * 1000 + l.ka * 10 + t', 6, 12)} = 0 THEN ${ui('l.b * 1000 + l.ka * 10 + t', 8, 9)} ELSE 0 END, 7 * ${ui('l.b * 1000 + l.ka', 7, 6)}
    FROM bench_listing l, generate_series(0, 6) t WHERE l.activity = 'learning'`, 'course intakes');
  await run(`INSERT INTO measure_plan (organisation_id, start_instruments, end_instruments, follow_up_instruments, follow_up_months)
    SELECT ${org('sps', ` || ':' || i`)}, ${SERVICE_PLAN}, ${SERVICE_PLAN}, ${SERVICE_PLAN}, '{6,12}'::int[] FROM bench_borough, generate_series(1, ${SERVICES_PER_BOROUGH}) i
    UNION ALL SELECT ${org('lp', ` || ':' || i`)}, '{wemwbs}'::text[], '{wemwbs,learner-satisfaction}'::text[], '{}'::text[], '{}'::int[] FROM bench_borough, generate_series(1, ${LEARNING_PROVIDERS}) i
    UNION ALL SELECT ${org('vcse', ` || ':' || i`)}, '{ons4}'::text[], '{ons4}'::text[], '{}'::text[], '{}'::int[] FROM bench_borough, generate_series(1, ${VCSES}) i`, 'measurement plans');
}
