/**
 * `reply.render(template, context)`: a page with the context every layout needs; `reply.renderShell`
 * and `reply.fillShell`: the same page drawn in two goes, around a slot filled last.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
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

/**
 * A page drawn in two goes (`reply.renderShell`, then `reply.fillShell`): everything but its slot,
 * then the slot. The template writes `{{ slot }}` where the slot goes.
 */
export interface PageShell {
  before: Buffer;
  after: Buffer;
  context: Record<string, unknown>;
}

const SLOT = '<!--linkwell:slot-->';

export function registerRenderer(app: FastifyInstance, env: nunjucks.Environment, config: Config): void {
  /** What every layout needs, for this request. */
  const pageContext = (reply: FastifyReply): Record<string, unknown> => {
    const req = reply.request;
    const actor = req.actor;
    const fullySignedIn = !!actor && (!requiresTwoFactor(actor) || !!req.session?.twoFactorPassed);
    return {
      actor,
      fullySignedIn,
      csrfToken: reply.generateCsrf(),
      currentPath: req.url.split('?')[0],
      navigation: fullySignedIn ? navigationFor(req) : [],
      demo: config.demo,
      flash: takeFlash(req, reply),
    };
  };
  // Pages are encoded here, once: given a string, Fastify would measure its length and then encode it.
  const sendHtml = (reply: FastifyReply, html: Buffer) => reply.type('text/html; charset=utf-8').send(html);

  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    return sendHtml(this, Buffer.from(env.render(template, { ...pageContext(this), ...context })));
  });

  // For a page whose slot waits on a query to a database server: the rest of the page is drawn
  // while the query runs. It first lets the pending query reach the server (setImmediate runs after
  // the promise callbacks that send it), so that drawing does not hold it back.
  app.decorateReply('renderShell', async function renderShell(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    await new Promise((resolve) => setImmediate(resolve));
    const full = { ...pageContext(this), ...context };
    const html = env.render(template, { ...full, slot: new nunjucks.runtime.SafeString(SLOT) });
    const at = html.indexOf(SLOT);
    if (at < 0 || html.indexOf(SLOT, at + 1) >= 0) throw new Error(`${template} must show {{ slot }} once.`);
    return { before: Buffer.from(html.slice(0, at)), after: Buffer.from(html.slice(at + SLOT.length)), context: full } satisfies PageShell;
  });

  app.decorateReply('fillShell', function fillShell(this: FastifyReply, shell: PageShell, template: string, context: Record<string, unknown> = {}) {
    const slot = Buffer.from(env.render(template, { ...shell.context, ...context }));
    return sendHtml(this, Buffer.concat([shell.before, slot, shell.after]));
  });
}
