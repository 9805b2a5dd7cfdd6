/**
 * Builds the web application from its dependencies. The order of what is registered here is the
 * order a request goes through: request id and logging, security headers, cookies and form bodies,
 * static assets, authentication (deny by default), CSRF, the routes of each capability, then the
 * 404 and error handlers.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCsrf from '@fastify/csrf-protection';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Mailer } from './mail/mailer.ts';
import type { PostcodeLookup } from './geo/postcodes.ts';
import './web/fastify-types.ts';
import { createViewEnvironment } from './web/views.ts';
import { registerStaticAssets } from './web/static.ts';
import { registerRenderer } from './web/render.ts';
import { securityHeaders } from './web/security-headers.ts';
import { registerAuthentication } from './auth/authenticate.ts';
import { registerErrorHandlers } from './web/errors.ts';
import { registerOpenApi } from './api/openapi.ts';
import { registerHealthRoutes } from './health/routes.ts';
import { registerSignInRoutes } from './auth/sign-in-routes.ts';
import { registerTwoFactorRoutes } from './auth/two-factor-routes.ts';
import { registerPasswordRoutes } from './auth/password-routes.ts';
import { registerAccountRoutes } from './auth/account-routes.ts';
import { registerOrganisationRoutes } from './organisations/routes.ts';
import { registerStaffRoutes } from './organisations/staff-routes.ts';
import { registerOrganisationSettingsRoutes } from './organisations/settings-routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerHomeRoutes } from './home/routes.ts';
import { registerApiRoutes } from './api/routes.ts';
import { registerOrukRoutes } from './directory/oruk/routes.ts';
import { registerFeedRoutes } from './directory/import/routes.ts';
import { registerSearchRoutes } from './directory/search/routes.ts';
import { registerListingRoutes } from './directory/editing/routes.ts';
import { registerInstrumentRoutes } from './measures/routes.ts';
import { registerReferralApiRoutes } from './referrals/api-routes.ts';
import { registerReferralPages } from './referrals/pages/service-routes.ts';
import { registerProviderPages } from './referrals/pages/provider-routes.ts';
import { registerPersonViewRoutes } from './people/routes.ts';
import { registerOutcomeRoutes } from './outcomes/routes.ts';
import { registerReportApiRoutes } from './reports/api-routes.ts';
import { registerReportPages } from './reports/pages/routes.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  mailer: Mailer;
  postcodes: PostcodeLookup;
  /** Where JSON log lines go (standard output when not given). */
  logStream?: { write(line: string): void };
}

/** Every route registered, with its access level: the anonymous-access test walks this list. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: string;
}

export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.environment === 'production',
    // Fastify's own request lines include the raw URL; ours (onResponse below) logs the route pattern.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      // Only the request id, method and route pattern are logged: never the path with its
      // parameters, query strings, bodies or headers, which may carry personal data.
      serializers: { req: () => ({}), res: () => ({}) },
      redact: { paths: ['*.email', '*.password', '*.token', '*.nhsNumber', '*.name'], remove: true },
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes: RegisteredRoute[] = [];
  app.decorate('linkwellRoutes', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      // Read lazily: hooks of encapsulated plugins (static assets) may set the access level later.
      routes.push({
        method,
        url: route.url,
        get access() {
          return route.config?.access ?? 'user';
        },
      });
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    req.log.info(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'not-found',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request served',
    );
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  // Helmet's headers and the Content-Security-Policy, the same for every answer (security-headers.ts).
  const headers = securityHeaders(config.baseUrl);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(fastifyCookie, { secret: config.sessionSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCsrf, {
    cookieKey: 'lw_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: config.baseUrl.startsWith('https://') },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      const query = req.query as Record<string, unknown> | undefined;
      const token = body?._csrf ?? query?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
  });

  await registerStaticAssets(app);
  registerRenderer(app, createViewEnvironment(), config);
  registerAuthentication(app, deps);
  // Every form posted from a browser carries the CSRF token; API calls use a bearer token instead.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.viaApiToken) return done();
    if (req.url.startsWith('/api/') || req.url.startsWith('/oruk/')) return done();
    app.csrfProtection(req, reply, done);
  });
  registerErrorHandlers(app);
  await registerOpenApi(app);

  registerHealthRoutes(app, deps);
  registerSignInRoutes(app, deps);
  registerTwoFactorRoutes(app, deps);
  registerPasswordRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerHomeRoutes(app, deps);
  registerOrganisationRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerOrganisationSettingsRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerApiRoutes(app, deps);
  registerOrukRoutes(app, deps);
  registerFeedRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerListingRoutes(app, deps);
  registerInstrumentRoutes(app, deps);
  registerReferralApiRoutes(app, deps);
  registerReferralPages(app, deps);
  registerProviderPages(app, deps);
  registerPersonViewRoutes(app, deps);
  registerOutcomeRoutes(app, deps);
  registerReportApiRoutes(app, deps);
  registerReportPages(app, deps);

  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    linkwellRoutes: RegisteredRoute[];
  }
}
