/**
 * The dashboards on the real database, through the pages: a small borough where three people were
 * referred by a GP (one all the way to a completed course, with PHQ-9 at the start and end), seen
 * by the service manager, the link worker, the provider and the commissioner. Each sees true
 * figures for their own scope; the commissioner sees "<5" and never a person's name or NHS number;
 * every table downloads as CSV; a wrong filter is explained, not a failure. The provider's reply
 * line appears on the link worker's directory search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLineContext } from '../../audit/audit.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';
import { outcomeWorld, type OutcomeWorld } from '../../outcomes/test-support.ts';
import { addDays, isoDay } from '../../outcomes/time-points.ts';
import { recordResponse } from '../../outcomes/responses.ts';


let w: OutcomeWorld;
let commissioner: TestUser;
let twoRoles: TestUser;
let otherService: string;
const today = isoDay();
const PEOPLE = [
  { givenName: 'Zelda', familyName: 'Quillfeather', nhsNumber: '9434765919', dateOfBirth: '1956-03-21' },
  { givenName: 'Yusuf', familyName: 'Brightwater', nhsNumber: '9434765870', dateOfBirth: '1971-11-02' },
  { givenName: 'Xanthe', familyName: 'Moorcroft', nhsNumber: null, dateOfBirth: '1990-07-15' },
];

/** The cells of the row labelled `label` in the table with this anchor (report-table). */
function row(html: string, anchor: string, label: string): string[] {
  const start = html.indexOf(`id="table-${anchor}"`);
  expect(start, `table ${anchor}`).toBeGreaterThan(-1);
  const section = html.slice(start, html.indexOf('</section>', start));
  const at = section.indexOf(`<th scope="row" class="nhsuk-table__header">${label}</th>`);
  expect(at, `row ${label} of ${anchor}`).toBeGreaterThan(-1);
  const tr = section.slice(at, section.indexOf('</tr>', at));
  return [...tr.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
}

async function browser(user: TestUser): Promise<TestBrowser> {
  const b = new TestBrowser(w.t.app);
  await b.signIn(user);
  return b;
}

beforeAll(async () => {
  w = await outcomeWorld();
  const db = w.t.database.db;
  const icb = await makeOrganisation(db, 'commissioner', 'Borough Commissioning');
  otherService = (await makeOrganisation(db, 'social_prescribing_service', 'Elsewhere Links')).id;
  await db.updateTable('organisation').set({ area_code: 'E09000014', area_name: 'Haringey' }).where('id', '=', otherService).execute();
  commissioner = await makeUser(db, { roles: [[icb.id, 'commissioner']] });
  twoRoles = await makeUser(db, { roles: [[icb.id, 'commissioner'], [w.serviceId, 'service_manager']], withTotp: true });
  await w.agreement(['contact', 'outcomes']);

  const ids: { referralId: string; personId: string }[] = [];
  for (const p of PEOPLE) {
    const created = await w.call('gp', 'POST', '/api/v1/referrals', {
      serviceId: w.serviceId,
      person: { givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, ...(p.nhsNumber ? { nhsNumber: p.nhsNumber } : {}), postcode: 'SE15 1AA', email: `${p.givenName.toLowerCase()}@example.test` },
      reasons: ['loneliness'],
      risks: { noneKnown: true },
      consentToShare: true,
    });
    expect(created.status).toBe(201);
    const accepted = await w.call('manager', 'POST', `/api/v1/referrals/${created.body.id}/status`, { status: 'accepted', assigneeEmail: w.users.worker.email, version: 1 });
    expect(accepted.status).toBe(200);
    const person = await db.selectFrom('referral').select('person_id').where('id', '=', created.body.id).executeTakeFirstOrThrow();
    ids.push({ referralId: created.body.id, personId: person.person_id });
  }
  const [zelda, yusuf] = ids as [(typeof ids)[number], (typeof ids)[number]];
  await w.firstContact(zelda.referralId, addDays(today, -10));
  await w.firstContact(yusuf.referralId, addDays(today, -3));
  const onward = await w.referOn(zelda.referralId);
  await w.startCourse(onward, addDays(today, -5));
  await w.completeCourse(onward);
  const target = { personId: zelda.personId, referralId: zelda.referralId, onwardId: null, organisationId: w.serviceId };
  const phq9 = (answer: number, timePoint: string) =>
    recordResponse(db, commandLineContext(w.users.worker.id), target, { code: 'phq9', timePoint, answers: Array(9).fill(answer), method: 'staff', completedOn: today, enteredByUserId: w.users.worker.id }, null);
  await phq9(2, 'start'); // 18: a case
  await phq9(1, 'end'); // 9: no longer a case; 9 points better (reliable: 6 or more)
  await w.discharge(zelda.referralId);
});

afterAll(async () => {
  await w?.t.close();
});

describe('the reports landing page and the home page', () => {
  it('links each role to its dashboard, and a person with two roles to both', async () => {
    const manager = await browser(w.users.manager);
    const home = await manager.get('/');
    expect(home.body).toContain('href="/reports"');
    const landing = await manager.get('/reports');
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain('href="/reports/service-manager"');
    expect(landing.body).not.toContain('href="/reports/commissioner"');
    const both = await browser(twoRoles);
    const two = await both.get('/reports');
    expect(two.body).toContain('href="/reports/service-manager"');
    expect(two.body).toContain('href="/reports/commissioner"');
    const sm = await both.get('/reports/service-manager');
    expect(sm.body).toContain('Your other dashboards');
    // On the manager's dashboard their own service is not suppressed, though they are also a commissioner.
    expect(row(sm.body, 'referrals-referrals-by-source', 'GP practice')[0]).toBe('3');
  });

  it('refuses people whose roles have no reports, and dashboards of roles one does not hold', async () => {
    const gp = await browser(w.users.gp);
    expect((await gp.get('/')).body).not.toContain('href="/reports"');
    expect((await gp.get('/reports')).statusCode).toBe(403);
    expect((await gp.get('/reports/commissioner')).statusCode).toBe(404);
    const worker = await browser(w.users.worker);
    expect((await worker.get('/reports/service-manager')).statusCode).toBe(404);
    expect((await worker.get('/reports/service-manager/referrals/referrals-by-source.csv')).statusCode).toBe(404);
    expect((await worker.get('/reports/nonsense')).statusCode).toBe(404);
  });
});

describe('the service manager’s dashboard', () => {
  it('shows true figures in tables, with charts, notes and the time they are from', async () => {
    const manager = await browser(w.users.manager);
    const page = await manager.get('/reports/service-manager/all');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(row(html, 'referrals-referrals-by-source', 'GP practice')).toEqual(['3', '100%']);
    expect(row(html, 'funnel-funnel', 'Referred')[0]).toBe('3');
    expect(row(html, 'funnel-funnel', 'Accepted by the service')[0]).toBe('3');
    expect(row(html, 'funnel-funnel', 'First contact with a link worker')[0]).toBe('2');
    expect(row(html, 'funnel-funnel', 'Started')[0]).toBe('1');
    expect(row(html, 'funnel-funnel', 'Completed')[0]).toBe('1');
    expect(html).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-funnel-funnel-title chart-funnel-funnel-desc"/);
    expect(html).toContain('Funnel chart of episodes by step. Referred: 3; Accepted by the service: 3 (100% of the step before); First contact with a link worker: 2 (66.7% of the step before)');
    expect(html).toMatch(/Figures as of \d{1,2} \w+ \d{4} at \d\d:\d\d\./);
    expect(html).toContain('<th scope="col" class="nhsuk-table__header">Step</th>');
    expect(html).not.toContain('&lt;5');
    // Outcomes: completeness first, then PHQ-9 for the one episode with a baseline and an end.
    const outcomes = html.slice(html.indexOf('id="report-outcomes"'));
    expect(outcomes.indexOf('Data completeness')).toBeLessThan(outcomes.indexOf('Outcomes by measure'));
    expect(html).toContain('nhsuk-card--warning');
    const phq = row(html, 'outcomes-outcomes', 'PHQ-9');
    expect(phq.slice(1, 3)).toEqual(['1', '-9']);
    // People's names and NHS numbers are not on any dashboard.
    for (const p of PEOPLE) expect(html).not.toContain(p.familyName);
  });

  it('filters by the URL, keeps the filters in the CSV links, and downloads every table as CSV', async () => {
    const manager = await browser(w.users.manager);
    const from = addDays(today, -1);
    const [y, m, d] = from.split('-');
    const page = await manager.get(`/reports/service-manager/all?from=${Number(d)}/${Number(m)}/${y}&reason=loneliness`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/reports/service-manager/referrals/referrals-by-source.csv?from=${from}&amp;reason=loneliness"`);
    expect(page.body).toContain('Showing figures for: referred from');
    const csvLinks = [...page.body.matchAll(/href="(\/reports\/service-manager\/[^"]+\.csv[^"]*)"/g)].map((x) => x[1]!.replace(/&amp;/g, '&'));
    expect(csvLinks.length).toBeGreaterThan(10);
    for (const link of csvLinks) {
      const csv = await manager.get(link);
      expect(csv.statusCode, link).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="linkwell-[a-z]+-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv"$/);
    }
    const all = await manager.get('/reports/service-manager/funnel/funnel.csv');
    expect(all.body.split('\r\n')[0]).toBe('Step,Episodes,% of referred,Dropped out since the step before,Median days from the step before');
    expect(all.body).toContain('\r\nReferred,3,100,,\r\n');
    expect((await manager.get('/reports/service-manager/funnel/no-such-table.csv')).statusCode).toBe(404);
    expect((await manager.get('/reports/service-manager/equity/equity.csv')).statusCode).toBe(404);
  });

  it('shows one report at a time with the others a link away, keeping the filters; or all on one page', async () => {
    const manager = await browser(w.users.manager);
    const first = await manager.get('/reports/service-manager?reason=loneliness');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('id="report-referrals"');
    expect(first.body).not.toContain('id="report-funnel"');
    expect(first.body).toContain('href="/reports/service-manager/funnel?reason=loneliness"');
    expect(first.body).toContain('href="/reports/service-manager/all?reason=loneliness"');
    expect(first.body).toMatch(/aria-current="page"[^]*?Referrals/);
    expect(first.body).toContain('action="/reports/service-manager"');

    const funnel = await manager.get('/reports/service-manager/funnel?reason=loneliness');
    expect(funnel.statusCode).toBe(200);
    expect(funnel.body).toContain('id="report-funnel"');
    expect(funnel.body).not.toContain('id="report-referrals"');
    expect(funnel.body).toContain('href="/reports/service-manager?reason=loneliness"');
    expect(funnel.body).toContain('action="/reports/service-manager/funnel"');
    expect(row(funnel.body, 'funnel-funnel', 'Referred')[0]).toBe('3');

    const all = await manager.get('/reports/service-manager/all');
    for (const name of ['referrals', 'caseload', 'funnel', 'waits', 'outcomes']) expect(all.body).toContain(`id="report-${name}"`);

    // Not a report of this dashboard, or a dashboard of two reports (shown whole): 404.
    expect((await manager.get('/reports/service-manager/equity')).statusCode).toBe(404);
    expect((await manager.get('/reports/service-manager/nonsense')).statusCode).toBe(404);
    const worker = await browser(w.users.worker);
    expect((await worker.get('/reports/link-worker/caseload')).statusCode).toBe(404);
    expect((await worker.get('/reports/link-worker')).body).not.toContain('Reports on this dashboard');
  });

  it('explains wrong filters with the error summary, keeping the answers (400, never 500)', async () => {
    const manager = await browser(w.users.manager);
    const bad = await manager.get('/reports/service-manager?from=31/2/2025&to=1/1/2020&reason=%3Cscript%3E&instrument=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toMatch(/href="#from">\s*Enter the first date as a real date/);
    expect(bad.body).toMatch(/href="#reason">\s*Select a reason from the list/);
    expect(bad.body).toMatch(/href="#instrument">\s*Select an outcome measure from the list/);
    expect(bad.body).toContain('value="31/2/2025"');
    // The only bare <script> is nhsuk-frontend's own inline one: the answer given is never echoed as markup.
    expect(bad.body).not.toMatch(/<script>(?!document\.body\.className)/);
    const order = await manager.get('/reports/service-manager?from=2025-06-01&to=2025-01-01');
    expect(order.statusCode).toBe(400);
    expect(order.body).toContain('The last date must be the same as or after the first date');
    const outside = await manager.get(`/reports/service-manager?organisationId=${otherService}`);
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toMatch(/href="#organisationId">\s*Select an organisation from the list/);
    const csv = await manager.get('/reports/service-manager/funnel/funnel.csv?from=yesterday');
    expect(csv.statusCode).toBe(400);
  });
});

describe('the other roles’ dashboards', () => {
  it('show the link worker their own caseload with what is waiting, and their people’s outcomes', async () => {
    const worker = await browser(w.users.worker);
    const page = await worker.get('/reports/link-worker');
    expect(page.statusCode).toBe(200);
    const cells = row(page.body, 'caseload-caseload', 'Total');
    expect(cells[1]).toBe('2'); // open: Yusuf and Xanthe (Zelda was discharged)
    expect(cells[4]).toBe('1'); // waiting for a first contact: Xanthe
    expect(page.body).toContain('id="report-outcomes"');
  });

  it('show the provider their responsiveness, starts and completions', async () => {
    const provider = await browser(w.users.provider);
    const page = await provider.get('/reports/provider');
    expect(page.statusCode).toBe(200);
    const cells = row(page.body, 'providers-providers', 'Adult Learning Service');
    expect(cells.slice(0, 2)).toEqual(['1', '1']); // received, answered
    expect(cells[3]).toBe('1'); // accepted
  });

  it('show the commissioner aggregates with small counts hidden, and no person anywhere, CSV included', async () => {
    const b = await browser(commissioner);
    const page = await b.get('/reports/commissioner/all');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(row(html, 'referrals-referrals-by-source', 'GP practice')[0]).toBe('&lt;5');
    expect(html).toContain('A count from 1 to 4 is shown as “&lt;5”');
    expect(html).toContain('id="report-equity"');
    const csvLinks = [...html.matchAll(/href="(\/reports\/commissioner\/[^"]+\.csv[^"]*)"/g)].map((x) => x[1]!.replace(/&amp;/g, '&'));
    const bodies = [html];
    for (const link of csvLinks) bodies.push((await b.get(link)).body);
    const everything = bodies.join('\n');
    for (const p of PEOPLE) {
      for (const text of [p.givenName, p.familyName, p.dateOfBirth, ...(p.nhsNumber ? [p.nhsNumber, p.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3')] : [])]) {
        expect(everything).not.toContain(text);
      }
    }
    expect(everything).toContain('<5');
  });
});

describe('the provider’s reply line on the directory', () => {
  it('says how quickly the provider replies and how many it accepts, in the link worker’s search and on the listing', async () => {
    const worker = await browser(w.users.worker);
    const search = await worker.get('/directory?q=Watercolour');
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain('Usually replies within a day, 100% accepted');
    const listing = await worker.get(`/directory/services/${w.listingId}`);
    expect(listing.body).toContain('Usually replies within a day, 100% accepted');
  });
});
