import { randomUUID } from 'node:crypto';
import { CitationSchema, OptionSchema } from '../schemas.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OutboundMessage } from '../../channels/channel-sender.js';
import type { InboundHandler, InboundResult } from '../../channels/handle-inbound.js';
import type { WebOutbox } from '../../channels/web/sqlite-web-outbox.js';
import { ANSWER_STATUSES, type AnswerStatus } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import { errorRef } from '../errors.js';
import { streamPieces } from './stream-pieces.js';

/** What the web chat routes need from the composition root. */
export interface WebChatRouteDeps {
  /** The shared inbound path (dedupe → limit → handoff → ratings → flows → pipeline). */
  inbound: Pick<InboundHandler, 'handle'>;
  /** Where the web sender writes officer replies and queue notices; read by `/api/v1/chat/events`. */
  outbox: Pick<WebOutbox, 'after'>;
  /** How often an open event stream looks for new outbox entries (default 500 ms). */
  pollMs?: number;
  /** Comment line sent on an idle event stream so proxies keep it open (default 15 s). */
  keepAliveMs?: number;
  /** An event stream is ended after this long; the browser reconnects with Last-Event-ID (default 30 min). */
  maxStreamMs?: number;
}

interface ChatBody {
  session_id?: string;
  message: string;
  channel?: 'web';
  payload?: string;
  message_id?: string;
}

/** A message this long is an abuse of the API, not a question; shorter ones are cut with a notice. */
const MAX_BODY_MESSAGE_CHARS = 20_000;
const ID_PATTERN = '^[A-Za-z0-9_-]+$';

const ChatRequestSchema = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    session_id: { type: 'string', minLength: 8, maxLength: 64, pattern: ID_PATTERN, description: 'Omit on the first message; send back the one you received' },
    message: { type: 'string', minLength: 1, maxLength: MAX_BODY_MESSAGE_CHARS },
    // Web only: the mini-app has its own signed API (/api/v1/miniapp), and its session id is the
    // citizen's key there, so accepting `mini_app` here would let an unsigned request act as them.
    channel: { type: 'string', enum: ['web'], default: 'web' },
    payload: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9_.:-]+$',
      description: 'A button the citizen pressed: `HANDOFF` ("Gặp cán bộ"), `RATE:1`…`RATE:5`, `RATE_USEFUL:yes|no`, or a clarification option id',
    },
    message_id: {
      type: 'string',
      minLength: 8,
      maxLength: 64,
      pattern: ID_PATTERN,
      description: 'Client id of this message; a retry with the same id is not answered twice (409)',
    },
  },
} as const;



/** A further message of the same turn (a queue notice, a rating thank-you), as the browser renders it. */
const ReplySchema = {
  type: 'object',
  required: ['author', 'text'],
  properties: {
    author: { type: 'string', enum: ['bot', 'staff', 'system'] },
    text: { type: 'string' },
    citations: { type: 'array', items: CitationSchema },
    options: { type: 'array', items: OptionSchema },
    offerHandoff: { type: 'boolean' },
    askRating: { type: 'boolean' },
    staffName: { type: 'string' },
  },
} as const;

const OUTCOMES = ['answered', 'forwarded', 'flow', 'rated', 'limited', 'duplicate', 'stale'] as const;

const ChatResponseSchema = {
  type: 'object',
  required: ['session_id', 'status', 'text', 'citations', 'handoff', 'replies', 'outcome'],
  properties: {
    session_id: { type: 'string' },
    status: { type: 'string', enum: [...ANSWER_STATUSES] },
    text: { type: 'string' },
    citations: { type: 'array', items: CitationSchema },
    options: { type: 'array', items: OptionSchema },
    handoff: { type: 'boolean' },
    aspect: { type: ['string', 'null'] },
    offer_handoff: { type: 'boolean' },
    replies: { type: 'array', items: ReplySchema },
    outcome: { type: 'string', enum: [...OUTCOMES] },
  },
} as const;

/** The JSON body of one turn, built from what the inbound path returned. */
export interface WebChatBody {
  session_id: string;
  status: AnswerStatus;
  text: string;
  citations: NonNullable<OutboundMessage['citations']>;
  options?: NonNullable<OutboundMessage['options']>;
  handoff: boolean;
  aspect: string | null;
  offer_handoff?: boolean;
  /** Messages after the first (a queue notice after "Gặp cán bộ", …). */
  replies: OutboundMessage[];
  /** What the inbound path did; `status` alone cannot say "a rating was recorded". */
  outcome: InboundResult['outcome'];
}

