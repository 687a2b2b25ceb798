import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { cannedReply } from './domain/canned-replies.js';
import type { Deps } from './deps.js';
import { registerDocs } from './http/docs.js';
import { ErrorResponseSchema, registerErrorHandling } from './http/errors.js';
import { registerAdminRoutes } from './http/routes/admin.js';
import path from 'node:path';
import { registerConsoleApi } from './http/routes/console-api.js';
import { registerMiniAppApi } from './http/routes/miniapp-api.js';
import { registerWebChatRoutes } from './http/routes/web-chat.js';
import { registerWebPages } from './http/routes/web-pages.js';
import { registerHealthRoutes } from './http/routes/health.js';
import { registerProcedureRoutes } from './http/routes/procedures.js';
import { HINTS, registerSearchRoutes } from './http/routes/search.js';
import { procedureJsonSchema } from './http/schemas.js';

/** Staff-only APIs: officers share the office's IP, and every call is behind a login. */
const STAFF_API_PREFIXES = ['/api/v1/stats', '/api/v1/gaps', '/api/v1/review', '/api/v1/privacy'];

/**
 * Builds the HTTP app without listening, so tests use `app.inject()` and `main.ts` owns the port
 * and the process lifecycle.
 */
export interface BuildAppOptions {
  /** In a cluster worker: tells the other workers to reload the knowledge too. */
  announceReload?: () => void;
}

export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Limits from the design notes (integrations.md §4): a slow or huge request must not hold a
    // worker; the API only takes small queries.
    bodyLimit: config.BODY_LIMIT_BYTES,
    connectionTimeout: 120_000,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 10_000,
    http: { headersTimeout: 15_000 },
    trustProxy: config.TRUST_PROXY,
    // The request id pino puts on every line; honour an upstream proxy's id for correlation.
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } },
  });

  app.addSchema(ErrorResponseSchema);
  app.addSchema(procedureJsonSchema());
  registerErrorHandling(app, {
    ...HINTS,
    id: 'Mã thủ tục không đúng định dạng (ví dụ đúng: 1.001193).',
  });
  if (config.DOCS_ENABLED) await registerDocs(app);
  // Per client IP on the public API only: health checks and (later) webhooks are not limited here,
  // because platforms call webhooks from shared IPs; those are limited per end user instead.
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // The mini-app's server calls from a few IPs for many citizens; it is limited per citizen
    // (InboundHandler) and per app (signatures) instead. The web chat's event stream reconnects.
    // Officers share the office's IP and have their own login throttle.
    allowList: (request) =>
      !request.url.startsWith('/api/') ||
      request.url.startsWith('/api/v1/miniapp/') ||
      request.url.startsWith('/api/v1/chat/events') ||
      request.url.startsWith('/api/v1/console/') ||
      STAFF_API_PREFIXES.some((prefix) => request.url.startsWith(prefix)),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'too_many_requests',
      message: `Rate limit exceeded; retry in ${context.after}`,
      hint: cannedReply('rate_limited'),
    }),
  });

  registerHealthRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerProcedureRoutes(app, deps);
  // The citizen's web chat (page, widget, chat API through the shared inbound path, officer
  // replies as events), the staff console, and the channels whose secrets are set.
  registerWebPages(app, { config });
  registerWebChatRoutes(app, { inbound: deps.channels.inbound, outbox: deps.channels.webOutbox });
  registerConsoleApi(app, { staff: deps.channels.staff, handoff: deps.channels.handoff, tickets: deps.channels.tickets, config, log: deps.log });
  deps.channels.messenger?.register(app, deps.channels.inbound);
  deps.channels.zalo?.register(app, deps.channels.inbound);
  if (config.MINIAPP_KEYS) {
    await registerMiniAppApi(app, {
      inbound: deps.channels.inbound,
      sessions: deps.sessions,
      qaLog: deps.qaLog,
      handoff: deps.channels.handoff,
      senders: deps.channels.senders,
      config: { MINIAPP_KEYS: config.MINIAPP_KEYS, MINIAPP_CORS_ORIGINS: config.MINIAPP_CORS_ORIGINS },
      dataDir: path.resolve(config.DATA_DIR),
      log: deps.log,
    });
  }
  // Staff-only: statistics, what the assistant did not know, the answer review queue, privacy requests.
  deps.staffTools.register(app, deps.channels.staff, options.announceReload ? { announceReload: options.announceReload } : {});
  // The callbot's webhooks and sockets, only with TWILIO_AUTH_TOKEN; every request is signed.
  if (deps.telephony) await deps.telephony.register(app);
  if (config.ADMIN_TOKEN) {
    registerAdminRoutes(app, deps, { token: config.ADMIN_TOKEN, ...(options.announceReload ? { announceReload: options.announceReload } : {}) });
  }

  await app.ready();
  return app;
}
