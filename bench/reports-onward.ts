/**
 * The reporting benchmark's onward referrals, in bulk: from open episodes to listings in the
 * person's borough (signposts to any listing; referrals only to listings that take them, and only
 * with consent, as src/referrals/sharing.ts decides), each provider replying at its own pace, then
 * waiting lists, enrolment, starts, completion with progression, weekly attendance and a few
 * concerns. Statuses follow src/referrals/state.ts: the path is drawn whole, then cut at today.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { exec, expo, id, pickText, scalar, u, ui } from './reports-sql.ts';
import { LISTINGS_PER_BOROUGH } from './reports-reference.ts';
import { at, personName } from './reports-people.ts';

export async function buildOnward(db: Kysely<DB>, onward: number, log: (line: string) => void): Promise<void> {
  const run = (text: string, label: string) => exec(db, text, label, log);
  const eligible = await scalar(db, 'SELECT count(*) AS n FROM bench_ep WHERE eligible');
  // Every borough has the same listings in the same order: the positions of those that take referrals.
  const referable = (await sql<{ ka: number }>`SELECT ka FROM bench_listing WHERE b = 1 AND route = 'referral' ORDER BY ka`.execute(db)).rows.map((r) => r.ka);
  const cut = (arr: string) => `(${arr})[1:(SELECT count(*) FROM unnest(ev_on) x WHERE x <= current_date)::int]`;
  const started = "st = 'started' AND enr = 'enrolled' AND acc_on IS NOT NULL";
  await run(`CREATE UNLOGGED TABLE bench_on AS
    WITH x AS MATERIALIZED (
      SELECT o.g, e.r, e.p, e.b, e.svc, e.lw, e.nlf, kind,
        e.fc + least(e.span, floor(${u('o.g', 61)} * (e.span + 1))::int) AS t0,
        ${u('o.g', 73)} AS u_resp,
        CASE WHEN ${u('o.g', 75)} < 0.78 THEN 'accepted' ELSE 'withdrawn' END AS wl,
        CASE WHEN ${u('o.g', 76)} < 0.87 THEN 'enrolled' ELSE 'did_not_start' END AS enr,
        CASE WHEN ${u('o.g', 78)} < 0.9 THEN 'started' ELSE 'did_not_start' END AS st,
        CASE WHEN ${u('o.g', 80)} < 0.74 - 0.03 * e.nlf THEN 'completed' ELSE 'withdrawn' END AS fin,
        ${pickText(u('o.g', 84), [['another_course', 0.3], ['volunteering', 0.12], ['employment', 0.08], ['peer_group', 0.15], ['none', 0.35]])} AS progression,
        ${pickText(u('o.g', 85), [['free', 0.45], ['concession', 0.2], ['waived_social_prescribing', 0.3], ['paid', 0.05]])} AS fee,
        CASE WHEN kind = 'signpost' THEN 1 + ${ui('o.g', 63, LISTINGS_PER_BOROUGH)} ELSE (ARRAY[${referable.join(',')}])[1 + ${ui('o.g', 64, referable.length)}] END AS ka
      FROM generate_series(1, ${onward}) o(g)
      JOIN (SELECT *, least(closed_on, current_date) - fc AS span FROM bench_ep WHERE eligible) e ON e.eidx = 1 + ${ui('o.g', 60, eligible)}
      CROSS JOIN LATERAL (SELECT CASE WHEN NOT e.consent THEN 'signpost' ELSE ${pickText(u('o.g', 62), [['signpost', 0.33], ['referral', 0.42], ['supported', 0.18], ['accompanied', 0.07]])} END AS kind) k)
    SELECT g, r, p, b, svc, lw, nlf, kind, listing, provider, provider_kind, provider_i, activity, ps_user, t0, wl_end,
      ${cut('ev_to')} AS ev_to, ${cut('ev_on')} AS ev_on, progression, fee
    FROM (SELECT *,
        CASE WHEN kind = 'signpost' THEN ARRAY['signposted'] ELSE ARRAY['sent', resp]
          || CASE WHEN resp = 'waitlisted' THEN ARRAY[wl] END || CASE WHEN acc_on IS NOT NULL THEN ARRAY[enr] END
          || CASE WHEN enr = 'enrolled' AND acc_on IS NOT NULL THEN ARRAY[st] END || CASE WHEN ${started} THEN ARRAY[fin] END END AS ev_to,
        CASE WHEN kind = 'signpost' THEN ARRAY[t0] ELSE ARRAY[t0, ans]
          || CASE WHEN resp = 'waitlisted' THEN ARRAY[wl_end] END || CASE WHEN acc_on IS NOT NULL THEN ARRAY[enr_on] END
          || CASE WHEN enr = 'enrolled' AND acc_on IS NOT NULL THEN ARRAY[st_on] END || CASE WHEN ${started} THEN ARRAY[fin_on] END END AS ev_on
      FROM (SELECT *, st_on + CASE WHEN fin = 'completed' THEN 35 + ${ui('g', 81, 50)} ELSE 7 + ${ui('g', 82, 40)} END AS fin_on
        FROM (SELECT *, CASE WHEN enr = 'enrolled' THEN enr_on + 1 + floor(${expo('g', 79, 7)})::int ELSE enr_on END AS st_on
          FROM (SELECT *, CASE WHEN enr = 'enrolled' THEN acc_on + 2 + floor(${expo('g', 77, 6)})::int ELSE acc_on + 7 + ${ui('g', 83, 14)} END AS enr_on
            FROM (SELECT *, CASE WHEN resp = 'accepted' THEN ans WHEN resp = 'waitlisted' AND wl = 'accepted' THEN wl_end END AS acc_on
              FROM (SELECT *, ans + 14 + floor(${expo('g', 74, 30)})::int AS wl_end,
                  CASE WHEN u_resp < 0.06 + bias THEN 'declined' WHEN u_resp < 0.14 + bias THEN 'waitlisted' WHEN u_resp < 0.18 + bias THEN 'withdrawn' ELSE 'accepted' END AS resp
                FROM (SELECT x.*, l.id AS listing, l.provider, l.kind AS provider_kind, l.i AS provider_i, l.activity,
                    CASE WHEN l.provider IS NOT NULL THEN ${id(`'user:ps:' || l.kind || ':' || x.b || ':' || l.i`)} END AS ps_user,
                    x.t0 + 1 + least(45, floor(-ln(1.0 - ${u('g', 72)}) * 4 * (0.4 + 1.6 * coalesce(${u('l.pidx', 70)}, 0))))::int AS ans,
                    0.15 * coalesce(${u('l.pidx', 71)}, 0) AS bias
                  FROM x JOIN bench_listing l ON l.b = x.b AND l.ka = x.ka
                OFFSET 0) s1 OFFSET 0) s2 OFFSET 0) s3 OFFSET 0) s4 OFFSET 0) s5 OFFSET 0) s6 OFFSET 0) s7`, 'bench_on (onward staging)');

  const name = personName('o.p');
  const last = 'o.ev_on[cardinality(o.ev_on)]';
  const status = 'o.ev_to[cardinality(o.ev_to)]';
  await run(`INSERT INTO onward_referral (id, referral_id, dir_service_id, provider_id, kind, accompanied_by, shared, status, respond_by, decision_reason,
      expected_start, enrolment, completion, created_by, created_at, updated_at, version)
    SELECT ${id(`'o' || o.g`)}, ${id(`'r' || o.r`)}, o.listing, o.provider, o.kind, CASE WHEN o.kind = 'accompanied' THEN 'A volunteer befriender' END,
      CASE WHEN o.kind = 'signpost' THEN '{}'::jsonb ELSE jsonb_build_object('contact', jsonb_build_object('name', ${name.given} || ' ' || ${name.family}, 'phone', '07700 900' || lpad(${ui('o.p', 27, 1000)}::text, 3, '0'))) END,
      ${status}, CASE WHEN o.kind <> 'signpost' THEN o.t0 + 14 END,
      CASE ${status} WHEN 'declined' THEN 'No places this term' WHEN 'withdrawn' THEN 'The person changed their mind' WHEN 'did_not_start' THEN 'Did not come to the first session' END,
      CASE WHEN 'waitlisted' = ANY(o.ev_to) THEN o.wl_end END,
      CASE WHEN 'enrolled' = ANY(o.ev_to) THEN jsonb_build_object('feeOutcome', o.fee) END,
      CASE WHEN ${status} = 'completed' THEN jsonb_build_object('progression', o.progression) END,
      ${id(`'user:lw:' || o.b || ':' || o.svc || ':' || o.lw`)}, ${at('o.t0', 'o.g', 88, '1')}, ${at(last, 'o.g', 88, 'cardinality(o.ev_to)')}, cardinality(o.ev_to)
    FROM bench_on o`, 'onward referrals');
  await run(`INSERT INTO onward_status_event (onward_referral_id, from_status, to_status, reason, actor_user_id, at)
    SELECT ${id(`'o' || o.g`)}, o.ev_to[e.n - 1], e.to_s,
      CASE e.to_s WHEN 'declined' THEN 'No places this term' WHEN 'withdrawn' THEN 'The person changed their mind' WHEN 'did_not_start' THEN 'Did not come to the first session' WHEN 'started' THEN 'first session attended' END,
      CASE WHEN e.to_s IN ('sent','signposted') OR (e.to_s = 'withdrawn' AND e.n = 2) THEN ${id(`'user:lw:' || o.b || ':' || o.svc || ':' || o.lw`)} ELSE o.ps_user END,
      ${at('e.on_d', 'o.g', 88, 'e.n')}
    FROM bench_on o, unnest(o.ev_to, o.ev_on) WITH ORDINALITY AS e(to_s, on_d, n)`, 'onward status events');
  // Weekly sessions from the first (attended) one to completion, withdrawal or today; at most 12.
  await run(`INSERT INTO attendance (onward_referral_id, session_on, attended, recorded_by, recorded_at)
    SELECT ${id(`'o' || g`)}, st_on + 7 * j, j = 0 OR ${u('g * 16 + j', 89)} < CASE WHEN fin_on IS NULL OR 'completed' = ANY(ev_to) THEN 0.86 ELSE 0.62 END, ps_user,
      least(now(), ${at('st_on + 7 * j + 1', 'g * 16 + j', 90)})
    FROM (SELECT g, ev_to, ps_user, ev_on[array_position(ev_to, 'started')] AS st_on,
        CASE WHEN cardinality(ev_to) > array_position(ev_to, 'started') THEN ev_on[cardinality(ev_on)] END AS fin_on FROM bench_on WHERE 'started' = ANY(ev_to)) s,
      generate_series(0, least(11, (coalesce(fin_on, current_date) - st_on) / 7)) j`, 'attendance');
  await run(`INSERT INTO provider_concern (onward_referral_id, kind, note, raised_by, raised_at, closed_at, closed_by, closing_note)
    SELECT ${id(`'o' || g`)}, concern, 'Raised by the provider', ps_user, ${at('day', 'g', 91)},
      CASE WHEN day + 5 <= current_date THEN ${at('day + 5', 'g', 92)} END, CASE WHEN day + 5 <= current_date THEN ${id(`'user:lw:' || b || ':' || svc || ':' || lw`)} END,
      CASE WHEN day + 5 <= current_date THEN 'Spoke to the person and agreed next steps' END
    FROM (SELECT *, least(current_date, ev_on[array_position(ev_to, 'started')] + 14) AS day,
        ${pickText(u('g', 93), [['disengaging', 0.5], ['check_in', 0.3], ['wellbeing', 0.17], ['safeguarding', 0.03]])} AS concern
      FROM bench_on WHERE 'started' = ANY(ev_to) AND ${u('g', 94)} < 0.03) c`, 'provider concerns');
}