/**
 * Turns without a pipeline answer (a rating, a message forwarded to an officer, a flow step)
 * still need a status from the public list: the nearest one, with `outcome` saying exactly.
 */
const STATUS_WITHOUT_TURN: Record<InboundResult['outcome'], AnswerStatus> = {
  answered: 'answered',
  forwarded: 'handoff_staff',
  flow: 'answered_smalltalk',
  rated: 'answered_smalltalk',
  limited: 'error_internal',
  duplicate: 'error_internal',
  stale: 'error_internal',
};

export function toWebChatBody(result: InboundResult, sessionId: string): WebChatBody {
  const [first, ...rest] = result.replies;
  const turn = result.turn;
  const offer = first?.offerHandoff === true;
  return {
    session_id: result.sessionId ?? sessionId,
    status: turn?.status ?? STATUS_WITHOUT_TURN[result.outcome],
    // The first reply, not the turn's text: the inbound path may have replaced it (two unanswered turns).
    text: first?.text ?? '',
    citations: first?.citations ?? [],
    ...(first?.options?.length ? { options: first.options } : {}),
    handoff: Boolean(turn?.handoff || result.handoff),
    aspect: turn?.aspect ?? null,
    ...(offer ? { offer_handoff: true } : {}),
    replies: rest,
    outcome: result.outcome,
  };
}

/** Seconds a limited client is asked to wait; the inbound limiter does not say how long. */
const LIMITED_RETRY_AFTER_S = 5;

function inboundOf(body: ChatBody, sessionId: string) {
  return {
    channel: body.channel ?? 'web',
    userId: sessionId,
    messageId: body.message_id ?? randomUUID(),
    text: body.message,
    ...(body.payload ? { payload: body.payload } : {}),
    style: 'chat' as const,
  };
}

/** Aborts the turn when the client goes away before the response finished. */
function abortOnClose(reply: FastifyReply): AbortController {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac;
}

function sseHeaders(reply: FastifyReply, request: FastifyRequest): Record<string, string> {
  // Hijacked replies skip Fastify's onSend hooks: copy the CORS headers the hook already set.
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  };
  for (const name of ['access-control-allow-origin', 'access-control-expose-headers', 'vary']) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/**
 * The web chat API through the shared inbound path (channel `web`, userId = the session id,
 * replies returned in the response rather than pushed): `/api/v1/chat` (JSON),
 * `/api/v1/chat/stream` (server-sent events) and `/api/v1/chat/events` (officer replies and
 * queue notices written to the outbox by the web sender, streamed to the browser).
 */
