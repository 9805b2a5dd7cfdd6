import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { securityHeaders } from './security-headers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('security headers', () => {
  it('allow the one inline script on a page by its hash, and nothing else inline', async () => {
    const res = await t.app.inject({ url: '/find' });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    const inline = [...res.body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(inline[0]!, 'utf8').digest('base64')}'`;
    expect(csp).toContain(`script-src 'self' ${hash}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('are on every answer: pages, the API, errors and assets', async () => {
    for (const url of ['/sign-in', '/oruk/', '/no-such-page', '/assets/app/linkwell.css']) {
      const res = await t.app.inject({ url });
      expect(res.headers['content-security-policy'], url).toContain("default-src 'self'");
    }
  });

  it('ask browsers to upgrade to HTTPS only on a site served over HTTPS', () => {
    expect(securityHeaders('https://linkwell.example')['strict-transport-security']).toMatch(/max-age=/);
    expect(securityHeaders('https://linkwell.example')['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(securityHeaders('http://localhost:3000')['strict-transport-security']).toBeUndefined();
    expect(securityHeaders('http://localhost:3000')['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
