/**
 * Deny by default: every route the application registers is tried without signing in, and only
 * the public pages may answer. Everything else must send a browser to sign in, or answer an API
 * caller 401 — whatever method, and even with made-up ids and bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Pages and endpoints meant for everyone. Adding to this list is a decision: say why in review. */
const PUBLIC = new Set([
  'GET /',
  'GET /health',
  'GET /sign-in',
  'POST /sign-in',
  'GET /forgot-password',
  'POST /forgot-password',
  'GET /reset-password/:token',
  'POST /reset-password/:token',
  'GET /invitations/:token',
  'POST /invitations/:token',
  'GET /accessibility',
  'GET /privacy',
  'GET /api/v1/openapi.json',
  'POST /api/v1/self-referrals',
  'GET /api/v1/docs',
  // The person's own view (issue #4): no staff account; its own session (cookie lw_person) is
  // checked by the routes themselves, which send anyone without one back to /my-record.
  'GET /my-record',
  'POST /my-record',
  'GET /my-record/sign-in/:token',
  'POST /my-record/sign-in/:token',
  'GET /my-record/view',
  'GET /my-record/withdraw-consent',
  'POST /my-record/withdraw-consent',
  'POST /my-record/sign-out',
  // Self-referral (issue #4): anyone may ask for a link worker without an account; rate limited,
  // and the confirmation page shows no personal data.
  'GET /refer-yourself',
  'POST /refer-yourself',
  'GET /refer-yourself/sent',
  'GET /find',
  'GET /find/services/:id',
  // Outcome-measure scoring is stateless and needs no personal data (issue #5); rate limited.
  'GET /api/v1/instruments',
  'GET /api/v1/instruments/:code',
  'POST /api/v1/instruments/:code/score',
  'POST /api/v1/instruments/:code/change',
  // A person answers questionnaires on their phone from an emailed link, without an account (issue #5):
  // a random single-use token that expires, a date-of-birth check first (5 tries), rate limited.
  'GET /measure/thank-you',
  'GET /measure/:token',
  'POST /measure/:token',
  'GET /measure/:token/questions',
  'POST /measure/:token/questions',
  // The Open Referral UK 3.0 API: a public, keyless, read-only directory feed, as the standard requires.
  'GET /oruk',
  'GET /oruk/',
  'GET /oruk/*',
  'POST /oruk/*',
  'PUT /oruk/*',
  'PATCH /oruk/*',
  'DELETE /oruk/*',
  'GET /oruk/services',
  'GET /oruk/services/:id',
  'GET /oruk/service_at_locations',
  'GET /oruk/service_at_locations/:id',
  'GET /oruk/taxonomies',
  'GET /oruk/taxonomies/:id',
  'GET /oruk/taxonomy_terms',
  'GET /oruk/taxonomy_terms/:id',
  'GET /oruk/organizations',
  'GET /oruk/organizations/:id',
]);

function concrete(url: string): string {
  return url
    .replace(/:\w*[iI]d\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:\w+/g, 'x')
    .replace(/\*$/, 'nhsuk-frontend.min.css');
}

describe('anonymous access', () => {
  it('registers a sensible number of routes', () => {
    expect(t.app.linkwellRoutes.length).toBeGreaterThan(25);
  });

  it('is refused everywhere except the public pages and assets', async () => {
    const unexpected: string[] = [];
    for (const route of t.app.linkwellRoutes) {
      const key = `${route.method} ${route.url}`;
      const isAsset = route.url.startsWith('/assets/');
      const declaredPublic = route.access === 'public';
      if (declaredPublic !== (PUBLIC.has(key) || isAsset)) unexpected.push(`${key} is declared ${route.access}`);
      if (declaredPublic) continue;
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        payload: route.method === 'GET' ? undefined : { anything: 'at all' },
      });
      const refused = route.url.startsWith('/api/')
        ? res.statusCode === 401 && res.headers['content-type']?.startsWith('application/problem+json')
        : res.statusCode === 303 && res.headers.location?.startsWith('/sign-in');
      if (!refused) unexpected.push(`${key} answered ${res.statusCode} to an anonymous caller`);
    }
    expect(unexpected).toEqual([]);
  });

  it('serves the public pages', async () => {
    for (const url of ['/', '/sign-in', '/forgot-password', '/accessibility', '/privacy', '/health', '/api/v1/openapi.json']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it('answers an unknown page with a 404 page for signed-out visitors sent to sign in', async () => {
    const res = await t.app.inject({ url: '/no-such-page' });
    expect([303, 404]).toContain(res.statusCode);
  });
});
