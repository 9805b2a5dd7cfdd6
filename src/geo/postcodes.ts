/**
 * Postcodes: checking the format (BS 7666), and turning a postcode into coordinates and a local
 * authority. The default lookup works offline from Ordnance Survey and ONS open data shipped in
 * data/geo/ (every London postcode; every sector and district in Great Britain). A deployment can
 * point POSTCODES_API_URL at a postcodes.io-compatible service instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { PointTable, type Point } from './point-table.ts';

const STRICT =
  /^(?:(?:[A-PR-UWYZ](?:[0-9]{1,2}|[0-9][A-HJKPSTUW])|[A-PR-UWYZ][A-HK-Y](?:[0-9]{1,2}|[0-9][ABEHMNPRVWXY])) [0-9][ABD-HJLNP-UW-Z]{2}|GIR 0AA)$/;

/** `se15 4qx ` → `SE15 4QX`; null when it is not a possible UK postcode. */
export function normalisePostcode(input: string): string | null {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  if (compact.length < 5 || compact.length > 7) return null;
  const spaced = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  return STRICT.test(spaced) ? spaced : null;
}

export interface PostcodeLocation {
  postcode: string;
  latitude: number;
  longitude: number;
  /** ONS code of the local authority, e.g. E09000028. */
  laCode: string | null;
  /** How exact the point is: the postcode itself, or the centre of its sector or district. */
  precision: 'postcode' | 'sector' | 'district';
}

export interface PostcodeLookup {
  /** Null when the postcode is well formed but not known. Throws on a malformed one. */
  lookup(postcode: string): Promise<PostcodeLocation | null>;
}

export class PostcodeFormatError extends Error {}

const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'geo');

/** A gzipped CSV of name, latitude, longitude, local authority code (with a header line). */
function readTable(file: string): PointTable {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(DATA_DIR, file))).toString('latin1');
  const rows: [string, number, number, string][] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const [key, lat, lng, la] = line.split(',');
    if (key && lat && lng) rows.push([key, Number(lat), Number(lng), la?.trim() ?? '']);
  }
  return new PointTable(rows);
}

/** The offline lookup. The tables are read on first use (about a second) and kept in memory. */
export function createOfflinePostcodeLookup(): PostcodeLookup {
  let tables: { postcodes: PointTable; sectors: PointTable; districts: PointTable } | undefined;
  const load = () =>
    (tables ??= {
      postcodes: readTable('london_postcodes.csv.gz'),
      sectors: readTable('uk_postcode_sectors.csv.gz'),
      districts: readTable('uk_postcode_districts.csv.gz'),
    });
  return {
    async lookup(input) {
      const postcode = normalisePostcode(input);
      if (!postcode) throw new PostcodeFormatError(`"${input.trim()}" is not a UK postcode. Enter a postcode like SE15 4QX`);
      const t = load();
      const [outward, inward] = postcode.split(' ') as [string, string];
      const found: [Point | undefined, PostcodeLocation['precision']][] = [
        [t.postcodes.get(postcode), 'postcode'],
        [t.sectors.get(`${outward} ${inward[0]}`), 'sector'],
        [t.districts.get(outward), 'district'],
      ];
      for (const [point, precision] of found) {
        if (point) return { postcode, ...point, precision };
      }
      return null;
    },
  };
}

/** A postcodes.io-compatible service (`GET {base}/postcodes/{postcode}`). */
export function createHttpPostcodeLookup(baseUrl: string): PostcodeLookup {
  return {
    async lookup(input) {
      const postcode = normalisePostcode(input);
      if (!postcode) throw new PostcodeFormatError(`"${input.trim()}" is not a UK postcode. Enter a postcode like SE15 4QX`);
      const res = await fetch(`${baseUrl.replace(/\/$/, '')}/postcodes/${encodeURIComponent(postcode)}`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`The postcode service answered ${res.status}`);
      const body = (await res.json()) as { result?: { latitude?: number; longitude?: number; codes?: { admin_district?: string } } };
      const r = body.result;
      if (typeof r?.latitude !== 'number' || typeof r.longitude !== 'number') return null;
      return { postcode, latitude: r.latitude, longitude: r.longitude, laCode: r.codes?.admin_district ?? null, precision: 'postcode' };
    },
  };
}

/** Great-circle distance in metres. */
export function distanceMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const R = 6_371_000;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const dLat = toRad(b.latitude - a.latitude);
  const dLng = toRad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.latitude)) * Math.cos(toRad(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