export function registerWebChatRoutes(app: FastifyInstance, deps: WebChatRouteDeps): void {
  const pollMs = deps.pollMs ?? 500;
  const keepAliveMs = deps.keepAliveMs ?? 15_000;
  const maxStreamMs = deps.maxStreamMs ?? 30 * 60_000;
  // Open event streams, ended before the server closes (preClose) so app.close() does not wait
  // on them: server.close() waits for every open connection.
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });

  app.post<{ Body: ChatBody }>(
    '/api/v1/chat',
    {
      schema: {
        tags: ['chat'],
        summary: 'Ask the assistant one message of a conversation',
        description:
          'Answers from the official procedure records, citing them; asks back when the question is ambiguous. `payload` carries a pressed button (`HANDOFF`, `RATE:n`, `RATE_USEFUL:yes|no`, an option id); `replies` holds further messages of the turn (queue notices). When an officer holds the conversation the message goes to them (`outcome: forwarded`) and their replies arrive on `/api/v1/chat/events`.',
        body: ChatRequestSchema,
        response: { 200: ChatResponseSchema, 400: errorRef, 409: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const sessionId = request.body.session_id ?? randomUUID();
      const ac = abortOnClose(reply);
      const result = await deps.inbound.handle(inboundOf(request.body, sessionId), { deliver: false, signal: ac.signal });
      if (result.outcome === 'limited') {
        return reply
          .code(429)
          .header('retry-after', String(LIMITED_RETRY_AFTER_S))
          .send({ error: 'too_many_requests', message: 'Too many messages in this conversation; retry shortly', hint: cannedReply('rate_limited') });
      }
      if (result.outcome === 'duplicate' || result.outcome === 'stale') {
        return reply.code(409).send({ error: 'duplicate', message: 'This message_id was already handled' });
      }
      return toWebChatBody(result, sessionId);
    },
  );

  app.post<{ Body: ChatBody }>(
    '/api/v1/chat/stream',
    {
      schema: {
        tags: ['chat'],
        summary: 'Same as /api/v1/chat, as server-sent events',
        description:
          'Events: `meta` {session_id}, then `delta` {text} pieces, `citations` [...], `replies` [...] (further messages, when there are any), `done` {status, outcome, options?, handoff, offer_handoff?, aspect}; `error` {status, text} instead when the turn failed or was rate limited. The answer is checked against the records before the first delta.',
        body: ChatRequestSchema,
        response: { 400: errorRef },
      },
    },
    async (request, reply) => {
      const sessionId = request.body.session_id ?? randomUUID();
      const ac = new AbortController();
      const headers = sseHeaders(reply, request);
      reply.hijack();
      const raw = reply.raw;
      raw.on('close', () => ac.abort());
      raw.writeHead(200, headers);
      const send = (event: string, data: unknown) => {
        if (!raw.writableEnded && !raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      try {
        // The session id goes first so the browser can open its event stream while the answer is written.
        send('meta', { session_id: sessionId });
        const result = await deps.inbound.handle(inboundOf(request.body, sessionId), { deliver: false, signal: ac.signal });
        if (result.outcome === 'limited') {
          send('error', { status: 'rate_limited', text: cannedReply('rate_limited'), retry_after: LIMITED_RETRY_AFTER_S });
          return;
        }
        if (result.outcome === 'duplicate' || result.outcome === 'stale') {
          send('error', { status: 'duplicate', text: '' });
          return;
        }
        const body = toWebChatBody(result, sessionId);
        for (const piece of streamPieces(body.text)) send('delta', { text: piece });
        send('citations', body.citations);
        if (body.replies.length) send('replies', body.replies);
        send('done', {
          status: body.status,
          outcome: body.outcome,
          ...(body.options ? { options: body.options } : {}),
          handoff: body.handoff,
          ...(body.offer_handoff ? { offer_handoff: true } : {}),
          aspect: body.aspect,
        });
      } catch (err) {
        request.log.error({ err }, 'chat stream failed');
        send('error', { status: 'error_internal', text: cannedReply('error_internal') });
      } finally {
        raw.end();
      }
    },
  );

  app.get<{ Querystring: { session_id: string; after?: number } }>(
    '/api/v1/chat/events',
    {
      schema: {
        tags: ['chat'],
        summary: 'Officer replies and queue notices for a web conversation, as server-sent events',
        description:
          'Each `message` event has `id` (resume with `Last-Event-ID` or `after`) and data {author: bot|staff|system, text, citations?, options?, offerHandoff?, askRating?, staffName?, at}. Comment lines keep the stream open.',
        querystring: {
          type: 'object',
          required: ['session_id'],
          properties: {
            session_id: { type: 'string', minLength: 8, maxLength: 64, pattern: ID_PATTERN },
            after: { type: 'integer', minimum: 0, description: 'Last outbox id the client has shown' },
          },
        },
        response: { 400: errorRef },
      },
    },
    async (request, reply) => {
      const sessionId = request.query.session_id;
      const lastEventId = Number(request.headers['last-event-id']);
      let cursor = Math.max(request.query.after ?? 0, Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : 0);
      const headers = sseHeaders(reply, request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, headers);
      // Tells EventSource how soon to reconnect after the stream ends.
      raw.write('retry: 2000\n\n');

      let polling = false;
      let closed = false;
      const poll = async () => {
        if (polling || closed) return;
        polling = true;
        try {
          for (const entry of await deps.outbox.after(sessionId, cursor)) {
            cursor = entry.id;
            if (!raw.writableEnded && !raw.destroyed) raw.write(`id: ${entry.id}\nevent: message\ndata: ${JSON.stringify({ ...entry.message, at: entry.at })}\n\n`);
          }
        } catch (err) {
          request.log.error({ err }, 'web outbox read failed');
        } finally {
          polling = false;
        }
      };
      const timer = setInterval(() => void poll(), pollMs);
      const keepAlive = setInterval(() => {
        if (!raw.writableEnded && !raw.destroyed) raw.write(': keep-alive\n\n');
      }, keepAliveMs);
      const end = () => {
        if (closed) return;
        closed = true;
        streams.delete(end);
        clearInterval(timer);
        clearInterval(keepAlive);
        clearTimeout(lifetime);
        if (!raw.writableEnded) raw.end();
      };
      // A bounded lifetime: a forgotten tab does not hold a poller forever; EventSource comes back.
      const lifetime = setTimeout(end, maxStreamMs);
      raw.on('close', end);
      streams.add(end);
      void poll();
    },
  );
}
