/**
 * "Usually replies in 3 days, 80% accepted" on the link worker's directory listings: how the
 * provider behind each listed service has answered onward referrals. One lookup of the services'
 * providers and one batched providerResponsiveness call per page, whatever the number of results.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { providerResponsiveness, type Responsiveness } from '../providers.ts';

/** The line for one provider, or null when it has answered no referral yet. */
export function replyText(r: Responsiveness | undefined): string | null {
  if (!r || r.answered <= 0) return null;
  const parts: string[] = [];
  if (r.medianDays !== null && Number.isFinite(r.medianDays)) {
    const days = Math.round(r.medianDays);
    parts.push(days < 1 ? 'Usually replies within a day' : `Usually replies in ${days} ${days === 1 ? 'day' : 'days'}`);
  }
  if (r.acceptedPercent !== null && Number.isFinite(r.acceptedPercent)) parts.push(`${Math.round(r.acceptedPercent)}% accepted`);
  return parts.length ? parts.join(', ') : null;
}

/** Service id → the reply line of its provider, for the services on one page (only those with a line). */
export async function replyLinesForServices(db: Kysely<DB>, serviceIds: readonly string[]): Promise<Record<string, string>> {
  if (serviceIds.length === 0) return {};
  const providers = await db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .select(['s.id', 'o.linkwell_organisation_id'])
    .where('s.id', 'in', [...serviceIds])
    .where('o.linkwell_organisation_id', 'is not', null)
    .execute();
  if (providers.length === 0) return {};
  const byOrg = await providerResponsiveness(db, [...new Set(providers.map((p) => p.linkwell_organisation_id!))]);
  const lines: Record<string, string> = {};
  for (const p of providers) {
    const text = replyText(byOrg.get(p.linkwell_organisation_id!));
    if (text) lines[p.id] = text;
  }
  return lines;
}
