/**
 * The reporting benchmark's questionnaire responses, in bulk and stored the way src/outcomes
 * stores them: the answers as given, the score the engine computes (built here in SQL from the
 * instrument definitions in src/measures, and checked against the engine by reports-check.ts), and
 * the FHIR QuestionnaireResponse copy. Services measure at first contact, discharge and 6 and 12
 * months after; providers at the start and end of a course. Scores follow a latent severity per
 * person that improves by discharge (less for people with more loneliness risk factors).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { getInstrument } from '../src/measures/index.ts';
import type { Band, InstrumentDefinition } from '../src/measures/index.ts';
import { METHOD_EXTENSION, QUESTIONNAIRE_BASE } from '../src/outcomes/fhir.ts';
import { exec, id, lit, normal, scalar, u } from './reports-sql.ts';
import { at } from './reports-people.ts';

/** How each instrument's items follow the latent severity zt (higher zt = worse). */
const ITEM_MEANS: Record<string, (zt: string) => string[]> = {
  phq9: (zt) => [0.15, 0.2, 0.35, 0.45, 0.1, 0.05, 0.05, -0.35, -1.0].map((o) => `((13 + 5.5 * ${zt}) / 9 + ${o})`),
  gad7: (zt) => [0.2, 0.1, 0.2, 0.2, -0.4, 0.1, -0.4].map((o) => `((11 + 5 * ${zt}) / 7 + ${o})`),
  wemwbs: (zt) => Array.from({ length: 14 }, (_, i) => `((39 - 9 * ${zt}) / 14 + ${((i % 5) - 2) * 0.08})`),
  ons4: (zt) => [`(5.0 - 2.2 * ${zt})`, `(5.6 - 2.0 * ${zt})`, `(5.2 - 2.3 * ${zt})`, `(5.4 + 2.5 * ${zt})`],
  'learner-satisfaction': (zt) => Array.from({ length: 8 }, (_, i) => `(8.2 - 0.5 * ${zt} + ${i === 2 ? -0.8 : 0})`),
};

function bandSql(bands: readonly Band[], value: string): string {
  if (bands.length === 0) return 'NULL::text';
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  return `(CASE ${sorted.map((b) => `WHEN ${value} >= ${b.min} THEN ${lit(b.code)}`).join(' ')} END)`;
}

/** The score JSON for answers in column `a`, exactly as scoreInstrument() returns it. */
export function scoreSql(def: InstrumentDefinition): string {
  const head = `'code', ${lit(def.code)}, 'version', ${lit(def.version)}`;
  const scored = def.items.map((item, i) => ({ item, n: i + 1 })).filter((x) => x.item.scored);
  const missing = `to_jsonb(array_remove(ARRAY[${scored.map((x) => `CASE WHEN a[${x.n}] IS NULL THEN ${x.n} END`).join(',')}]::int[], NULL))`;
  const complete = `(${scored.map((x) => `a[${x.n}] IS NOT NULL`).join(' AND ')})`;
  const s = def.scoring;
  if (s.kind === 'sum') {
    const total = `(${scored.map((x) => `coalesce(a[${x.n}], 0)`).join(' + ')})`;
    const answered = `(${scored.map((x) => `(a[${x.n}] IS NOT NULL)::int`).join(' + ')})`;
    const exact = `(${total}::numeric * ${scored.length} / nullif(${answered}, 0))`;
    const unscored = def.items.map((item, i) => ({ item, n: i + 1 })).filter((x) => !x.item.scored);
    const safeguarding = def.items.map((item, i) => ({ item, n: i + 1 })).filter((x) => x.item.safeguardingAtOrAbove !== undefined);
    const parts = [
      `'kind', 'sum', ${head}, 'complete', ${complete}, 'missingItems', ${missing}`,
      `'total', CASE WHEN ${complete} THEN ${total} END, 'band', CASE WHEN ${complete} THEN ${bandSql(s.bands, total)} END`,
      s.caseness ? `'caseness', CASE WHEN ${complete} THEN ${total} >= ${s.caseness.atOrAbove} END` : null,
      s.prorating
        ? `'proratedScore', CASE WHEN NOT ${complete} AND ${answered} >= ${s.prorating.minAnswered} THEN jsonb_build_object('prorated', true, 'total', round(${exact}, 2),
            'band', ${bandSql(s.bands, exact)}, ${s.caseness ? `'caseness', ${exact} >= ${s.caseness.atOrAbove},` : ''} 'answeredItems', ${answered}, 'rule', ${lit(s.prorating.method)}) END`
        : null,
      unscored.length ? `'unscored', jsonb_build_object(${unscored.map((x) => `${lit(x.item.key)}, a[${x.n}]`).join(', ')})` : null,
      `'safeguardingItems', to_jsonb(array_remove(ARRAY[${safeguarding.map((x) => `CASE WHEN a[${x.n}] >= ${x.item.safeguardingAtOrAbove} THEN ${x.n} END`).join(',')}]::int[], NULL))`,
    ];
    return `jsonb_build_object(${parts.filter(Boolean).join(', ')})`;
  }
  if (s.kind === 'per-item') {
    const items = s.items.map((it) => {
      const n = def.items.findIndex((x) => x.key === it.key) + 1;
      return `${lit(it.key)}, jsonb_build_object('score', a[${n}], 'band', ${bandSql(it.bands, `a[${n}]`)})`;
    });
    return `jsonb_build_object('kind', 'per-item', ${head}, 'complete', ${complete}, 'missingItems', ${missing}, 'items', jsonb_build_object(${items.join(', ')}))`;
  }
  throw new Error(`the benchmark does not generate ${def.code}`);
}

