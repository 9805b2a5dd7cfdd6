import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { daysFromNow, makeListing } from './test-listings.ts';

const A = LINKWELL_TAXONOMIES.activityType.terms;
let t: TestApp;
let worker: TestUser;
let colleague: TestUser;
let commissioner: TestUser;
let mindfulness: string;
let walking: string;
let closed: string;

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const org = (await makeOrganisation(db, 'social_prescribing_service')).id;
  worker = await makeUser(db, { roles: [[org, 'link_worker']], withTotp: true });
  colleague = await makeUser(db, { roles: [[org, 'link_worker']], withTotp: true });
  commissioner = await makeUser(db, { roles: [[(await makeOrganisation(db, 'commissioner')).id, 'commissioner']] });
  mindfulness = await makeListing(db, {
    name: 'Mindfulness for wellbeing',
    organisation: 'Southwark Adult Learning',
    service: { lw_fee_waived_for_social_prescribing: true, lw_fee_full: 95, lw_access_route: 'referral', lw_contact_name: 'Ada Tutor', lw_contact_email: 'ada@adult-learning.example', url: 'javascript:alert(1)' },
    places: [{ latitude: 51.4712, longitude: -0.0891, name: 'Camberwell Library', postcode: 'SE5 8AF' }],
    intakes: [{ start_date: daysFromNow(10), weekdays: 'TU', start_time: '10:00', places_total: 12, places_left: 4, delivery: 'in_person' }],
    terms: [A.learning.id],
  });
  walking = await makeListing(db, {
    name: 'Peckham walking group',
    service: { lw_free: true },
    places: [{ latitude: 51.4700, longitude: -0.0690, name: 'Peckham Rye' }],
    schedules: [{ byday: 'SA', opens_at: '10:00' }],
    terms: [A['physical-activity'].id],
  });
  closed = await makeListing(db, { name: 'Closed choir', service: { status: 'defunct' } });
});
afterAll(async () => {
  await t.close();
});

async function signedIn(user: TestUser): Promise<TestBrowser> {
  const b = new TestBrowser(t.app);
  await b.signIn(user);
  return b;
}

