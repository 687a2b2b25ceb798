import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { cannedReply } from '../../src/domain/canned-replies.js';
import { createLogger } from '../../src/http/logger.js';
import { type FakeGraphApi, startFakeGraphApi } from '../support/fake-graph-api.js';
import { type FakeZaloApi, signedZaloDelivery, startFakeZaloApi, zaloTextEvent } from '../support/fake-zalo-api.js';

/**
 * One conversation script, run on every channel through the real composition: `createDeps` +
 * `buildApp` on a real port, the starter knowledge, SQLite stores in a temporary DATA_DIR, the
 * officer working through the console API, and the citizen's side observed where the citizen
 * sees it (the HTTP reply and the web event stream, the Send API double, the Zalo OA double, the
 * mini-app's history). Officers are in around the clock, so nothing depends on the hour.
 *
 *   1. a question without diacritics → answered, citing 1.001193
 *   2. a follow-up without a procedure name → the fee, same procedure
 *   3. an ambiguous question → options; the second one chosen the channel's way → cited
 *   4. "gặp cán bộ" → queued (citizen_request, waiting), the citizen told their place
 *   5. an officer logs in, sees it in the queue, claims it, replies → the citizen receives it
 *   6. the citizen writes → the officer reads it; the bot stays silent
 *   7. the officer hands back → the citizen is told; the bot answers again
 *   8. the citizen rates 5 → a rating is stored
 */
const KNOWLEDGE_DIR = path.resolve('knowledge');
const OFFICER = { username: 'lan', displayName: 'Lan', role: 'officer' as const, password: 'mat-khau-cua-lan-2026' };
const OFFICER_TEXT = 'Chào anh/chị, tôi là cán bộ Lan';
const CITIZEN_TO_OFFICER = 'Tôi bị mất bằng lái, làm lại thì nộp hồ sơ ở đâu ạ?';
/** The option chosen in step 3 (second of the clarification for "cấp lại"). */
const CHOSEN = { index: 1, id: '3.000348', name: 'Cấp lại giấy phép lái xe' };

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Polls `probe` until it returns something other than undefined/false; never a bare sleep. */
async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Procedure codes a text names ("… (mã 1.001193)"): how text-only channels cite. */
const codesIn = (text: string) => [...new Set(text.match(/\b\d\.\d{6}\b/g) ?? [])];

