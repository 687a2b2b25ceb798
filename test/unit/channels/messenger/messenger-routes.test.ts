import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../../../src/channels/channel-sender.js';
import { InboundHandler, type InboundResult } from '../../../../src/channels/handle-inbound.js';
import type { InboundMessage } from '../../../../src/channels/inbound-message.js';
import { MessengerSender } from '../../../../src/channels/messenger/messenger-sender.js';
import { type MessengerRoutes, registerMessengerRoutes } from '../../../../src/channels/messenger/messenger-routes.js';
import { signMessengerBody } from '../../../../src/channels/messenger/messenger-signature.js';
import { SqliteMessengerContacts } from '../../../../src/channels/messenger/sqlite-messenger-contacts.js';
import { OutboundQueue, SqliteOutboundFailureLog } from '../../../../src/channels/outbound-queue.js';
import { SqliteMessageDedupe } from '../../../../src/channels/sqlite-message-dedupe.js';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import type { HandoffQueue } from '../../../../src/handoff/handoff-queue.js';
import { SessionRateLimiter } from '../../../../src/http/session-rate-limiter.js';
import type { AnswerService, ChatTurnOutput } from '../../../../src/pipeline/answer-service.js';
import { InMemorySessionStore } from '../../../../src/sessions/in-memory-session-store.js';
import { type FakeGraphApi, startFakeGraphApi } from '../../../support/fake-graph-api.js';

const SECRET = 'messenger-app-secret';
const VERIFY = 'verify-token-42';
const TOKEN = 'page-token';
const silent = { info() {}, warn() {}, error() {} };

let graph: FakeGraphApi;
let contacts: SqliteMessengerContacts;
let failures: SqliteOutboundFailureLog;
let sender: MessengerSender;
let app: FastifyInstance;
let routes: MessengerRoutes;
let handled: InboundMessage[];
let handle: (msg: InboundMessage) => Promise<InboundResult>;

async function mount(options: { inbound?: { handle(msg: InboundMessage): Promise<InboundResult> }; maxPending?: number; now?: () => number; typingAfterMs?: number } = {}) {
  app = Fastify();
  // Another route of the app, outside the webhook plugin: it must keep Fastify's JSON parser.
  app.post('/api/echo', async (request) => ({ parsed: request.body }));
  routes = registerMessengerRoutes(app, {
    inbound: options.inbound ?? { handle: (msg) => handle(msg) },
    config: { MESSENGER_APP_SECRET: SECRET, MESSENGER_VERIFY_TOKEN: VERIFY },
    log: silent,
    sender,
    contacts,
    ...(options.maxPending ? { work: { maxPending: options.maxPending } } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.typingAfterMs !== undefined ? { typingAfterMs: options.typingAfterMs } : {}),
  });
  await app.ready();
}

beforeEach(async () => {
  graph = await startFakeGraphApi({ pageToken: TOKEN });
  contacts = new SqliteMessengerContacts(':memory:');
  failures = new SqliteOutboundFailureLog(':memory:');
  sender = new MessengerSender({
    config: { MESSENGER_PAGE_TOKEN: TOKEN, MESSENGER_GRAPH_BASE_URL: graph.baseUrl, MESSENGER_GRAPH_VERSION: 'v21.0' },
    queue: new OutboundQueue({ channel: 'messenger', failures, backoffMs: 5, minTime: 0 }),
    contacts,
  });
  handled = [];
  handle = async (msg) => {
    handled.push(msg);
    return { outcome: 'answered', replies: [] };
  };
});

afterEach(async () => {
  await routes?.work.drain();
  await app?.close();
  await graph.close();
  await contacts.close();
  await failures.close();
});

const textEvent = (psid: string, mid: string, text: string, extra: object = {}) => ({
  sender: { id: psid },
  recipient: { id: 'PAGE' },
  timestamp: Date.now(),
  message: { mid, text, ...extra },
});
const delivery = (...messaging: object[]) => ({ object: 'page', entry: [{ id: 'PAGE', time: Date.now(), messaging }] });
/** Meta escapes non-ASCII in the body it signs; so do we. */
const metaJson = (body: object) => JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function post(body: object | string, signature: string | null = 'sign', secret = SECRET) {
  const raw = typeof body === 'string' ? body : metaJson(body);
  return app.inject({
    method: 'POST',
    url: '/webhooks/messenger',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature === 'sign' ? signMessengerBody(raw, secret) : signature }) },
    payload: raw,
  });
}