describe('the link worker’s search page', () => {
  it('lists services, with a navigation item for staff who search', async () => {
    const b = await signedIn(worker);
    const res = await b.get('/directory');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/directory"');
    expect(res.body).toContain('Find services');
    expect(res.body).toContain('2 services found');
    expect(res.body).toContain('Mindfulness for wellbeing');
    expect(res.body).toContain('Free for people referred by social prescribing (otherwise £95)');
    expect(res.body).toContain('4 places left');
    expect(res.body).toContain('Accepts referrals through Linkwell');
    expect(res.body).not.toContain('Closed choir');
  });

  it('keeps every filter in the URL and in the form', async () => {
    const b = await signedIn(worker);
    const res = await b.get('/directory?q=mindfulness&activity=learning&day=TU&free=yes&postcode=se5+8af&within=2&sort=distance');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('1 service found near SE5 8AF');
    expect(res.body).not.toContain('Peckham walking group');
    expect(res.body).toMatch(/name="activity" type="checkbox" value="learning"\s+checked/);
    expect(res.body).toMatch(/name="day" type="checkbox" value="TU"\s+checked/);
    expect(res.body).toMatch(/name="free" type="checkbox" value="yes"\s+checked/);
    expect(res.body).toContain('value="se5 8af"');
    expect(res.body).toMatch(/<option value="2"\s*selected/);
    // The result links back to this very search, filters and all.
    expect(res.body).toContain(`/directory/services/${mindfulness}?back=${encodeURIComponent('/directory?q=mindfulness&activity=learning&postcode=se5+8af&within=2&day=TU&free=yes&sort=distance')}`);
    expect(res.body).toContain('Contains OS data © Crown copyright');
    // The page is drawn around its results (render.ts): one whole page, everything in its place.
    const order = ['<html', 'aria-label="Search and filters"', 'id="shortlist-heading"', 'id="results-heading"', 'Contains OS data', '</footer>', '</html>'];
    expect(order.map((text) => res.body.indexOf(text))).toEqual(order.map((text) => res.body.indexOf(text)).sort((x, y) => x - y));
    expect(order.map((text) => res.body.split(text).length - 1)).toEqual(order.map(() => 1));
    expect(res.body).not.toContain('linkwell:slot');
  });

  it('shows a clear message for a malformed or unknown postcode, keeping the answers', async () => {
    const b = await signedIn(worker);
    const bad = await b.get('/directory?q=walking&postcode=NOTAPOSTCODE');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter a real postcode, like SE15 4QX');
    expect(bad.body).toContain('href="#postcode"');
    expect(bad.body).toContain('value="walking"');
    expect(bad.body).not.toContain('services found');
    expect(bad.body).toContain('id="shortlist-heading"');
    expect(bad.body.split('</html>').length).toBe(2);
    const unknown = await b.get('/directory?postcode=BT1+1AA');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('We could not find the postcode BT1 1AA');
  });

  it('answers bad filter values with the error summary, never a 500', async () => {
    const b = await signedIn(worker);
    const res = await b.get('/directory?age=old&activity=wizardry&within=7&day=XX&sort=distance');
    expect(res.statusCode).toBe(400);
    for (const message of ['Age must be a whole number between 0 and 120', 'Select activity types from the list', 'Select a distance from the list', 'Select days from the list']) {
      expect(res.body).toContain(message);
    }
    expect(res.body).toContain('value="old"');
    const noPostcode = await b.get('/directory?sort=distance');
    expect(noPostcode.statusCode).toBe(400);
    expect(noPostcode.body).toContain('Enter a postcode to sort by distance');
  });

  it('is refused to staff without the directory search permission', async () => {
    const b = await signedIn(commissioner);
    expect((await b.get('/directory')).statusCode).toBe(403);
    expect((await b.get('/directory')).body).not.toContain('Find services</a>');
  });

  it('shows a listing, with the provider’s contact for social prescribers', async () => {
    const b = await signedIn(worker);
    const res = await b.get(`/directory/services/${mindfulness}?back=${encodeURIComponent('/directory?q=mind')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Southwark Adult Learning');
    expect(res.body).toContain('Ada Tutor');
    expect(res.body).toContain('href="/directory?q=mind"');
    expect(res.body).not.toContain('javascript:');
    expect((await b.get(`/directory/services/${closed}`)).statusCode).toBe(404);
    expect((await b.get('/directory/services/not-an-id')).statusCode).toBe(404);
    expect((await b.get(`/directory/services/${mindfulness}?back=https://evil.example`)).body).not.toContain('evil.example');
  });
});

describe('the shortlist', () => {
  it('adds, lists, removes and clears services, with the form token', async () => {
    const b = await signedIn(worker);
    const search = '/directory?activity=learning';
    const added = await b.post('/directory/shortlist', { serviceId: mindfulness, returnTo: search }, search);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(search);
    const after = await b.get(search);
    expect(after.body).toContain('Mindfulness for wellbeing added to the shortlist');
    expect(after.body).toContain('Shortlist (1)');
    expect(after.body).toContain('On the shortlist');
    await b.post('/directory/shortlist', { serviceId: walking, returnTo: 'https://evil.example/' }, search);
    const list = await b.get('/directory/shortlist');
    expect(list.body).toContain('Mindfulness for wellbeing');
    expect(list.body).toContain('Peckham walking group');

    // Someone else's shortlist is their own.
    const other = await signedIn(colleague);
    expect((await other.get('/directory/shortlist')).body).toContain('The shortlist is empty');

    const removed = await b.post(`/directory/shortlist/${walking}/remove`, {}, '/directory/shortlist');
    expect(removed.headers.location).toBe('/directory/shortlist');
    const now = await b.get('/directory/shortlist');
    expect(now.body).toContain('Peckham walking group removed from the shortlist');
    expect(now.body).not.toContain('Peckham walking group</a>');
    await b.post('/directory/shortlist/clear', {}, '/directory/shortlist');
    expect((await b.get('/directory/shortlist')).body).toContain('The shortlist is empty');

    const trail = await t.database.db.selectFrom('audit_event').select('action').where('actor_user_id', '=', worker.id).where('action', 'like', 'directory.shortlist.%').orderBy('seq').execute();
    expect(trail.map((e) => e.action)).toEqual(['directory.shortlist.add', 'directory.shortlist.add', 'directory.shortlist.remove', 'directory.shortlist.clear']);
  });

  it('is listed beside the results, oldest first, whatever the search finds or gets wrong', async () => {
    const b = await signedIn(colleague);
    await b.post('/directory/shortlist', { serviceId: walking, returnTo: '/directory' }, '/directory');
    await b.post('/directory/shortlist', { serviceId: mindfulness, returnTo: '/directory' }, '/directory');
    const panel = (body: string) => {
      const at = body.indexOf('id="shortlist-heading"');
      return body.slice(at, body.indexOf('</section>', at));
    };
    for (const [url, status] of [['/directory', 200], ['/directory?q=zzzzqqqq', 200], ['/directory?age=old', 400], ['/directory?postcode=BT1+1AA', 400]] as const) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(status);
      const shown = panel(res.body);
      expect(shown, url).toContain('Shortlist (2)');
      expect(shown.indexOf('Peckham walking group'), url).toBeGreaterThan(-1);
      expect(shown.indexOf('Peckham walking group'), url).toBeLessThan(shown.indexOf('Mindfulness for wellbeing'));
    }
    // Only the results on it are marked; everyone else's panel is their own.
    expect((await b.get('/directory')).body.match(/On the shortlist</g)).toHaveLength(2);
    expect(panel((await (await signedIn(worker)).get('/directory')).body)).not.toContain('Peckham walking group');
    await b.post('/directory/shortlist/clear', {}, '/directory/shortlist');
  });

  it('refuses a change without the form token', async () => {
    const b = await signedIn(worker);
    const res = await b.postRaw('/directory/shortlist', { serviceId: mindfulness });
    expect(res.statusCode).toBe(403);
    const rows = await t.database.db.selectFrom('dir_shortlist_item').select('service_id').where('user_id', '=', worker.id).execute();
    expect(rows).toEqual([]);
  });

  it('will not shortlist a service that is not running', async () => {
    const b = await signedIn(worker);
    expect((await b.post('/directory/shortlist', { serviceId: closed }, '/directory')).statusCode).toBe(404);
  });
});

