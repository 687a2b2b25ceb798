import { randomUUID } from 'node:crypto';
import { CitationSchema, OptionSchema } from '../schemas.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MiniAppAuthStore } from '../../channels/mini-app/miniapp-auth-store.js';
import { MiniAppAuthenticator } from '../../channels/mini-app/miniapp-authenticator.js';
import { MiniAppConversationStore } from '../../channels/mini-app/miniapp-conversation-store.js';
import { registerMiniAppCors } from '../../channels/mini-app/miniapp-cors.js';
import { buildMiniAppHistory } from '../../channels/mini-app/miniapp-history.js';
import { RAW_USER_ID, miniAppUserKey } from '../../channels/mini-app/miniapp-user-id.js';
import { MINI_APP_CHANNEL, MiniAppSender } from '../../channels/mini-app/mini-app-sender.js';
import type { ChannelSenders, OutboundMessage } from '../../channels/channel-sender.js';
import type { InboundHandler, InboundResult } from '../../channels/handle-inbound.js';
import { ANSWER_STATUSES, type AnswerStatus } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { SessionStore } from '../../domain/conversation.js';
import type { HandoffQueue } from '../../handoff/handoff-queue.js';
import { hashUser } from '../../pipeline/answer-service.js';
import type { QaLogStore } from '../../qa-log/qa-log-store.js';
import { errorRef } from '../errors.js';
import { streamPieces } from './stream-pieces.js';

/*
 * iHanoi mini-app API, /api/v1/miniapp/… (full description: docs/miniapp-api.md).
 *
 * Authentication, per app (MINIAPP_KEYS = {"<app id>": "<secret>"}), on every route but the
 * CORS preflight:
 *   (a) signed request — headers
 *         x-app-id:    the app id
 *         x-timestamp: Unix time in milliseconds (decimal)
 *         x-nonce:     16–128 characters [A-Za-z0-9_-], never reused by the app
 *         x-signature: hex( HMAC-SHA256( secret,
 *                        METHOD + "\n" + PATH_WITH_QUERY + "\n" + TIMESTAMP + "\n" + NONCE + "\n"
 *                        + hex(SHA256(raw body bytes)) ) )
 *       accepted when |server time − x-timestamp| ≤ 5 minutes, the signature matches (constant-time
 *       compare), and the (app id, nonce) pair was not seen within the window (kept in
 *       `${dataDir}/channels.sqlite`, shared by all workers);
 *   (b) `Authorization: Bearer <token>`, the token from `POST /api/v1/miniapp/token` (which must
 *       itself be signed); random 256 bits, only its SHA-256 stored, valid 1 hour; issued with
 *       `x-user-id`, it is bound to that user.
 * Anything else → 401 `{error:"unauthorized"}` before the body is parsed or anything is stored.
 *
 * The citizen: `x-user-id` (the iHanoi user id, opaque), stored only as a keyed hash
 * (miniAppUserKey); the conversation is channel `mini_app` + that key.
 */

/** What the mini-app API needs from the composition root. */
export interface MiniAppApiDeps {
  inbound: Pick<InboundHandler, 'handle'>;
  sessions: SessionStore;
  qaLog: QaLogStore;
  handoff: HandoffQueue;
  /** The `mini_app` sender is registered here, so officers' notices reach the mini-app's history. */
  senders?: ChannelSenders;
  config: { MINIAPP_KEYS: Readonly<Record<string, string>> | undefined; MINIAPP_CORS_ORIGINS: readonly string[] };
  /** Where `channels.sqlite` lives (DATA_DIR); ':memory:' for tests that run one process. */
  dataDir: string | ':memory:';
  log: { warn(obj: object, msg: string): void };
  now?: () => number;
}

const PREFIX = '/api/v1/miniapp';
const MAX_MESSAGE_CHARS = 20_000;

interface Caller {
  appId: string;
  via: 'signature' | 'bearer';
  /** The hashed citizen, when the request named one (or the token is bound to one). */
  userKey: string | null;
}

