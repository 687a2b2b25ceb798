import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

export function registerHealthRoutes(app: FastifyInstance, deps: Deps): void {
  // Liveness: touches nothing, so a slow catalogue never gets a healthy process restarted.
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness',
        response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  const readiness = {
    type: 'object',
    required: ['status', 'procedures'],
    properties: {
      status: { type: 'string', enum: ['ready', 'not_ready'] },
      procedures: { type: 'integer' },
      retriever: { type: 'string', enum: ['lexical', 'hybrid'] },
      dense: {
        type: 'string',
        enum: ['disabled', 'indexing', 'ready', 'failed'],
        description: 'Dense index state; search stays lexical until it is ready',
      },
    },
  } as const;

  // Readiness: a load balancer should only send traffic once there is something to search,
  // and should stop during shutdown (deps.close flips it).
  app.get(
    '/ready',
    { schema: { tags: ['ops'], summary: 'Readiness', response: { 200: readiness, 503: readiness } } },
    async (_request, reply) => {
      const procedures = deps.procedures.size;
      if (!deps.isReady()) return reply.code(503).send({ status: 'not_ready', procedures });
      // The dense index is not a readiness condition: lexical search answers while it builds.
      return { status: 'ready', procedures, retriever: deps.retrieverKind, dense: deps.denseStatus() };
    },
  );
}
