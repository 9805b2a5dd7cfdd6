import { describe, expect, it } from 'vitest';
import { populationAreas, populationCounts, populationShares } from './population.ts';

// Southwark (E09000028) in the Census 2021 files, added up by hand from data/population/*.csv.
const SOUTHWARK = {
  female: 158_638,
  male: 149_005,
  aged15to24: 16_198 + 25_476,
  aged65to74: 8_399 + 6_670,
  aged15plus: 307_635 - (16_362 + 15_893 + 16_223),
  total: 307_635,
  white: 158_220,
  black: 77_299,
  ethnicTotal: 307_640,
};

describe('the Census 2021 reference population', () => {
  it('covers the 33 London areas by name', () => {
    const areas = populationAreas();
    expect(areas.size).toBe(33);
    expect(areas.get('E09000028')).toBe('Southwark');
    expect(areas.get('E09000001')).toBe('City of London');
  });

  it('adds up the residents of an area by group', () => {
    expect(populationCounts(['E09000028'], 'sex')).toEqual(new Map([['female', SOUTHWARK.female], ['male', SOUTHWARK.male]]));
    const age = populationCounts(['E09000028'], 'age');
    expect(age.get('15-24')).toBe(SOUTHWARK.aged15to24);
    expect(age.get('65-74')).toBe(SOUTHWARK.aged65to74);
    expect(age.has('0-14')).toBe(false);
    expect([...age.values()].reduce((s, n) => s + n, 0)).toBe(SOUTHWARK.aged15plus);
    expect(populationCounts(['E09000028'], 'ethnicity').get('black')).toBe(SOUTHWARK.black);
    expect(populationCounts(['E09000028'], 'area').get('E09000028')).toBe(SOUTHWARK.total);
  });

  it('gives shares within one table at a time', () => {
    const sex = populationShares(['E09000028'], 'sex');
    expect(sex.get('female')).toBeCloseTo((100 * SOUTHWARK.female) / (SOUTHWARK.female + SOUTHWARK.male), 9);
    expect(populationShares(['E09000028'], 'age').get('15-24')).toBeCloseTo((100 * SOUTHWARK.aged15to24) / SOUTHWARK.aged15plus, 9);
    expect(populationShares(['E09000028'], 'ethnicity').get('white')).toBeCloseTo((100 * SOUTHWARK.white) / SOUTHWARK.ethnicTotal, 9);
  });

  it('combines areas, ignores unknown ones, and is empty outside the data', () => {
    const two = populationCounts(['E09000028', 'E09000014', 'E09000028'], 'area');
    expect(two.get('E09000028')).toBe(SOUTHWARK.total);
    expect(two.get('E09000014')).toBe(264_240);
    const both = populationShares(['E09000028', 'E09000014'], 'area');
    expect(both.get('E09000028')! + both.get('E09000014')!).toBeCloseTo(100, 9);
    expect(populationShares(['S12000036'], 'sex').size).toBe(0);
    expect(populationShares([], 'age').size).toBe(0);
  });
});