const ReplySchema = {
  type: 'object',
  required: ['author', 'text'],
  properties: {
    author: { type: 'string', enum: ['bot', 'staff', 'system'] },
    text: { type: 'string' },
    citations: { type: 'array', items: CitationSchema },
    options: { type: 'array', items: OptionSchema },
    offer_handoff: { type: 'boolean' },
    ask_rating: { type: 'boolean' },
  },
} as const;
const AuthHeaders = {
  type: 'object',
  properties: {
    'x-user-id': { type: 'string', description: 'The iHanoi user id (opaque); stored only as a keyed hash' },
    'x-app-id': { type: 'string' },
    'x-timestamp': { type: 'string', description: 'Unix time in ms' },
    'x-nonce': { type: 'string' },
    'x-signature': { type: 'string', description: 'hex HMAC-SHA256, see docs/miniapp-api.md' },
    authorization: { type: 'string', description: 'Bearer <token> from POST /api/v1/miniapp/token' },
  },
} as const;

const ChatBodySchema = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string', maxLength: MAX_MESSAGE_CHARS, description: 'What the citizen typed (may be empty when `payload` is set)' },
    payload: { type: 'string', maxLength: 200, description: 'A tapped option id, `HANDOFF`, `RATE:<1-5>`, `RATE_USEFUL:yes|no`' },
    message_id: { type: 'string', minLength: 1, maxLength: 128, description: "The client's id of this message: a retry with the same id is not answered twice" },
  },
} as const;

const ChatResponseSchema = {
  type: 'object',
  required: ['session_id', 'status', 'text', 'citations', 'handoff', 'replies', 'outcome'],
  properties: {
    session_id: { type: 'string' },
    status: { type: 'string', enum: [...ANSWER_STATUSES] },
    outcome: { type: 'string', enum: ['answered', 'forwarded', 'rated', 'flow'] },
    text: { type: 'string' },
    citations: { type: 'array', items: CitationSchema },
    options: { type: 'array', items: OptionSchema },
    handoff: { type: 'boolean', description: 'True while an officer holds, or is about to take, the conversation' },
    queue_position: { type: ['integer', 'null'] },
    replies: { type: 'array', items: ReplySchema },
  },
} as const;

interface ChatBody {
  message: string;
  payload?: string;
  message_id?: string;
}
interface RatingBody {
  useful?: boolean;
  score?: number;
}

/**
 * Mounts /api/v1/miniapp in its own encapsulated plugin: the raw-body JSON parser, the CORS hook
 * and the authentication hook apply to these routes only.
 */
