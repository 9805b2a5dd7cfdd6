import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../web/problems.ts';
import { parseReportFilters } from './filters.ts';
import { isKnownInstrument, measuresOf } from './measures.ts';

function problem(query: unknown): HttpProblem {
  try {
    parseReportFilters(query);
  } catch (err) {
    if (err instanceof HttpProblem) return err;
    throw err;
  }
  throw new Error('expected a problem');
}

describe('report filters', () => {
  it('accepts every filter, and empty fields as no filter', () => {
    expect(
      parseReportFilters({ from: '2025-01-01', to: '2025-03-31', organisationId: '7f1b0c1e-5d2a-4a8e-9c1b-0a1b2c3d4e5f', area: 'E09000028', activity: 'learning', reason: 'loneliness', instrument: 'ons4.anxious' }),
    ).toEqual({ from: '2025-01-01', to: '2025-03-31', organisationId: '7f1b0c1e-5d2a-4a8e-9c1b-0a1b2c3d4e5f', area: 'E09000028', activity: 'learning', reason: 'loneliness', instrument: 'ons4.anxious' });
    expect(parseReportFilters({ from: '', area: '' })).toEqual({});
    expect(parseReportFilters(undefined)).toEqual({});
  });

  it('refuses bad values with a 400 naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ from: '2025-02-30' }, 'from', /real date/],
      [{ to: '1 March' }, 'to', /date like/],
      [{ from: '2025-03-01', to: '2025-02-01' }, 'to', /on or before/],
      [{ organisationId: 'Alpha' }, 'organisationId', /id of an organisation/],
      [{ area: 'Southwark' }, 'area', /ONS local authority code/],
      [{ activity: 'knitting' }, 'activity', /one of: learning/],
      [{ reason: 'boredom' }, 'reason', /one of: loneliness/],
      [{ instrument: 'iq' }, 'instrument', /instrument code/],
      [{ from: ['2025-01-01', '2025-02-01'] }, 'from', /date/],
    ];
    for (const [query, field, message] of cases) {
      const p = problem(query);
      expect(p.status).toBe(400);
      expect(p.fields.map((f) => f.name)).toContain(field);
      expect(p.message).toMatch(message);
    }
  });

  it('refuses filters it does not know, so none can reach past the reports', () => {
    const p = problem({ personId: '7f1b0c1e-5d2a-4a8e-9c1b-0a1b2c3d4e5f', nhsNumber: '9990000018' });
    expect(p.status).toBe(400);
    expect(p.message).toMatch(/Unknown filter: personId, nhsNumber/);
  });
});

describe('report measures', () => {
  it('knows instruments, their items and organisations’ own questionnaires', () => {
    expect(measuresOf('phq9')).toEqual([expect.objectContaining({ measure: 'phq9', reliableThreshold: 6, casenessAtOrAbove: 10, higherIsBetter: false })]);
    expect(measuresOf('swemwbs')[0]).toMatchObject({ reliableThreshold: 2.87, higherIsBetter: true, casenessAtOrAbove: null });
    expect(measuresOf('ons4').map((m) => m.measure)).toEqual(['ons4.satisfaction', 'ons4.worthwhile', 'ons4.happy', 'ons4.anxious']);
    expect(measuresOf('ons4.anxious')[0]!.higherIsBetter).toBe(false);
    expect(isKnownInstrument('custom-7f1b0c1e-5d2a-4a8e-9c1b-0a1b2c3d4e5f')).toBe(true);
    expect(isKnownInstrument('custom-x')).toBe(false);
  });
});
