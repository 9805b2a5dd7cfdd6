/**
 * The dashboards' rendering, on hand-made reports: cells written out, tables with captions and
 * scoped header cells, "<5" explained, charts with a text alternative, the CSV links, outcomes with
 * their completeness first, and the filter form's checks.
 */
import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from '../../web/views.ts';
import type { ReportTable } from '../types.ts';
import { MAX_BARS, renderReportChart } from './chart.ts';
import { DASHBOARDS } from './dashboards.ts';
import { formatCell } from './format.ts';
import { AS_OF, funnelReport, outcomesReport, referralsReport } from './test-reports.ts';
import { checkFilters, filterChoices, filterQuery, isoDate, problemAsErrors, rawFilters } from './form.ts';
import { csvFileName, presentReport, presentTable } from './present.ts';
import { badRequest, notFound } from '../../web/problems.ts';

const env = createViewEnvironment();

function renderDashboard(extra: Record<string, unknown> = {}) {
  const reports = [referralsReport, funnelReport, outcomesReport].map((r) => presentReport(r, '/reports/service-manager', 'from=2025-01-01'));
  return env.render('reports/pages/views/dashboard.njk', {
    title: 'Dashboard',
    dashboard: DASHBOARDS['service-manager'],
    others: [],
    base: '/reports/service-manager',
    values: {},
    choices: filterChoices({}, []),
    applied: [],
    suppressed: true,
    contents: reports.map((r) => ({ href: `#section-${r.name}`, text: r.title })),
    reports,
    ...extra,
  });
}

describe('cells', () => {
  it('are written out by the kind of their column', () => {
    expect(formatCell(1204, 'count').text).toBe('1,204');
    expect(formatCell(80.25, 'percent').text).toBe('80.3%');
    expect(formatCell(6.5, 'days').text).toBe('6.5');
    expect(formatCell(-4.257, 'number').text).toBe('-4.26');
    expect(formatCell('<5', 'count')).toEqual({ text: '<5', suppressed: true });
    expect(formatCell(null, 'count')).toEqual({ text: '–', empty: true });
    expect(formatCell('GP practice', 'label').text).toBe('GP practice');
  });
});

describe('tables', () => {
  const table = referralsReport.tables[0]!;

  it('have a row header, a total row, the suppression flag and a CSV link with the filters', () => {
    const t = presentTable(table, '/reports/commissioner/referrals', 'from=2025-01-01');
    expect(t.headers.map((h) => h.text)).toEqual(['Source', 'Referrals', 'Share', 'Median days to first contact']);
    expect(t.headers.map((h) => h.numeric)).toEqual([false, true, true, true]);
    expect(t.rows[0]!.header.text).toBe('GP practice');
    expect(t.rows[0]!.cells.map((c) => c.text)).toEqual(['1,204', '80.3%', '6.5']);
    expect(t.rows.at(-1)).toMatchObject({ total: true, header: { text: 'Total' } });
    expect(t.hasSuppressed).toBe(true);
    expect(t.csvHref).toBe('/reports/commissioner/referrals/referrals-by-source.csv?from=2025-01-01');
    expect(t.chart).toContain('role="img"');
  });

  it('without a suppressed cell say nothing about suppression', () => {
    const t = presentTable(outcomesReport.tables[1]!, '/x', '');
    expect(t.hasSuppressed).toBe(false);
    expect(t.chart).toBeNull();
    expect(t.csvHref).toBe('/x/outcomes-completeness.csv');
  });

  it('put the outcomes report’s completeness table first', () => {
    expect(presentReport(outcomesReport, '/r', '').tables.map((t) => t.id)).toEqual(['outcomes-completeness', 'outcomes-by-instrument']);
    expect(presentReport(referralsReport, '/r', '').asOf).toBe('21 November 2025 at 14:05');
  });

  it('download under a safe file name', () => {
    expect(csvFileName('referrals', 'by source/../x', AS_OF)).toBe('linkwell-referrals-by-source-x-2025-11-21.csv');
  });
});