describe('the public directory', () => {
  it('can be searched without signing in, with no shortlist', async () => {
    const res = await t.app.inject({ url: '/find?q=walking&free=yes' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Peckham walking group');
    expect(res.body).not.toContain('Mindfulness for wellbeing');
    expect(res.body).not.toContain('Add to shortlist');
    expect(res.body).toContain(`/find/services/${walking}?back=`);
    expect(res.body).toContain('Contains OS data © Crown copyright');
  });

  it('explains a bad postcode', async () => {
    const res = await t.app.inject({ url: '/find?postcode=12345' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter a real postcode, like SE15 4QX');
  });

  it('shows a listing without the provider’s named contact', async () => {
    const res = await t.app.inject({ url: `/find/services/${mindfulness}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Mindfulness for wellbeing');
    expect(res.body).toContain('A social prescriber can refer you');
    expect(res.body).not.toContain('Ada Tutor');
    expect(res.body).not.toContain('ada@adult-learning.example');
    expect((await t.app.inject({ url: `/find/services/${closed}` })).statusCode).toBe(404);
  });
});

describe('pages of results', () => {
  it('links the pages in the NHS.UK pagination markup, keeping the filters', async () => {
    for (let n = 1; n <= 22; n++) await makeListing(t.database.db, { name: `Paging choir ${String(n).padStart(2, '0')}`, service: { lw_free: true } });
    const b = await signedIn(worker);
    const first = await b.get('/directory?q=paging+choir');
    expect(first.body).toContain('22 services found');
    expect(first.body).toContain('Showing 1 to 20 of 22.');
    expect(first.body).toContain('<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Results pages">');
    expect(first.body).toMatch(/<li class="nhsuk-pagination__item nhsuk-pagination__item--current"><a class="nhsuk-pagination__link" href="\/directory\?q=paging\+choir" aria-label="Page 1" aria-current="page">1<\/a><\/li>/);
    expect(first.body).toContain('<a href="/directory?q=paging+choir&amp;page=2" class="nhsuk-pagination__next" rel="next">');
    expect(first.body).not.toContain('nhsuk-pagination__previous');
    const second = await b.get('/directory?q=paging+choir&page=2');
    expect(second.body).toContain('Showing 21 to 22 of 22.');
    expect(second.body).toContain('Paging choir 22');
    expect(second.body).toContain('<a href="/directory?q=paging+choir" class="nhsuk-pagination__previous" rel="prev">');
    expect(second.body).toContain(`/directory/services/`);
    expect(second.body).toContain(`?back=${encodeURIComponent('/directory?q=paging+choir&page=2')}"`);
    // Past the last page: no results, but the count is still right.
    expect((await b.get('/directory?q=paging+choir&page=5')).body).toContain('22 services found');
  });
});
