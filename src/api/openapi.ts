/**
 * Linkwell's own API is described in OpenAPI 3, generated from the same zod schemas that validate
 * each request. Only routes with tags are included (the pages are not an API).
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Linkwell API',
        version: '1',
        description:
          'The API of Linkwell, the open-source social prescribing platform. Authenticate with a personal API token: `Authorization: Bearer <token>`. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A personal API token from your account page or `linkwell token create`.' } },
      },
      security: [{ bearer: [] }],
    },
    hideUntagged: true,
    transform: jsonSchemaTransform,
  });
}