describe('GET /webhooks/messenger (subscription handshake)', () => {
  beforeEach(() => mount());

  it('echoes the challenge as text/plain for the right verify token', async () => {
    const res = await app.inject({ method: 'GET', url: `/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toBe('1158201444');
  });

  it('refuses a wrong token, a wrong mode or no challenge with 403', async () => {
    for (const query of [
      `hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY}x&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY}`,
      `hub.mode=subscribe&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=%3Cscript%3E`,
    ]) {
      const res = await app.inject({ method: 'GET', url: `/webhooks/messenger?${query}` });
      expect(res.statusCode, query).toBe(403);
      expect(res.body).not.toContain('script');
    }
  });
});

describe('POST /webhooks/messenger', () => {
  it('accepts a signed delivery with 200 and hands the message to the inbound handler', async () => {
    await mount();
    const res = await post(delivery(textEvent('psid-1', 'm_1', 'đăng ký khai sinh cần gì')));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('EVENT_RECEIVED');
    await routes.work.drain();
    expect(handled).toEqual([
      expect.objectContaining({ channel: 'messenger', userId: 'psid-1', messageId: 'm_1', text: 'đăng ký khai sinh cần gì' }),
    ]);
    expect(await contacts.lastInboundAt('psid-1')).toEqual(expect.any(Number));
  });

  it('rejects unsigned, tampered, wrong-secret and SHA-1-only deliveries with no side effect', async () => {
    await mount();
    const body = delivery(textEvent('psid-1', 'm_1', 'xin chào'));
    const raw = metaJson(body);
    const responses = [
      await post(body, null),
      await post(raw.replace('xin', 'xim'), signMessengerBody(raw, SECRET)),
      await post(body, 'sign', 'wrong-secret'),
      await post(body, 'sha1=0123456789abcdef0123456789abcdef01234567'),
      await post(body, 'sha256=not-hex'),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([401, 403, 403, 403, 403]);
    await routes.work.drain();
    expect(handled).toEqual([]);
    expect(graph.requests).toEqual([]);
    expect(await contacts.lastInboundAt('psid-1')).toBeNull();
  });

  it('answers 400 to signed bytes that are not JSON and 404 to a non-page object', async () => {
    await mount();
    expect((await post('{"object": "page", ')).statusCode).toBe(400);
    expect((await post({ object: 'instagram', entry: [] })).statusCode).toBe(404);
    await routes.work.drain();
    expect(handled).toEqual([]);
  });

  it('keeps the raw-body parser inside the webhook plugin: the rest of the app parses JSON as before', async () => {
    await mount();
    const res = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 'ă' } });
    expect(res.json()).toEqual({ parsed: { a: 'ă' } });
  });

  it('returns 200 before the pipeline finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    await mount({
      inbound: {
        handle: async (msg) => {
          handled.push(msg);
          await gate;
          finished = true;
          return { outcome: 'answered', replies: [] };
        },
      },
    });
    const res = await post(delivery(textEvent('psid-1', 'm_1', 'thủ tục cấp lại căn cước')));
    expect(res.statusCode).toBe(200);
    expect(finished).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(handled).toHaveLength(1);
    expect(finished).toBe(false);
    release();
    await routes.work.drain();
    expect(finished).toBe(true);
  });

  it('skips echoes, delivery and read receipts; passes quick-reply and postback payloads', async () => {
    await mount();
    const now = Date.now();
    const res = await post(
      delivery(
        { sender: { id: 'PAGE' }, recipient: { id: 'psid-1' }, timestamp: now, message: { mid: 'm_echo', text: 'our reply', is_echo: true } },
        { sender: { id: 'psid-1' }, recipient: { id: 'PAGE' }, timestamp: now, delivery: { mids: ['m_echo'], watermark: now } },
        { sender: { id: 'psid-1' }, recipient: { id: 'PAGE' }, timestamp: now, read: { watermark: now } },
        textEvent('psid-1', 'm_2', '2. Đổi', { quick_reply: { payload: '3.000347' } }),
        { sender: { id: 'psid-1' }, recipient: { id: 'PAGE' }, timestamp: now, postback: { mid: 'm_3', title: 'Gặp cán bộ', payload: 'HANDOFF' } },
      ),
    );
    expect(res.statusCode).toBe(200);
    await routes.work.drain();
    expect(handled.map((m) => [m.messageId, m.text, m.payload])).toEqual([
      ['m_2', '2. Đổi', '3.000347'],
      ['m_3', 'Gặp cán bộ', 'HANDOFF'],
    ]);
  });

  it('keeps one citizen\'s messages in order and goes on after a failing one', async () => {
    const order: string[] = [];
    await mount({
      inbound: {
        handle: async (msg) => {
          order.push(`start ${msg.messageId}`);
          await new Promise((r) => setTimeout(r, msg.messageId === 'a1' ? 30 : 1));
          order.push(`end ${msg.messageId}`);
          if (msg.messageId === 'a1') throw new Error('pipeline broke');
          return { outcome: 'answered', replies: [] };
        },
      },
    });
    await post(delivery(textEvent('A', 'a1', 'một'), textEvent('A', 'a2', 'hai'), textEvent('B', 'b1', 'ba')));
    await routes.work.drain();
    expect(order.indexOf('end a1')).toBeLessThan(order.indexOf('start a2'));
    expect(order).toContain('end a2');
    // B does not wait for A.
    expect(order.indexOf('start b1')).toBeLessThan(order.indexOf('end a1'));
  });

  it('refuses a delivery with 503 when the work queue is full, so Meta sends it again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await mount({ maxPending: 2, inbound: { handle: async (msg) => (handled.push(msg), await gate, { outcome: 'answered', replies: [] }) } });
    expect((await post(delivery(textEvent('A', 'a1', 'một'), textEvent('B', 'b1', 'hai')))).statusCode).toBe(200);
    const full = await post(delivery(textEvent('C', 'c1', 'ba')));
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('5');
    release();
    await routes.work.drain();
    expect(handled.map((m) => m.messageId).sort()).toEqual(['a1', 'b1']);
  });

  it('tells a citizen who sends only images that it reads text, at most once an hour', async () => {
    let clock = Date.now();
    await mount({ now: () => clock });
    const image = (mid: string) => ({
      sender: { id: 'psid-1' },
      recipient: { id: 'PAGE' },
      timestamp: Date.now(),
      message: { mid, attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/x.jpg' } }] },
    });
    await post(delivery(image('i1')));
    await post(delivery(image('i2')));
    await routes.work.drain();
    clock += 61 * 60_000;
    await post(delivery(image('i3')));
    await routes.work.drain();
    expect(handled).toEqual([]);
    expect(graph.delivered().map((b) => b.message!.text)).toEqual([cannedReply('text_only'), cannedReply('text_only')]);
  });
});

describe('POST /webhooks/messenger with the real inbound handler', () => {
  it('answers a re-delivered mid once, with typing while it works', async () => {
    const calls: string[] = [];
    const answers = {
      handle: async (input: { message: string; userId?: string }): Promise<ChatTurnOutput> => {
        calls.push(input.message);
        return {
          status: 'answered',
          text: 'Lệ phí đăng ký khai sinh: không thu.',
          citations: [],
          handoff: false,
          sessionId: 's-1',
          aspect: 'fee',
          language: 'vi',
          latencyMs: 1,
        };
      },
    } as unknown as AnswerService;
    const noHandoff = { findOpen: async () => undefined } as unknown as HandoffQueue;
    const senders = new ChannelSenders();
    senders.register(sender);
    const dedupe = new SqliteMessageDedupe(':memory:');
    const inbound = new InboundHandler({
      answers,
      sessions: new InMemorySessionStore(),
      handoff: noHandoff,
      senders,
      dedupe,
      limiter: new SessionRateLimiter(100),
      log: silent,
    });
    // An answer slower than the typing threshold: the citizen sees the indicator first.
    await mount({ inbound, typingAfterMs: 0 });
    const body = delivery(textEvent('psid-1', 'm_same', 'le phi khai sinh'));
    expect((await post(body)).statusCode).toBe(200);
    await routes.work.drain();
    // Meta did not see our 200 in time and sends the same delivery again.
    expect((await post(body)).statusCode).toBe(200);
    await routes.work.drain();
    expect(calls).toEqual(['le phi khai sinh']);
    expect(graph.delivered().map((b) => b.message!.text)).toEqual(['Lệ phí đăng ký khai sinh: không thu.']);
    const actions = graph.requests.filter((r) => r.body.sender_action).map((r) => r.body.sender_action);
    expect(actions[0]).toBe('typing_on');
    await dedupe.close();
  });
});
