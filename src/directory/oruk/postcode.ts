/**
 * The `postcode` and `proximity` parameters. The standard says: "If service_area is available, only
 * return results where the postcode exists within the service_area. If proximity is provided, only
 * show results within the proximity from the centroid of the postcode." Linkwell reads that as:
 *
 * - Coverage (always, when a postcode is given): a service with no service areas is not restricted.
 *   A service with service areas is kept when one of them covers the postcode: its name, text,
 *   extent or uri mentions the postcode's local authority (its GSS code such as E09000028, or the
 *   London borough's name) or the GSS code of its region or nation (E12000007, E92000001, K02000001);
 *   or its whole name, text or extent is London (for a London borough), the postcode's nation, or
 *   the whole country ("National", "United Kingdom", "UK"…); or its extent_type starts with "postcode"
 *   and its extent is a comma-separated list holding the postcode's district (SE15), sector (SE15 4)
 *   or the full postcode. Polygons (GeoJSON extents) are not tested.
 * - Distance (when `proximity` is given too): the service has a location within that many metres
 *   of the postcode's centre (for /service_at_locations: that location itself).
 *
 * A malformed or unknown postcode is a 400 naming the postcode, never an empty list.
 */
import { PostcodeFormatError, type PostcodeLookup } from '../../geo/postcodes.ts';
import { LONDON_AREAS } from '../../organisations/areas.ts';
import { badRequest, HttpProblem } from '../../web/problems.ts';

export interface PostcodeFilter {
  postcode: string;
  latitude: number;
  longitude: number;
  /** Metres, when the caller asked for services near the postcode. */
  proximity?: number | undefined;
  /** Words (as areaText() writes them) that, found anywhere in an area's text, place the postcode in it. */
  areaWords: string[];
  /** Names (as areaText() writes them) of wide areas the postcode is in, matched only as an area's whole name. */
  wholeAreas: string[];
  /** The postcode's district, sector and full forms, upper case. */
  postcodeTokens: string[];
}

const NATIONS: Record<string, { name: string; code: string }> = {
  E: { name: 'england', code: 'e92000001' },
  W: { name: 'wales', code: 'w92000004' },
  S: { name: 'scotland', code: 's92000003' },
  N: { name: 'northern ireland', code: 'n92000002' },
};

/** Lower case, with every run of other characters turned into one space (as the SQL side does). */
export function areaText(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Looks the postcode up; 400 when it is malformed or not known, 503 when the lookup fails. */
export async function resolvePostcode(lookup: PostcodeLookup, input: string, proximity?: number): Promise<PostcodeFilter> {
  let found;
  try {
    found = await lookup.lookup(input);
  } catch (err) {
    if (err instanceof PostcodeFormatError) throw badRequest(`postcode: ${err.message}.`, [{ name: 'postcode', detail: err.message }]);
    throw new HttpProblem(503, 'Postcode lookup unavailable', 'Postcodes cannot be looked up at the moment. Try again later, or search without a postcode.');
  }
  if (!found) {
    const detail = `We could not find the postcode ${input.trim().toUpperCase()}. Check it, or search without a postcode.`;
    throw badRequest(`postcode: ${detail}`, [{ name: 'postcode', detail }]);
  }
  const [outward, inward] = found.postcode.split(' ') as [string, string];
  const words = ['k02000001', 'k03000001'];
  const wholeAreas = ['national', 'nationwide', 'united kingdom', 'uk', 'uk wide', 'great britain', 'gb'];
  if (found.laCode) {
    const nation = NATIONS[found.laCode[0] ?? ''];
    if (nation) {
      words.push(nation.code);
      wholeAreas.push(nation.name);
    }
    words.push(found.laCode.toLowerCase());
    const borough = LONDON_AREAS.find((a) => a.code === found.laCode);
    if (borough) {
      words.push(areaText(borough.name), 'e12000007');
      wholeAreas.push('london', 'greater london', 'london wide', 'all of london', 'pan london');
    }
  }
  return {
    postcode: found.postcode,
    latitude: found.latitude,
    longitude: found.longitude,
    proximity,
    areaWords: words,
    wholeAreas,
    postcodeTokens: [outward, `${outward} ${inward[0]}`, found.postcode, `${outward}${inward}`],
  };
}
