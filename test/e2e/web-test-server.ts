import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ChannelSenders } from '../../src/channels/channel-sender.js';
import { InboundHandler } from '../../src/channels/handle-inbound.js';
import { SqliteMessageDedupe } from '../../src/channels/sqlite-message-dedupe.js';
import { SqliteWebOutbox } from '../../src/channels/web/sqlite-web-outbox.js';
import { WebSender } from '../../src/channels/web/web-sender.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { relayHandoffEvents, type HandoffRelay } from '../../src/handoff/relay-handoff-events.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore } from '../../src/handoff/sqlite-ticket-store.js';
import { ErrorResponseSchema, registerErrorHandling } from '../../src/http/errors.js';
import { createLogger } from '../../src/http/logger.js';
import { registerConsoleApi } from '../../src/http/routes/console-api.js';
import { registerWebChatRoutes } from '../../src/http/routes/web-chat.js';
import { registerWebPages } from '../../src/http/routes/web-pages.js';
import { SessionRateLimiter } from '../../src/http/session-rate-limiter.js';
import { SqliteStaffStore } from '../../src/staff/sqlite-staff-store.js';

export const OFFICER = { username: 'lan', password: 'mat-khau-cua-lan-2024', name: 'Nguyễn Thị Lan' };

export interface WebTestServer {
  url: string;
  deps: Deps;
  handoff: SqliteHandoffQueue;
  close(): Promise<void>;
}

/**
 * The web side of the server as the composition root wires it, on a temp DATA_DIR: the real
 * answer pipeline over the repo's starter knowledge, SQLite sessions, Q&A log, handoff queue,
 * staff accounts, web outbox; the citizen page, the chat API through the InboundHandler, the
 * console API and the relay that tells citizens what officers do. Listening on a real port.
 */
export async function startWebTestServer(options: { corsOrigins?: string[] } = {}): Promise<WebTestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    LOG_LEVEL: 'silent',
    ...(options.corsOrigins ? { WEB_CORS_ORIGINS: options.corsOrigins.join(',') } : {}),
  });
  const log = createLogger(config);
  const deps = await createDeps(config, { log });
  const handoff = new SqliteHandoffQueue({ dataDir }, { pollMs: 100 });
  const tickets = new SqliteTicketStore({ dataDir });
  const staff = new SqliteStaffStore({ dataDir }, { sessionHours: config.CONSOLE_SESSION_HOURS });
  await staff.add({ username: OFFICER.username, displayName: OFFICER.name, role: 'officer', password: OFFICER.password });
  const outbox = new SqliteWebOutbox({ dataDir });
  const dedupe = new SqliteMessageDedupe({ dataDir });
  const senders = new ChannelSenders();
  senders.register(new WebSender(outbox));
  const inbound = new InboundHandler({
    answers: deps.answers,
    sessions: deps.sessions,
    handoff,
    senders,
    dedupe,
    limiter: new SessionRateLimiter(config.SESSION_RATE_LIMIT_PER_MINUTE),
    qaLog: deps.qaLog,
    log,
  });
  const relay: HandoffRelay = relayHandoffEvents({ handoff, senders, sessions: deps.sessions, staff, log });

  const app: FastifyInstance = Fastify({ loggerInstance: log as FastifyBaseLogger });
  app.addSchema(ErrorResponseSchema);
  registerErrorHandling(app, {});
  registerWebPages(app, { config });
  registerWebChatRoutes(app, { inbound, outbox, pollMs: 200 });
  registerConsoleApi(app, { staff, handoff, tickets, config, log });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    url,
    deps,
    handoff,
    async close() {
      relay.stop();
      await app.close();
      await handoff.close();
      await tickets.close();
      await staff.close();
      await outbox.close();
      await dedupe.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
