import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';

// TODO(in progress): pages are being written.
export function registerProviderPages(_app: FastifyInstance, _deps: AppDeps): void {}
