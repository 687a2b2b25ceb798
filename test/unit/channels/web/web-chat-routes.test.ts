import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundedComposer } from '../../../../src/answer/grounded-composer.js';
import { ArrayCatalogueStore } from '../../../../src/catalogue/array-catalogue-store.js';
import { ChannelSenders } from '../../../../src/channels/channel-sender.js';
import { InboundHandler } from '../../../../src/channels/handle-inbound.js';
import { SqliteMessageDedupe } from '../../../../src/channels/sqlite-message-dedupe.js';
import { SqliteWebOutbox } from '../../../../src/channels/web/sqlite-web-outbox.js';
import { WebSender } from '../../../../src/channels/web/web-sender.js';
import { ErrorResponseSchema } from '../../../../src/http/errors.js';
import { registerWebChatRoutes } from '../../../../src/http/routes/web-chat.js';
import { SessionRateLimiter } from '../../../../src/http/session-rate-limiter.js';
import { KnowledgeBase } from '../../../../src/knowledge/knowledge-base.js';
import { createAnswerPipeline } from '../../../../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../../../../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../../../../src/qa-log/sqlite-qa-log-store.js';
import { InMemorySessionStore } from '../../../../src/sessions/in-memory-session-store.js';
import { InMemoryHandoffQueue } from '../../../support/in-memory-handoff-queue.js';

const silent = { info() {}, warn() {}, error() {} };

let knowledge: KnowledgeBase;
let qaLog: SqliteQaLogStore;
let handoff: InMemoryHandoffQueue;
let outbox: SqliteWebOutbox;
let senders: ChannelSenders;
let app: FastifyInstance;

async function start(perMinute = 100) {
  const grounded = new GroundedComposer();
  const sessions = new InMemorySessionStore();
  const steps = createAnswerPipeline({
    procedures: knowledge.procedures,
    retriever: knowledge.retriever,
    composer: grounded,
    grounded,
    lexicon: knowledge.snapshot.lexicon,
    maxMessageChars: 2000,
  });
  const answers = new AnswerService({ steps, sessions, qaLog, log: silent, turnTimeoutMs: 10_000 });
  senders = new ChannelSenders();
  senders.register(new WebSender(outbox));
  const inbound = new InboundHandler({
    answers,
    sessions,
    handoff,
    senders,
    dedupe: new SqliteMessageDedupe(':memory:'),
    limiter: new SessionRateLimiter(perMinute),
    qaLog,
    log: silent,
  });
  app = Fastify();
  app.addSchema(ErrorResponseSchema);
  registerWebChatRoutes(app, { inbound, outbox, pollMs: 20, keepAliveMs: 50 });
  await app.ready();
}

beforeEach(async () => {
  knowledge = await KnowledgeBase.load({ store: new ArrayCatalogueStore([]), knowledgeDir: path.resolve('knowledge'), log: silent, midnightReload: false });
  qaLog = new SqliteQaLogStore(':memory:');
  handoff = new InMemoryHandoffQueue();
  outbox = new SqliteWebOutbox(':memory:');
});
afterEach(async () => {
  await app?.close();
  knowledge.close();
  await qaLog.close();
  await outbox.close();
});

interface Body {
  session_id: string;
  status: string;
  text: string;
  citations: Array<{ id: string; url: string | null }>;
  options?: Array<{ id: string; name: string }>;
  handoff: boolean;
  replies: Array<{ author: string; text: string }>;
  outcome: string;
}

const chat = async (payload: Record<string, unknown>) => {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload });
  return { res, body: res.json() as Body };
};

function parseSse(raw: string) {
  return raw
    .split('\n\n')
    .filter((b) => /^data: /m.test(b))
    .map((block) => ({
      id: /^id: (.+)$/m.exec(block)?.[1],
      event: /^event: (.+)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.+)$/m.exec(block)![1]!),
    }));
}

