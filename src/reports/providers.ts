/**
 * How responsive a provider is, for the line on its directory listings: "usually replies in N
 * days, X% accepted". From the summary tables (as fresh as the last refresh), over the onward
 * referrals (not signposts) sent to it in the last twelve months.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { anyId } from './query.ts';
import { round } from './stats.ts';

export interface Responsiveness {
  /** Median calendar days from sending to the provider's first reply; null before any reply. */
  medianDays: number | null;
  /** Accepted as a percentage of those accepted or declined; null when none was decided. */
  acceptedPercent: number | null;
  /** Referrals answered in the period. */
  answered: number;
}

/** How many months back the figures look. */
export const RESPONSIVENESS_MONTHS = 12;

/** Responsiveness of each provider organisation asked for (every id gets an entry). */
export async function providerResponsiveness(db: Kysely<DB>, providerOrgIds: string[], now: Date = new Date()): Promise<Map<string, Responsiveness>> {
  const out = new Map<string, Responsiveness>(providerOrgIds.map((id) => [id, { medianDays: null, acceptedPercent: null, answered: 0 }]));
  if (providerOrgIds.length === 0) return out;
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - RESPONSIVENESS_MONTHS);
  const rows = await sql<{ provider_id: string; answered: string; median: number | null; accepted: string; declined: string }>`
    SELECT o.provider_id, count(o.answered_on) AS answered,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY o.answered_on - o.sent_on) AS median,
      count(o.accepted_on) AS accepted, count(o.declined_on) FILTER (WHERE o.accepted_on IS NULL) AS declined
    FROM report_onward o
    WHERE ${anyId('o.provider_id', providerOrgIds)} AND o.kind <> 'signpost' AND o.sent_on >= ${since.toISOString().slice(0, 10)}::date
    GROUP BY o.provider_id`.execute(db);
  for (const r of rows.rows) {
    const accepted = Number(r.accepted);
    const decided = accepted + Number(r.declined);
    out.set(r.provider_id, {
      medianDays: r.median === null ? null : round(Number(r.median), 1),
      acceptedPercent: decided ? round((100 * accepted) / decided, 0) : null,
      answered: Number(r.answered),
    });
  }
  return out;
}
