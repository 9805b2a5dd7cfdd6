import { createViewEnvironment } from '../src/web/views.ts';
import { filterChoices } from '../src/directory/search/page.ts';
const env = createViewEnvironment();
const raw = { activity: ['learning'] } as Record<string, string | string[]>;
const result = { id: 'x', name: 'Service garden', organisation: 'Org', summary: 'A long description of the service.', distance: '1.2 miles', distanceMetres: 1000, nextStart: '1 January 2027', places: '4 places left', cost: 'Free', wait: 'About 2 weeks', howToGetIn: 'Accepts referrals', acceptsReferrals: true, delivery: 'In person', tags: ['Learning', 'Connect'], stale: false, shortlisted: false };
const base = { title: 'Find services', base: '/directory', values: raw, choices: filterChoices(raw), width: 'full', shortlist: [], csrfToken: 'abc', actor: { displayName: 'X' }, fullySignedIn: true, navigation: [], currentPath: '/directory' };
function time(label: string, ctx: Record<string, unknown>, template = 'directory/search/views/search.njk') {
  for (let i = 0; i < 50; i++) env.render(template, ctx);
  const t0 = performance.now(); for (let i = 0; i < 200; i++) env.render(template, ctx); console.log(label.padEnd(30), ((performance.now() - t0) / 200).toFixed(2), 'ms');
}
time('no results', { ...base, total: 0, results: [] });
time('20 results', { ...base, total: 100, results: Array(20).fill(result), sortItems: [{ value: 'relevance', text: 'Name' }], sortHidden: [['activity', 'learning']], firstShown: 1, lastShown: 20, pagination: { items: [{ number: 1, href: '/x', current: true }, { number: 2, href: '/y' }], next: { href: '/y' } }, returnTo: '/directory?activity=learning' });
time('home layout only', { ...base }, 'home/views/privacy.njk');
