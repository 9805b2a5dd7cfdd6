import { describe, expect, it } from 'vitest';
import { getInstrument, listInstruments } from './index.ts';

describe('listInstruments', () => {
  it('lists codes and versions for every built-in instrument', () => {
    const listed = listInstruments().map((entry) => `${entry.code}@${entry.version}`);
    expect(listed).toContain('phq9@1.0.0');
    expect(listed).toContain('swemwbs@1.0.0');
    expect(listed).toHaveLength(11);
  });

  it('hides WEMWBS/SWEMWBS wording until the deployment confirms registration, but keeps options and notice', () => {
    const hidden = getInstrument('swemwbs');
    expect(hidden?.wordingShown).toBe(false);
    expect(hidden?.items).toHaveLength(7);
    expect(hidden?.items[0]).not.toHaveProperty('text');
    expect(hidden?.instructions).toBeUndefined();
    expect(hidden?.items[0]?.options[0]).toEqual({ value: 1, label: 'None of the time' });
    expect(hidden?.licence.notice).toContain('SWEMWBS');

    const shown = getInstrument('swemwbs', { registeredFor: ['swemwbs'] });
    expect(shown?.wordingShown).toBe(true);
    expect(shown?.items[0]?.text).toBe("I've been feeling optimistic about the future");
  });

  it('registration for one Warwick scale does not unlock the other', () => {
    expect(getInstrument('wemwbs', { registeredFor: ['swemwbs'] })?.wordingShown).toBe(false);
  });

  it('always shows openly licensed wording', () => {
    const phq9 = getInstrument('phq9');
    expect(phq9?.wordingShown).toBe(true);
    expect(phq9?.items[8]?.text).toBe('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(phq9?.itemCount).toBe(10);
    expect(phq9?.scoredItemCount).toBe(9);
    expect(getInstrument('ons4')?.items[3]?.text).toContain('how anxious did you feel yesterday?');
  });

  it('describes scoring rules as data', () => {
    const phq9 = getInstrument('phq9');
    expect(phq9?.scoring).toMatchObject({ kind: 'sum', min: 0, max: 27, caseness: { atOrAbove: 10 }, reliableChange: { threshold: 6 } });
    const swemwbs = getInstrument('swemwbs');
    expect(swemwbs?.scoring.kind === 'sum' && swemwbs.scoring.conversion?.table[35]).toBe(35);
  });

  it('marks PAM as externally scored with no wording', () => {
    expect(getInstrument('pam')).toMatchObject({ wordingShown: false, itemCount: null, scoring: { kind: 'external', levels: [1, 2, 3, 4] } });
  });

  it('returns undefined for an unknown code', () => {
    expect(getInstrument('nope')).toBeUndefined();
  });

  it('does not change the stored definitions when hiding wording', () => {
    getInstrument('wemwbs');
    expect(getInstrument('wemwbs', { registeredFor: ['wemwbs'] })?.items[13]?.text).toBe("I've been feeling cheerful");
  });
});
