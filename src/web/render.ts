/** `reply.render(template, context)`: a page with the context every layout needs. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import { can, requiresTwoFactor } from '../auth/actor.ts';

const FLASH_COOKIE = 'lw_flash';

/** Shows a one-off success message on the next page rendered. */
export function setFlash(reply: FastifyReply, message: string): void {
  reply.setCookie(FLASH_COOKIE, message, { path: '/', httpOnly: true, sameSite: 'lax', signed: true });
}

function takeFlash(req: FastifyRequest, reply: FastifyReply): string | undefined {
  const raw = req.cookies[FLASH_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const unsigned = req.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

function navigationFor(req: FastifyRequest): { href: string; text: string; current: boolean }[] {
  const actor = req.actor;
  if (!actor) return [];
  const path = req.url.split('?')[0] ?? '';
  const items: { href: string; text: string }[] = [];
  if (can(actor, 'directory.search')) items.push({ href: '/directory', text: 'Find services' });
  if (can(actor, 'onward.respond')) items.push({ href: '/inbox', text: 'Inbox' });
  if (can(actor, 'referral.work')) items.push({ href: '/service/referrals', text: 'Referrals' }, { href: '/caseload', text: 'Caseload' });
  else if (can(actor, 'referral.create')) items.push({ href: '/referrals', text: 'Referrals' });
  if (can(actor, 'organisation.view')) items.push({ href: '/organisations', text: 'Organisations' });
  if (can(actor, 'directory.edit')) items.push({ href: '/listings', text: 'Your listings' });
  if (can(actor, 'reports.view')) items.push({ href: '/reports', text: 'Reports' });
  if (can(actor, 'audit.view')) items.push({ href: '/audit', text: 'Audit trail' });
  return items.map((i) => ({ ...i, current: path.startsWith(i.href) }));
}

export function registerRenderer(app: FastifyInstance, env: nunjucks.Environment, config: Config): void {
  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const req = this.request;
    const actor = req.actor;
    const fullySignedIn = !!actor && (!requiresTwoFactor(actor) || !!req.session?.twoFactorPassed);
    const html = env.render(template, {
      actor,
      fullySignedIn,
      csrfToken: this.generateCsrf(),
      cspNonce: (this as FastifyReply & { cspNonce?: { script: string } }).cspNonce?.script,
      currentPath: req.url.split('?')[0],
      navigation: fullySignedIn ? navigationFor(req) : [],
      demo: config.demo,
      flash: takeFlash(req, this),
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });
}
