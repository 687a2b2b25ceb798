import type { FastifyInstance } from 'fastify';

export interface WebCorsOptions {
  /** Exact origins (`https://dichvucong.hanoi.gov.vn`) allowed to call the chat API from a browser. */
  origins: readonly string[];
  /** URL prefix the hook applies to. */
  prefix: string;
}

/**
 * CORS for the chat API, for pages of the city's sites that call it directly (the widget itself
 * runs the chat in an iframe on our own origin and needs none). An allow-list only: no wildcard,
 * no credentials — the API takes the session id in the body, never a cookie. A small hook
 * instead of @fastify/cors: one prefix, three headers.
 */
export function registerWebCors(app: FastifyInstance, options: WebCorsOptions): void {
  const allowed = new Set(options.origins.map((o) => o.replace(/\/+$/, '')));
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(options.prefix)) return;
    const origin = request.headers.origin;
    // Responses differ by Origin: caches must key on it.
    reply.header('vary', 'Origin');
    const ok = typeof origin === 'string' && allowed.has(origin);
    if (ok) reply.header('access-control-allow-origin', origin);
    if (request.method !== 'OPTIONS') return;
    if (!ok) return reply.code(403).send({ error: 'forbidden', message: 'Origin not allowed' });
    return reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, last-event-id')
      .header('access-control-max-age', '600')
      .send();
  });
}
