import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../src/channels/channel-sender.js';
import { InboundHandler } from '../../src/channels/handle-inbound.js';
import { type MessengerRoutes, registerMessengerRoutes } from '../../src/channels/messenger/messenger-routes.js';
import { MessengerSender } from '../../src/channels/messenger/messenger-sender.js';
import { signMessengerBody } from '../../src/channels/messenger/messenger-signature.js';
import { SqliteMessengerContacts } from '../../src/channels/messenger/sqlite-messenger-contacts.js';
import { OutboundQueue, SqliteOutboundFailureLog } from '../../src/channels/outbound-queue.js';
import { SqliteMessageDedupe } from '../../src/channels/sqlite-message-dedupe.js';
import { loadConfig } from '../../src/config.js';
import { cannedReply } from '../../src/domain/canned-replies.js';
import { createDeps, type Deps } from '../../src/deps.js';
import type { HandoffQueue } from '../../src/handoff/handoff-queue.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { SessionRateLimiter } from '../../src/http/session-rate-limiter.js';
import { type FakeGraphApi, type GraphSendBody, startFakeGraphApi } from '../support/fake-graph-api.js';

/**
 * The Messenger channel end to end over a real port: signed deliveries as Meta sends them, the
 * real answer pipeline over the team's starter knowledge, SQLite sessions, Q&A log, dedupe and
 * failure log under a temporary DATA_DIR, and replies read back from a local Send API double.
 */
const KNOWLEDGE_DIR = path.resolve('knowledge');
const SECRET = 'integration-app-secret';
const VERIFY = 'integration-verify-token';
const PAGE_TOKEN = 'integration-page-token';
const PSID = '24680135792468013';

let dataDir: string;
let deps: Deps;
let graph: FakeGraphApi;
let app: FastifyInstance;
let routes: MessengerRoutes;
let baseUrl: string;
const closers: Array<() => Promise<void>> = [];
let seq = 0;

/** The port the test runs against until the SQLite queue is in: nobody holds a conversation. */
const NO_HANDOFF = { findOpen: async () => undefined } as unknown as HandoffQueue;

async function start(handoff: HandoffQueue = NO_HANDOFF) {
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR,
    LOG_LEVEL: 'silent',
    MESSENGER_APP_SECRET: SECRET,
    MESSENGER_VERIFY_TOKEN: VERIFY,
    MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
    MESSENGER_GRAPH_BASE_URL: graph.baseUrl,
  });
  deps = await createDeps(config);
  const contacts = new SqliteMessengerContacts({ dataDir });
  const failures = new SqliteOutboundFailureLog({ dataDir });
  const dedupe = new SqliteMessageDedupe({ dataDir });
  const queue = new OutboundQueue({ channel: 'messenger', failures, backoffMs: 5, minTime: 0 });
  closers.push(() => contacts.close(), () => failures.close(), () => dedupe.close(), () => queue.stop());
  const sender = new MessengerSender({
    config: { MESSENGER_PAGE_TOKEN: config.MESSENGER_PAGE_TOKEN!, MESSENGER_GRAPH_BASE_URL: config.MESSENGER_GRAPH_BASE_URL, MESSENGER_GRAPH_VERSION: config.MESSENGER_GRAPH_VERSION },
    queue,
    contacts,
    log: deps.log,
  });
  const senders = new ChannelSenders();
  senders.register(sender);
  const inbound = new InboundHandler({
    answers: deps.answers,
    sessions: deps.sessions,
    handoff,
    senders,
    dedupe,
    limiter: new SessionRateLimiter(config.SESSION_RATE_LIMIT_PER_MINUTE),
    qaLog: deps.qaLog,
    log: deps.log,
  });
  app = Fastify({ bodyLimit: config.BODY_LIMIT_BYTES });
  routes = registerMessengerRoutes(app, {
    inbound,
    config: { MESSENGER_APP_SECRET: config.MESSENGER_APP_SECRET!, MESSENGER_VERIFY_TOKEN: config.MESSENGER_VERIFY_TOKEN! },
    log: deps.log,
    sender,
    contacts,
  });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return { sender, senders, contacts, failures };
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-messenger-'));
  graph = await startFakeGraphApi({ pageToken: PAGE_TOKEN });
});