describe('charts', () => {
  it('read out every bar, draw no bar for a suppressed count, and escape labels', () => {
    const table: ReportTable = {
      ...referralsReport.tables[0]!,
      rows: [...referralsReport.tables[0]!.rows, { source: '<script>alert(1)</script>', referrals: 3, share: 1, days: 1 }],
    };
    const svg = renderReportChart(table);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="chart-referrals-by-source-title chart-referrals-by-source-desc"/);
    expect(svg).toContain('<title id="chart-referrals-by-source-title">Referrals by source</title>');
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1]!;
    expect(desc).toContain('Bar chart of referrals by source.');
    expect(desc).toContain('GP practice: 1,204');
    expect(desc).toContain('Self-referral: fewer than 5, or hidden to protect privacy');
    expect(desc).toContain('Council team: 296');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    // Four rows, three with a number: three bars (the white background is the fourth rect).
    expect(svg.match(/<rect /g)).toHaveLength(4);
    expect(svg).toContain('&lt;5 (hidden)');
    expect(svg).not.toMatch(/style=/);
  });

  it('show a funnel with each step’s share of the step before', () => {
    const svg = renderReportChart(funnelReport.tables[0]!);
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)![1]!;
    expect(desc).toContain('Funnel chart of episodes by step.');
    expect(desc).toContain('Accepted: 150 (75% of the step before)');
    expect(desc).toContain('First contact: 120 (80% of the step before)');
    expect(desc).toContain('Started: fewer than 5');
    expect(svg).toContain('75% of the step before');
  });

  it('are left out when no bar would have a length', () => {
    const table = { ...funnelReport.tables[0]!, rows: [{ step: 'Referred', people: 0, median: null }, { step: 'Accepted', people: '<5', median: null }] };
    expect(presentTable(table, '/x', '').chart).toBeNull();
    expect(presentTable(funnelReport.tables[0]!, '/x', '').chart).not.toBeNull();
  });

  it('give counts whole-number ticks only', () => {
    const svg = renderReportChart({ ...referralsReport.tables[0]!, rows: [{ source: 'GP practice', referrals: 1, share: 100, days: 1 }] });
    expect(svg).not.toMatch(/>0\.\d</);
    expect(svg).toMatch(/text-anchor="middle" fill="#212b32">1<\/text>/);
  });

  it('draw at most MAX_BARS bars: the largest, or the last of a series, and say so', () => {
    const rows = Array.from({ length: MAX_BARS + 10 }, (_, i) => ({ source: `Source ${i + 1}`, referrals: i === 3 ? 10_000 : i + 1, share: 1, days: 1 }));
    const largest = renderReportChart({ ...referralsReport.tables[0]!, rows });
    expect(largest.match(/fill="#005eb8"/g)).toHaveLength(MAX_BARS);
    expect(largest).toContain(`<title id="chart-referrals-by-source-title">Referrals by source (the largest ${MAX_BARS} of ${MAX_BARS + 10})</title>`);
    expect(largest).toContain('>Source 4<'); // the largest, though early in the table
    expect(largest).not.toContain('>Source 1<'); // among the smallest
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(largest)![1]!;
    expect(desc).toContain(`Showing the largest ${MAX_BARS} of ${MAX_BARS + 10}; the table has them all.`);
    const last = renderReportChart({ ...referralsReport.tables[0]!, rows, chart: { kind: 'bar', labelKey: 'source', valueKey: 'referrals', keep: 'last' } });
    expect(last).toContain('>Source 40<');
    expect(last).not.toContain('>Source 4<');
  });

  it('draw negative values to the left of zero', () => {
    const svg = renderReportChart(outcomesReport.tables[0]!);
    expect(svg).toContain('-4.26');
    expect(svg).toMatch(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#005eb8"\/>/);
  });
});

