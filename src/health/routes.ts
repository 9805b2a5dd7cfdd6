/** `GET /health`: is the application up and can it reach its database? */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';

export function registerHealthRoutes(app: FastifyInstance, { database }: AppDeps): void {
  app.get('/health', { config: { access: 'public' } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(database.db);
      return reply.send({ status: 'UP', database: { status: 'UP', kind: database.kind } });
    } catch {
      return reply.code(503).send({ status: 'DOWN', database: { status: 'DOWN', kind: database.kind } });
    }
  });
}