interface Server {
  deps: Deps;
  app: FastifyInstance;
  baseUrl: string;
  /** Error-level log lines (a reply that could not be sent, a relay failure…). */
  errors: string[];
  close(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-script-'));
  const errors: string[] = [];
  const log = createLogger({ LOG_LEVEL: 'warn' }, {
    write: (line: string) => {
      if ((JSON.parse(line) as { level: number }).level >= 50) errors.push(line);
    },
  });
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR, LOG_LEVEL: 'warn', OFFICE_HOURS: 'Mon-Sun 00:00-24:00', ...env });
  const deps = await createDeps(config, { log });
  const app = await buildApp(deps);
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  await deps.channels.staff.add(OFFICER);
  return {
    deps,
    app,
    baseUrl,
    errors,
    async close() {
      await app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The officer, through the console API only: cookie login, and `x-requested-with` on POSTs. */
class Officer {
  private cookie = '';
  constructor(private readonly baseUrl: string) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/v1/console/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
      body: JSON.stringify({ username: OFFICER.username, password: OFFICER.password }),
    });
    expect(res.status).toBe(200);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(this.cookie).toMatch(/^ccai_staff=./);
  }

  async get<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${url}`, { headers: { cookie: this.cookie } });
    return { status: res.status, body: (await res.json()) as T };
  }

  async post<T = Record<string, unknown>>(url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${url}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-requested-with': 'console', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
}

interface ConsoleConversation {
  id: string;
  channel: string;
  status: string;
  reason: string;
  position: number | null;
  claimedBy: { id: string; name: string } | null;
  procedureIds: string[];
}
interface ConsoleMessage {
  author: string;
  text: string;
  staffName: string | null;
}

// ---------------------------------------------------------------------------------------------
// The citizen's side, one adapter per channel

interface Option {
  /** The option's id where the channel shows it (payload); null on Zalo (numbered text). */
  id: string | null;
  label: string;
}

/** What the citizen got back for one message, whichever way it arrived. */
interface Said {
  text: string;
  citations: string[];
  options: Option[];
  /** The inbound outcome, on channels that answer in the HTTP response. */
  outcome?: string;
}

/** A message that reached the citizen outside an HTTP response (pushed or polled). */
interface Pushed {
  author?: string;
  text: string;
  staffName?: string;
  options?: Option[];
}

interface Citizen {
  readonly channel: 'web' | 'messenger' | 'zalo' | 'mini_app';
  /** The citizen's id in the handoff queue and the sessions (web / mini-app: the session id). */
  userId(): string;
  /** Sends one message; channels that answer in the HTTP response return it, the others null. */
  send(text: string, payload?: string): Promise<Said | null>;
  /** Everything that reached the citizen after the fact, oldest first. */
  pushed(): Promise<Pushed[]>;
  /** Taps / types the option at `index` of a clarification, the channel's way. */
  choose(said: Said, index: number): Promise<Said>;
  /** Rates 5 the channel's way; resolves with the session id the rating is stored under. */
  rate(officer: Officer): Promise<string>;
  close(): Promise<void>;
}

function saidFrom(items: Pushed[]): Said {
  const text = items.map((i) => i.text).join('\n');
  return { text, citations: codesIn(text), options: items.flatMap((i) => i.options ?? []) };
}

/** The citizen writes; resolves with the replies once `until` holds for them. */
async function say(c: Citizen, text: string, until: (s: Said) => boolean, payload?: string): Promise<Said> {
  const before = (await c.pushed()).length;
  const direct = await c.send(text, payload);
  if (direct) {
    expect(until(direct), `reply to "${text}": ${JSON.stringify(direct).slice(0, 600)}`).toBe(true);
    return direct;
  }
  return waitFor(async () => {
    const s = saidFrom((await c.pushed()).slice(before));
    return until(s) ? s : undefined;
  }, `the ${c.channel} replies to "${text}"`);
}

// --- web: POST /api/v1/chat, officer messages on GET /api/v1/chat/events ---

interface WebBody {
  session_id: string;
  status: string;
  outcome: string;
  text: string;
  citations: Array<{ id: string }>;
  options?: Array<{ id: string; name: string }>;
  handoff: boolean;
  replies: Array<{ author: string; text: string }>;
}

/** Reads a server-sent event stream into `events` until closed. */
function openEventStream(url: string) {
  const ac = new AbortController();
  const events: Array<Record<string, unknown>> = [];
  let opened = false;
  const done = (async () => {
    const res = await fetch(url, { signal: ac.signal, headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    opened = true;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event === 'message' && data) events.push(JSON.parse(data) as Record<string, unknown>);
      }
    }
  })().catch((err: unknown) => {
    if (!ac.signal.aborted) throw err;
  });
  return {
    events,
    isOpen: () => opened,
    close: async () => {
      ac.abort();
      await done;
    },
  };
}

function webCitizen(server: Server): Citizen {
  let sessionId: string | undefined;
  let stream: ReturnType<typeof openEventStream> | undefined;
  const post = async (message: string, payload?: string): Promise<WebBody> => {
    const res = await fetch(`${server.baseUrl}/api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, ...(sessionId ? { session_id: sessionId } : {}), ...(payload ? { payload } : {}) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as WebBody;
  };
  const citizen: Citizen = {
    channel: 'web',
    userId: () => sessionId!,
    async send(text, payload) {
      const body = await post(text, payload);
      if (!sessionId) {
        sessionId = body.session_id;
        // The browser opens its event stream as soon as it has a session id.
        stream = openEventStream(`${server.baseUrl}/api/v1/chat/events?session_id=${encodeURIComponent(sessionId)}`);
        await waitFor(() => stream!.isOpen(), 'the web event stream to open');
      }
      expect(body.session_id).toBe(sessionId);
      return {
        text: [body.text, ...body.replies.map((r) => r.text)].filter(Boolean).join('\n'),
        citations: body.citations.map((c) => c.id),
        options: (body.options ?? []).map((o) => ({ id: o.id, label: o.name })),
        outcome: body.outcome,
      };
    },
    pushed: async () =>
      (stream?.events ?? []).map((e) => ({
        author: e.author as string,
        text: e.text as string,
        ...(typeof e.staffName === 'string' ? { staffName: e.staffName } : {}),
      })),
    // The web page sends the option's id as the payload, its name as the text.
    choose: (said, index) => say(citizen, said.options[index]!.label, (s) => s.citations.length > 0, said.options[index]!.id!),
    async rate() {
      const rated = await citizen.send('5 ★', 'RATE:5');
      expect(rated).toMatchObject({ outcome: 'rated', text: cannedReply('rating_thanks') });
      return sessionId!;
    },
    close: async () => stream?.close(),
  };
  return citizen;
}