afterEach(async () => {
  await routes?.work.drain();
  await app?.close();
  for (const close of closers.splice(0).reverse()) await close();
  await deps?.close();
  await graph.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Meta escapes non-ASCII in the JSON it signs. */
const metaJson = (body: object) => JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

async function deliver(messaging: object): Promise<Response> {
  const raw = metaJson({ object: 'page', entry: [{ id: 'PAGE_ID', time: Date.now(), messaging: [messaging] }] });
  return fetch(`${baseUrl}/webhooks/messenger`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMessengerBody(raw, SECRET) },
    body: raw,
  });
}

/** The citizen writes (or taps a quick reply); resolves with the replies the page sent back. */
async function say(text: string, quickReply?: string): Promise<GraphSendBody[]> {
  const before = graph.delivered().length;
  const mid = `m_${++seq}_${Date.now()}`;
  const res = await deliver({
    sender: { id: PSID },
    recipient: { id: 'PAGE_ID' },
    timestamp: Date.now(),
    message: { mid, text, ...(quickReply ? { quick_reply: { payload: quickReply } } : {}) },
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('EVENT_RECEIVED');
  await routes.work.drain();
  return graph.delivered().slice(before);
}

const texts = (replies: GraphSendBody[]) => replies.map((r) => r.message!.text!).join('\n');

describe('Messenger channel over a real port', () => {
  it('verifies the subscription and refuses unsigned deliveries', async () => {
    await start();
    const ok = await fetch(`${baseUrl}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=987654`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('987654');
    expect((await fetch(`${baseUrl}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`)).status).toBe(403);

    const unsigned = await fetch(`${baseUrl}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ object: 'page', entry: [{ messaging: [{ sender: { id: PSID }, timestamp: Date.now(), message: { mid: 'x', text: 'hi' } }] }] }),
    });
    expect(unsigned.status).toBe(401);
    await routes.work.drain();
    expect(graph.requests).toEqual([]);
    expect(await deps.qaLog.recent(5)).toEqual([]);
  });

  it('answers a question without diacritics, a follow-up, a clarification chosen by quick reply, and a rating', async () => {
    await start();

    // A question typed without diacritics.
    const first = await say('dang ky khai sinh can giay to gi');
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ recipient: { id: PSID }, messaging_type: 'RESPONSE' });
    expect(texts(first)).toContain('Tờ khai đăng ký khai sinh');
    expect(texts(first)).toContain('1.001193');
    // A grounded answer comes well under the typing threshold: no typing indicator to send.
    const typing = graph.requests.filter((r) => r.body.sender_action).map((r) => r.body.sender_action);
    expect(typing).not.toContain('typing_on');

    // A follow-up that names no procedure.
    const followUp = await say('con le phi thi sao?');
    expect(texts(followUp)).toContain('Không thu lệ phí');
    expect(texts(followUp)).toContain('1.001193');

    // An ambiguous question: options as quick replies, the choice tapped.
    const clarification = await say('giấy phép lái xe');
    const quickReplies = clarification.at(-1)!.message!.quick_replies!;
    expect(quickReplies.map((q) => q.payload)).toEqual(['3.000348', '3.000347', '3.000353']);
    for (const q of quickReplies) expect([...q.title!].length).toBeLessThanOrEqual(20);
    const chosen = quickReplies[1]!;
    expect(chosen.title).toMatch(/^2\. /);
    const answer = await say(chosen.title!, chosen.payload);
    expect(texts(answer)).toContain('Đổi giấy phép lái xe');
    expect(texts(answer)).toContain('3.000347');

    // A rating by quick reply.
    const thanks = await say('5 ★', 'RATE:5');
    expect(texts(thanks)).toBe(cannedReply('rating_thanks'));
    const notUseful = await say('👎 Chưa hữu ích', 'RATE_USEFUL:no');
    expect(texts(notUseful)).toBe(cannedReply('rating_more_help'));
    expect(notUseful[0]!.message!.quick_replies).toEqual([{ content_type: 'text', title: 'Gặp cán bộ', payload: 'HANDOFF' }]);

    const logged = await deps.qaLog.recent(10);
    expect(logged.map((t) => t.channel)).toEqual(Array(logged.length).fill('messenger'));
    expect(logged.map((t) => t.status)).toEqual(['answered', 'clarification', 'answered', 'answered']);
    const ratings = await deps.qaLog.ratings!(logged[0]!.sessionId);
    expect(ratings.map((r) => [r.score, r.useful])).toEqual([
      [5, null],
      [null, false],
    ]);
  });

  it('answers a re-delivered message once', async () => {
    await start();
    const messaging = { sender: { id: PSID }, recipient: { id: 'PAGE_ID' }, timestamp: Date.now(), message: { mid: 'm_redelivered', text: 'le phi dang ky ket hon' } };
    expect((await deliver(messaging)).status).toBe(200);
    await routes.work.drain();
    expect((await deliver(messaging)).status).toBe(200);
    await routes.work.drain();
    expect(graph.delivered()).toHaveLength(1);
    expect(await deps.qaLog.recent(5)).toHaveLength(1);
  });

  it('keeps a reply the Send API refused for good in the failure log', async () => {
    const { failures } = await start();
    graph.failNext(400);
    await say('lệ phí đăng ký kết hôn');
    const [failure] = await failures.list(5);
    expect(failure).toMatchObject({ channel: 'messenger', userId: PSID, attempts: 1 });
    expect(JSON.parse(failure!.payload).message.text).toContain('1.000894');
  });

  it('hands the conversation to an officer on "gặp cán bộ": queued with transcript and reason, position told, officer reply delivered', async () => {
    const handoff = new SqliteHandoffQueue({ dataDir });
    closers.push(() => handoff.close());
    const { senders } = await start(handoff);

    await say('dang ky khai sinh can giay to gi');
    const queued = await say('gặp cán bộ');
    expect(texts(queued)).toContain(cannedReply('handoff_requested'));
    expect(texts(queued)).toContain(cannedReply('handoff_waiting', 'vi', { position: 1, wait: '' }));

    const [conversation] = await handoff.open();
    expect(conversation).toMatchObject({ channel: 'messenger', userId: PSID, reason: 'citizen_request', status: 'waiting' });
    expect(conversation!.procedureIds).toEqual(['1.001193']);
    expect(conversation!.transcript.some((t) => t.role === 'user' && t.text.includes('dang ky khai sinh'))).toBe(true);

    // While waiting, what the citizen writes goes to the officer, not to the bot.
    const waiting = await say('tôi cần hỏi về khai sinh cho con thứ hai');
    expect(texts(waiting)).toBe(cannedReply('handoff_waiting', 'vi', { position: 1, wait: '' }));
    expect((await handoff.messages(conversation!.id)).map((m) => [m.author, m.text])).toEqual([['citizen', 'tôi cần hỏi về khai sinh cho con thứ hai']]);

    // The officer claims it and replies: within 24 h of the citizen's message, a standard RESPONSE.
    await handoff.claim(conversation!.id, 'staff-lan');
    const before = graph.delivered().length;
    await senders.send('messenger', PSID, { author: 'staff', text: 'Chào anh/chị, tôi là cán bộ Lan, tôi hỗ trợ ngay.', staffName: 'Lan' });
    const [staffReply] = graph.delivered().slice(before);
    expect(staffReply).toMatchObject({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Cán bộ Lan:\nChào anh/chị, tôi là cán bộ Lan, tôi hỗ trợ ngay.' } });
  });
});
