/**
 * Security headers for every answer: helmet's, with Linkwell's Content-Security-Policy, worked out
 * once at start-up and then copied onto each reply.
 *
 * The pages' one inline script is nhsuk-frontend's (its page template marks the body as
 * JavaScript-enabled); the policy allows it by its SHA-256 hash, so the headers never change from
 * one request to the next. With a nonce instead, @fastify/helmet built a new helmet middleware for
 * every request, and what that left behind made each young-generation garbage collection take
 * about 10 ms instead of 0.5 (docs/benchmarks.md, "Directory").
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { NHSUK_DIST } from './views.ts';

/** The hash source of nhsuk-frontend's inline script, read from its page template. */
export function nhsukInlineScriptHash(): string {
  const template = fs.readFileSync(path.join(NHSUK_DIST, 'nhsuk', 'template.njk'), 'utf8');
  const scripts = [...template.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  if (scripts.length !== 1 || scripts[0]!.includes('{')) {
    throw new Error('nhsuk-frontend\'s page template no longer has exactly one fixed inline script: update the Content-Security-Policy in src/web/security-headers.ts.');
  }
  return `'sha256-${createHash('sha256').update(scripts[0]!, 'utf8').digest('base64')}'`;
}

/** The headers, lower-cased, for a site served at `baseUrl`. */
export function securityHeaders(baseUrl: string): Record<string, string> {
  const https = baseUrl.startsWith('https://');
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", nhsukInlineScriptHash()],
        fontSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
  })({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}
