/**
 * Goal-based outcomes: the person rates progress towards each of their own goals (the `goal`
 * rows of their episode, from the link worker's casework) from 0 to 10. The goals' ids are kept
 * with the ratings; the goals' words stay in the goal table and are shown only to the service
 * whose episode it is.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { personalGoalInstrument } from '../measures/index.ts';
import type { InstrumentDefinition, PersonalGoal } from '../measures/index.ts';

/** Most goals rated at once (the instrument's limit). */
export const MAX_GOALS = 10;

/** The goals to rate in an episode: every goal not dropped, oldest first, at most {@link MAX_GOALS}. */
export async function goalsToRate(db: Kysely<DB>, referralId: string): Promise<PersonalGoal[]> {
  const rows = await db
    .selectFrom('goal')
    .select(['id', 'description'])
    .where('referral_id', '=', referralId)
    .where('status', '!=', 'dropped')
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_GOALS)
    .execute();
  return rows.map((r) => ({ id: r.id, text: r.description }));
}

/**
 * The questionnaire for the goals posted back with a form (`ids` in the order shown), checked to be
 * goals of the episode that are not dropped; null when they are not (the goals changed meanwhile).
 */
export async function postedGoalInstrument(db: Kysely<DB>, referralId: string, ids: readonly string[]): Promise<InstrumentDefinition | null> {
  if (ids.length === 0 || ids.length > MAX_GOALS || new Set(ids).size !== ids.length) return null;
  if (!ids.every((id) => /^[0-9a-f-]{36}$/.test(id))) return null;
  const rows = await db.selectFrom('goal').select(['id', 'description']).where('referral_id', '=', referralId).where('status', '!=', 'dropped').where('id', 'in', ids).execute();
  if (rows.length !== ids.length) return null;
  return personalGoalInstrument(ids.map((id) => ({ id, text: rows.find((r) => r.id === id)!.description })));
}

/** Reads the comma-separated goal ids of a posted form. */
export function goalIdsOf(value: unknown): string[] {
  return typeof value === 'string' && value ? value.split(',') : [];
}

/**
 * The words of the goals, by id, that the service may see: only goals of its own episodes.
 * A provider gets none (its timeline says "Goal 1", "Goal 2").
 */
export async function goalWords(db: Kysely<DB>, serviceId: string | null, goalIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(goalIds)].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (!serviceId || ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('goal as g')
    .innerJoin('referral as r', 'r.id', 'g.referral_id')
    .select(['g.id', 'g.description'])
    .where('g.id', 'in', ids)
    .where('r.service_id', '=', serviceId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.description]));
}
