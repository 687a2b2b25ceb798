import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { InboundHandler } from '../handle-inbound.js';
import { type OutboundFailureLog, OutboundQueue, SqliteOutboundFailureLog } from '../outbound-queue.js';
import { type MessengerRoutes, registerMessengerRoutes } from './messenger-routes.js';
import { MessengerSender } from './messenger-sender.js';
import { SqliteMessengerContacts } from './sqlite-messenger-contacts.js';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export interface MessengerChannel {
  /** Register in `ChannelSenders` so replies (and officers' messages) reach Messenger. */
  sender: MessengerSender;
  /** Mounts `/webhooks/messenger`; call before `app.ready()`. */
  register(app: FastifyInstance, inbound: Pick<InboundHandler, 'handle'>): MessengerRoutes;
  /** Finishes accepted webhook work and sends in flight, then closes the store. */
  close(): Promise<void>;
}

/**
 * The Messenger channel from the configuration, or null when it is not configured: it is mounted
 * only when the app secret, the verify token and the page token are all set.
 */
export function createMessengerChannel(
  config: Pick<Config, 'MESSENGER_APP_SECRET' | 'MESSENGER_VERIFY_TOKEN' | 'MESSENGER_PAGE_TOKEN' | 'MESSENGER_GRAPH_BASE_URL' | 'MESSENGER_GRAPH_VERSION'>,
  options: { dataDir: string; log: Log; failures?: OutboundFailureLog },
): MessengerChannel | null {
  const { MESSENGER_APP_SECRET: secret, MESSENGER_VERIFY_TOKEN: verifyToken, MESSENGER_PAGE_TOKEN: pageToken } = config;
  if (!secret || !verifyToken || !pageToken) return null;
  const contacts = new SqliteMessengerContacts({ dataDir: options.dataDir });
  const ownFailures = options.failures ? null : new SqliteOutboundFailureLog({ dataDir: options.dataDir });
  const queue = new OutboundQueue({ channel: 'messenger', failures: options.failures ?? ownFailures!, log: options.log });
  const sender = new MessengerSender({
    config: { MESSENGER_PAGE_TOKEN: pageToken, MESSENGER_GRAPH_BASE_URL: config.MESSENGER_GRAPH_BASE_URL, MESSENGER_GRAPH_VERSION: config.MESSENGER_GRAPH_VERSION },
    queue,
    contacts,
    log: options.log,
  });
  const mounted: MessengerRoutes[] = [];
  return {
    sender,
    register(app, inbound) {
      const routes = registerMessengerRoutes(app, {
        inbound,
        config: { MESSENGER_APP_SECRET: secret, MESSENGER_VERIFY_TOKEN: verifyToken },
        log: options.log,
        sender,
        contacts,
      });
      mounted.push(routes);
      return routes;
    },
    async close() {
      for (const routes of mounted) await routes.work.drain();
      await queue.stop();
      await contacts.close();
      await ownFailures?.close();
    },
  };
}
