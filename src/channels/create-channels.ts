import type { Config } from '../config.js';
import type { SessionStore } from '../domain/conversation.js';
import type { HandoffQueue } from '../handoff/handoff-queue.js';
import { relayHandoffEvents, type HandoffRelay } from '../handoff/relay-handoff-events.js';
import { SqliteHandoffQueue } from '../handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore } from '../handoff/sqlite-ticket-store.js';
import type { TicketStore } from '../handoff/ticket-store.js';
import { SessionRateLimiter } from '../http/session-rate-limiter.js';
import type { AnswerService } from '../pipeline/answer-service.js';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import { SqliteStaffStore } from '../staff/sqlite-staff-store.js';
import type { StaffStore } from '../staff/staff-store.js';
import { ChannelSenders } from './channel-sender.js';
import { InboundHandler } from './handle-inbound.js';
import { createMessengerChannel, type MessengerChannel } from './messenger/create-messenger-channel.js';
import { SqliteOutboundFailureLog } from './outbound-queue.js';
import { SqliteMessageDedupe } from './sqlite-message-dedupe.js';
import { SqliteWebOutbox } from './web/sqlite-web-outbox.js';
import { WebSender } from './web/web-sender.js';
import { createHandoffFlows } from '../handoff/flows/create-handoff-flows.js';
import { OfficeHoursPolicy } from '../handoff/flows/office-hours-policy.js';
import { OfficeHours } from '../handoff/flows/office-hours.js';
import { loadOrCreateLookupSecrets } from '../status-lookup/lookup-secrets.js';
import { createZaloChannel, type ZaloChannel } from './zalo/create-zalo-channel.js';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Everything the channels and the human handoff need, built once by the composition root. */
export interface Channels {
  /** The one inbound path every channel uses. */
  inbound: InboundHandler;
  senders: ChannelSenders;
  handoff: HandoffQueue;
  tickets: TicketStore;
  /** When officers answer (OFFICE_HOURS); the callbot transfers only inside them. */
  hours: OfficeHours;
  staff: StaffStore;
  webOutbox: SqliteWebOutbox;
  failures: SqliteOutboundFailureLog;
  /** Present when its secrets are configured. */
  messenger: MessengerChannel | null;
  zalo: ZaloChannel | null;
  /** Stops relaying, drains channel work, closes the stores; after the HTTP server closed. */
  close(): Promise<void>;
}

export interface CreateChannelsDeps {
  config: Config;
  dataDir: string;
  answers: AnswerService;
  sessions: SessionStore;
  qaLog: QaLogStore;
  log: Log;
}

/**
 * The channels' side of the composition root: the handoff queue, tickets and staff accounts
 * (SQLite under DATA_DIR, shared by every worker), the senders of the mounted channels, and the
 * InboundHandler with its per-user limit. Channels whose secrets are not set are not built.
 */
export function createChannels(d: CreateChannelsDeps): Channels {
  const { config, dataDir, log } = d;
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const handoff = new SqliteHandoffQueue({ dataDir });
    closers.push(() => handoff.close());
    const tickets = new SqliteTicketStore({ dataDir });
    closers.push(() => tickets.close());
    const staff = new SqliteStaffStore({ dataDir }, { sessionHours: config.CONSOLE_SESSION_HOURS });
    closers.push(() => staff.close());
    const dedupe = new SqliteMessageDedupe({ dataDir });
    closers.push(() => dedupe.close());
    const failures = new SqliteOutboundFailureLog({ dataDir });
    closers.push(() => failures.close());
    const webOutbox = new SqliteWebOutbox({ dataDir });
    closers.push(() => webOutbox.close());

    const senders = new ChannelSenders();
    senders.register(new WebSender(webOutbox));
    const messenger = createMessengerChannel(config, { dataDir, log, failures });
    if (messenger) {
      senders.register(messenger.sender);
      // Drained before the shared stores close.
      closers.splice(0, 0, () => messenger.close());
    }

    const zalo = createZaloChannel(config, { dataDir, log, failures });
    if (zalo) {
      senders.register(zalo.sender);
      closers.splice(0, 0, () => zalo.close());
    }

    // Outside office hours a citizen asking for a person may leave a message or ask for a call
    // back; feedback and complaints are taken down as tickets. The install secret seals a phone
    // number between turns so every worker can read it.
    const hours = OfficeHours.parse(config.OFFICE_HOURS);
    const inbound = new InboundHandler({
      answers: d.answers,
      sessions: d.sessions,
      handoff,
      senders,
      dedupe,
      limiter: new SessionRateLimiter(config.SESSION_RATE_LIMIT_PER_MINUTE),
      qaLog: d.qaLog,
      flows: createHandoffFlows({ tickets, hours, sealer: loadOrCreateLookupSecrets(dataDir) }),
      handoffPolicy: new OfficeHoursPolicy({ hours, sessions: d.sessions }),
      log,
    });
    const relay: HandoffRelay = relayHandoffEvents({ handoff, senders, sessions: d.sessions, staff, log });
    closers.splice(0, 0, async () => {
      relay.stop();
      await relay.idle();
    });

    return {
      inbound,
      senders,
      handoff,
      tickets,
      hours,
      staff,
      webOutbox,
      failures,
      messenger,
      zalo,
      async close() {
        for (const close of closers.splice(0)) await Promise.resolve(close()).catch((err: unknown) => log.error({ err }, 'closing a channel store failed'));
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) void Promise.resolve(close()).catch(() => undefined);
    throw err;
  }
}
