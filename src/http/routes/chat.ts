import type { FastifyInstance, FastifyReply } from 'fastify';
import { ANSWER_STATUSES } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { AnswerService, ChatTurnOutput } from '../../pipeline/answer-service.js';
import { errorRef } from '../errors.js';
import type { SessionRateLimiter } from '../session-rate-limiter.js';

/** What the chat routes need from the composition root. */
export interface ChatRouteDeps {
  answers: AnswerService;
  sessionLimiter: SessionRateLimiter;
}

interface ChatBody {
  session_id?: string;
  message: string;
  channel?: 'web' | 'mini_app';
}

/** A message this long is an abuse of the API, not a question; shorter ones are cut with a notice. */
const MAX_BODY_MESSAGE_CHARS = 20_000;

const ChatRequestSchema = {
  type: 'object',
  required: ['message'],
  additionalProperties: false,
  properties: {
    session_id: { type: 'string', minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', description: 'Omit on the first message; send back the one you received' },
    message: { type: 'string', minLength: 1, maxLength: MAX_BODY_MESSAGE_CHARS },
    channel: { type: 'string', enum: ['web', 'mini_app'], default: 'web' },
  },
} as const;

const CitationSchema = {
  type: 'object',
  required: ['id', 'name', 'url'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: ['string', 'null'] } },
} as const;

const ChatResponseSchema = {
  type: 'object',
  required: ['session_id', 'status', 'text', 'citations', 'handoff'],
  properties: {
    session_id: { type: 'string' },
    status: { type: 'string', enum: [...ANSWER_STATUSES] },
    text: { type: 'string' },
    citations: { type: 'array', items: CitationSchema },
    options: {
      type: 'array',
      items: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    },
    handoff: { type: 'boolean' },
    aspect: { type: ['string', 'null'] },
  },
} as const;

function toBody(out: ChatTurnOutput) {
  return {
    session_id: out.sessionId,
    status: out.status,
    text: out.text,
    citations: out.citations,
    ...(out.options ? { options: out.options } : {}),
    handoff: out.handoff,
    aspect: out.aspect,
  };
}

/** 429 for a conversation that sends faster than SESSION_RATE_LIMIT_PER_MINUTE. */
function limited(deps: ChatRouteDeps, sessionId: string | undefined, reply: FastifyReply): boolean {
  if (!sessionId) return false;
  const wait = deps.sessionLimiter.take(sessionId);
  if (wait === 0) return false;
  void reply
    .code(429)
    .header('retry-after', String(wait))
    .send({ error: 'too_many_requests', message: `Too many messages in this conversation; retry in ${wait} s`, hint: cannedReply('rate_limited') });
  return true;
}

/**
 * Splits an answer into pieces for the stream: by line, so lists arrive item by item. The text
 * is complete and checked before the first piece is sent; nothing unchecked is streamed.
 */
export function streamPieces(text: string): string[] {
  return text.match(/[^\n]*\n+|[^\n]+$/g) ?? [];
}

export function registerChatRoutes(app: FastifyInstance, deps: ChatRouteDeps): void {
  app.post<{ Body: ChatBody }>(
    '/api/v1/chat',
    {
      schema: {
        tags: ['chat'],
        summary: 'Ask the assistant one message of a conversation',
        description: 'Answers from the official procedure records, citing them; asks back when the question is ambiguous.',
        body: ChatRequestSchema,
        response: { 200: ChatResponseSchema, 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      if (limited(deps, request.body.session_id, reply)) return reply;
      // The response's 'close' before it finished means the client went away: stop working on
      // the turn. (The request's own 'close' fires as soon as its body has been read.)
      const ac = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) ac.abort();
      });
      const out = await deps.answers.handle(
        { sessionId: request.body.session_id, channel: request.body.channel ?? 'web', message: request.body.message, style: 'chat' },
        { signal: ac.signal },
      );
      // A new conversation's first message counts towards its limit too.
      if (!request.body.session_id) deps.sessionLimiter.take(out.sessionId);
      return toBody(out);
    },
  );

  app.post<{ Body: ChatBody }>(
    '/api/v1/chat/stream',
    {
      schema: {
        tags: ['chat'],
        summary: 'Same as /api/v1/chat, as server-sent events',
        description:
          'Events: `meta` {session_id}, then `delta` {text} pieces, `citations` [...], `done` {status, options?, handoff, aspect}. The answer is checked against the records before the first delta.',
        body: ChatRequestSchema,
        response: { 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      if (limited(deps, request.body.session_id, reply)) return reply;
      const ac = new AbortController();
      reply.hijack();
      const raw = reply.raw;
      raw.on('close', () => ac.abort());
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        if (!raw.writableEnded && !raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      try {
        const sessionId = request.body.session_id;
        if (sessionId) send('meta', { session_id: sessionId });
        const out = await deps.answers.handle(
          { sessionId, channel: request.body.channel ?? 'web', message: request.body.message, style: 'chat' },
          { signal: ac.signal },
        );
        if (!sessionId) {
          deps.sessionLimiter.take(out.sessionId);
          send('meta', { session_id: out.sessionId });
        }
        for (const piece of streamPieces(out.text)) send('delta', { text: piece });
        send('citations', out.citations);
        send('done', { status: out.status, ...(out.options ? { options: out.options } : {}), handoff: out.handoff, aspect: out.aspect });
      } catch (err) {
        request.log.error({ err }, 'chat stream failed');
        send('error', { status: 'error_internal', text: cannedReply('error_internal') });
      } finally {
        raw.end();
      }
    },
  );
}
