import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';

// TODO(in progress): pages are being written.
export function registerReferralPages(_app: FastifyInstance, _deps: AppDeps): void {}
