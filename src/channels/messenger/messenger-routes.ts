import type { FastifyInstance } from 'fastify';
import { cannedReply } from '../../domain/canned-replies.js';
import type { ChannelSender } from '../channel-sender.js';
import type { InboundHandler } from '../handle-inbound.js';
import { KeyedWorkQueue, type KeyedWorkQueueOptions } from '../keyed-work-queue.js';
import { isPageDelivery, type MessengerEvent, parseMessengerEvents } from './messenger-events.js';
import { secretsEqual, verifyMessengerSignature } from './messenger-signature.js';
import type { MessengerContacts } from './sqlite-messenger-contacts.js';

export interface MessengerRoutesDeps {
  inbound: Pick<InboundHandler, 'handle'>;
  config: { MESSENGER_APP_SECRET: string; MESSENGER_VERIFY_TOKEN: string };
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** The Messenger sender (also registered in `ChannelSenders`): typing indicator, "text only" notice. */
  sender: ChannelSender;
  /** Last message time per PSID (shared with the sender) and the hourly "text only" notice. */
  contacts: MessengerContacts;
  /** Bounds of the after-200 work queue. */
  work?: Omit<KeyedWorkQueueOptions, 'log'>;
  /** How long an answer may take before the typing indicator is sent (default 400 ms). */
  typingAfterMs?: number;
  now?: () => number;
}

export interface MessengerRoutes {
  /** The work accepted but not finished; `drain()` before closing the stores on shutdown. */
  work: KeyedWorkQueue;
}

const TEXT_ONLY_NOTICE_INTERVAL_MS = 60 * 60_000;
/** Meta's challenges are short numbers; anything else is not echoed. */
const CHALLENGE = /^[A-Za-z0-9._-]{1,256}$/;

/**
 * `GET /webhooks/messenger` (subscription handshake) and `POST /webhooks/messenger` (events).
 * Mounted in an encapsulated plugin whose JSON parser keeps the raw bytes, which the signature is
 * computed over; the rest of the app keeps Fastify's own parser. A POST is verified before
 * anything is read, answered 200 at once, and its messages are handled afterwards by a bounded
 * queue (one citizen's messages in order). Call before `app.ready()`.
 */
/** How long an answer may take before the citizen sees the typing indicator. */
const TYPING_AFTER_MS = 400;

export function registerMessengerRoutes(app: FastifyInstance, deps: MessengerRoutesDeps): MessengerRoutes {
  const { config, log } = deps;
  const now = deps.now ?? Date.now;
  const work = new KeyedWorkQueue({ ...deps.work, log });

  void app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.get('/webhooks/messenger', async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const token = query['hub.verify_token'];
      const challenge = query['hub.challenge'];
      if (
        query['hub.mode'] === 'subscribe' &&
        typeof token === 'string' &&
        secretsEqual(token, config.MESSENGER_VERIFY_TOKEN) &&
        typeof challenge === 'string' &&
        CHALLENGE.test(challenge)
      ) {
        log.info({ channel: 'messenger' }, 'messenger webhook subscription verified');
        return reply.header('x-content-type-options', 'nosniff').type('text/plain; charset=utf-8').send(challenge);
      }
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
    });

    scope.post('/webhooks/messenger', async (request, reply) => {
      const raw = request.body;
      const signature = request.headers['x-hub-signature-256'];
      // Verified before anything of the body is read; no detail in the refusal.
      if (!signature) return reply.code(401).type('text/plain; charset=utf-8').send('Unauthorized');
      if (!Buffer.isBuffer(raw) || !verifyMessengerSignature(raw, signature, config.MESSENGER_APP_SECRET)) {
        log.warn({ channel: 'messenger' }, 'messenger webhook signature rejected');
        return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden');
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).type('text/plain; charset=utf-8').send('Bad Request');
      }
      if (!isPageDelivery(body)) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');

      const events = parseMessengerEvents(body).filter((e): e is Exclude<MessengerEvent, { kind: 'skip' }> => e.kind !== 'skip');
      // Full: refuse the whole delivery so Meta sends it again later, rather than lose part of it.
      if (!work.hasRoom(events.length)) {
        log.warn({ channel: 'messenger', queued: work.size }, 'messenger work queue full; delivery refused for a retry');
        return reply.code(503).header('retry-after', '5').type('text/plain; charset=utf-8').send('Busy');
      }
      for (const event of events) work.push(event.psid, () => handleEvent(event));
      return reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED');
    });
  });

  async function handleEvent(event: Exclude<MessengerEvent, { kind: 'skip' }>): Promise<void> {
    await deps.contacts.recordInbound(event.psid, event.at);
    if (event.kind === 'attachment') {
      // Images, voice, stickers: nothing to read. Said once an hour at most, not to every sticker.
      if (await deps.contacts.takeTextOnlyNotice(event.psid, now(), TEXT_ONLY_NOTICE_INTERVAL_MS)) {
        await deps.sender.send(event.psid, { author: 'bot', text: cannedReply('text_only') });
      }
      return;
    }
    // Typing shows only when the answer takes a while (an LLM composing): a grounded answer comes
    // in milliseconds, and a typing call per message doubled the Send API traffic of a busy hour.
    // Best effort; it never fails the message.
    let typing: Promise<unknown> | undefined;
    const timer = setTimeout(() => {
      typing = deps.sender.typing?.(event.psid, true).catch(() => undefined);
    }, deps.typingAfterMs ?? TYPING_AFTER_MS);
    let result;
    try {
      result = await deps.inbound.handle(event.message);
    } finally {
      clearTimeout(timer);
    }
    if (typing) {
      await typing;
      if (result.replies.length === 0) await deps.sender.typing?.(event.psid, false).catch(() => undefined);
    }
  }

  return { work };
}
