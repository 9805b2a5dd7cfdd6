/**
 * Records are written in batches (one transaction and one statement each); a batch that fails is
 * written again one record per transaction. These tests check that batching keeps the importer's
 * promise: every good record is kept, a bad one is rejected alone with its reason and leaves no
 * rows, whichever batch it falls in, and what the run learnt from a failed batch is forgotten.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { importOruk } from './importer.ts';
import { temporarySources } from './test-sources.ts';

let t: TestDatabase;
const sources = temporarySources('linkwell-batches-');
const writeSource = sources.write;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

/** A UUID that is easy to tell apart in a failure: kind (4 hex digits) and number. */
const uuid = (kind: number, n: number) => `5e1ec7ed-${kind.toString(16).padStart(4, '0')}-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ORG = 0x1, SERVICE = 0x2, LOCATION = 0x3, ADDRESS = 0x4, LINK = 0x5, SCHEDULE = 0x6;

function service(n: number, opts: { org?: number; orgName?: string; orgById?: boolean; scheduleId?: string } = {}) {
  const org = opts.org ?? n;
  return {
    id: uuid(SERVICE, n),
    name: `Batch service ${n}`,
    ...(opts.orgById ? { organization_id: uuid(ORG, org) } : { organization: { id: uuid(ORG, org), name: opts.orgName ?? `Batch provider ${org}` } }),
    service_at_locations: [{ id: uuid(LINK, n), location: { id: uuid(LOCATION, n), name: `Hall ${n}`, latitude: 51.47, longitude: -0.09, addresses: [{ id: uuid(ADDRESS, n), address_1: `${n} Road`, city: 'London', postal_code: 'SE5 8AF' }] } }],
    schedules: [{ id: opts.scheduleId ?? uuid(SCHEDULE, n), byday: 'MO', opens_at: '10:00' }],
  };
}

async function countWhere(table: 'dir_service' | 'dir_organization' | 'dir_location' | 'dir_address' | 'dir_schedule' | 'dir_import_record', column: string, values: string[]): Promise<number> {
  const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY (${values}::uuid[])`.execute(t.db);
  return rows.rows[0]!.n;
}

describe('writing in batches', () => {
  it('keeps every good record and rejects each bad one alone, in whichever batch it falls', async () => {
    // An earlier import owns three schedule ids; three records of the big file reuse them.
    const owned = [uuid(SCHEDULE, 9001), uuid(SCHEDULE, 9002), uuid(SCHEDULE, 9003)];
    const first = await importOruk(t, writeSource('owner.json', [{ ...service(9000), schedules: owned.map((id) => ({ id, byday: 'TU', opens_at: '09:00' })) }]));
    expect(first.created).toBe(1);

    // 95 records in batches of 20: bad ones first in a batch (21), in the middle (47) and last (95).
    const bad = new Map([[21, owned[0]!], [47, owned[1]!], [95, owned[2]!]]);
    const records = Array.from({ length: 95 }, (_, i) => service(i + 1, { scheduleId: bad.get(i + 1) }));
    const s = await importOruk(t, writeSource('batches.json', records), { batchSize: 20 });
    expect({ created: s.created, rejected: s.rejected }).toEqual({ created: 92, rejected: 3 });
    expect(s.rejections.map((r) => r.position)).toEqual([21, 47, 95]);
    for (const r of s.rejections) expect(r.reason).toMatch(/^could not be saved: an id in it is already used by another record/);

    const badNumbers = [...bad.keys()];
    const good = records.map((_, i) => i + 1).filter((n) => !bad.has(n));
    // Nothing of a rejected record is left behind…
    expect(await countWhere('dir_service', 'id', badNumbers.map((n) => uuid(SERVICE, n)))).toBe(0);
    expect(await countWhere('dir_organization', 'id', badNumbers.map((n) => uuid(ORG, n)))).toBe(0);
    expect(await countWhere('dir_location', 'id', badNumbers.map((n) => uuid(LOCATION, n)))).toBe(0);
    expect(await countWhere('dir_address', 'location_id', badNumbers.map((n) => uuid(LOCATION, n)))).toBe(0);
    expect(await countWhere('dir_import_record', 'service_id', badNumbers.map((n) => uuid(SERVICE, n)))).toBe(0);
    // …the schedules stay with their first owner…
    expect(await countWhere('dir_schedule', 'service_id', [uuid(SERVICE, 9000)])).toBe(3);
    // …and every good record is whole, including those written again after their batch failed.
    expect(await countWhere('dir_service', 'id', good.map((n) => uuid(SERVICE, n)))).toBe(92);
    expect(await countWhere('dir_address', 'location_id', good.map((n) => uuid(LOCATION, n)))).toBe(92);
    expect(await countWhere('dir_schedule', 'service_id', good.map((n) => uuid(SERVICE, n)))).toBe(92);

    const again = await importOruk(t, writeSource('batches.json', records), { batchSize: 20 });
    expect({ created: again.created, updated: again.updated, unchanged: again.unchanged, rejected: again.rejected }).toEqual({ created: 0, updated: 0, unchanged: 92, rejected: 3 });
  });

  it('forgets what a failed batch would have written', async () => {
    // Record 2 brings organisation 500 and fails; records 3 and 4 only name it by id, so once
    // record 2 is rejected they refer to an organisation that does not exist.
    const records = [
      service(501, { org: 501 }),
      { ...service(502, { org: 500 }), schedules: [{ id: uuid(SCHEDULE, 9001), byday: 'MO' }] },
      service(503, { org: 500, orgById: true }),
      service(504, { org: 500, orgById: true }),
      service(505, { org: 505 }),
    ];
    const s = await importOruk(t, writeSource('forget.json', records));
    expect(s.created).toBe(2);
    expect(s.rejections.map((r) => [r.position, r.reason])).toEqual([
      [2, expect.stringMatching(/^could not be saved: an id in it is already used/)],
      [3, 'refers to an organisation that is neither in the source record nor in the directory'],
      [4, 'refers to an organisation that is neither in the source record nor in the directory'],
    ]);
    expect(await countWhere('dir_service', 'id', [uuid(SERVICE, 501), uuid(SERVICE, 505)])).toBe(2);
    expect(await countWhere('dir_organization', 'id', [uuid(ORG, 500)])).toBe(0);
  });

  it('writes one organisation given differently by two records of a batch, the later one last', async () => {
    const s = await importOruk(t, writeSource('same-org.json', [
      service(601, { org: 600, orgName: 'Shared provider' }),
      service(602, { org: 600, orgName: 'Shared provider (renamed)' }),
      service(603, { org: 600, orgName: 'Shared provider (renamed)' }),
    ]));
    expect({ created: s.created, rejected: s.rejected }).toEqual({ created: 3, rejected: 0 });
    const org = await t.db.selectFrom('dir_organization').select('name').where('id', '=', uuid(ORG, 600)).executeTakeFirstOrThrow();
    expect(org.name).toBe('Shared provider (renamed)');
  });
});
