import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';

export interface AdminRouteOptions {
  token: string;
  /** Tells the other server processes to reload too (node:cluster); absent with one process. */
  announceReload?: () => void;
}

/**
 * Operator endpoints, behind a bearer token from ADMIN_TOKEN. Only mounted when the token is
 * set; a wrong or missing token gets 401 and changes nothing.
 */
export function registerAdminRoutes(app: FastifyInstance, deps: Deps, options: AdminRouteOptions): void {
  // Compared as hashes so the comparison takes the same time whatever the length offered.
  const expected = createHash('sha256').update(options.token).digest();
  const authorised = (request: FastifyRequest): boolean => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]!).digest(), expected);
  };

  app.post(
    '/api/v1/admin/reload',
    {
      schema: {
        tags: ['ops'],
        summary: 'Reload the knowledge layer (overlays, online-only list, lexicon, starter records, catalogue) without a restart',
        security: [{ bearerAuth: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              date: { type: 'string' },
              procedures: { type: 'integer' },
              overlays: { type: 'integer' },
              onlineOnlyToday: { type: 'integer' },
              problems: { type: 'array', items: { type: 'object', properties: { file: { type: 'string' }, reason: { type: 'string' } } } },
              ms: { type: 'integer' },
            },
          },
          401: { $ref: 'ErrorResponse#' },
          500: { $ref: 'ErrorResponse#' },
        },
      },
    },
    async (request, reply) => {
      if (!authorised(request)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'A valid admin bearer token is required' });
      }
      const report = await deps.knowledge.reload();
      if (!report.ok) return reply.code(500).send({ error: 'reload_failed', message: report.error, hint: 'The previous knowledge is still served; fix the file and reload again.' });
      options.announceReload?.();
      return report;
    },
  );
}
