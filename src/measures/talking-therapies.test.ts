import { describe, expect, it } from 'vitest';
import { compareTalkingTherapies } from './talking-therapies.ts';
import { answersForTotal } from './test-support.ts';

const phq = (total: number) => answersForTotal(total, 9, 0, 3);
const gad = (total: number) => answersForTotal(total, 7, 0, 3);

function outcome(phqBefore: number, phqAfter: number, gadBefore: number, gadAfter: number) {
  return compareTalkingTherapies({
    phq9: { baseline: phq(phqBefore), followup: phq(phqAfter) },
    gad7: { baseline: gad(gadBefore), followup: gad(gadAfter) },
  });
}

describe('combined PHQ-9 + GAD-7 (Talking-Therapies-style)', () => {
  it('is labelled as Talking-Therapies-style, not NHS Talking Therapies itself', () => {
    expect(outcome(12, 4, 10, 3).label).toMatch(/^Talking-Therapies-style/);
  });

  it('caseness at baseline is PHQ-9 ≥ 10 or GAD-7 ≥ 8', () => {
    expect(outcome(10, 0, 0, 0).casenessAtBaseline).toBe(true);
    expect(outcome(0, 0, 8, 0).casenessAtBaseline).toBe(true);
    expect(outcome(9, 0, 7, 0).casenessAtBaseline).toBe(false);
  });

  it('recovery needs both measures below caseness at the end', () => {
    expect(outcome(14, 9, 12, 7).recovery).toBe(true);
    expect(outcome(14, 9, 12, 8).recovery).toBe(false);
    expect(outcome(14, 10, 12, 7).recovery).toBe(false);
  });

  it('recovery is not defined for someone below caseness on both at baseline', () => {
    const result = outcome(9, 2, 7, 1);
    expect(result.recovery).toBeNull();
    expect(result.reliableRecovery).toBeNull();
    expect(result.reliableImprovement).toBe(true);
  });

  it('reliable improvement on one measure counts when the other does not reliably deteriorate', () => {
    expect(outcome(16, 10, 9, 9).reliableImprovement).toBe(true); // PHQ-9 −6, GAD-7 0
    expect(outcome(16, 11, 9, 5).reliableImprovement).toBe(true); // PHQ-9 −5, GAD-7 −4
    expect(outcome(16, 11, 9, 6).reliableImprovement).toBe(false); // PHQ-9 −5, GAD-7 −3
  });

  it('no reliable improvement when the other measure reliably deteriorates', () => {
    const result = outcome(16, 10, 4, 8); // PHQ-9 −6, GAD-7 +4
    expect(result.reliableDeterioration).toBe(true);
    expect(result.reliableImprovement).toBe(false);
    expect(result.reliableRecovery).toBe(false);
  });

  it('reliable recovery = recovery and reliable improvement', () => {
    expect(outcome(15, 9, 10, 7)).toMatchObject({ recovery: true, reliableImprovement: true, reliableRecovery: true });
    expect(outcome(11, 9, 9, 7)).toMatchObject({ recovery: true, reliableImprovement: false, reliableRecovery: false });
  });

  it('gives no outcome when either questionnaire is incomplete', () => {
    const result = compareTalkingTherapies({
      phq9: { baseline: [3, 3, 3, 3, null, 0, 0, 0, 0], followup: phq(2) },
      gad7: { baseline: gad(12), followup: gad(2) },
    });
    expect(result).toMatchObject({ recovery: null, reliableImprovement: null, reliableRecovery: null, casenessAtBaseline: true });
  });
});
