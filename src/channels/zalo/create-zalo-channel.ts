import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { InboundHandler } from '../handle-inbound.js';
import { type OutboundFailureLog, OutboundQueue, SqliteOutboundFailureLog } from '../outbound-queue.js';
import { SqliteZaloRatingPrompts } from './sqlite-zalo-rating-prompts.js';
import { registerZaloRoutes, type ZaloWebhook } from './zalo-routes.js';
import { ZaloSender } from './zalo-sender.js';
import { ZaloTokenStore } from './zalo-token-store.js';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export interface ZaloChannel {
  /** Register in `ChannelSenders` so replies (and officers' messages) reach Zalo. */
  sender: ZaloSender;
  /** The rotating OA token pair (kept fresh in the background until `close`). */
  tokens: ZaloTokenStore;
  /** Mounts `/webhooks/zalo`; call before `app.ready()`. */
  register(app: FastifyInstance, inbound: Pick<InboundHandler, 'handle'>): ZaloWebhook;
  /** Finishes accepted webhook work and sends in flight, then closes the stores. */
  close(): Promise<void>;
}

/**
 * The Zalo OA channel from the configuration, or null when it is not configured: mounted only
 * when the app id, the OA secret key and the first access token are set. Without
 * ZALO_OA_REFRESH_TOKEN and ZALO_APP_SECRET_KEY it still runs, until that token expires.
 */
export function createZaloChannel(
  config: Pick<
    Config,
    'ZALO_APP_ID' | 'ZALO_OA_SECRET_KEY' | 'ZALO_OA_ACCESS_TOKEN' | 'ZALO_OA_REFRESH_TOKEN' | 'ZALO_APP_SECRET_KEY' | 'ZALO_API_BASE_URL' | 'ZALO_OAUTH_BASE_URL'
  >,
  options: { dataDir: string; log: Log; failures?: OutboundFailureLog; outbound?: { minTime?: number; backoffMs?: number } },
): ZaloChannel | null {
  const { ZALO_APP_ID: appId, ZALO_OA_SECRET_KEY: oaSecretKey, ZALO_OA_ACCESS_TOKEN: accessToken } = config;
  if (!appId || !oaSecretKey || !accessToken) return null;
  if (!config.ZALO_OA_REFRESH_TOKEN || !config.ZALO_APP_SECRET_KEY) {
    options.log.warn({}, 'Zalo OA: no ZALO_OA_REFRESH_TOKEN or ZALO_APP_SECRET_KEY; the access token will not be refreshed');
  }
  const tokens = new ZaloTokenStore(
    { dataDir: options.dataDir },
    {
      appId,
      appSecretKey: config.ZALO_APP_SECRET_KEY,
      oauthBaseUrl: config.ZALO_OAUTH_BASE_URL,
      seed: { accessToken, refreshToken: config.ZALO_OA_REFRESH_TOKEN },
      log: options.log,
    },
  );
  const stopRefresh = tokens.keepFresh();
  const ratingPrompts = new SqliteZaloRatingPrompts({ dataDir: options.dataDir });
  const ownFailures = options.failures ? null : new SqliteOutboundFailureLog({ dataDir: options.dataDir });
  const queue = new OutboundQueue({ channel: 'zalo', failures: options.failures ?? ownFailures!, log: options.log, ...options.outbound });
  const sender = new ZaloSender({ apiBaseUrl: config.ZALO_API_BASE_URL, tokens, queue, ratingPrompts });
  const mounted: ZaloWebhook[] = [];
  return {
    sender,
    tokens,
    register(app, inbound) {
      const webhook = registerZaloRoutes(app, {
        inbound,
        config: { ZALO_APP_ID: appId, ZALO_OA_SECRET_KEY: oaSecretKey },
        log: options.log,
        sender,
        ratingPrompts,
      });
      mounted.push(webhook);
      return webhook;
    },
    async close() {
      stopRefresh();
      for (const webhook of mounted) await webhook.drain();
      await queue.stop();
      await ratingPrompts.close();
      await tokens.close();
      await ownFailures?.close();
    },
  };
}
