import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';

// TODO(in progress): routes are being written.
export function registerOrukRoutes(_app: FastifyInstance, _deps: AppDeps): void {}
