import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelSenders } from '../../channels/channel-sender.js';
import type { SessionStore } from '../../domain/conversation.js';
import {
  HandoffConflict,
  type HandoffConversation,
  type HandoffEvent,
  type HandoffMessage,
  type HandoffQueue,
} from '../../handoff/handoff-queue.js';
import type { Ticket, TicketStatus, TicketStore } from '../../handoff/ticket-store.js';
import { LoginThrottle } from '../../staff/login-throttle.js';
import type { StaffAccount, StaffStore } from '../../staff/staff-store.js';
import { ErrorResponseSchema, errorRef } from '../errors.js';
import { staffGuard, STAFF_COOKIE } from '../staff-guard.js';

export { CSRF_HEADER, CSRF_VALUE, readCookie, STAFF_COOKIE } from '../staff-guard.js';

export interface ConsoleApiDeps {
  staff: StaffStore;
  handoff: HandoffQueue;
  tickets: TicketStore;
  /** Not used by the routes: officers' messages reach citizens through `relayHandoffEvents`. */
  senders?: ChannelSenders;
  /** Not used by the routes: the relay switches session modes. */
  sessions?: SessionStore;
  config: { CONSOLE_SESSION_HOURS: number; TRUST_PROXY?: boolean; PUBLIC_BASE_URL?: string | undefined };
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** Failed-login limits (tests lower them). */
  throttle?: LoginThrottle;
  /** Keep-alive comment interval of the event stream, which also re-checks the session (default 15 s). */
  keepAliveMs?: number;
}

// ---------- schemas ----------

const staffSchema = {
  type: 'object',
  required: ['id', 'name', 'role'],
  properties: { id: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: ['officer', 'supervisor'] } },
} as const;

const officerRef = {
  type: ['object', 'null'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

const conversationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    channel: { type: 'string' },
    sessionId: { type: 'string' },
    reason: { type: 'string', enum: ['citizen_request', 'unanswered_twice', 'negative_rating', 'complaint'] },
    status: { type: 'string', enum: ['waiting', 'claimed', 'returned', 'closed'] },
    position: { type: ['integer', 'null'], description: '1-based place among waiting conversations' },
    waitingSince: { type: 'string' },
    claimedBy: officerRef,
    claimedAt: { type: ['string', 'null'] },
    endedAt: { type: ['string', 'null'] },
    outcome: { type: ['string', 'null'] },
    procedureIds: { type: 'array', items: { type: 'string' } },
    lastMessage: {
      type: ['object', 'null'],
      properties: { author: { type: 'string' }, text: { type: 'string' }, at: { type: 'string' } },
    },
  },
} as const;

const messageSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    conversationId: { type: 'string' },
    author: { type: 'string', enum: ['citizen', 'staff', 'bot', 'system'] },
    staffId: { type: ['string', 'null'] },
    staffName: { type: ['string', 'null'] },
    text: { type: 'string' },
    at: { type: 'string' },
  },
} as const;

const turnSchema = {
  type: 'object',
  properties: {
    role: { type: 'string' },
    text: { type: 'string' },
    at: { type: 'string' },
    status: { type: 'string' },
    procedureIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

const ticketSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['message', 'callback', 'feedback', 'complaint'] },
    channel: { type: 'string' },
    sessionId: { type: 'string' },
    text: { type: 'string' },
    phone: { type: ['string', 'null'], description: 'Only for call-backs the citizen consented to' },
    consentAt: { type: ['string', 'null'] },
    procedureIds: { type: 'array', items: { type: 'string' } },
    status: { type: 'string', enum: ['open', 'done'] },
    createdAt: { type: 'string' },
    handledBy: officerRef,
    handledAt: { type: ['string', 'null'] },
    note: { type: ['string', 'null'] },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef, 429: errorRef } as const;
const TAGS = ['console'];

// ---------- views ----------

type ConversationView = Omit<HandoffConversation, 'transcript' | 'userId' | 'claimedBy' | 'createdAt'> & {
  position: number | null;
  waitingSince: string;
  claimedBy: { id: string; name: string } | null;
  lastMessage: { author: string; text: string; at: string } | null;
};

/**
 * The staff console's API: login with a cookie session, the live queue, claim / reply / hand back
 * / close, and the tickets citizens left. Every route needs a live staff session; every POST
 * also needs `x-requested-with: console`, which a cross-site form cannot send, so a forged
 * request riding on the cookie is refused. Officers' replies are only stored here: the relay
 * (`relayHandoffEvents`) delivers them to the citizen's channel.
 */
