/** Public assets: nhsuk-frontend's compiled styles, scripts and images, and Linkwell's own few. */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { NHSUK_DIST, SRC_DIR } from './views.ts';

/**
 * nhsuk-frontend's stylesheet, adapted once at start-up: its images are served under
 * /assets/nhsuk/assets/, and its @font-face rules are removed. The Frutiger web font is fetched
 * from assets.nhs.uk and licensed for NHS services only; Linkwell also serves councils and
 * charities and must work offline, so it uses the design system's fallback fonts (Arial).
 */
function adaptedNhsukCss(): string {
  const css = fs.readFileSync(path.join(NHSUK_DIST, 'nhsuk', 'nhsuk-frontend.min.css'), 'utf8');
  return css.replace(/@font-face\{[^}]*\}/g, '').replaceAll('url(/assets/images/', 'url(/assets/nhsuk/assets/images/');
}

export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  const nhsukCss = adaptedNhsukCss();
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config ??= {};
      route.config.access = 'public';
    });
    scope.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
    });
    scope.get('/assets/app/nhsuk-frontend.css', async (_req, reply) => reply.type('text/css; charset=utf-8').send(nhsukCss));
    await scope.register(fastifyStatic, {
      root: path.join(NHSUK_DIST, 'nhsuk'),
      prefix: '/assets/nhsuk/',
      allowedPath: (p) => /\.(css|js|map|svg|png|ico|json|woff2?)$/.test(p),
    });
    await scope.register(fastifyStatic, {
      root: path.join(SRC_DIR, 'web', 'public'),
      prefix: '/assets/app/',
      decorateReply: false,
    });
  });
}
