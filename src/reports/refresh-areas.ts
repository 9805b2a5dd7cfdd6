/**
 * Where people live, for the reports: each postcode (as stored on a person or a listing's address)
 * is looked up once through src/geo/postcodes.ts and its local authority kept in
 * report_postcode_area. Unknown or malformed postcodes are kept with no area, so they are not
 * looked up again; a lookup service that fails is tried again at the next refresh.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { PostcodeFormatError, type PostcodeLookup } from '../geo/postcodes.ts';
import { anyId } from './query.ts';
import type { Batch } from './refresh-sql.ts';

const CHUNK = 5_000;

/**
 * Looks up the postcodes not yet known: of the people in a batch of episodes (or of everyone),
 * or — with `batch` null — of the directory's addresses.
 */
export async function resolvePostcodes(db: Kysely<DB>, lookup: PostcodeLookup, batch: Batch | null): Promise<number> {
  const missing =
    batch === null
      ? await sql<{ postcode: string }>`
          SELECT DISTINCT a.postal_code AS postcode FROM dir_address a
          WHERE a.postal_code <> '' AND NOT EXISTS (SELECT 1 FROM report_postcode_area k WHERE k.postcode = a.postal_code)`.execute(db)
      : await sql<{ postcode: string }>`
          SELECT DISTINCT p.postcode FROM referral r JOIN person p ON p.id = r.person_id
          WHERE p.postcode IS NOT NULL AND ${batch.all ? sql`true` : anyId('r.id', batch.ids)}
            AND NOT EXISTS (SELECT 1 FROM report_postcode_area k WHERE k.postcode = p.postcode)`.execute(db);
  const found: { postcode: string; area: string | null }[] = [];
  for (const { postcode } of missing.rows) {
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
