/**
 * The reporting benchmark's people and their episodes with social prescribing services, in bulk:
 * demographics drawn from each borough's Census 2021 shares (weighted by how readily each group is
 * referred), referral dates over three years with gentle growth, sources, reasons and loneliness
 * factors, triage, first contact, discharge, contacts and "what matters". Every status agrees with
 * its milestones (the same rules as src/referrals/state.ts) and has its status events.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { LONELINESS_FACTOR_CODES, SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING, SNOMED_SOCIAL_PRESCRIBING_DECLINED } from '../src/referrals/codes.ts';
import { DISCHARGE_REASONS } from '../src/referrals/pages/record-routes.ts';
import { exec, expo, id, lit, pickText, textArray, u, ui } from './reports-sql.ts';
import { GPS, LEARNING_PROVIDERS, PCNS, SERVICES_PER_BOROUGH, TEAMS, VCSES } from './reports-reference.ts';

export const DAYS = 1095;
const GIVEN_F = ['Amina', 'Grace', 'Olivia', 'Fatima', 'Margaret', 'Sarah', 'Priya', 'Joan', 'Chloe', 'Maria', 'Helen', 'Ayesha', 'Patricia', 'Zainab', 'Irene', 'Sofia'];
const GIVEN_M = ['James', 'Mohammed', 'David', 'Kwame', 'Peter', 'Tomasz', 'Daniel', 'Ali', 'George', 'Michael', 'Raj', 'Samuel', 'John', 'Ahmed', 'Leon', 'Frank'];
const FAMILY = ['Smith', 'Jones', 'Khan', 'Okafor', 'Patel', 'Williams', 'Brown', 'Ahmed', 'Taylor', 'Nowak', 'Mensah', 'Begum', 'Davies', 'Hussain', 'Evans', 'Silva', 'Thomas', 'Ali', 'Walker', 'Campbell'];
const LANGUAGES = ['Polish', 'Bengali', 'Somali', 'Turkish', 'Portuguese', 'Arabic', 'Spanish', 'Urdu', 'Tamil', 'Romanian'];
const NEEDS = ['confidence on buses', 'someone to go with the first time', 'meeting people', 'something to do in the daytime', 'help with forms', 'getting out of the house', 'learning English', 'being more active', 'a reason to get up', 'using a computer'];

/** The person's name as generated (used again for what an onward referral shares). */
export function personName(p: string): { given: string; family: string } {
  return {
    given: `(CASE WHEN ${u(p, 13)} < 0.6 THEN (${textArray(GIVEN_F)})[1 + ${ui(p, 22, GIVEN_F.length)}] ELSE (${textArray(GIVEN_M)})[1 + ${ui(p, 22, GIVEN_M.length)}] END)`,
    family: `(${textArray(FAMILY)})[1 + ${ui(p, 23, FAMILY.length)}]`,
  };
}

/**
 * A timestamp on a day, at a working hour that depends on `key`; with `step`, in the step's own
 * 80-minute slot from 08:00, so that events of one record on one day keep their order.
 */
export function at(day: string, key: string, salt: number | string, step?: string): string {
  const minutes = step === undefined ? `540 + ${ui(key, salt, 480)}` : `480 + 80 * (${step}) + ${ui(key, salt, 80)}`;
  return `((${day})::timestamp + make_interval(mins => (${minutes})::int))::timestamptz`;
}

export interface Sizes { people: number; referrals: number; linkWorkers: number }

