/**
 * Which measures are due, and overdue, for the actor's caseload: a link worker's allocated
 * episodes (a service manager's: the whole service's), and a provider's people on courses that
 * have started or finished. Computed from each organisation's plan and the episode's or course's
 * dates, minus what has been recorded or marked as not collected.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { roleGrants } from '../auth/permissions.ts';
import type { DB } from '../db/schema.ts';
import { episodeAnchors, onwardAnchors } from './anchors.ts';
import { titlesFor } from './catalogue.ts';
import { shortTitle } from './instruments.ts';
import { plannableOrganisations, plannedTimePoints, plansFor, type MeasurePlan } from './plans.ts';
import { addDays, dueDate, isoDay, timePointLabel, timePointOrder, type Anchors, type Side } from './time-points.ts';

export interface DueMeasure {
  side: Side;
  personId: string;
  /** As this organisation knows them (a provider: the name shared with it). */
  personName: string;
  referralId: string | null;
  onwardId: string | null;
  organisationId: string;
  /** The service, or the course or activity. */
  about: string;
  timePoint: string;
  timePointLabel: string;
  /** Instruments still to record at this time point. */
  instruments: { code: string; shortTitle: string }[];
  dueOn: string;
  /** The day from which it counts as overdue. */
  overdueFrom: string;
  overdue: boolean;
  /** The page where it is recorded. */
  href: string;
}

interface Case {
  side: Side;
  personId: string;
  personName: string;
  referralId: string | null;
  onwardId: string | null;
  organisationId: string;
  about: string;
}

/** Due measures of one episode or onward referral, given its plan, dates and what is done. */
export function dueFor(c: Case, plan: MeasurePlan, anchors: Anchors, done: ReadonlySet<string>, today: string, title: (code: string) => string = shortTitle): DueMeasure[] {
  const found: DueMeasure[] = [];
  for (const { timePoint, instruments } of plannedTimePoints(plan)) {
    const dueOn = dueDate(timePoint, anchors);
    if (!dueOn || dueOn > today) continue;
    const left = instruments.filter((code) => !done.has(`${timePoint}|${code}`));
    if (left.length === 0) continue;
    const overdueFrom = addDays(dueOn, plan.overdueAfterDays);
    const base = c.side === 'service' ? `/outcomes/episodes/${c.referralId}` : `/outcomes/onward/${c.onwardId}`;
    found.push({
      ...c,
      timePoint,
      timePointLabel: timePointLabel(timePoint, c.side),
      instruments: left.map((code) => ({ code, shortTitle: title(code) })),
      dueOn,
      overdueFrom,
      overdue: today >= overdueFrom,
      href: base,
    });
  }
  return found;
}

/**
 * Recorded and not-collected (time point, instrument) pairs per episode or onward referral. A
 * response entered in error does not count: the measure is due again until it is recorded.
 */
async function doneKeys(db: Kysely<DB>, column: 'referral_id' | 'onward_referral_id', ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const done = new Map<string, Set<string>>();
  if (ids.length === 0) return done;
  const recorded = await db
    .selectFrom('measure_response')
    .select([`${column} as id`, 'time_point', 'instrument_code'])
    .where(column, 'in', ids)
    .where('status', '=', 'completed')
    .execute();
  const skipped = await db.selectFrom('measure_not_collected').select([`${column} as id`, 'time_point', 'instrument_code']).where(column, 'in', ids).execute();
  for (const row of [...recorded, ...skipped]) {
    if (!row.id) continue;
    const set = done.get(row.id) ?? new Set<string>();
    set.add(`${row.time_point}|${row.instrument_code}`);
    done.set(row.id, set);
  }
  return done;
}

/** The episodes whose measures the actor collects. */
async function serviceCases(db: Kysely<DB>, actor: Actor): Promise<Case[]> {
  const managed = actor.memberships.filter((m) => m.role === 'service_manager').map((m) => m.organisationId);
  const worked = actor.memberships.filter((m) => roleGrants(m.role, 'referral.work')).map((m) => m.organisationId);
  if (worked.length === 0) return [];
  const rows = await db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .innerJoin('organisation as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.person_id', 'r.service_id', 'p.given_name', 'p.family_name', 's.name as service'])
    .where('r.status', 'in', ['in_progress', 'closed'])
    .where('r.service_id', 'in', worked)
    .where((eb) => eb.or([eb('r.assigned_to', '=', actor.userId), managed.length ? eb('r.service_id', 'in', managed) : sql<boolean>`false`]))
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    side: 'service',
    personId: r.person_id,
    personName: `${r.given_name} ${r.family_name}`,
    referralId: r.id,
    onwardId: null,
    organisationId: r.service_id,
    about: r.service,
  }));
}

