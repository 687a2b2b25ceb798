import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3.1 (3.1 because the schemas use JSON Schema's `type: [..., "null"]`) at /docs/json,
 * Swagger UI at /docs. The UI's assets come from the @fastify/swagger-ui package, so the page
 * works on a machine without internet access.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Công chức AI API',
        description:
          'Search and read administrative procedures (thủ tục hành chính) for the Hanoi public administrative service center.',
        version: '0.1.0',
      },
      tags: [
        { name: 'search', description: 'Find procedures' },
        { name: 'procedures', description: 'Procedure records' },
        { name: 'ops', description: 'Liveness and readiness' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
