/**
 * The Census 2021 reference population (data/population/, ONS, Open Government Licence v3.0):
 * how the residents of one or more areas divide by age group, sex, ethnic group and area, as
 * percentages, for comparison with who is referred. Read once, on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { AGE_GROUPS, COMPARED_AGE_GROUPS, ETHNIC_GROUPS, SEX_GROUPS } from './labels.ts';

const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'population');

/** The attribution to show beside any figure computed from these data. */
export const POPULATION_ATTRIBUTION =
  'Population: Office for National Statistics, Census 2021 (usual residents), Open Government Licence v3.0. Contains National Statistics data © Crown copyright and database right 2022.';

export type Characteristic = 'age' | 'sex' | 'ethnicity' | 'area';

interface Tables {
  /** la_code → group key → residents, per characteristic. */
  counts: Record<Exclude<Characteristic, 'area'>, Map<string, Map<string, number>>>;
  names: Map<string, string>;
}

let loaded: Tables | undefined;

function read(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(path.join(DATA_DIR, file), 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
}

function add(map: Map<string, Map<string, number>>, area: string, key: string, n: number) {
  const inner = map.get(area) ?? new Map<string, number>();
  inner.set(key, (inner.get(key) ?? 0) + n);
  map.set(area, inner);
}

function load(): Tables {
  if (loaded) return loaded;
  const names = new Map<string, string>();
  const age = new Map<string, Map<string, number>>();
  const sex = new Map<string, Map<string, number>>();
  const ethnicity = new Map<string, Map<string, number>>();
  const groupOfBand = new Map(AGE_GROUPS.flatMap((g) => g.bands.map((b) => [b, g.key] as const)));
  for (const row of read('london_census2021_age.csv')) {
    const group = groupOfBand.get(row.age_band!);
    if (!group) throw new Error(`Unknown age band "${row.age_band}" in the population data`);
    names.set(row.la_code!, row.la_name!);
    add(age, row.la_code!, group, Number(row.count));
  }
  for (const row of read('london_census2021_sex.csv')) {
    const group = SEX_GROUPS.find((g) => g.census === row.sex);
    if (group) add(sex, row.la_code!, group.key, Number(row.count));
  }
  for (const row of read('london_census2021_ethnic_group.csv')) {
    const group = ETHNIC_GROUPS.find((g) => g.census === row.ethnic_group_5);
    if (!group) throw new Error(`Unknown ethnic group "${row.ethnic_group_5}" in the population data`);
    add(ethnicity, row.la_code!, group.key, Number(row.count));
  }
  loaded = { counts: { age, sex, ethnicity }, names };
  return loaded;
}

/** The areas the reference data covers (ONS codes), with their names. */
export function populationAreas(): Map<string, string> {
  return new Map(load().names);
}

/** Residents of the areas by group; only areas the data covers count. */
export function populationCounts(areas: readonly string[], characteristic: Characteristic): Map<string, number> {
  const t = load();
  const known = [...new Set(areas)].filter((a) => t.names.has(a));
  const out = new Map<string, number>();
  if (characteristic === 'area') {
    for (const a of known) out.set(a, [...t.counts.age.get(a)!.values()].reduce((s, n) => s + n, 0));
    return out;
  }
  for (const a of known) for (const [k, n] of t.counts[characteristic].get(a) ?? []) out.set(k, (out.get(k) ?? 0) + n);
  if (characteristic === 'age') for (const k of out.keys()) if (!COMPARED_AGE_GROUPS.includes(k)) out.delete(k);
  return out;
}

/**
 * Each group's share of the residents of the areas, in percent (age: of residents aged 15 and
 * over). Empty when none of the areas is in the reference data.
 */
export function populationShares(areas: readonly string[], characteristic: Characteristic): Map<string, number> {
  const counts = populationCounts(areas, characteristic);
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  return new Map([...counts].map(([k, n]) => [k, total ? (100 * n) / total : 0]));
}