/** The onward referrals whose measures the actor's provider collects. */
async function providerCases(db: Kysely<DB>, actor: Actor): Promise<Case[]> {
  const providers = actor.memberships.filter((m) => roleGrants(m.role, 'onward.respond')).map((m) => m.organisationId);
  if (providers.length === 0) return [];
  const rows = await db
    .selectFrom('onward_referral as o')
    .innerJoin('referral as r', 'r.id', 'o.referral_id')
    .innerJoin('dir_service as d', 'd.id', 'o.dir_service_id')
    .select(['o.id', 'o.provider_id', 'o.shared', 'r.person_id', 'd.name as listing'])
    .where('o.kind', '!=', 'signpost')
    .where('o.status', 'in', ['started', 'completed'])
    .where('o.provider_id', 'in', providers)
    .limit(5000)
    .execute();
  return rows.map((o) => ({
    side: 'provider',
    personId: o.person_id,
    personName: (o.shared as { contact?: { name?: string } }).contact?.name ?? 'Name not shared',
    referralId: null,
    onwardId: o.id,
    organisationId: o.provider_id!,
    about: o.listing,
  }));
}

/** Measures due today or earlier for the actor's caseload, overdue ones first, then oldest first. */
export async function dueMeasures(db: Kysely<DB>, actor: Actor, today: Date = new Date()): Promise<DueMeasure[]> {
  const day = isoDay(today);
  const [services, providers] = await Promise.all([serviceCases(db, actor), providerCases(db, actor)]);
  const episodeIds = services.map((c) => c.referralId!);
  const onwardIds = providers.map((c) => c.onwardId!);
  const orgs = new Map<string, Side>();
  for (const c of [...services, ...providers]) orgs.set(c.organisationId, c.side);
  const [plans, episodeDates, onwardDates, episodeDone, onwardDone] = await Promise.all([
    plansFor(db, [...orgs].map(([id, side]) => ({ id, side }))),
    episodeAnchors(db, episodeIds),
    onwardAnchors(db, onwardIds),
    doneKeys(db, 'referral_id', episodeIds),
    doneKeys(db, 'onward_referral_id', onwardIds),
  ]);
  const none = { start: null, end: null };
  const title = await titlesFor(db, [...plans.values()].flatMap((p) => [...p.start, ...p.end, ...p.followUp]));
  const due = [
    ...services.flatMap((c) => dueFor(c, plans.get(c.organisationId)!, episodeDates.get(c.referralId!) ?? none, episodeDone.get(c.referralId!) ?? new Set(), day, title)),
    ...providers.flatMap((c) => dueFor(c, plans.get(c.organisationId)!, onwardDates.get(c.onwardId!) ?? none, onwardDone.get(c.onwardId!) ?? new Set(), day, title)),
  ];
  return due.sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn) || timePointOrder(a.timePoint) - timePointOrder(b.timePoint) || a.personName.localeCompare(b.personName));
}

/** Due measures of one episode or onward referral (for its page). */
export async function dueForContext(db: Kysely<DB>, c: Case, anchors: Anchors, today: Date = new Date()): Promise<DueMeasure[]> {
  const plans = await plansFor(db, [{ id: c.organisationId, side: c.side }]);
  const column = c.side === 'service' ? 'referral_id' : 'onward_referral_id';
  const id = (c.side === 'service' ? c.referralId : c.onwardId)!;
  const done = (await doneKeys(db, column, [id])).get(id) ?? new Set();
  const plan = plans.get(c.organisationId)!;
  const title = await titlesFor(db, [...plan.start, ...plan.end, ...plan.followUp]);
  return dueFor(c, plan, anchors, done, isoDay(today), title);
}

/** What the home page shows about outcome measures. */
export interface MeasureHomeCounts {
  due: number;
  overdue: number;
  /** The actor chooses the measurement plan of an organisation. */
  canPlan: boolean;
}

/** Counts for the home page, or undefined when outcome measures are not part of the actor's work. */
export async function measureHomeCounts(db: Kysely<DB>, actor: Actor): Promise<MeasureHomeCounts | undefined> {
  const collects = actor.memberships.some((m) => roleGrants(m.role, 'referral.work') || roleGrants(m.role, 'onward.respond'));
  const canPlan = plannableOrganisations(actor).length > 0;
  if (!collects && !canPlan) return undefined;
  const due = collects ? await dueMeasures(db, actor) : [];
  return { due: due.length, overdue: due.filter((d) => d.overdue).length, canPlan };
}
