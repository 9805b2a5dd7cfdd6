/**
 * A small batch of new activity, written as the application's commands write it (status, version
 * and updated_at together with the status event; responses copied with their FHIR copy updated):
 * new referrals, triage, first contacts, more casework, discharges with end measures, and
 * providers accepting, starting and completing. The reporting triggers mark what changed, so the
 * refresh that follows is incremental.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING } from '../src/referrals/codes.ts';

export interface ActivityCounts { [what: string]: number }

export async function addActivity(db: Kysely<DB>, scale = 1): Promise<ActivityCounts> {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const counts: ActivityCounts = {};
  const step = async (what: string, query: string) => {
    const r = await sql.raw(query).execute(db);
    counts[what] = Number(r.numAffectedRows ?? 0);
  };
  await step('new referrals', `WITH src AS (SELECT person_id, service_id, referrer_organisation_id, reasons FROM referral WHERE status = 'closed' ORDER BY id LIMIT ${n(1000)}),
    ins AS (INSERT INTO referral (person_id, service_id, status, referred_on, method, referrer_organisation_id, referrer_name, reasons, risks_none_known,
        consent_to_share, consent_given_by, consent_recorded_on, consent_method)
      SELECT person_id, service_id, 'received', current_date, 'e_rs', referrer_organisation_id, 'Bench referrer', reasons, true, true, 'the person', current_date, 'verbal' FROM src RETURNING id)
    INSERT INTO referral_status_event (referral_id, from_status, to_status, at) SELECT id, NULL, 'received', now() FROM ins`);
  await step('accepted at triage', `WITH pick AS (SELECT id, service_id FROM referral WHERE status = 'received' AND referred_on < current_date ORDER BY id LIMIT ${n(500)}),
    lw AS (SELECT DISTINCT ON (organisation_id) organisation_id, user_id FROM membership WHERE role = 'link_worker' ORDER BY organisation_id, user_id),
    upd AS (UPDATE referral r SET status = 'accepted', assigned_to = lw.user_id, snomed_code = '${SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING}', updated_at = now(), version = r.version + 1
      FROM pick JOIN lw ON lw.organisation_id = pick.service_id WHERE r.id = pick.id RETURNING r.id, lw.user_id)
    INSERT INTO referral_status_event (referral_id, from_status, to_status, actor_user_id, at) SELECT id, 'received', 'accepted', user_id, now() FROM upd`);
  await step('first contacts', `WITH pick AS (SELECT id, assigned_to FROM referral r WHERE status = 'accepted' AND NOT EXISTS (SELECT 1 FROM referral_contact c WHERE c.referral_id = r.id) ORDER BY id LIMIT ${n(300)}),
    c AS (INSERT INTO referral_contact (referral_id, contact_on, method, duration_minutes, recorded_by) SELECT id, current_date, 'phone', 30, assigned_to FROM pick),
    upd AS (UPDATE referral r SET status = 'in_progress', updated_at = now(), version = r.version + 1 FROM pick WHERE r.id = pick.id RETURNING r.id, r.assigned_to)
    INSERT INTO referral_status_event (referral_id, from_status, to_status, reason, actor_user_id, at) SELECT id, 'accepted', 'in_progress', 'first contact', assigned_to, now() FROM upd`);
  await step('contacts', `INSERT INTO referral_contact (referral_id, contact_on, method, duration_minutes, recorded_by)
    SELECT id, current_date, 'face_to_face', 45, assigned_to FROM referral WHERE status = 'in_progress' ORDER BY id DESC LIMIT ${n(500)}`);
  // Discharges: the end measures repeat the start answers (a copy, with its own id, date and FHIR copy).
  await step('end measures', `WITH pick AS (SELECT id FROM referral r WHERE status = 'in_progress' AND EXISTS (SELECT 1 FROM measure_response m WHERE m.referral_id = r.id AND m.time_point = 'start')
      ORDER BY id LIMIT ${n(300)}), src AS (SELECT gen_random_uuid() AS nid, m.* FROM measure_response m JOIN pick ON pick.id = m.referral_id WHERE m.time_point = 'start' AND m.status = 'completed')
    INSERT INTO measure_response (id, person_id, referral_id, onward_referral_id, organisation_id, instrument_code, instrument_version, time_point, answers, score,
      questionnaire_response, method, entered_by_user_id, entered_by_person, completed_on, recorded_at)
    SELECT nid, person_id, referral_id, NULL, organisation_id, instrument_code, instrument_version, 'end', answers, score,
      jsonb_set(jsonb_set(questionnaire_response, '{id}', to_jsonb(nid::text)), '{authored}', to_jsonb(to_char(current_date, 'YYYY-MM-DD'))), 'staff', entered_by_user_id, false, current_date, now()
    FROM src`);
  await step('discharges', `WITH pick AS (SELECT DISTINCT r.id FROM referral r JOIN measure_response m ON m.referral_id = r.id AND m.time_point = 'end' AND m.completed_on = current_date WHERE r.status = 'in_progress'),
    upd AS (UPDATE referral r SET status = 'closed', discharge_reason = 'Goals met', closed_at = now(), updated_at = now(), version = r.version + 1 FROM pick WHERE r.id = pick.id RETURNING r.id, r.assigned_to)
    INSERT INTO referral_status_event (referral_id, from_status, to_status, reason, actor_user_id, at) SELECT id, 'in_progress', 'closed', 'Goals met', assigned_to, now() FROM upd`);
  const onward = (what: string, from: string, to: string, limit: number, extra = '') => step(what, `WITH pick AS (SELECT id FROM onward_referral WHERE status = '${from}' ORDER BY id LIMIT ${n(limit)}),
    upd AS (UPDATE onward_referral o SET status = '${to}'${extra}, updated_at = now(), version = o.version + 1 FROM pick WHERE o.id = pick.id RETURNING o.id)
    INSERT INTO onward_status_event (onward_referral_id, from_status, to_status, reason, at) SELECT id, '${from}', '${to}', ${to === 'started' ? `'first session attended'` : 'NULL'}, now() FROM upd`);
  await onward('provider accepted', 'sent', 'accepted', 300);
  await step('attendance', `INSERT INTO attendance (onward_referral_id, session_on, attended) SELECT id, current_date, true FROM onward_referral WHERE status = 'enrolled' ORDER BY id LIMIT ${n(200)}`);
  await onward('started', 'enrolled', 'started', 200);
  await onward('completed', 'started', 'completed', 100, `, completion = '{"progression":"another_course"}'::jsonb`);
  return counts;
}