describe('the dashboard page', () => {
  it('renders accessible tables, charts, notes, figures as of, and CSV links', () => {
    const html = renderDashboard();
    expect(html).toContain('<caption class="nhsuk-table__caption nhsuk-table__caption--s">Referrals by source: the figures in the chart</caption>');
    expect(html).toContain('<th scope="col" class="nhsuk-table__header">Source</th>');
    expect(html).toContain('<th scope="row" class="nhsuk-table__header">GP practice</th>');
    expect(html).toContain('<td class="nhsuk-table__cell nhsuk-table__cell--numeric">1,204</td>');
    expect(html).toContain('<td class="nhsuk-table__cell nhsuk-table__cell--numeric">&lt;5</td>');
    expect(html).toContain('“–” means there is no figure');
    expect(html).toContain('“&lt;5” means fewer than 5');
    expect(html).toContain('A count from 1 to 4 is shown as “&lt;5”');
    expect(html).toContain('Figures as of 21 November 2025 at 14:05.');
    expect(html).toContain('Self-referrals are counted as their own source.');
    expect(html).toContain('href="/reports/service-manager/referrals/referrals-by-source.csv?from=2025-01-01"');
    expect(html).toContain('No figures for these filters.');
    expect(html).toContain('<figure class="nhsuk-u-margin-0 nhsuk-u-margin-bottom-4"><svg');
    expect(html.match(/class="linkwell-chart"/g)).toHaveLength(3);
  });

  it('shows data completeness prominently on outcomes, before the results', () => {
    const html = renderDashboard();
    const outcomes = html.slice(html.indexOf('id="report-outcomes"'));
    expect(outcomes.indexOf('Data completeness')).toBeLessThan(outcomes.indexOf('Change by measure'));
    expect(outcomes).toContain('nhsuk-card--warning');
    expect(outcomes).toContain('Only 40% of episodes have both a baseline and an end measure.');
  });

  it('shows the error summary, keeps the answers, and shows no figures when a filter is wrong', () => {
    const raw = rawFilters({ from: '31/2/2025', organisationId: 'nope', page: '3' });
    const checked = checkFilters(raw);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const html = renderDashboard({ values: raw, errors: checked.errors, choices: filterChoices(raw, []), reports: [] });
    expect(html).toContain('There is a problem');
    expect(html).toMatch(/<a href="#from">\s*Enter the first date as a real date, like 1\/4\/2025\s*<\/a>/);
    expect(html).toContain('value="31/2/2025"');
    expect(html).toMatch(/<a href="#organisationId">\s*Select an organisation from the list\s*<\/a>/);
    expect(html).not.toContain('<table');
  });
});

describe('the filter form', () => {
  it('takes dates as typed or as ISO dates', () => {
    expect(isoDate('1/4/2025')).toBe('2025-04-01');
    expect(isoDate('01-04-2025')).toBe('2025-04-01');
    expect(isoDate('2025-04-01')).toBe('2025-04-01');
    expect(isoDate('31/2/2025')).toBeNull();
    expect(isoDate('2025-13-01')).toBeNull();
    expect(isoDate('yesterday')).toBeNull();
  });

  it('checks each value and the order of the dates, and gives the query for the CSV links', () => {
    const good = checkFilters(rawFilters({ from: '1/4/2025', to: '2025-06-30', reason: 'loneliness', activity: 'learning', area: 'E09000028', instrument: 'phq9' }));
    expect(good).toMatchObject({ ok: true, data: { from: '2025-04-01', to: '2025-06-30' } });
    if (good.ok) expect(filterQuery(good.data)).toBe('from=2025-04-01&to=2025-06-30&area=E09000028&activity=learning&reason=loneliness&instrument=phq9');
    const bad = checkFilters(rawFilters({ from: '2025-06-30', to: '2025-04-01', reason: 'x', activity: "'; drop table", area: 'Southwark', instrument: 'nope' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.list.map((e) => e.href)).toEqual(['#to', '#area', '#activity', '#reason', '#instrument']);
      expect(bad.errors.byField.to!.text).toBe('The last date must be the same as or after the first date');
    }
  });

  it('turns the report layer’s 4xx problems into form errors, and leaves faults alone', () => {
    expect(problemAsErrors(badRequest('bad', [{ name: 'query.reason', detail: 'Unknown reason' }]), {})?.byField.reason?.text).toBe('Unknown reason');
    expect(problemAsErrors(notFound(), { organisationId: 'x' })?.byField.organisationId?.text).toBe('Select an organisation from the list');
    expect(problemAsErrors(new Error('database down'), {})).toBeNull();
  });
});
