/**
 * A tiny browser for app.inject: keeps cookies, reads the CSRF token from forms, and signs in
 * through the real pages (password, then the authenticator code).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { totpCode } from '../../src/auth/totp.ts';
import type { TestUser } from './factories.ts';

/** The last time-step used per secret: a code is accepted once, so the next sign-in uses a later one. */
const lastStepUsed = new Map<string, number>();

/** A code not yet used (the next step is accepted too, for clock drift), or a recovery code. */
async function freshSecondFactor(user: TestUser): Promise<string> {
  const secret = user.totpSecret!;
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, (lastStepUsed.get(secret) ?? -1) + 1);
  if (step <= now + 1) {
    lastStepUsed.set(secret, step);
    return totpCode(secret, step * 30_000 + 1_000);
  }
  const recovery = user.recoveryCodes.shift();
  if (!recovery) throw new Error('test user has run out of recovery codes');
  return recovery;
}

export class TestBrowser {
  readonly app: FastifyInstance;
  cookies = new Map<string, string>();
  ip: string;

  constructor(app: FastifyInstance, ip = '127.0.0.1') {
    this.app = app;
    this.ip = ip;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0;
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() }, remoteAddress: this.ip }));
  }

  /** Posts a form, adding the CSRF token from the page given (or a fresh GET of `from`). */
  async post(url: string, fields: Record<string, string>, from?: string): Promise<LightMyRequestResponse> {
    const csrf = await this.csrfToken(from ?? url);
    return this.postRaw(url, { _csrf: csrf, ...fields });
  }

  async postRaw(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(
      await this.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(fields).toString(),
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: this.ip,
      }),
    );
  }

  async csrfToken(pageUrl: string): Promise<string> {
    const page = await this.get(pageUrl);
    const match = page.body.match(/name="_csrf" value="([^"]+)"/) ?? page.body.match(/_csrf=([^"&]+)/);
    if (!match?.[1]) throw new Error(`no CSRF token on ${pageUrl} (status ${page.statusCode})`);
    return match[1];
  }

  /** Signs in through the pages; completes two-factor when the user has it. */
  async signIn(user: TestUser): Promise<LightMyRequestResponse> {
    const res = await this.post('/sign-in', { email: user.email, password: user.password }, '/sign-in');
    if (res.statusCode !== 303) throw new Error(`sign-in failed with ${res.statusCode}`);
    if (res.headers.location?.startsWith('/sign-in/two-factor') && user.totpSecret) {
      const code = await freshSecondFactor(user);
      const second = await this.post('/sign-in/two-factor', { code }, '/sign-in/two-factor');
      if (second.statusCode !== 303) throw new Error(`two-factor failed with ${second.statusCode}`);
      return second;
    }
    return res;
  }
}
