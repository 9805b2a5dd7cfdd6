/**
 * One place where errors become responses: an NHS.UK error page for browsers, RFC 9457
 * problem+json for the API. A person's mistake gets a 4xx with a message they can act on; only a
 * fault of ours is a 500, logged with the request id and shown without internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpProblem } from './problems.ts';

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { name: string; detail: string }[];
}

export function wantsProblemJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || req.url.startsWith('/oruk');
}

function toProblem(error: FastifyError | Error, req: FastifyRequest): Problem | null {
  if (error instanceof HttpProblem) {
    return { status: error.status, title: error.title, detail: error.message, errors: error.fields };
  }
  const fe = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const errors = fe.validation.map((v) => {
      const where = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return { name: where ? `${fe.validationContext ?? 'body'}.${where}` : (fe.validationContext ?? 'body'), detail: v.message ?? 'is not valid' };
    });
    return {
      status: 400,
      title: 'Bad request',
      detail: errors.map((e) => `${e.name}: ${e.detail}`).join('; '),
      errors,
    };
  }
  if (fe.code === 'FST_CSRF_INVALID_TOKEN' || fe.code === 'FST_CSRF_MISSING_SECRET') {
    return {
      status: 403,
      title: 'This form has expired',
      detail: 'For your security, forms expire. Go back to the page, refresh it, and try again.',
    };
  }
  if (fe.statusCode === 429) {
    return { status: 429, title: 'Too many requests', detail: 'You have tried that too many times. Wait a few minutes and try again.' };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, title: 'Bad request', detail: fe.message };
  }
  void req;
  return null;
}

function send(req: FastifyRequest, reply: FastifyReply, problem: Problem) {
  reply.code(problem.status);
  if (wantsProblemJson(req)) {
    return reply.type('application/problem+json').send({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: req.url.split('?')[0],
      ...(problem.errors && problem.errors.length > 0 ? { errors: problem.errors } : {}),
      requestId: req.id,
    });
  }
  return reply.render('web/views/error.njk', {
    title: problem.title,
    message: problem.detail,
    status: problem.status,
    requestId: req.id,
  });
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, req, reply) => {
    const problem = toProblem(error as FastifyError, req);
    if (problem) return send(req, reply, problem);
    req.log.error({ err: { type: (error as Error).name, message: (error as Error).message, stack: (error as Error).stack } }, 'unhandled error');
    return send(req, reply, {
      status: 500,
      title: 'Sorry, there is a problem with the service',
      detail: `Try again later. If it keeps happening, contact support and quote reference ${req.id}.`,
    });
  });
  app.setNotFoundHandler((req, reply) =>
    send(req, reply, {
      status: 404,
      title: 'Page not found',
      detail: 'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.',
    }),
  );
}