describe('POST /api/v1/chat through the inbound path', () => {
  beforeEach(() => start());

  it('answers with citations, gives a session id, and keeps the conversation', async () => {
    const first = await chat({ message: 'dang ky khai sinh can giay to gi' });
    expect(first.res.statusCode).toBe(200);
    expect(first.body).toMatchObject({ status: 'answered', outcome: 'answered', handoff: false, replies: [] });
    expect(first.body.citations[0]?.id).toBe('1.001193');
    expect(first.body.session_id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const next = await chat({ message: 'còn lệ phí thì sao?', session_id: first.body.session_id });
    expect(next.body.session_id).toBe(first.body.session_id);
    expect(next.body.citations[0]?.id).toBe('1.001193');
    expect(next.body.text).toContain('Không thu lệ phí');
  });

  it('the "Gặp cán bộ" button queues the web conversation and returns the waiting notice as a further reply', async () => {
    const first = await chat({ message: 'đăng ký kết hôn cần gì' });
    const sid = first.body.session_id;
    const { body } = await chat({ message: 'Gặp cán bộ', payload: 'HANDOFF', session_id: sid });
    expect(body).toMatchObject({ status: 'handoff_requested', handoff: true, outcome: 'answered' });
    expect(body.replies).toHaveLength(1);
    expect(body.replies[0]).toMatchObject({ author: 'system' });
    expect(body.replies[0]!.text).toContain('vị trí 1');
    const open = await handoff.findOpen('web', sid);
    expect(open).toMatchObject({ channel: 'web', userId: sid, sessionId: sid, reason: 'citizen_request' });

    // While an officer is awaited, what the citizen writes goes to the officer, not the bot.
    const forwarded = await chat({ message: 'Tôi cần hỏi thêm về giấy tờ', session_id: sid });
    expect(forwarded.body.outcome).toBe('forwarded');
    expect(forwarded.body.status).toBe('handoff_staff');
    expect((await handoff.messages(open!.id)).map((m) => [m.author, m.text])).toEqual([['citizen', 'Tôi cần hỏi thêm về giấy tờ']]);
  });

  it('a clarification option chosen by its number answers that procedure', async () => {
    const first = await chat({ message: 'cấp lại' });
    expect(first.body.status).toBe('clarification');
    const options = first.body.options ?? [];
    expect(options.length).toBeGreaterThan(1);
    const chosen = await chat({ message: '2', session_id: first.body.session_id });
    expect(chosen.body.citations[0]?.id).toBe(options[1]!.id);
  });

  it('ratings sent as payloads are recorded and thanked', async () => {
    const first = await chat({ message: 'lệ phí đăng ký kết hôn' });
    const sid = first.body.session_id;
    const useful = await chat({ message: 'Câu trả lời hữu ích', payload: 'RATE_USEFUL:yes', session_id: sid });
    expect(useful.body.outcome).toBe('rated');
    const score = await chat({ message: 'Đánh giá 5/5', payload: 'RATE:5', session_id: sid });
    expect(score.body).toMatchObject({ outcome: 'rated', status: 'answered_smalltalk' });
    expect(score.body.text).toContain('Cảm ơn');
    const ratings = await qaLog.ratings(sid);
    expect(ratings.map((r) => [r.useful, r.score])).toEqual([
      [true, null],
      [null, 5],
    ]);
  });

  it('a retried message id is not answered twice', async () => {
    const first = await chat({ message: 'Xin chào', message_id: 'client-msg-0001' });
    const again = await chat({ message: 'Xin chào', message_id: 'client-msg-0001', session_id: first.body.session_id });
    expect(again.res.statusCode).toBe(409);
    expect(await qaLog.count()).toBe(1);
  });

  it('rejects a malformed payload', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'x', payload: '<script>' } });
    expect(res.statusCode).toBe(400);
  });
});

describe('limits', () => {
  it('too many messages in one conversation: 429 with Retry-After', async () => {
    await start(2);
    const first = await chat({ message: 'Xin chào' });
    await chat({ message: 'lệ phí khai sinh', session_id: first.body.session_id });
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: 'thời hạn?', session_id: first.body.session_id } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ error: 'too_many_requests' });
  });
});

describe('streams', () => {
  beforeEach(() => start());

  it('POST /api/v1/chat/stream sends meta, deltas, citations, replies and done', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/chat/stream', payload: { message: 'Đăng ký kết hôn cần giấy tờ gì?' } });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const events = parseSse(res.body);
    expect(events[0]?.event).toBe('meta');
    expect(events.filter((e) => e.event === 'delta').length).toBeGreaterThan(1);
    expect(events.slice(-2).map((e) => e.event)).toEqual(['citations', 'done']);
    expect(events.at(-2)?.data[0]?.id).toBe('1.000894');
    expect(events.at(-1)?.data).toMatchObject({ status: 'answered', outcome: 'answered', handoff: false });

    const sid = events[0]!.data.session_id as string;
    const handoffRes = await app.inject({ method: 'POST', url: '/api/v1/chat/stream', payload: { message: 'Gặp cán bộ', payload: 'HANDOFF', session_id: sid } });
    const handoffEvents = parseSse(handoffRes.body);
    expect(handoffEvents.map((e) => e.event)).toContain('replies');
    expect(handoffEvents.at(-1)?.data).toMatchObject({ status: 'handoff_requested', handoff: true });
  });

  it('GET /api/v1/chat/events streams what the web sender wrote for that session, and resumes after Last-Event-ID', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const sid = 'sess-events-0001';
    await senders.send('web', sid, { author: 'system', text: 'Vị trí 1 trong hàng chờ' });
    await senders.send('web', 'someone-else-0001', { author: 'staff', text: 'not yours' });

    const ac = new AbortController();
    const res = await fetch(`${address}/api/v1/chat/events?session_id=${sid}`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let raw = '';
    const readUntil = async (needle: string) => {
      while (!raw.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        raw += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('Vị trí 1');
    // Written after the browser connected: arrives through the poll.
    await senders.send('web', sid, { author: 'staff', text: 'Chào anh, tôi là cán bộ Lan', staffName: 'Lan' });
    await readUntil('cán bộ Lan');
    await readUntil(': keep-alive');
    ac.abort();
    const events = parseSse(raw);
    expect(events.map((e) => e.data.text)).toEqual(['Vị trí 1 trong hàng chờ', 'Chào anh, tôi là cán bộ Lan']);
    expect(events[1]?.data).toMatchObject({ author: 'staff', staffName: 'Lan' });
    expect(raw).not.toContain('not yours');

    // A reconnect with Last-Event-ID gets only what came after.
    const ac2 = new AbortController();
    const again = await fetch(`${address}/api/v1/chat/events?session_id=${sid}`, { signal: ac2.signal, headers: { 'last-event-id': events[0]!.id! } });
    const r2 = again.body!.getReader();
    let raw2 = '';
    while (!raw2.includes('cán bộ Lan')) raw2 += decoder.decode((await r2.read()).value, { stream: true });
    ac2.abort();
    expect(raw2).not.toContain('Vị trí 1');
  });

  it('GET /api/v1/chat/events needs a well-formed session id', async () => {
    expect((await app.inject('/api/v1/chat/events')).statusCode).toBe(400);
    expect((await app.inject('/api/v1/chat/events?session_id=../../x')).statusCode).toBe(400);
  });
});
