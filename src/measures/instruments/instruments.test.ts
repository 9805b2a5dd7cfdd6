import { describe, expect, it } from 'vitest';
import { BUILT_IN_INSTRUMENTS } from '../registry.ts';
import { RELIABLE_CHANGE } from './reliable-change.ts';
import { SWEMWBS_FROM_WEMWBS, SWEMWBS_METRIC } from './swemwbs.ts';
import { ONS4 } from './ons4.ts';
import { PHQ9 } from './phq9.ts';
import { GAD7 } from './gad7.ts';
import { WEMWBS } from './wemwbs.ts';
import { SWEMWBS } from './swemwbs.ts';
import { ONS_LONELINESS, UCLA3 } from './loneliness.ts';
import { LEAF7, PAM, PAM_LEVEL_CUT_POINTS } from './external.ts';

describe('instrument registry data', () => {
  it('has every required code exactly once', () => {
    expect(BUILT_IN_INSTRUMENTS.map((definition) => definition.code)).toEqual([
      'ons4',
      'phq9',
      'gad7',
      'wemwbs',
      'swemwbs',
      'ucla3',
      'ons-loneliness',
      'learner-satisfaction',
      'goal-based-outcome',
      'pam',
      'leaf7',
    ]);
  });

  it('gives every definition a version and unique item keys', () => {
    for (const definition of BUILT_IN_INSTRUMENTS) {
      expect(definition.version).toMatch(/^\d+\.\d+\.\d+$/);
      const keys = definition.items.map((entry) => entry.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('uses lowercase-hyphenated band codes everywhere', () => {
    for (const definition of BUILT_IN_INSTRUMENTS) {
      const { scoring } = definition;
      const bands =
        scoring.kind === 'per-item' ? scoring.items.flatMap((entry) => entry.bands) : 'bands' in scoring ? scoring.bands : [];
      for (const entry of bands) expect(entry.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it('has bands that start at the minimum, ascend without gaps or overlaps, and end at the maximum (integer scales)', () => {
    for (const definition of [PHQ9, GAD7, WEMWBS, UCLA3]) {
      if (definition.scoring.kind !== 'sum') throw new Error('expected sum');
      const { bands, min, max } = definition.scoring;
      expect(bands[0]?.min).toBe(min);
      expect(bands[bands.length - 1]?.max).toBe(max);
      for (let index = 1; index < bands.length; index += 1) expect(bands[index]?.min).toBe((bands[index - 1]?.max ?? NaN) + 1);
    }
  });
});

describe('item counts and answer ranges', () => {
  const cases: [string, { items: readonly { min: number; max: number; scored: boolean }[] }, number, number, number, number][] = [
    ['ONS4', ONS4, 4, 4, 0, 10],
    ['PHQ-9', PHQ9, 10, 9, 0, 3],
    ['GAD-7', GAD7, 7, 7, 0, 3],
    ['WEMWBS', WEMWBS, 14, 14, 1, 5],
    ['SWEMWBS', SWEMWBS, 7, 7, 1, 5],
    ['UCLA-3', UCLA3, 3, 3, 1, 3],
    ['ONS loneliness', ONS_LONELINESS, 1, 1, 0, 4],
  ];
  it.each(cases)('%s has %i items (%i scored), each %i–%i', (_name, definition, count, scored, min, max) => {
    expect(definition.items).toHaveLength(count);
    expect(definition.items.filter((entry) => entry.scored)).toHaveLength(scored);
    for (const entry of definition.items.filter((each) => each.scored)) {
      expect([entry.min, entry.max]).toEqual([min, max]);
    }
  });

  it('PHQ-9 item 10 is the optional, unscored difficulty question', () => {
    const tenth = PHQ9.items[9];
    expect(tenth?.key).toBe('difficulty');
    expect(tenth?.scored).toBe(false);
    expect(tenth?.required).toBe(false);
    expect(tenth?.options.map((option) => option.label)).toEqual([
      'Not difficult at all',
      'Somewhat difficult',
      'Very difficult',
      'Extremely difficult',
    ]);
  });

  it('PHQ-9 and GAD-7 use the correct frequency labels (GAD-7 zero is "Not at all", not "Not at all sure")', () => {
    for (const definition of [PHQ9, GAD7]) {
      expect(definition.items[0]?.options).toEqual([
        { value: 0, label: 'Not at all' },
        { value: 1, label: 'Several days' },
        { value: 2, label: 'More than half the days' },
        { value: 3, label: 'Nearly every day' },
      ]);
    }
  });

  it('ONS loneliness options are listed in the ONS order with often/always scored highest', () => {
    expect(ONS_LONELINESS.items[0]?.options.map((option) => `${option.value}:${option.label}`)).toEqual([
      '4:Often/always',
      '3:Some of the time',
      '2:Occasionally',
      '1:Hardly ever',
      '0:Never',
    ]);
  });
});

describe('WEMWBS and SWEMWBS licensing and items', () => {
  it('flags both scales as registration-gated with the Warwick copyright lines', () => {
    expect(WEMWBS.licence.requiresRegistration).toBe(true);
    expect(SWEMWBS.licence.requiresRegistration).toBe(true);
    expect(WEMWBS.licence.notice).toContain('© NHS Health Scotland, University of Warwick and University of Edinburgh, 2006');
    expect(SWEMWBS.licence.notice).toBe(
      'Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.',
    );
  });

  it('builds SWEMWBS from WEMWBS items 1, 2, 3, 6, 7, 9 and 11', () => {
    expect(SWEMWBS_FROM_WEMWBS).toEqual([1, 2, 3, 6, 7, 9, 11]);
    expect(SWEMWBS.items.map((entry) => entry.text)).toEqual([
      "I've been feeling optimistic about the future",
      "I've been feeling useful",
      "I've been feeling relaxed",
      "I've been dealing with problems well",
      "I've been thinking clearly",
      "I've been feeling close to other people",
      "I've been able to make up my own mind about things",
    ]);
  });

  it('holds all 29 published SWEMWBS conversions, with 26.02 (not 25.99) for raw 29', () => {
    expect(Object.keys(SWEMWBS_METRIC)).toHaveLength(29);
    expect(SWEMWBS_METRIC[29]).toBe(26.02);
  });
});

describe('reliable-change thresholds (one place)', () => {
  it('match the notes', () => {
    expect(RELIABLE_CHANGE.phq9.threshold).toBe(6);
    expect(RELIABLE_CHANGE.gad7.threshold).toBe(4);
    expect(RELIABLE_CHANGE.swemwbs.threshold).toBe(2.87);
    expect(RELIABLE_CHANGE.swemwbs.on).toBe('metric');
    expect(RELIABLE_CHANGE.wemwbs.threshold).toBeCloseTo(2.77 * 3.1, 6);
  });

  it('are the same objects the instruments use', () => {
    for (const definition of [PHQ9, GAD7, WEMWBS, SWEMWBS]) {
      if (definition.scoring.kind !== 'sum') throw new Error('expected sum');
      expect(definition.scoring.reliableChange).toBe(RELIABLE_CHANGE[definition.code as keyof typeof RELIABLE_CHANGE]);
    }
  });
});

describe('caseness thresholds', () => {
  it('are PHQ-9 ≥ 10 and GAD-7 ≥ 8 (Talking Therapies, not the GAD-7 screening cut-off of 10)', () => {
    expect(PHQ9.scoring.kind === 'sum' && PHQ9.scoring.caseness?.atOrAbove).toBe(10);
    expect(GAD7.scoring.kind === 'sum' && GAD7.scoring.caseness?.atOrAbove).toBe(8);
  });
});

describe('proprietary instruments', () => {
  it('PAM and LEAF-7 ship no items and are externally scored', () => {
    for (const definition of [PAM, LEAF7]) {
      expect(definition.items).toHaveLength(0);
      expect(definition.licence.wordingIncluded).toBe(false);
      expect(definition.scoring.kind).toBe('external');
    }
  });

  it('keeps both PAM cut-point versions as data', () => {
    expect(PAM_LEVEL_CUT_POINTS.sralab).toEqual([47.1, 55.2, 72.5]);
    expect(PAM_LEVEL_CUT_POINTS.older).toEqual([47.1, 55.2, 67.1]);
  });
});