export async function registerMiniAppApi(app: FastifyInstance, deps: MiniAppApiDeps): Promise<void> {
  const keys = deps.config.MINIAPP_KEYS;
  if (!keys || Object.keys(keys).length === 0) throw new Error('registerMiniAppApi: MINIAPP_KEYS is empty');
  const now = deps.now ?? Date.now;
  const location = deps.dataDir === ':memory:' ? (':memory:' as const) : { dataDir: deps.dataDir };
  const authStore = new MiniAppAuthStore(location, now);
  const conversations = new MiniAppConversationStore(location, undefined, now);
  const auth = new MiniAppAuthenticator(keys, authStore, { now });
  deps.senders?.register(new MiniAppSender(conversations));
  // Remember each mini-app citizen's latest handoff, so the history still shows it once closed.
  const unsubscribe = deps.handoff.subscribe((event) => {
    if (event.type === 'queued' && event.conversation.channel === MINI_APP_CHANNEL) {
      conversations.rememberConversation(event.conversation.userId, event.conversation.id);
    }
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    authStore.close();
    conversations.close();
  });

  const callers = new WeakMap<FastifyRequest, Caller>();
  const caller = (request: FastifyRequest): Caller => callers.get(request)!;

  await app.register(
    async (api) => {
      registerMiniAppCors(api, deps.config.MINIAPP_CORS_ORIGINS);

      // The signature covers the raw bytes: keep them, and parse the JSON only after the check.
      api.removeContentTypeParser('application/json');
      api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

      api.addHook('preValidation', async (request, reply) => {
        if (request.method === 'OPTIONS') return undefined;
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = auth.authenticate({ method: request.method, url: request.raw.url ?? request.url, headers: request.headers, body: raw });
        if (!result.ok) {
          deps.log.warn({ reason: result.reason, url: request.url, appId: request.headers['x-app-id'] }, 'mini-app request refused');
          return reply.code(401).send({ error: 'unauthorized', message: 'Authentication failed' });
        }
        const rawUser = request.headers['x-user-id'];
        let userKey: string | null = null;
        if (rawUser !== undefined) {
          if (typeof rawUser !== 'string' || !RAW_USER_ID.test(rawUser)) {
            return reply.code(400).send({ error: 'bad_request', message: 'x-user-id must be 1–128 visible ASCII characters' });
          }
          userKey = miniAppUserKey(auth.secretOf(result.appId)!, result.appId, rawUser);
        }
        // A token issued for one citizen acts only as that citizen.
        if (result.boundUserKey) {
          if (userKey !== null && userKey !== result.boundUserKey) {
            return reply.code(403).send({ error: 'forbidden', message: 'This token belongs to another user' });
          }
          userKey = result.boundUserKey;
        }
        callers.set(request, { appId: result.appId, via: result.via, userKey });
        if (raw.length > 0) {
          try {
            request.body = JSON.parse(raw.toString('utf8')) as unknown;
          } catch {
            return reply.code(400).send({ error: 'bad_request', message: 'Body is not valid JSON' });
          }
        } else {
          request.body = undefined;
        }
        return undefined;
      });

      const needUser = (request: FastifyRequest, reply: FastifyReply): string | null => {
        const key = caller(request).userKey;
        if (key === null) void reply.code(400).send({ error: 'bad_request', message: 'x-user-id header is required' });
        return key;
      };

      api.post(
        '/token',
        {
          schema: {
            tags: ['miniapp'],
            summary: 'Issue a bearer token for the app (signed request only)',
            description: 'Valid one hour. With `x-user-id`, the token is bound to that user and cannot act as another.',
            headers: AuthHeaders,
            response: {
              200: {
                type: 'object',
                required: ['token', 'token_type', 'expires_at', 'expires_in'],
                properties: { token: { type: 'string' }, token_type: { type: 'string' }, expires_at: { type: 'string' }, expires_in: { type: 'integer' } },
              },
              401: errorRef,
            },
          },
        },
        async (request, reply) => {
          const c = caller(request);
          // A token must not mint tokens: that would make a leaked token live for ever.
          if (c.via !== 'signature') return reply.code(401).send({ error: 'unauthorized', message: 'Authentication failed' });
          const { token, expiresAt } = auth.issueToken(c.appId, c.userKey);
          return { token, token_type: 'Bearer', expires_at: new Date(expiresAt).toISOString(), expires_in: Math.round((expiresAt - now()) / 1000) };
        },
      );

      const chatSchema = (summary: string, description: string, response: Record<number, unknown>) => ({
        tags: ['miniapp'],
        summary,
        description,
        headers: AuthHeaders,
        body: ChatBodySchema,
        response,
      });

      const inboundOf = (request: FastifyRequest<{ Body: ChatBody }>, reply: FastifyReply) => {
        const userKey = needUser(request, reply);
        if (userKey === null) return null;
        const { message, payload, message_id } = request.body;
        if (!message.trim() && !payload) {
          void reply.code(400).send({ error: 'bad_request', message: 'message must not be empty', hint: cannedReply('empty') });
          return null;
        }
        return {
          channel: MINI_APP_CHANNEL,
          // Namespaced by app, so two apps' message ids never collide in the dedupe table.
          messageId: `${caller(request).appId}:${message_id ?? randomUUID()}`,
          userId: userKey,
          text: message,
          ...(payload ? { payload } : {}),
        };
      };

      api.post<{ Body: ChatBody }>(
        '/chat',
        {
          schema: chatSchema('Send the citizen’s message; the answer comes back in the response', 'Runs the same inbound path as every channel (handoff, ratings, flows, answer pipeline).', {
            200: ChatResponseSchema,
            400: errorRef,
            401: errorRef,
            403: errorRef,
            409: errorRef,
            429: errorRef,
          }),
        },
        async (request, reply) => {
          const msg = inboundOf(request, reply);
          if (!msg) return reply;
          const ac = new AbortController();
          reply.raw.once('close', () => {
            if (!reply.raw.writableFinished) ac.abort();
          });
          const result = await deps.inbound.handle(msg, { deliver: false, signal: ac.signal });
          if (result.outcome === 'duplicate' || result.outcome === 'stale') {
            return reply.code(409).send({ error: 'conflict', message: 'This message_id was already handled' });
          }
          if (result.outcome === 'limited') {
            return reply.code(429).header('retry-after', '5').send({ error: 'too_many_requests', message: 'Too many messages from this user', hint: cannedReply('rate_limited') });
          }
          return chatBody(msg.userId, result, await openHandoff(msg.userId, result));
        },
      );

      api.post<{ Body: ChatBody }>(
        '/chat/stream',
        {
          schema: chatSchema(
            'Same as /chat, as server-sent events',
            'Events: `meta` {session_id}, `delta` {text} pieces, `citations` [...], `done` {status, outcome, options?, handoff, queue_position, replies}; `error` {status, text} when the message was refused (rate limit, duplicate) or failed.',
            { 400: errorRef, 401: errorRef, 403: errorRef },
          ),
        },
        async (request, reply) => {
          const msg = inboundOf(request, reply);
          if (!msg) return reply;
          const ac = new AbortController();
          reply.hijack();
          const raw = reply.raw;
          raw.on('close', () => ac.abort());
          // Hijacked: the CORS header set by the hook must be copied onto the raw response.
          const headers: Record<string, string> = {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            connection: 'keep-alive',
            'x-accel-buffering': 'no',
            vary: 'Origin',
          };
          const allowOrigin = reply.getHeader('access-control-allow-origin');
          if (typeof allowOrigin === 'string') headers['access-control-allow-origin'] = allowOrigin;
          raw.writeHead(200, headers);
          const send = (event: string, data: unknown) => {
            if (!raw.writableEnded && !raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
          };
          try {
            send('meta', { session_id: msg.userId });
            const result = await deps.inbound.handle(msg, { deliver: false, signal: ac.signal });
            if (result.outcome === 'duplicate' || result.outcome === 'stale') {
              send('error', { status: 'duplicate', text: '' });
            } else if (result.outcome === 'limited') {
              send('error', { status: 'rate_limited', text: cannedReply('rate_limited') });
            } else {
              const body = chatBody(msg.userId, result, await openHandoff(msg.userId, result));
              for (const piece of streamPieces(body.text)) send('delta', { text: piece });
              send('citations', body.citations);
              const { session_id: _s, text: _t, citations: _c, ...done } = body;
              send('done', done);
            }
          } catch (err) {
            request.log.error({ err }, 'mini-app chat stream failed');
            send('error', { status: 'error_internal', text: cannedReply('error_internal') });
          } finally {
            raw.end();
          }
        },
      );

      api.get<{ Querystring: { since?: string } }>(
        '/conversation',
        {
          schema: {
            tags: ['miniapp'],
            summary: 'The conversation so far, for the mini-app to show and to poll for officer replies',
            headers: AuthHeaders,
            querystring: { type: 'object', properties: { since: { type: 'string', format: 'date-time', description: 'Only items after this time' } } },
            response: { 400: errorRef, 401: errorRef, 403: errorRef },
          },
        },
        async (request, reply) => {
          const userKey = needUser(request, reply);
          if (userKey === null) return reply;
          return buildMiniAppHistory({ sessions: deps.sessions, handoff: deps.handoff, store: conversations }, userKey, request.query.since);
        },
      );

      api.post<{ Body: RatingBody }>(
        '/rating',
        {
          schema: {
            tags: ['miniapp'],
            summary: 'Rate the conversation: useful or not, and/or 1–5',
            description: 'A negative rating (not useful, or 1–2) offers an officer: the reply has `offer_handoff`.',
            headers: AuthHeaders,
            body: {
              type: 'object',
              properties: { useful: { type: 'boolean' }, score: { type: 'integer', minimum: 1, maximum: 5 } },
            },
            response: {
              200: {
                type: 'object',
                required: ['recorded', 'offer_handoff', 'replies'],
                properties: { recorded: { type: 'boolean' }, offer_handoff: { type: 'boolean' }, replies: { type: 'array', items: ReplySchema } },
              },
              400: errorRef,
              401: errorRef,
              403: errorRef,
              429: errorRef,
            },
          },
        },
        async (request, reply) => {
          const userKey = needUser(request, reply);
          if (userKey === null) return reply;
          const { useful, score } = request.body ?? {};
          if (useful === undefined && score === undefined) return reply.code(400).send({ error: 'bad_request', message: 'useful or score is required' });

          // While an officer holds the conversation the inbound path would forward the rating to
          // them as a message; it is a rating, so it is recorded as one, once.
          if (await deps.handoff.findOpen(MINI_APP_CHANNEL, userKey)) {
            await deps.qaLog.recordRating?.({
              id: randomUUID(),
              at: new Date(now()).toISOString(),
              channel: MINI_APP_CHANNEL,
              userKey: hashUser({ channel: MINI_APP_CHANNEL, userId: userKey }),
              sessionId: userKey,
              useful: useful ?? null,
              score: score ?? null,
            });
            return { recorded: true, offer_handoff: false, replies: [toReply({ author: 'bot', text: cannedReply('rating_thanks') })] };
          }

          // Otherwise the shared inbound path records it and applies the policy (a negative
          // rating offers a person, and a request that follows is a `negative_rating` handoff).
          const payloads = [...(useful !== undefined ? [`RATE_USEFUL:${useful ? 'yes' : 'no'}`] : []), ...(score !== undefined ? [`RATE:${score}`] : [])];
          let last: InboundResult | undefined;
          for (const payload of payloads) {
            const result = await deps.inbound.handle(
              { channel: MINI_APP_CHANNEL, userId: userKey, messageId: `${caller(request).appId}:${randomUUID()}`, text: payload, payload },
              { deliver: false },
            );
            if (result.outcome === 'limited') {
              return reply.code(429).header('retry-after', '5').send({ error: 'too_many_requests', message: 'Too many messages from this user', hint: cannedReply('rate_limited') });
            }
            last = result;
          }
          const replies = last?.replies ?? [];
          return { recorded: last?.outcome === 'rated', offer_handoff: replies.some((r) => r.offerHandoff === true), replies: replies.map(toReply) };
        },
      );
    },
    { prefix: PREFIX },
  );

  /** After a message: is an officer holding or about to take the conversation, and where in line. */
  async function openHandoff(userKey: string, result: InboundResult): Promise<{ open: boolean; position: number | null }> {
    if (result.handoff) conversations.rememberConversation(userKey, result.handoff.conversationId);
    const open = await deps.handoff.findOpen(MINI_APP_CHANNEL, userKey);
    if (!open) return { open: false, position: null };
    return { open: true, position: open.status === 'waiting' ? await deps.handoff.position(open.id) : null };
  }
}

/** The chat response: the pipeline's turn when it ran, else what the inbound path replied. */
function chatBody(userKey: string, result: InboundResult, handoff: { open: boolean; position: number | null }) {
  const turn = result.turn;
  const status: AnswerStatus = turn ? turn.status : result.outcome === 'forwarded' ? 'handoff_staff' : 'answered_smalltalk';
  const options = turn?.options ?? result.replies.find((r) => r.options?.length)?.options;
  return {
    session_id: userKey,
    status,
    outcome: result.outcome,
    text: turn ? turn.text : result.replies.map((r) => r.text).join('\n\n'),
    citations: turn?.citations ?? [],
    ...(options?.length ? { options } : {}),
    handoff: handoff.open,
    queue_position: handoff.position,
    replies: result.replies.map(toReply),
  };
}

function toReply(message: OutboundMessage) {
  return {
    author: message.author,
    text: message.text,
    ...(message.citations?.length ? { citations: message.citations } : {}),
    ...(message.options?.length ? { options: message.options } : {}),
    ...(message.offerHandoff ? { offer_handoff: true } : {}),
    ...(message.askRating ? { ask_rating: true } : {}),
  };
}
