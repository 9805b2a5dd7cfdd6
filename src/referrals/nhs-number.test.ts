import { describe, expect, it } from 'vitest';
import { cleanNhsNumber, formatNhsNumber, isValidNhsNumber } from './nhs-number.ts';

describe('NHS number check digit', () => {
  it('accepts the Data Dictionary example and spaced input', () => {
    expect(isValidNhsNumber('9434765919')).toBe(true);
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('943-476-5919')).toBe(true);
  });
  it('rejects a wrong check digit, wrong lengths and letters', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
    expect(isValidNhsNumber('943476591')).toBe(false);
    expect(isValidNhsNumber('94347659190')).toBe(false);
    expect(isValidNhsNumber('94347659AB')).toBe(false);
  });
  it('rejects numbers whose check digit would be 10', () => {
    // 1000000010: weights give 10*1 + 2*1 = 12; 12 mod 11 = 1; 11 - 1 = 10 → invalid whatever the last digit.
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`100000001${d}`)).toBe(false);
  });
  it('treats a remainder of 0 as check digit 0', () => {
    // 9990000000: 9*10 + 9*9 + 9*8 = 243 = 22*11 + 1 → 10 invalid; 9990000018: 243 + 1*2 = 245 = 22*11 + 3 → 8.
    expect(isValidNhsNumber('9990000018')).toBe(true);
    // 1100000000: 10 + 9 = 19 → 19 mod 11 = 8 → 3; so 1100000003 valid. 2200000000: 38 mod 11 = 5 → 6.
    expect(isValidNhsNumber('1100000003')).toBe(true);
    // 5000000000: 50 mod 11 = 6 → 5; 5000000005 valid. 0000000000 → 11 → 0 → valid arithmetic.
    expect(isValidNhsNumber('0000000000')).toBe(true);
  });
  it('cleans and formats', () => {
    expect(cleanNhsNumber(' 943 476 5919 ')).toBe('9434765919');
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
