import { KeyedWorkQueue } from '../keyed-work-queue.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cannedReply } from '../../domain/canned-replies.js';
import type { ChannelSender } from '../channel-sender.js';
import type { InboundMessage } from '../inbound-message.js';
import { parseZaloEvent, type ZaloEvent } from './parse-zalo-event.js';
import { verifyZaloSignature, ZALO_SIGNATURE_HEADER } from './zalo-signature.js';

export interface ZaloRoutesDeps {
  /** The shared inbound path (`InboundHandler`): dedupe on `zalo:<msg_id>`, limits, pipeline, handoff, send. */
  inbound: { handle(msg: InboundMessage): Promise<unknown> };
  config: { ZALO_APP_ID: string; ZALO_OA_SECRET_KEY: string };
  log: { info?(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** For the replies that do not go through the pipeline: "text only" notices and the follow greeting. */
  sender?: ChannelSender;
  /** Who was asked "reply 1–5": their next bare digit is a rating (`RATE:n`), not a clarification choice. */
  ratingPrompts?: { take(userId: string): Promise<boolean> };
  /** One "text only" notice (or greeting) per citizen per this interval (default 10 min). */
  noticeIntervalMs?: number;
  now?: () => number;
}

export interface ZaloWebhook {
  /** Resolves when the work accepted so far is done (tests, graceful shutdown). */
  drain(): Promise<void>;
}

// Zalo's events are small; a big body is not Zalo.
const BODY_LIMIT = 256 * 1024;
const RATING_REPLY = /^\s*([1-5])\s*[.!]?\s*$/;

/**
 * `POST /webhooks/zalo`: the signature is checked over the raw bytes, then the event is queued
 * and 200 returned at once — Zalo wants 200 within 2 s or it retries for hours and then disables
 * the webhook; the pipeline runs after the response. The raw-body parser is registered inside an
 * encapsulated plugin, so the rest of the app keeps Fastify's JSON parser.
 */
export function registerZaloRoutes(app: FastifyInstance, deps: ZaloRoutesDeps): ZaloWebhook {
  const now = deps.now ?? Date.now;
  const notices = new NoticeLimiter(deps.noticeIntervalMs ?? 10 * 60_000, now);
  // Bounded, one citizen's events in order: under a flood the webhook answers 503 at once (Zalo
  // delivers again later) instead of piling up work until acknowledgements take seconds.
  const work = new KeyedWorkQueue({ log: deps.log });

  const accept = (event: ZaloEvent): boolean => work.push(event.userId ?? '', () => dispatch(event, deps, notices));

  const drain = () => work.drain();

  void app.register(async (scope) => {
    // Replies already accepted from Zalo are finished before the app stops (Zalo will not resend them).
    scope.addHook('onClose', drain);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

    // Not IP-limited: Zalo delivers from shared addresses; the per-citizen limit applies after parsing.
    scope.post('/webhooks/zalo', { bodyLimit: BODY_LIMIT, config: { rateLimit: false } }, async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers[ZALO_SIGNATURE_HEADER];
      if (!header) return reply.code(401).send({ message: 'unauthorized' });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // The signed string holds the body's timestamp, so the body is parsed first: bounded (size,
      // depth) and nothing acts on it before the signature holds.
      let event: ZaloEvent;
      try {
        event = parseZaloEvent(raw.toString('utf8'));
      } catch {
        return reply.code(403).send({ message: 'forbidden' });
      }
      const check = verifyZaloSignature({
        header,
        rawBody: raw,
        timestamp: event.timestamp,
        appId: deps.config.ZALO_APP_ID,
        oaSecretKey: deps.config.ZALO_OA_SECRET_KEY,
        now: now(),
      });
      if (!check.ok) {
        deps.log.warn({ reason: check.reason, event: event.eventName }, 'Zalo webhook refused');
        return reply.code(403).send({ message: 'forbidden' });
      }
      if (!accept(event)) {
        deps.log.warn({ channel: 'zalo', queued: work.size }, 'Zalo work queue full; delivery refused for a retry');
        return reply.code(503).header('retry-after', '5').send({ message: 'busy' });
      }
      return reply.code(200).send({ ok: true });
    });
  });

  return { drain };
}

async function dispatch(event: ZaloEvent, deps: ZaloRoutesDeps, notices: NoticeLimiter): Promise<void> {
  const { eventName, userId } = event;
  if (!userId) return;

  if (eventName === 'user_send_text') {
    if (!event.msgId || event.text === null) {
      deps.log.warn({ event: eventName }, 'Zalo text event without msg_id or text; skipped');
      return;
    }
    // Any text ends the wait for a rating; only a bare 1–5 right after the prompt is one.
    const awaitingRating = (await deps.ratingPrompts?.take(userId)) ?? false;
    const score = awaitingRating ? RATING_REPLY.exec(event.text)?.[1] : undefined;
    await deps.inbound.handle({
      channel: 'zalo',
      userId,
      messageId: event.msgId,
      text: event.text,
      ...(score ? { payload: `RATE:${score}` } : {}),
      ...(event.timestamp ? { sentAt: new Date(Number(event.timestamp)).toISOString() } : {}),
    });
    return;
  }

  // Pictures, stickers, voice, files, locations, links…: only text is read. Said once in a while,
  // not to every sticker (nor to Zalo's retries of one).
  if (eventName.startsWith('user_send_')) {
    if (deps.sender && notices.take(`notice:${userId}`)) await deps.sender.send(userId, { author: 'bot', text: cannedReply('text_only') });
    return;
  }

  if (eventName === 'follow') {
    if (deps.sender && notices.take(`greeting:${userId}`)) await deps.sender.send(userId, { author: 'bot', text: cannedReply('greeting') });
    return;
  }
  // oa_send_* (the OA's own echoes), user_received_message, user_seen_message, unfollow…: nothing to do.
}

/** At most one notice per key per interval, in process (a lost notice costs nothing). */
class NoticeLimiter {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  take(key: string): boolean {
    const t = this.now();
    const prev = this.last.get(key);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    if (this.last.size > 10_000) for (const [k, at] of this.last) if (t - at >= this.intervalMs) this.last.delete(k);
    this.last.set(key, t);
    return true;
  }
}