/**
 * The FHIR QuestionnaireResponse copy, as src/outcomes/fhir.ts builds it. Written as JSON text and
 * parsed once: several times quicker than nesting jsonb_build_object calls for every item.
 */
function fhirSql(def: InstrumentDefinition): string {
  const j = (value: string) => lit(JSON.stringify(value).slice(1, -1));
  const items = def.items.map((item, i) => {
    const key = JSON.stringify(item.key);
    return `CASE WHEN a[${i + 1}] IS NULL THEN ${lit(`{"linkId":${key}}`)} ELSE ${lit(`{"linkId":${key},"answer":[{"valueInteger":`)} || a[${i + 1}] || '}]}' END`;
  });
  return `('{"resourceType":"QuestionnaireResponse","id":"' || rid || '","extension":[{"url":"' || ${j(METHOD_EXTENSION)} || '","valueCode":"' || method || '"}],'
    || '"questionnaire":"' || ${j(`${QUESTIONNAIRE_BASE}:${def.code}|${def.version}`)} || '","status":"completed","subject":{"reference":"Patient/' || person || '"},'
    || '"authored":"' || to_char(day, 'YYYY-MM-DD') || '","author":{"reference":"Practitioner/' || entered_by || '"},"source":{"reference":"Patient/' || person || '"},'
    || '"item":[' || ${items.join(" || ',' || ")} || ']}')::jsonb`;
}

interface Slots { code: string; side: 'service' | 'provider'; sql: string }

/** Every due measure of one instrument with its probability of being collected (before scaling). */
function slots(code: string, side: 'service' | 'provider'): Slots {
  const inst = Object.keys(ITEM_MEANS).indexOf(code);
  if (side === 'service') {
    const plan = code === 'phq9' || code === 'gad7' ? '(e.b + e.svc) % 2 = 0' : '(e.b + e.svc) % 2 = 1';
    return { code, side, sql: `SELECT e.r * 8 + tp.n AS key, e.r, e.p, tp.name AS tp, tp.n,
        ${id(`'org:sps:' || e.b || ':' || e.svc`)} AS org, ${id(`'user:lw:' || e.b || ':' || e.svc || ':' || e.lw`)} AS entered_by,
        CASE tp.n WHEN 0 THEN least(current_date, e.fc + ${`(hashint8extended(e.r, 301) & 3)::int`}) WHEN 1 THEN greatest(e.fc, e.closed_on - (hashint8extended(e.r, 302) & 3)::int)
          WHEN 2 THEN (e.closed_on + interval '6 months')::date + (hashint8extended(e.r, 303) & 15)::int ELSE (e.closed_on + interval '12 months')::date + (hashint8extended(e.r, 304) & 15)::int END AS day,
        ${normal('e.r', 200)} - CASE tp.n WHEN 0 THEN 0 ELSE (0.5 - 0.08 * e.nlf + 0.6 * ${normal('e.r', 220)} + CASE WHEN e.dreason = 'Goals met' THEN 0.25 ELSE -0.1 END)
          * CASE WHEN tp.n = 1 THEN 1 ELSE 0.8 END END + 0.3 * ${normal(`e.r * 64 + tp.n * 8 + ${inst}`, 250)} AS zt,
        tp.prob * CASE WHEN tp.n = 0 THEN 1 WHEN e.dreason = 'Goals met' THEN 1.15 WHEN e.dreason = 'Could not be contacted' THEN 0.1 WHEN e.dreason LIKE 'Referred%' THEN 0.6 ELSE 0.4 END AS prob,
        ${u(`e.r * 8 + tp.n`, 300)} AS draw, ${u(`e.r * 64 + tp.n * 8 + ${inst}`, 310)} AS skip
      FROM bench_ep e CROSS JOIN (VALUES ('start', 0, 0.88), ('end', 1, 0.62), ('follow_up_6', 2, 0.38), ('follow_up_12', 3, 0.25)) tp(name, n, prob)
      WHERE e.eligible AND ${plan} AND (tp.n = 0 OR e.status = 'closed')` };
  }
  const kind = code === 'ons4' ? 'vcse' : 'lp';
  const points = code === 'learner-satisfaction' ? `(VALUES ('end', 1, 0.5))` : `(VALUES ('start', 0, 0.72), ('end', 1, 0.6))`;
  return { code, side, sql: `SELECT o.g * 8 + tp.n AS key, o.g, o.r, o.p, tp.name AS tp, tp.n,
      ${id(`'org:' || o.provider_kind || ':' || o.b || ':' || o.provider_i`)} AS org, o.ps_user AS entered_by,
      CASE tp.n WHEN 0 THEN o.st_on ELSE o.fin_on END AS day,
      ${normal('o.r', 200)} - 0.3 * ${normal('o.r', 220)} - CASE WHEN tp.n = 1 THEN 0.35 + 0.5 * ${normal('o.g', 260)} ELSE 0 END + 0.3 * ${normal(`o.g * 64 + tp.n * 8 + ${inst}`, 250)} AS zt,
      tp.prob AS prob, ${u('o.g * 8 + tp.n', 320)} AS draw, ${u(`o.g * 64 + tp.n * 8 + ${inst}`, 330)} AS skip
    FROM (SELECT *, ev_on[array_position(ev_to, 'started')] AS st_on, CASE WHEN ev_to[cardinality(ev_to)] = 'completed' THEN ev_on[cardinality(ev_on)] END AS fin_on
      FROM bench_on WHERE 'started' = ANY(ev_to) AND provider_kind = ${lit(kind)}) o CROSS JOIN ${points} tp(name, n, prob)
    WHERE tp.n = 0 OR o.fin_on IS NOT NULL` };
}

const ALL: Slots[] = [
  ...['phq9', 'gad7', 'wemwbs', 'ons4'].map((c) => slots(c, 'service')),
  slots('wemwbs', 'provider'), slots('ons4', 'provider'), slots('learner-satisfaction', 'provider'),
];
const collected = (scale: string) => `draw < least(0.97, prob * ${scale}) AND skip < 0.97 AND day <= current_date`;

export async function buildMeasures(db: Kysely<DB>, target: number, log: (line: string) => void): Promise<void> {
  const expected = await scalar(db, `SELECT sum(least(0.97, prob) * 0.97) AS n FROM (${ALL.map((s) => `SELECT prob FROM (${s.sql}) x WHERE day <= current_date`).join(' UNION ALL ')}) y`);
  const scale = (target / Math.max(1, expected)).toFixed(4);
  log(`    ${'responses: due measures × collection rates'.padEnd(44)} expected ${Math.round(expected)} → rates scaled by ${scale}`);
  for (const s of ALL) {
    const def = getInstrument(s.code)!;
    const means = ITEM_MEANS[s.code]!('zt');
    const answer = (i: number) => `least(${def.items[i]!.max}, greatest(${def.items[i]!.min}, round(${means[i] ?? '0'} + 1.6 * (${u(`key * 16 + ${i}`, 340)} - 0.5))))::int`;
    const items = def.items.map((item, i) => {
      if (s.code === 'phq9' && i === 9) return `CASE WHEN ${u('key', 341)} < 0.1 THEN NULL ELSE least(3, greatest(0, round((13 + 5.5 * zt) / 9 + 0.8 * (${u('key', 342)} - 0.5))))::int END`;
      if (s.code === 'phq9' && i === 4) return `CASE WHEN ${u('key', 343)} < 0.015 THEN NULL ELSE ${answer(i)} END`;
      return answer(i);
    });
    await exec(db, `INSERT INTO measure_response (id, person_id, referral_id, onward_referral_id, organisation_id, instrument_code, instrument_version, time_point,
        answers, score, questionnaire_response, method, entered_by_user_id, entered_by_person, completed_on, recorded_at)
      SELECT rid, person, ${s.side === 'service' ? 'ref' : 'NULL::uuid'}, ${s.side === 'service' ? 'NULL::uuid' : 'onw'}, org, ${lit(def.code)}, ${lit(def.version)}, tp,
        to_jsonb(a), ${scoreSql(def)}, ${fhirSql(def)}, method, entered_by, false, day,
        least(now(), CASE WHEN method = 'paper' THEN ${at('day + 1 + (key % 6)::int', 'key', 344)} ELSE ${at('day', 'key', 345)} END)
      FROM (SELECT x.*, ${id(`'mr:${s.side}:${s.code}:' || x.key`)} AS rid, ${id(`'p' || x.p`)} AS person,
          ${s.side === 'service' ? `${id(`'r' || x.r`)} AS ref` : `${id(`'o' || x.g`)} AS onw`},
          CASE WHEN ${s.side === 'provider' ? 'true' : `${u('x.key', 346)} >= 0.2`} THEN ${s.side === 'provider' ? "'provider'" : "'staff'"} ELSE 'paper' END AS method,
          ARRAY[${items.join(',\n')}]::int[] AS a
        FROM (${s.sql} OFFSET 0) x WHERE ${collected(scale)} OFFSET 0) y`, `${s.code} (${s.side})`, log);
  }
  // A few marked as entered in error afterwards, as src/outcomes/corrections.ts does.
  await exec(db, `UPDATE measure_response SET status = 'entered-in-error', entered_in_error_at = recorded_at + interval '1 day', entered_in_error_by = entered_by_user_id,
      entered_in_error_reason = 'Recorded against the wrong person', questionnaire_response = jsonb_set(questionnaire_response, '{status}', '"entered-in-error"')
    WHERE ${u("('x' || substr(id::text, 1, 8))::bit(32)::int", 349)} < 0.003`, 'marked entered in error', log);
  // Planned measures recorded as not collected: the person could not be contacted at discharge, or declined at the start.
  for (const s of ALL.filter((x) => x.side === 'service')) {
    await exec(db, `INSERT INTO measure_not_collected (person_id, referral_id, organisation_id, instrument_code, time_point, reason, recorded_by, recorded_at)
      SELECT ${id(`'p' || x.p`)}, ${id(`'r' || x.r`)}, org, ${lit(s.code)}, tp, CASE WHEN tp = 'start' THEN 'declined' ELSE 'not_contactable' END, entered_by, ${at('day + 14', 'key', 347)}
      FROM (${s.sql}) x WHERE day + 14 <= current_date AND tp IN ('start', 'end') AND NOT (${collected(scale)}) AND ${u('x.key', 348)} < 0.4`, `${s.code} not collected`, log);
  }
}
