/**
 * Where people live, for the reports: each postcode (as stored on a person or a listing's address)
 * is looked up once through src/geo/postcodes.ts and its local authority kept in
 * report_postcode_area. Unknown or malformed postcodes are kept with no area, so they are not
 * looked up again; a lookup service that fails is tried again at the next refresh.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import { PostcodeFormatError, type PostcodeLookup } from '../geo/postcodes.ts';
import { anyId } from './query.ts';
import type { Batch } from './refresh-sql.ts';

const CHUNK = 5_000;

const unknown = (column: string) => sql<SqlBool>`NOT EXISTS (SELECT 1 FROM report_postcode_area k WHERE k.postcode = ${sql.ref(column)})`;

/** The postcodes not yet in report_postcode_area: of the directory's addresses (batch null), of everyone's, or of a batch's people. */
async function missingPostcodes(db: Kysely<DB>, batch: Batch | null): Promise<string[]> {
  let rows: { postcode: string }[];
  if (batch === null) {
    rows = (await sql<{ postcode: string }>`
      SELECT DISTINCT a.postal_code AS postcode FROM dir_address a WHERE a.postal_code <> '' AND ${unknown('a.postal_code')}`.execute(db)).rows;
  } else if (batch.all) {
    rows = (await sql<{ postcode: string }>`
      SELECT DISTINCT p.postcode FROM referral r JOIN person p ON p.id = r.person_id
      WHERE p.postcode IS NOT NULL AND ${unknown('p.postcode')}`.execute(db)).rows;
  } else {
    // The batch's people, gathered first and then looked up by key. Written as a join, the planner
    // (rightly sure that nearly every postcode is known already) anti-joins all people first.
    rows = (await sql<{ postcode: string }>`
      SELECT DISTINCT p.postcode FROM person p
      WHERE p.id = ANY(ARRAY(SELECT r.person_id FROM referral r WHERE ${anyId('r.id', batch.ids)}))
        AND p.postcode IS NOT NULL AND ${unknown('p.postcode')}`.execute(db)).rows;
  }
  return rows.map((r) => r.postcode);
}

/**
 * Looks up the postcodes not yet known: of the people in a batch of episodes (or of everyone),
 * or — with `batch` null — of the directory's addresses (all of them: listings' areas are read
 * live by the providers report, whichever episodes changed).
 */
export async function resolvePostcodes(db: Kysely<DB>, lookup: PostcodeLookup, batch: Batch | null): Promise<number> {
  const found: { postcode: string; area: string | null }[] = [];
  for (const postcode of await missingPostcodes(db, batch)) {
    try {
      found.push({ postcode, area: (await lookup.lookup(postcode))?.laCode ?? null });
    } catch (err) {
      if (err instanceof PostcodeFormatError) found.push({ postcode, area: null });
    }
  }
  for (let i = 0; i < found.length; i += CHUNK) {
    const chunk = found.slice(i, i + CHUNK);
    await sql`
      INSERT INTO report_postcode_area (postcode, area_code)
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS x(postcode text, area text)
      ON CONFLICT (postcode) DO NOTHING`.execute(db);
  }
  return found.length;
}
