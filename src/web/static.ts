/** Public assets: nhsuk-frontend's compiled styles, scripts and images, and Linkwell's own few. */
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { NHSUK_DIST, SRC_DIR } from './views.ts';

export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config ??= {};
      route.config.access = 'public';
    });
    scope.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
    });
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