export function registerConsoleApi(app: FastifyInstance, deps: ConsoleApiDeps): void {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponseSchema);
  const throttle = deps.throttle ?? new LoginThrottle();
  const keepAliveMs = deps.keepAliveMs ?? 15_000;
  const sessionSeconds = Math.round(deps.config.CONSOLE_SESSION_HOURS * 3600);
  const { requireStaff, requireCsrf, me, fail } = staffGuard(deps.staff);
  /** Open event streams by session token, so logout ends them at once in this process. */
  const streams = new Map<string, Set<() => void>>();
  const names = new Map<string, string>();

  const secure = (request: FastifyRequest) => deps.config.PUBLIC_BASE_URL?.startsWith('https:') === true || request.protocol === 'https';
  const cookie = (request: FastifyRequest, value: string, maxAge: number) =>
    `${STAFF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure(request) ? '; Secure' : ''}`;


  const officerName = async (id: string | null): Promise<{ id: string; name: string } | null> => {
    if (!id) return null;
    let name = names.get(id);
    if (name === undefined) {
      name = (await deps.staff.get(id))?.displayName ?? id;
      names.set(id, name);
    }
    return { id, name };
  };

  const view = async (c: HandoffConversation, withPreview = true): Promise<ConversationView> => {
    const messages = withPreview ? await deps.handoff.messages(c.id) : [];
    const last = messages.at(-1);
    return {
      id: c.id,
      channel: c.channel,
      sessionId: c.sessionId,
      reason: c.reason,
      status: c.status,
      position: c.status === 'waiting' ? await deps.handoff.position(c.id) : null,
      waitingSince: c.createdAt,
      claimedBy: await officerName(c.claimedBy),
      claimedAt: c.claimedAt,
      endedAt: c.endedAt,
      outcome: c.outcome,
      procedureIds: c.procedureIds,
      lastMessage: last ? { author: last.author, text: preview(last.text), at: last.at } : null,
    };
  };
  const messageView = async (m: HandoffMessage) => ({ ...m, staffName: (await officerName(m.staffId))?.name ?? null });

  /** The conversation, 404 when missing; the caller's role and hold decide the rest. */
  const load = async (reply: FastifyReply, id: string): Promise<HandoffConversation | null> => {
    const c = await deps.handoff.get(id);
    if (!c) {
      await fail(reply, 404, 'not_found', `No conversation ${id}`);
      return null;
    }
    return c;
  };
  const mayEnd = (staff: StaffAccount, c: HandoffConversation) => staff.role === 'supervisor' || (c.status === 'claimed' && c.claimedBy === staff.id);
  const conflict = (reply: FastifyReply, err: unknown) => {
    if (err instanceof HandoffConflict) return fail(reply, 409, 'conflict', err.message);
    throw err;
  };

  // ---------- login ----------

  app.post<{ Body: { username: string; password: string } }>(
    '/api/v1/console/login',
    {
      onRequest: [requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Staff login: sets the ccai_staff session cookie',
        body: {
          type: 'object',
          required: ['username', 'password'],
          properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
        },
        response: { 200: { type: 'object', properties: { staff: staffSchema, expiresAt: { type: 'string' } } }, ...errors },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const wait = throttle.retryAfter(username, request.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return fail(reply, 429, 'too_many_requests', `Too many failed logins; retry in ${wait} s`);
      }
      const staff = await deps.staff.verifyLogin(username, password);
      if (!staff) {
        throttle.fail(username, request.ip);
        // One answer for an unknown user, a wrong password and a disabled account.
        return fail(reply, 401, 'invalid_login', 'Wrong username or password');
      }
      throttle.succeed(username, request.ip);
      const login = await deps.staff.createSession(staff.id);
      reply.header('set-cookie', cookie(request, login.token, sessionSeconds));
      return { staff: staffBody(staff), expiresAt: login.expiresAt };
    },
  );

  app.post(
    '/api/v1/console/logout',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: { tags: TAGS, summary: 'Ends this login session', response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...errors } },
    },
    async (request, reply) => {
      const { token } = me(request);
      await deps.staff.deleteSession(token);
      for (const end of streams.get(token) ?? []) end();
      reply.header('set-cookie', cookie(request, '', 0));
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/console/me',
    {
      onRequest: [requireStaff],
      schema: { tags: TAGS, summary: 'The signed-in officer', response: { 200: { type: 'object', properties: { staff: staffSchema, expiresAt: { type: 'string' } } }, ...errors } },
    },
    async (request) => ({ staff: staffBody(me(request).staff), expiresAt: me(request).expiresAt }),
  );

  // ---------- queue and conversations ----------

  app.get(
    '/api/v1/console/queue',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Open conversations (waiting and claimed), oldest first',
        response: { 200: { type: 'object', properties: { conversations: { type: 'array', items: conversationSchema } } }, ...errors },
      },
    },
    async () => {
      const open = await deps.handoff.open();
      return { conversations: await Promise.all(open.map((c) => view(c))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/console/conversations/:id',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: "A conversation: the bot's transcript, then the messages since the handoff",
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              conversation: conversationSchema,
              transcript: { type: 'array', items: turnSchema },
              messages: { type: 'array', items: messageSchema },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const c = await load(reply, request.params.id);
      if (!c) return reply;
      const messages = await deps.handoff.messages(c.id);
      return { conversation: await view(c), transcript: c.transcript, messages: await Promise.all(messages.map(messageView)) };
    },
  );

  const conversationResponse = { 200: { type: 'object', properties: { conversation: conversationSchema } }, ...errors } as const;

  app.post<{ Params: { id: string } }>(
    '/api/v1/console/conversations/:id/claim',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: { tags: TAGS, summary: 'Take a waiting conversation (409 when someone else took it first)', params: idParams, response: conversationResponse },
    },
    async (request, reply) => {
      if (!(await load(reply, request.params.id))) return reply;
      try {
        return { conversation: await view(await deps.handoff.claim(request.params.id, me(request).staff.id)) };
      } catch (err) {
        return conflict(reply, err);
      }
    },
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/api/v1/console/conversations/:id/messages',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: "Reply to the citizen (only the officer holding the conversation); delivered on the citizen's channel",
        params: idParams,
        body: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } } },
        response: { 201: { type: 'object', properties: { message: messageSchema } }, ...errors },
      },
    },
    async (request, reply) => {
      const text = request.body.text.trim();
      if (!text) return fail(reply, 400, 'bad_request', 'Invalid body field "text": empty after trimming');
      const c = await load(reply, request.params.id);
      if (!c) return reply;
      const { staff } = me(request);
      if (c.status !== 'claimed') return fail(reply, 409, 'conflict', `Conversation is ${c.status}; claim it first`);
      if (c.claimedBy !== staff.id) return fail(reply, 403, 'forbidden', 'Another officer holds this conversation');
      try {
        const message = await deps.handoff.appendMessage(c.id, 'staff', text, staff.id);
        return reply.code(201).send({ message: await messageView(message) });
      } catch (err) {
        return conflict(reply, err);
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/console/conversations/:id/release',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: { tags: TAGS, summary: 'Hand the conversation back to the bot (the holder, or a supervisor)', params: idParams, response: conversationResponse },
    },
    async (request, reply) => {
      const c = await load(reply, request.params.id);
      if (!c) return reply;
      const { staff } = me(request);
      if (c.status !== 'waiting' && c.status !== 'claimed') return fail(reply, 409, 'conflict', `Conversation is already ${c.status}`);
      if (!mayEnd(staff, c)) return fail(reply, 403, 'forbidden', 'Only the officer holding the conversation or a supervisor can hand it back');
      try {
        return { conversation: await view(await deps.handoff.release(c.id, staff.id)) };
      } catch (err) {
        return conflict(reply, err);
      }
    },
  );

  app.post<{ Params: { id: string }; Body: { outcome: string } }>(
    '/api/v1/console/conversations/:id/close',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Close the conversation with an outcome (the holder, or a supervisor); the citizen is asked for a rating',
        params: idParams,
        body: { type: 'object', required: ['outcome'], properties: { outcome: { type: 'string', minLength: 1, maxLength: 500 } } },
        response: conversationResponse,
      },
    },
    async (request, reply) => {
      const outcome = request.body.outcome.trim();
      if (!outcome) return fail(reply, 400, 'bad_request', 'Invalid body field "outcome": empty after trimming');
      const c = await load(reply, request.params.id);
      if (!c) return reply;
      const { staff } = me(request);
      if (c.status !== 'waiting' && c.status !== 'claimed') return fail(reply, 409, 'conflict', `Conversation is already ${c.status}`);
      if (!mayEnd(staff, c)) return fail(reply, 403, 'forbidden', 'Only the officer holding the conversation or a supervisor can close it');
      try {
        return { conversation: await view(await deps.handoff.end(c.id, staff.id, outcome)) };
      } catch (err) {
        return conflict(reply, err);
      }
    },
  );

  // ---------- live events ----------

  app.get(
    '/api/v1/console/events',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Server-sent events: queued, claimed, returned, closed, message, positions',
        description:
          'Each event is `event: <type>` with JSON data: {conversation} (no transcript), {conversation, message} or {positions}. A comment every 15 s keeps proxies from closing the stream; it ends on logout or when the login expires.',
        response: { 401: errorRef },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = me(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      let chain = Promise.resolve();
      let ended = false;
      const write = (chunk: string) => {
        if (!ended && !raw.writableEnded && !raw.destroyed) raw.write(chunk);
      };
      const end = () => {
        if (ended) return;
        ended = true;
        unsubscribe();
        clearInterval(keepAlive);
        clearTimeout(expiry);
        streams.get(token)?.delete(end);
        if (streams.get(token)?.size === 0) streams.delete(token);
        if (!raw.writableEnded) raw.end();
      };
      const unsubscribe = deps.handoff.subscribe((event: HandoffEvent) => {
        // In order per stream, though building a message view may wait on the staff store.
        chain = chain
          .then(async () => write(`event: ${event.type}\ndata: ${JSON.stringify(await eventBody(event))}\n\n`))
          .catch((err: unknown) => deps.log.error({ err }, 'console event could not be sent'));
      });
      const keepAlive = setInterval(() => {
        write(': keep-alive\n\n');
        // A logout in another worker, a disabled account: the next tick notices.
        deps.staff.findSession(token).then((s) => (s ? undefined : end()), () => undefined);
      }, keepAliveMs);
      const expiry = setTimeout(end, Math.min(Math.max(0, Date.parse(expiresAt) - Date.now()), 2 ** 31 - 1));
      expiry.unref();
      let set = streams.get(token);
      if (!set) streams.set(token, (set = new Set()));
      set.add(end);
      raw.on('close', end);
    },
  );

  const eventBody = async (event: HandoffEvent): Promise<object> => {
    if (event.type === 'positions') return { positions: event.positions };
    const conversation = await view(event.conversation, false);
    if (event.type === 'message') return { conversation, message: await messageView(event.message) };
    return { conversation };
  };

  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const set of [...streams.values()]) for (const end of [...set]) end();
  });

  // ---------- tickets ----------

  app.get<{ Querystring: { status?: TicketStatus; limit?: number } }>(
    '/api/v1/console/tickets',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Messages, call-back requests, feedback and complaints citizens left; newest first',
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: ['open', 'done'] }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
        },
        response: { 200: { type: 'object', properties: { tickets: { type: 'array', items: ticketSchema } } }, ...errors },
      },
    },
    async (request) => {
      const tickets = await deps.tickets.list({ ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit ?? 100 });
      return { tickets: await Promise.all(tickets.map(ticketView)) };
    },
  );

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    '/api/v1/console/tickets/:id/done',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Mark a ticket handled, with a note',
        params: idParams,
        body: { type: 'object', properties: { note: { type: 'string', maxLength: 2000 } } },
        response: { 200: { type: 'object', properties: { ticket: ticketSchema } }, ...errors },
      },
    },
    async (request, reply) => {
      const ticket = await deps.tickets.get(request.params.id);
      if (!ticket) return fail(reply, 404, 'not_found', `No ticket ${request.params.id}`);
      if (ticket.status === 'done') return fail(reply, 409, 'conflict', 'Ticket is already done');
      const note = request.body?.note?.trim() || null;
      return { ticket: await ticketView(await deps.tickets.markDone(ticket.id, me(request).staff.id, note)) };
    },
  );

  const ticketView = async (t: Ticket) => {
    const { userId: _userId, handledBy, ...rest } = t;
    return { ...rest, handledBy: await officerName(handledBy) };
  };
}

function staffBody(s: StaffAccount) {
  return { id: s.id, username: s.username, name: s.displayName, role: s.role };
}

function preview(text: string): string {
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