export async function buildPeople(db: Kysely<DB>, s: Sizes, boroughWeights: string, log: (line: string) => void): Promise<void> {
  const run = (text: string, label: string) => exec(db, text, label, log);
  const twice = Math.max(0, s.referrals - s.people);
  await run(`CREATE UNLOGGED TABLE bench_pp AS SELECT g AS p, width_bucket(${u('g', 11)}, ${boroughWeights}) AS b, 1 + ${ui('g', 12, GPS)} AS gpi,
      current_date - ${DAYS} + floor(CASE WHEN g <= ${twice} THEN ${DAYS - 195} ELSE ${DAYS} END * power(${u('g', 20)}, 0.8))::int AS d0
    FROM generate_series(1, ${s.people}) g`, 'bench_pp (people staging)');
  await run(`ALTER TABLE bench_pp ADD PRIMARY KEY (p)`, 'index');
  const name = personName('x.p');
  await run(`INSERT INTO person (id, given_name, family_name, date_of_birth, nhs_number, sex, ethnicity, address, postcode, email, phone,
      preferred_contact, preferred_language, interpreter_needed, accessibility_needs, gp_practice_id, gp_practice_name, created_at)
    SELECT ${id(`'p' || x.p`)}, ${name.given}, ${name.family}, dob,
      CASE WHEN ${u('x.p', 24)} < 0.85 AND x.p <= 1000000 THEN CASE WHEN chk < 10 THEN base || chk END END,
      sex, ethnicity, (1 + ${ui('x.p', 25, 180)}) || ' ' || ${name.family} || ' Road', pc.postcode,
      CASE WHEN ${u('x.p', 26)} < 0.55 THEN 'person' || x.p || '@example.com' END, '07700 900' || lpad(${ui('x.p', 27, 1000)}::text, 3, '0'),
      ${pickText(u('x.p', 28), [['phone', 0.6], ['text', 0.2], ['letter', 0.2]])},
      CASE WHEN lang_u < 0.1 THEN (${textArray(LANGUAGES)})[1 + ${ui('x.p', 30, LANGUAGES.length)}] END, lang_u < 0.035,
      CASE WHEN ${u('x.p', 31)} < 0.06 THEN (ARRAY['Step-free access','Large print','Hearing loop','British Sign Language interpreter'])[1 + ${ui('x.p', 32, 4)}] END,
      ${id(`'org:gp:' || x.b || ':' || x.gpi`)}, bb.la_name || ' Medical Practice ' || x.gpi, ${at('x.d0', 'x.p', 33)}
    FROM (SELECT pp.*, ${u('pp.p', 29)} AS lang_u,
        ${pickText(u('pp.p', 13), [['female', 0.6], ['male', 0.385], ['not_known', 0.01], ['not_stated', 0.005]])} AS sex,
        (current_date - make_interval(years => a.age) - make_interval(days => ${ui('pp.p', 17, 365)}))::date AS dob,
        (999000000 + pp.p - 1)::text AS base, a.ethnicity,
        (11 - (SELECT sum(substr((999000000 + pp.p - 1)::text, i, 1)::int * (11 - i)) FROM generate_series(1, 9) i) % 11) % 11 AS chk
      FROM bench_pp pp JOIN bench_borough b2 ON b2.b = pp.b
      CROSS JOIN LATERAL (SELECT b2.age_min[k] + ${ui('pp.p', 16, 'b2.age_max[k] - b2.age_min[k] + 1')} AS age, b2.eth_code[width_bucket(${u('pp.p', 14)}, b2.eth_cum)] AS ethnicity
        FROM (SELECT width_bucket(${u('pp.p', 15)}, b2.age_cum) AS k) kk) a) x
    JOIN bench_borough bb ON bb.b = x.b
    JOIN bench_postcode pc ON pc.b = x.b AND pc.k = ${ui('x.p', 18, 'bb.npc')}`, 'people');

  // Episodes: the first for everyone, a second for some, later.
  const reasons = ([
    ['loneliness', 0.45], ['low_mood_anxiety', 0.4], ['money_debt', 0.14], ['housing', 0.1], ['employment', 0.07], ['learning_formal', 0.05],
    ['learning_informal', 0.1], ['physical_activity', 0.12], ['caring', 0.06], ['long_term_condition', 0.15], ['bereavement', 0.07],
    ['domestic_abuse', 0.015], ['substance_use', 0.02], ['other', 0.04],
  ] as const).map(([code, p], i) => `CASE WHEN ${u('r', 100 + i)} < ${p} THEN ${lit(code)} END`);
  const factorOdds = [0.22, 0.3, 0.4, 0.15, 0.2];
  const factors = LONELINESS_FACTOR_CODES.map((code, i) => `CASE WHEN ${u('r', 120 + i)} < ${factorOdds[i]} * CASE WHEN 'loneliness' = ANY(reasons) THEN 1 ELSE 0.3 END THEN ${lit(code)} END`);
  await run(`CREATE UNLOGGED TABLE bench_ep AS
    SELECT *, CASE WHEN eligible THEN row_number() OVER (PARTITION BY eligible ORDER BY r) END::int AS eidx,
      CASE WHEN dec > current_date THEN 'received' WHEN outcome <> 'accepted' THEN outcome
        WHEN path = 'contact' THEN CASE WHEN fc > current_date THEN 'accepted' WHEN closed_on > current_date THEN 'in_progress' ELSE 'closed' END
        WHEN x_on > current_date THEN 'accepted' WHEN path = 'nocontact' THEN 'closed' ELSE 'declined' END AS status
    FROM (SELECT *, path = 'contact' AND fc <= current_date AS eligible,
        CASE WHEN path = 'contact' THEN fc + len END AS closed_on,
        CASE WHEN path = 'nocontact' THEN 'Could not be contacted' ELSE ${pickText(u('r', 40), DISCHARGE_REASONS.map((d, i) => [d, [0.58, 0.15, 0.1, 0.11, 0.06][i]!] as const))} END AS dreason,
        cardinality(lfactors) AS nlf
      FROM (SELECT *, CASE WHEN outcome = 'accepted' AND path = 'contact' THEN dec + fc_gap END AS fc,
          CASE WHEN outcome <> 'accepted' THEN NULL WHEN path = 'nocontact' THEN dec + 21 + ${ui('r', 42, 25)} WHEN path = 'declined_after' THEN dec + 3 + ${ui('r', 43, 14)} END AS x_on,
          array_remove(ARRAY[${factors.join(',')}]::text[], NULL) AS lfactors
        FROM (SELECT *, d + triage AS dec,
            ${pickText('u_out', [['declined', 0.07], ['redirected', 0.05], ['accepted', 0.88]])} AS outcome,
            ${pickText('u_path', [['nocontact', 0.04], ['declined_after', 0.03], ['contact', 0.93]])} AS path,
            coalesce(nullif(array_remove(ARRAY[${reasons.join(',')}]::text[], NULL), '{}'), ARRAY['loneliness']) AS reasons
          FROM (SELECT r, p, k, pp.b, pp.gpi, least(current_date, day + CASE extract(isodow FROM day) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END) AS d,
              1 + ${ui('r', 30, SERVICES_PER_BOROUGH)} AS svc, 1 + ${ui('r', 31, s.linkWorkers)} AS lw,
              ${u('r', 32)} AS u_src, ${u('r', 33)} AS u_meth, ${u('r', 34)} AS u_out, ${u('r', 35)} AS u_path,
              least(30, 1 + floor(${expo('r', 36, 3)}))::int AS triage, least(60, floor(${expo('r', 38, 7)}))::int AS fc_gap,
              least(400, 28 + floor(${expo('r', 39, 75)}))::int AS len, ${u('r', 41)} < 0.88 AS consent
            FROM (SELECT r, 1 + (r - 1) % ${s.people} AS p, (r - 1) / ${s.people} AS k FROM generate_series(1, ${s.referrals}) r) g
            JOIN bench_pp pp USING (p)
            CROSS JOIN LATERAL (SELECT CASE WHEN k = 0 THEN pp.d0 ELSE pp.d0 + 60 + floor(${u('p', 21)} * (current_date - pp.d0 - 60))::int END AS day) dd
          OFFSET 0) l1 OFFSET 0) l2 OFFSET 0) l3 OFFSET 0) l4`, 'bench_ep (episodes staging)');
  await run(`CREATE UNIQUE INDEX ON bench_ep (eidx)`, 'index');
  await run(`CREATE UNIQUE INDEX ON bench_ep (r)`, 'index');

  // Where referrals come from: self, GP practices, networks, teams, VCSEs and learning providers.
  const src = pickText('u_src', [['self', 0.15], ['gp', 0.58], ['pcn', 0.05], ['team', 0.1], ['vcse', 0.08], ['lp', 0.04]]);
  const lastOn = `CASE status WHEN 'received' THEN d WHEN 'redirected' THEN dec WHEN 'declined' THEN CASE WHEN outcome = 'declined' THEN dec ELSE x_on END
    WHEN 'accepted' THEN dec WHEN 'in_progress' THEN fc ELSE coalesce(closed_on, x_on) END`;
  const lastStep = `CASE WHEN status = 'received' THEN 1 WHEN status IN ('accepted', 'redirected') OR outcome = 'declined' THEN 2 WHEN status = 'in_progress' OR path <> 'contact' THEN 3 ELSE 4 END`;
  await run(`INSERT INTO referral (id, person_id, service_id, status, referred_on, method, referrer_user_id, referrer_name, referrer_role, referrer_organisation_id,
      referrer_organisation_name, respond_to, reasons, loneliness_factors, risks_none_known, risks, consent_to_share, consent_given_by, consent_recorded_on, consent_method,
      assigned_to, decision_reason, redirected_to, snomed_code, discharge_reason, closed_at, created_at, updated_at, version)
    SELECT ${id(`'r' || r`)}, ${id(`'p' || p`)}, ${id(`'org:sps:' || e.b || ':' || svc`)}, status, d,
      CASE source WHEN 'self' THEN 'self' WHEN 'gp' THEN ${pickText('u_meth', [['e_rs', 0.3], ['web', 0.35], ['email', 0.2], ['secure_messaging', 0.1], ['phone', 0.05]])}
        WHEN 'team' THEN ${pickText('u_meth', [['secure_messaging', 0.5], ['email', 0.3], ['phone', 0.2]])} ELSE ${pickText('u_meth', [['email', 0.6], ['phone', 0.4]])} END AS method,
      CASE WHEN source = 'gp' AND u_meth >= 0.3 AND u_meth < 0.65 THEN ${id(`'user:gp:' || e.b || ':' || e.gpi`)} END,
      CASE WHEN source <> 'self' THEN 'Bench referrer' END, CASE source WHEN 'gp' THEN 'GP' WHEN 'pcn' THEN 'Care coordinator' WHEN 'team' THEN 'Nurse' WHEN 'self' THEN NULL ELSE 'Support worker' END,
      CASE source WHEN 'self' THEN NULL ELSE ${id(`'org:' || source || ':' || e.b || ':' || srci`)} END,
      CASE source WHEN 'self' THEN NULL WHEN 'gp' THEN la_name || ' Medical Practice ' || srci WHEN 'pcn' THEN la_name || ' Primary Care Network ' || srci
        WHEN 'team' THEN la_name || ' ' || (ARRAY['Hospital Discharge Team','Community Mental Health Team','Adult Social Care'])[srci] ELSE o.name END,
      CASE WHEN source <> 'self' THEN 'referrals@' || source || '.example.test' END,
      reasons, lfactors, ${u('r', 44)} >= 0.08,
      CASE WHEN ${u('r', 44)} < 0.08 THEN jsonb_build_array(jsonb_build_object('category', (ARRAY['lone_working','self_harm','safeguarding_adult','other'])[1 + ${ui('r', 45, 4)}], 'description', 'Noted at referral; see the referrer''s letter')) ELSE '[]'::jsonb END,
      consent, CASE WHEN consent THEN 'the person' END, CASE WHEN consent THEN d END, CASE WHEN consent THEN 'verbal' END,
      CASE WHEN outcome = 'accepted' AND dec <= current_date THEN ${id(`'user:lw:' || e.b || ':' || svc || ':' || lw`)} END,
      CASE WHEN status = 'declined' AND path = 'declined_after' THEN 'The person decided not to go ahead' WHEN status = 'declined' THEN (ARRAY['Needs are mainly clinical: back to the GP','Lives outside the area we cover','The person did not want social prescribing'])[1 + ${ui('r', 46, 3)}]
        WHEN status = 'redirected' THEN 'Better met by a specialist service' END,
      CASE WHEN status = 'redirected' THEN (ARRAY['Community mental health team','Debt advice service','Drug and alcohol service'])[1 + ${ui('r', 47, 3)}] END,
      CASE WHEN status = 'declined' THEN ${lit(SNOMED_SOCIAL_PRESCRIBING_DECLINED)} WHEN outcome = 'accepted' AND dec <= current_date THEN ${lit(SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING)} END,
      CASE WHEN status = 'closed' THEN dreason END, CASE WHEN status = 'closed' THEN ${at(lastOn, 'r', 60, lastStep)} END,
      ${at('d', 'r', 60, '1')}, ${at(lastOn, 'r', 60, lastStep)},
      1 + (dec <= current_date)::int + coalesce((coalesce(fc, x_on) <= current_date)::int, 0) + coalesce((closed_on <= current_date)::int, 0)
    FROM (SELECT *, ${src} AS source, CASE ${src} WHEN 'gp' THEN gpi WHEN 'pcn' THEN 1 + (gpi - 1) % ${PCNS} WHEN 'team' THEN 1 + ${ui('r', 51, TEAMS)}
        WHEN 'vcse' THEN 1 + ${ui('r', 51, VCSES)} ELSE 1 + ${ui('r', 51, LEARNING_PROVIDERS)} END AS srci FROM bench_ep) e
    JOIN bench_borough bb ON bb.b = e.b
    LEFT JOIN organisation o ON e.source IN ('vcse','lp') AND o.id = ${id(`'org:' || e.source || ':' || e.b || ':' || e.srci`)}`, 'referrals');
  await run(`INSERT INTO referral_status_event (referral_id, from_status, to_status, reason, actor_user_id, at)
    SELECT ${id(`'r' || r`)}, v.f, v.t, v.reason, CASE WHEN v.n > 1 THEN ${id(`'user:lw:' || b || ':' || svc || ':' || lw`)} END, ${at('v.on_d', 'r', 60, 'v.n')}
    FROM bench_ep CROSS JOIN LATERAL (VALUES
      (1, NULL, 'received', d, NULL),
      (2, 'received', outcome, dec, CASE WHEN outcome <> 'accepted' THEN 'Decided at triage' END),
      (3, 'accepted', CASE path WHEN 'contact' THEN 'in_progress' WHEN 'nocontact' THEN 'closed' ELSE 'declined' END, CASE WHEN outcome = 'accepted' THEN coalesce(fc, x_on) END,
        CASE path WHEN 'contact' THEN 'first contact' WHEN 'nocontact' THEN 'Could not be contacted' ELSE 'The person decided not to go ahead' END),
      (4, 'in_progress', 'closed', CASE WHEN outcome = 'accepted' THEN closed_on END, dreason)
    ) v(n, f, t, on_d, reason) WHERE v.on_d <= current_date`, 'referral status events');
  await run(`INSERT INTO referral_contact (id, referral_id, contact_on, method, duration_minutes, recorded_by, created_at)
    SELECT ${id(`'rc' || r || ':' || j`)}, ${id(`'r' || r`)}, fc + (j * span) / n,
      ${pickText(u('r * 16 + j', 52), [['face_to_face', 0.4], ['phone', 0.35], ['video', 0.08], ['home_visit', 0.1], ['group', 0.07]])},
      15 + 15 * ${ui('r * 16 + j', 53, 6)}, ${id(`'user:lw:' || b || ':' || svc || ':' || lw`)}, ${at('fc + (j * span) / n', 'r * 16 + j', 54)}
    FROM (SELECT *, least(closed_on, current_date) - fc AS span, least(12, 1 + floor(${expo('r', 50, 3.2)}))::int AS n FROM bench_ep WHERE eligible) e,
      generate_series(0, n - 1) j`, 'contacts');
  await run(`INSERT INTO what_matters (referral_id, needs, review_on, updated_at, updated_by)
    SELECT ${id(`'r' || r`)}, array_remove(ARRAY[(${textArray(NEEDS)})[1 + ${ui('r', 55, NEEDS.length)}], CASE WHEN ${u('r', 56)} < 0.5 THEN (${textArray(NEEDS)})[1 + ${ui('r', 57, NEEDS.length)}] END], NULL),
      fc + 84, ${at('fc', 'r', 58)}, ${id(`'user:lw:' || b || ':' || svc || ':' || lw`)}
    FROM bench_ep WHERE eligible`, 'what matters');
}