// --- Messenger: signed webhook deliveries, replies on the Send API double ---

const MESSENGER = { secret: 'script-app-secret', verify: 'script-verify-token', pageToken: 'script-page-token', psid: '24680135792468013' };

function messengerCitizen(server: Server, graph: FakeGraphApi): Citizen {
  let seq = 0;
  /** Meta escapes non-ASCII in the JSON it signs. */
  const metaJson = (body: object) => JSON.stringify(body).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const citizen: Citizen = {
    channel: 'messenger',
    userId: () => MESSENGER.psid,
    async send(text, payload) {
      const raw = metaJson({
        object: 'page',
        entry: [
          {
            id: 'PAGE_ID',
            time: Date.now(),
            messaging: [
              {
                sender: { id: MESSENGER.psid },
                recipient: { id: 'PAGE_ID' },
                timestamp: Date.now(),
                message: { mid: `m_script_${++seq}_${Date.now()}`, text, ...(payload ? { quick_reply: { payload } } : {}) },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac('sha256', MESSENGER.secret).update(raw).digest('hex')}`;
      const res = await fetch(`${server.baseUrl}/webhooks/messenger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
        body: raw,
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('EVENT_RECEIVED');
      return null;
    },
    pushed: async () =>
      graph
        .delivered()
        .filter((b) => b.recipient.id === MESSENGER.psid)
        .map((b) => ({
          text: b.message!.text!,
          options: (b.message!.quick_replies ?? [])
            .filter((q) => q.payload !== 'HANDOFF' && !q.payload!.startsWith('RATE'))
            .map((q) => ({ id: q.payload!, label: q.title! })),
        })),
    // A tapped quick reply: its title as the text, the option id as the payload.
    choose: (said, index) => say(citizen, said.options[index]!.label, (s) => s.citations.length > 0, said.options[index]!.id!),
    async rate() {
      const thanks = await say(citizen, '5 ★', (s) => s.text.includes(cannedReply('rating_thanks')), 'RATE:5');
      expect(thanks.text).toBe(cannedReply('rating_thanks'));
      return (await server.deps.sessions.load({ channel: 'messenger', userId: MESSENGER.psid })).id;
    },
    close: async () => {},
  };
  return citizen;
}

// --- Zalo OA: signed webhook deliveries, replies on the OA API double ---

const ZALO = { appId: '3608465249409039671', oaSecret: 'script-zalo-oa-secret', appSecret: 'script-zalo-app-secret', citizen: '9007199254740993217' };

function zaloCitizen(server: Server, api: FakeZaloApi): Citizen {
  let seq = 0;
  const citizen: Citizen = {
    channel: 'zalo',
    userId: () => ZALO.citizen,
    async send(text) {
      const signed = signedZaloDelivery(zaloTextEvent({ appId: ZALO.appId, userId: ZALO.citizen, msgId: `zscript${++seq}${Date.now()}`, text }), {
        appId: ZALO.appId,
        oaSecretKey: ZALO.oaSecret,
      });
      const res = await fetch(`${server.baseUrl}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.payload });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      return null;
    },
    pushed: async () =>
      api.delivered(ZALO.citizen).map((s) => ({
        text: s.text,
        // Text only: options are a numbered list answered by number.
        options: s.text.includes(cannedReply('options_reply_hint'))
          ? [...s.text.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => ({ id: null, label: m[2]! }))
          : [],
      })),
    choose: (_said, index) => say(citizen, String(index + 1), (s) => s.citations.length > 0),
    /**
     * Zalo has no rating buttons: the citizen is asked "reply 1–5" when an officer closes a
     * conversation, and the bare digit that follows is the rating. So the citizen asks for an
     * officer once more, and the officer closes the conversation from the console.
     */
    async rate(officer) {
      await say(citizen, 'gặp cán bộ', (s) => /vị trí 1 trong hàng chờ/.test(s.text));
      const open = (await server.deps.channels.handoff.findOpen('zalo', ZALO.citizen))!;
      expect((await officer.post(`/api/v1/console/conversations/${open.id}/claim`)).status).toBe(200);
      const closed = await officer.post<{ conversation: ConsoleConversation }>(`/api/v1/console/conversations/${open.id}/close`, { outcome: 'Đã hướng dẫn nộp hồ sơ' });
      expect(closed.status).toBe(200);
      expect(closed.body.conversation.status).toBe('closed');
      const prompt = await waitFor(
        async () => (await citizen.pushed()).find((p) => p.text.includes(cannedReply('handoff_closed'))),
        'the closing notice with the rating prompt on Zalo',
      );
      expect(prompt.text).toContain(cannedReply('rating_text_prompt'));
      await waitFor(async () => (await server.deps.sessions.load({ channel: 'zalo', userId: ZALO.citizen })).mode === 'bot', 'the bot to hold the Zalo conversation again');
      const thanks = await say(citizen, '5', (s) => s.text.includes(cannedReply('rating_thanks')));
      expect(thanks.text).toBe(cannedReply('rating_thanks'));
      return (await server.deps.sessions.load({ channel: 'zalo', userId: ZALO.citizen })).id;
    },
    close: async () => {},
  };
  return citizen;
}

// --- iHanoi mini-app: HMAC-signed requests (docs/miniapp-api.md), officer replies in the history ---

const MINIAPP = { appId: 'ihanoi', secret: 'ihanoi-script-secret-0123456789', user: 'ihanoi-user-2026' };

interface MiniAppChatBody {
  session_id: string;
  status: string;
  outcome: string;
  text: string;
  citations: Array<{ id: string }>;
  options?: Array<{ id: string; name: string }>;
  handoff: boolean;
  queue_position: number | null;
  replies: Array<{ author: string; text: string }>;
}
interface MiniAppHistoryBody {
  session_id: string;
  mode: string;
  handoff: { conversation_id: string; status: string } | null;
  messages: Array<{ author: string; text: string; source: string }>;
}

/** As the iHanoi backend signs, per docs/miniapp-api.md: HMAC over method, target, time, nonce and body hash. */
function miniAppHeaders(method: 'GET' | 'POST', target: string, body: string): Record<string, string> {
  const timestamp = String(Date.now());
  const nonce = randomUUID();
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const canonical = [method, target, timestamp, nonce, bodyHash].join('\n');
  return {
    'x-app-id': MINIAPP.appId,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': createHmac('sha256', MINIAPP.secret).update(canonical).digest('hex'),
    'x-user-id': MINIAPP.user,
    ...(body ? { 'content-type': 'application/json' } : {}),
  };
}

function miniAppCitizen(server: Server): Citizen {
  let sessionId: string | undefined;
  const request = async <T>(method: 'GET' | 'POST', target: string, body?: unknown): Promise<T> => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const res = await fetch(`${server.baseUrl}${target}`, { method, headers: miniAppHeaders(method, target, raw), ...(raw ? { body: raw } : {}) });
    expect(res.status, `${method} ${target}`).toBe(200);
    return (await res.json()) as T;
  };
  const history = () => request<MiniAppHistoryBody>('GET', '/api/v1/miniapp/conversation');
  const citizen: Citizen = {
    channel: 'mini_app',
    userId: () => sessionId!,
    async send(text, payload) {
      const body = await request<MiniAppChatBody>('POST', '/api/v1/miniapp/chat', { message: text, message_id: randomUUID(), ...(payload ? { payload } : {}) });
      sessionId ??= body.session_id;
      expect(body.session_id).toBe(sessionId);
      const [first, ...rest] = body.replies;
      return {
        text: [first?.text ?? body.text, ...rest.map((r) => r.text)].filter(Boolean).join('\n'),
        citations: body.citations.map((c) => c.id),
        options: (body.options ?? []).map((o) => ({ id: o.id, label: o.name })),
        outcome: body.outcome,
      };
    },
    // The mini-app polls its history: what officers wrote and what was sent after the fact.
    pushed: async () => (await history()).messages.filter((m) => m.source !== 'bot' && m.author !== 'citizen').map((m) => ({ author: m.author, text: m.text })),
    // The mini-app here answers the clarification by its number, as typed.
    choose: (_said, index) => say(citizen, String(index + 1), (s) => s.citations.length > 0),
    async rate() {
      const rated = await request<{ recorded: boolean; replies: Array<{ text: string }> }>('POST', '/api/v1/miniapp/rating', { score: 5 });
      expect(rated.recorded).toBe(true);
      expect(rated.replies.map((r) => r.text)).toEqual([cannedReply('rating_thanks')]);
      return sessionId!;
    },
    close: async () => {},
  };
  return citizen;
}

// ---------------------------------------------------------------------------------------------
// The script

function runScript(start: () => Promise<{ server: Server; citizen: Citizen; extraClose?: () => Promise<void> }>): { server(): Server; citizen(): Citizen } {
  let server: Server;
  let citizen: Citizen;
  let extraClose: (() => Promise<void>) | undefined;
  let officer: Officer;
  let conversationId: string;
  const handoff = () => server.deps.channels.handoff;
  const sessionKey = () => ({ channel: citizen.channel, userId: citizen.userId() });

  beforeAll(async () => {
    ({ server, citizen, extraClose } = await start());
    officer = new Officer(server.baseUrl);
  });
  afterAll(async () => {
    await citizen?.close();
    await server?.close();
    await extraClose?.();
  });

  it('1. answers a question typed without diacritics, citing 1.001193', async () => {
    const s = await say(citizen, 'dang ky khai sinh can giay to gi', (r) => r.citations.includes('1.001193'));
    expect(s.citations).toContain('1.001193');
    expect(s.text).toContain('Tờ khai đăng ký khai sinh');
  });

  it('2. keeps the procedure for a follow-up about the fee', async () => {
    const s = await say(citizen, 'con le phi thi sao', (r) => r.citations.includes('1.001193') && /lệ phí/i.test(r.text));
    expect(s.citations).toEqual(['1.001193']);
    expect(s.text).toContain('Không thu lệ phí');
  });

  it('3. asks back on an ambiguous question and answers the option chosen', async () => {
    const clarification = await say(citizen, 'cấp lại', (r) => r.options.length >= 2);
    expect(clarification.citations).toEqual([]);
    const option = clarification.options[CHOSEN.index]!;
    if (option.id !== null) expect(option.id).toBe(CHOSEN.id);
    if (citizen.channel === 'messenger') expect(option.label).toBe('2. giấy phép lái xe');
    else expect(option.label).toBe(CHOSEN.name);

    const answer = await citizen.choose(clarification, CHOSEN.index);
    expect(answer.citations).toEqual([CHOSEN.id]);
    expect(answer.text).toMatch(/giấy phép lái xe/i);
  });

  it('4. queues the conversation on "gặp cán bộ" and tells the citizen their place', async () => {
    const s = await say(citizen, 'gặp cán bộ', (r) => /vị trí 1 trong hàng chờ/.test(r.text));
    expect(s.text).toContain(cannedReply('handoff_waiting', 'vi', { position: 1, wait: '' }));
    const open = await handoff().findOpen(citizen.channel, citizen.userId());
    expect(open).toMatchObject({ channel: citizen.channel, userId: citizen.userId(), reason: 'citizen_request', status: 'waiting' });
    expect(open!.procedureIds).toEqual(expect.arrayContaining(['1.001193', CHOSEN.id]));
    expect(await handoff().position(open!.id)).toBe(1);
    expect((await server.deps.sessions.load(sessionKey())).mode).toBe('handoff_pending');
    conversationId = open!.id;
  });

  it('5. an officer logs in, takes it from the queue and replies; the citizen receives it on their channel', async () => {
    await officer.login();
    const queue = await officer.get<{ conversations: ConsoleConversation[] }>('/api/v1/console/queue');
    expect(queue.status).toBe(200);
    expect(queue.body.conversations).toEqual([
      expect.objectContaining({ id: conversationId, channel: citizen.channel, status: 'waiting', reason: 'citizen_request', position: 1, claimedBy: null }),
    ]);

    const claim = await officer.post<{ conversation: ConsoleConversation }>(`/api/v1/console/conversations/${conversationId}/claim`);
    expect(claim.status).toBe(200);
    expect(claim.body.conversation).toMatchObject({ status: 'claimed', claimedBy: { name: OFFICER.displayName } });
    const reply = await officer.post<{ message: ConsoleMessage }>(`/api/v1/console/conversations/${conversationId}/messages`, { text: OFFICER_TEXT });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ author: 'staff', text: OFFICER_TEXT, staffName: OFFICER.displayName });

    const received = await waitFor(async () => {
      const pushed = await citizen.pushed();
      return pushed.some((p) => p.text.includes(OFFICER_TEXT)) ? pushed : undefined;
    }, `the officer's reply on ${citizen.channel}`);
    const claimedNotice = cannedReply('handoff_claimed', 'vi', { staff: OFFICER.displayName });
    const texts = received.map((p) => p.text);
    // The "taken over" notice first, then the officer's words (signed with the name where the
    // platform cannot show who wrote).
    const noticeAt = texts.findIndex((t) => t.includes(claimedNotice));
    const staffAt = texts.findIndex((t) => t.includes(OFFICER_TEXT));
    expect(noticeAt).toBeGreaterThanOrEqual(0);
    expect(noticeAt).toBeLessThan(staffAt);
    if (citizen.channel === 'messenger' || citizen.channel === 'zalo') {
      expect(texts[staffAt]).toBe(`${cannedReply('staff_signature', 'vi', { name: OFFICER.displayName })}\n${OFFICER_TEXT}`);
    } else {
      expect(received[staffAt]).toMatchObject({ author: 'staff', text: OFFICER_TEXT });
      if (citizen.channel === 'web') expect(received[staffAt]!.staffName).toBe(OFFICER.displayName);
    }
    expect(texts.filter((t) => t.includes(OFFICER_TEXT))).toHaveLength(1);
    await waitFor(async () => (await server.deps.sessions.load(sessionKey())).mode === 'staff', 'the session to be held by staff');
  });

  it('6. the citizen writes again: the officer reads it, the bot does not answer', async () => {
    const turnsBefore = await server.deps.qaLog.count();
    const sessionTurns = (await server.deps.sessions.load(sessionKey())).turns.length;
    const pushedBefore = (await citizen.pushed()).length;
    const direct = await citizen.send(CITIZEN_TO_OFFICER);
    if (direct) expect(direct).toMatchObject({ outcome: 'forwarded', text: '', citations: [] });

    const seen = await waitFor(async () => {
      const { body } = await officer.get<{ messages: ConsoleMessage[] }>(`/api/v1/console/conversations/${conversationId}`);
      return body.messages.some((m) => m.author === 'citizen') ? body.messages : undefined;
    }, 'the officer to see the citizen message');
    expect(seen.map((m) => [m.author, m.text])).toEqual([
      ['staff', OFFICER_TEXT],
      ['citizen', CITIZEN_TO_OFFICER],
    ]);
    // The inbound path appends before it would send anything; nothing came back and no turn ran.
    expect(await server.deps.qaLog.count()).toBe(turnsBefore);
    expect((await server.deps.sessions.load(sessionKey())).turns).toHaveLength(sessionTurns);
    expect(await citizen.pushed()).toHaveLength(pushedBefore);
  });

  it('7. the officer hands back: the citizen is told, and the bot answers again', async () => {
    const release = await officer.post<{ conversation: ConsoleConversation }>(`/api/v1/console/conversations/${conversationId}/release`);
    expect(release.status).toBe(200);
    expect(release.body.conversation.status).toBe('returned');
    await waitFor(async () => (await citizen.pushed()).some((p) => p.text.includes(cannedReply('handoff_returned'))), `the hand-back notice on ${citizen.channel}`);
    await waitFor(async () => (await server.deps.sessions.load(sessionKey())).mode === 'bot', 'the bot to hold the conversation again');
    expect(await handoff().findOpen(citizen.channel, citizen.userId())).toBeUndefined();
    expect((await officer.get<{ conversations: ConsoleConversation[] }>('/api/v1/console/queue')).body.conversations).toEqual([]);

    const turnsBefore = await server.deps.qaLog.count();
    const s = await say(citizen, 'le phi dang ky ket hon', (r) => r.citations.length > 0);
    expect(s.citations).toEqual(['1.000894']);
    expect(s.text).toMatch(/lệ phí/i);
    expect(await server.deps.qaLog.count()).toBe(turnsBefore + 1);
  });

  it('8. the citizen rates 5 and the rating is stored', async () => {
    const sessionId = await citizen.rate(officer);
    const ratings = (await server.deps.qaLog.ratings?.(sessionId)) ?? [];
    expect(ratings.map((r) => [r.channel, r.score])).toEqual([[citizen.channel, 5]]);
  });

  it('logged no errors on the way (no reply failed to send, no relay failure)', () => {
    expect(server.errors).toEqual([]);
  });

  return { server: () => server, citizen: () => citizen };
}

describe('web chat (HTTP chat API + event stream)', () => {
  runScript(async () => {
    const server = await startServer({});
    return { server, citizen: webCitizen(server) };
  });
});

describe('Messenger (signed webhook, Send API double)', () => {
  let graph: FakeGraphApi;
  runScript(async () => {
    graph = await startFakeGraphApi({ pageToken: MESSENGER.pageToken });
    const server = await startServer({
      MESSENGER_APP_SECRET: MESSENGER.secret,
      MESSENGER_VERIFY_TOKEN: MESSENGER.verify,
      MESSENGER_PAGE_TOKEN: MESSENGER.pageToken,
      MESSENGER_GRAPH_BASE_URL: graph.baseUrl,
    });
    return { server, citizen: messengerCitizen(server, graph), extraClose: () => graph.close() };
  });

  it('every Send API request was well formed and accepted', () => {
    expect(graph.requests.length).toBeGreaterThan(0);
    expect(graph.requests.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
  });
});

describe('Zalo OA (signed webhook, OA API double)', () => {
  let api: FakeZaloApi;
  runScript(async () => {
    api = await startFakeZaloApi({ appId: ZALO.appId, appSecretKey: ZALO.appSecret, accessTokens: ['AT-seed'], refreshTokens: ['RT-seed'] });
    const server = await startServer({
      ZALO_APP_ID: ZALO.appId,
      ZALO_OA_SECRET_KEY: ZALO.oaSecret,
      ZALO_OA_ACCESS_TOKEN: 'AT-seed',
      ZALO_OA_REFRESH_TOKEN: 'RT-seed',
      ZALO_APP_SECRET_KEY: ZALO.appSecret,
      ZALO_API_BASE_URL: api.baseUrl,
      ZALO_OAUTH_BASE_URL: api.baseUrl,
    });
    return { server, citizen: zaloCitizen(server, api), extraClose: () => api.close() };
  });

  it('every OA send was accepted, to the exact (beyond 2^53) user id', () => {
    expect(api.sends.length).toBeGreaterThan(0);
    expect(api.sends.filter((s) => s.error !== 0)).toEqual([]);
    expect(new Set(api.sends.map((s) => s.userId))).toEqual(new Set([ZALO.citizen]));
  });
});

describe('iHanoi mini-app (signed API, history polling)', () => {
  const script = runScript(async () => {
    const server = await startServer({ MINIAPP_KEYS: JSON.stringify({ [MINIAPP.appId]: MINIAPP.secret }) });
    return { server, citizen: miniAppCitizen(server) };
  });

  it('the unsigned web chat API cannot speak as the mini-app citizen (channel "mini_app" refused)', async () => {
    const { deps, baseUrl } = script.server();
    const userKey = script.citizen().userId();
    const turns = await deps.qaLog.count();
    const res = await fetch(`${baseUrl}/api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'mini_app', session_id: userKey, message: 'con le phi thi sao' }),
    });
    expect(res.status).toBe(400);
    expect(await deps.qaLog.count()).toBe(turns);
  });
});
