import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Request headers the mini-app sends: the auth headers must be allowed or the browser never sends them. */
export const MINIAPP_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-app-id',
  'x-timestamp',
  'x-nonce',
  'x-signature',
  'x-user-id',
  'x-request-id',
] as const;

const ALLOWED_METHODS = 'GET, POST, OPTIONS';

/**
 * CORS for /api/v1/miniapp only, from an exact allow-list (MINIAPP_CORS_ORIGINS): the allowed
 * origin is echoed (never `*`) with `Vary: Origin`; no `Access-Control-Allow-Credentials`, since
 * the API uses headers, not cookies. A request from a browser origin not on the list is refused
 * with 403 before authentication (a preflight included), so it causes nothing; requests without an
 * `Origin` (the mini-app's own server) are not browser requests and pass to authentication.
 * A small hook rather than @fastify/cors: one prefix, one list, no new dependency.
 * Register inside the mini-app plugin (encapsulated): it must not touch other routes.
 */
export function registerMiniAppCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '')));

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    void reply.header('vary', 'Origin');
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!allowed.has(origin)) {
      return reply.code(403).send({ error: 'forbidden', message: 'Origin not allowed' });
    }
    void reply.header('access-control-allow-origin', origin);
    return undefined;
  });

  // The preflight: answered here, never authenticated (browsers send no credentials with it).
  app.options('/*', { schema: { hide: true } }, async (request, reply) => {
    if (request.headers.origin === undefined) return reply.code(204).header('allow', ALLOWED_METHODS).send();
    return reply
      .code(204)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', MINIAPP_ALLOWED_HEADERS.join(', '))
      .header('access-control-max-age', '600')
      .send();
  });
}
