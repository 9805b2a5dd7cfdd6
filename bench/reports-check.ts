/**
 * Checks that the benchmark's bulk data means what the application's own writes would mean:
 * every stored score and FHIR copy equals what src/measures and src/outcomes compute from the
 * answers; every status change is an arrow of the state machines in src/referrals/state.ts; each
 * record's status is its last event and its version counts its changes; onward referrals are sent
 * only where src/referrals/sharing.ts would send them; attendance only after a start.
 */
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { getInstrument, scoreInstrument } from '../src/measures/index.ts';
import { questionnaireResponse } from '../src/outcomes/fhir.ts';
import { ONWARD_TRANSITIONS, REFERRAL_TRANSITIONS } from '../src/referrals/state.ts';
import { scalar } from './reports-sql.ts';

const normalise = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

/** Returns the problems found (an empty list when the data set is sound). */
export async function checkDataset(db: Kysely<DB>, samplePerInstrument = 60): Promise<string[]> {
  const problems: string[] = [];
  for (const code of ['phq9', 'gad7', 'wemwbs', 'ons4', 'learner-satisfaction']) {
    const rows = await sql<{ id: string; person_id: string; answers: (number | null)[]; score: unknown; questionnaire_response: unknown; method: 'staff' | 'paper' | 'provider'; entered_by_user_id: string; day: string }>`
      (SELECT id, person_id, answers, score, questionnaire_response, method, entered_by_user_id, to_char(completed_on, 'YYYY-MM-DD') AS day
        FROM measure_response WHERE instrument_code = ${code} AND status = 'completed' ORDER BY id LIMIT ${samplePerInstrument})
      UNION ALL (SELECT id, person_id, answers, score, questionnaire_response, method, entered_by_user_id, to_char(completed_on, 'YYYY-MM-DD')
        FROM measure_response WHERE instrument_code = ${code} AND status = 'completed' AND NOT (score->>'complete')::boolean LIMIT 10)`.execute(db);
    if (rows.rows.length === 0) problems.push(`no ${code} responses`);
    for (const r of rows.rows) {
      const expected = scoreInstrument(code, r.answers);
      if (!isDeepStrictEqual(normalise(expected), normalise(r.score))) {
        problems.push(`${code} response ${r.id}: stored score ${JSON.stringify(r.score)} but the engine gives ${JSON.stringify(expected)}`);
        break;
      }
      const fhir = questionnaireResponse({ id: r.id, definition: getInstrument(code)!, personId: r.person_id, authored: r.day, author: { userId: r.entered_by_user_id }, method: r.method, answers: r.answers });
      if (!isDeepStrictEqual(normalise(fhir), normalise(r.questionnaire_response))) {
        problems.push(`${code} response ${r.id}: FHIR copy differs from questionnaireResponse()`);
        break;
      }
    }
  }
  const arrows = async (table: string, column: string, allowed: Record<string, readonly string[]>, first: string[]) => {
    const pairs = await sql<{ f: string | null; t: string }>`SELECT DISTINCT from_status AS f, to_status AS t FROM ${sql.table(table)}`.execute(db);
    for (const { f, t } of pairs.rows) {
      const ok = f === null ? first.includes(t) : (allowed[f] ?? []).includes(t);
      if (!ok) problems.push(`${table}: ${f ?? '(new)'} → ${t} is not an arrow of the state machine`);
    }
    const parent = table === 'referral_status_event' ? 'referral' : 'onward_referral';
    const wrong = await scalar(db, `SELECT count(*) AS n FROM ${parent} p JOIN (SELECT DISTINCT ON (${column}) ${column} AS pid, to_status, count(*) OVER (PARTITION BY ${column}) AS events
      FROM ${table} ORDER BY ${column}, at DESC) e ON e.pid = p.id WHERE e.to_status <> p.status OR e.events <> p.version`);
    if (wrong > 0) problems.push(`${wrong} ${parent} rows whose status or version disagrees with their events`);
  };
  await arrows('referral_status_event', 'referral_id', REFERRAL_TRANSITIONS, ['received']);
  await arrows('onward_status_event', 'onward_referral_id', ONWARD_TRANSITIONS, ['sent', 'signposted']);
  const checks: [string, string][] = [
    ['onward referrals sent where sharing.ts would only signpost', `SELECT count(*) AS n FROM onward_referral o JOIN referral r ON r.id = o.referral_id
      JOIN dir_service s ON s.id = o.dir_service_id JOIN dir_organization d ON d.id = s.organization_id
      WHERE o.kind <> 'signpost' AND (NOT r.consent_to_share OR s.lw_access_route <> 'referral' OR d.linkwell_organisation_id IS DISTINCT FROM o.provider_id)`],
    ['onward referrals made before first contact or after discharge', `SELECT count(*) AS n FROM onward_referral o JOIN referral r ON r.id = o.referral_id
      JOIN (SELECT referral_id, min(contact_on) AS first FROM referral_contact GROUP BY 1) c ON c.referral_id = r.id
      WHERE o.created_at::date < c.first OR o.created_at::date > coalesce(r.closed_at::date, current_date)`],
    ['onward referrals whose attendance does not begin on the day they started', `SELECT count(*) AS n FROM (SELECT onward_referral_id, min(session_on) AS first FROM attendance GROUP BY 1) a
      FULL JOIN (SELECT onward_referral_id, at::date AS day FROM onward_status_event WHERE to_status = 'started') e USING (onward_referral_id) WHERE a.first IS DISTINCT FROM e.day`],
    ['episodes whose first contact is not the day they went in progress', `SELECT count(*) AS n FROM (SELECT referral_id, min(contact_on) AS first FROM referral_contact GROUP BY 1) c
      FULL JOIN (SELECT referral_id, at::date AS day FROM referral_status_event WHERE to_status = 'in_progress') e USING (referral_id) WHERE c.first IS DISTINCT FROM e.day`],
    ['responses dated in the future or before the episode', `SELECT count(*) AS n FROM measure_response m LEFT JOIN referral r ON r.id = m.referral_id
      WHERE m.completed_on > current_date OR m.completed_on < r.referred_on`],
  ];
  for (const [what, query] of checks) {
    const n = await scalar(db, query);
    if (n > 0) problems.push(`${n} ${what}`);
  }
  return problems;
}
