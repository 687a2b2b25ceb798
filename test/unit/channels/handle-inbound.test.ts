import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundedComposer } from '../../../src/answer/grounded-composer.js';
import { ArrayCatalogueStore } from '../../../src/catalogue/array-catalogue-store.js';
import { ChannelSenders, type ChannelSender, type OutboundMessage } from '../../../src/channels/channel-sender.js';
import { InboundHandler, type HandoffPolicy, type InboundFlow } from '../../../src/channels/handle-inbound.js';
import type { InboundMessage } from '../../../src/channels/inbound-message.js';
import { SqliteMessageDedupe } from '../../../src/channels/sqlite-message-dedupe.js';
import { SessionRateLimiter } from '../../../src/http/session-rate-limiter.js';
import { KnowledgeBase } from '../../../src/knowledge/knowledge-base.js';
import { createAnswerPipeline } from '../../../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../../../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { InMemoryHandoffQueue } from '../../support/in-memory-handoff-queue.js';

const silent = { info() {}, warn() {}, error() {} };

class RecordingSender implements ChannelSender {
  readonly sent: Array<{ userId: string; message: OutboundMessage }> = [];
  constructor(readonly channel: string) {}
  async send(userId: string, message: OutboundMessage) {
    this.sent.push({ userId, message });
  }
}

let knowledge: KnowledgeBase;
let sessions: InMemorySessionStore;
let qaLog: SqliteQaLogStore;
let handoff: InMemoryHandoffQueue;
let sender: RecordingSender;
let answers: AnswerService;

beforeEach(async () => {
  knowledge = await KnowledgeBase.load({ store: new ArrayCatalogueStore([]), knowledgeDir: path.resolve('knowledge'), log: silent, midnightReload: false });
  const grounded = new GroundedComposer();
  sessions = new InMemorySessionStore();
  qaLog = new SqliteQaLogStore(':memory:');
  handoff = new InMemoryHandoffQueue();
  sender = new RecordingSender('messenger');
  const steps = createAnswerPipeline({
    procedures: knowledge.procedures,
    retriever: knowledge.retriever,
    composer: grounded,
    grounded,
    lexicon: knowledge.snapshot.lexicon,
    maxMessageChars: 2000,
  });
  answers = new AnswerService({ steps, sessions, qaLog, log: silent, turnTimeoutMs: 10_000 });
});
afterEach(async () => {
  knowledge.close();
  await qaLog.close();
});

function handler(extra: { flows?: InboundFlow[]; handoffPolicy?: HandoffPolicy; perMinute?: number } = {}) {
  const senders = new ChannelSenders();
  senders.register(sender);
  return new InboundHandler({
    answers,
    sessions,
    handoff,
    senders,
    dedupe: new SqliteMessageDedupe(':memory:'),
    limiter: new SessionRateLimiter(extra.perMinute ?? 100),
    qaLog,
    log: silent,
    ...(extra.flows ? { flows: extra.flows } : {}),
    ...(extra.handoffPolicy ? { handoffPolicy: extra.handoffPolicy } : {}),
  });
}

let n = 0;
const msg = (text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({ channel: 'messenger', userId: 'psid-1', messageId: `m${++n}`, text, ...extra });

describe('InboundHandler', () => {
  it('answers through the pipeline and sends the reply with its citation on the citizen\'s channel', async () => {
    const r = await handler().handle(msg('dang ky khai sinh can giay to gi'));
    expect(r.outcome).toBe('answered');
    expect(r.turn?.citations[0]?.id).toBe('1.001193');
    expect(sender.sent).toHaveLength(1);
    expect(sender.sent[0]).toMatchObject({ userId: 'psid-1', message: { author: 'bot', citations: [{ id: '1.001193' }] } });
  });

  it('a re-delivered message id is not answered twice', async () => {
    const h = handler();
    const m = msg('đăng ký kết hôn cần gì');
    expect((await h.handle(m)).outcome).toBe('answered');
    expect((await h.handle({ ...m })).outcome).toBe('duplicate');
    expect(sender.sent).toHaveLength(1);
    expect(await qaLog.count()).toBe(1);
  });

  it('drops a message older than the replay window', async () => {
    const r = await handler().handle(msg('đăng ký kết hôn', { sentAt: new Date(Date.now() - 10 * 60_000).toISOString() }));
    expect(r.outcome).toBe('stale');
    expect(sender.sent).toEqual([]);
  });

  it('over the per-user limit the citizen is told to slow down, and the pipeline does not run', async () => {
    const h = handler({ perMinute: 2 });
    await h.handle(msg('đăng ký kết hôn'));
    await h.handle(msg('đăng ký khai sinh'));
    const r = await h.handle(msg('đăng ký thường trú'));
    expect(r.outcome).toBe('limited');
    expect(await qaLog.count()).toBe(2);
    expect(sender.sent.at(-1)?.message.text).toMatch(/quá nhanh/);
  });

  it('a tapped option arrives as its id and is read as that choice', async () => {
    const h = handler();
    const first = await h.handle(msg('cấp lại'));
    const options = first.turn?.options ?? [];
    if (options.length < 2) return expect.fail(`expected a clarification, got ${first.turn?.status}`);
    const chosen = options[1]!;
    const r = await h.handle(msg(chosen.name, { payload: chosen.id }));
    expect(r.turn?.citations[0]?.id).toBe(chosen.id);
  });

  it('asking for a person queues the conversation with its transcript and procedures, and says the position', async () => {
    const h = handler();
    await h.handle(msg('đăng ký khai sinh cần gì'));
    const r = await h.handle(msg('cho tôi gặp cán bộ'));
    expect(r.handoff).toMatchObject({ reason: 'citizen_request', position: 1 });
    const c = handoff.conversations[0]!;
    expect(c.procedureIds).toContain('1.001193');
    expect(c.transcript.length).toBeGreaterThanOrEqual(2);
    expect(sender.sent.at(-1)?.message).toMatchObject({ author: 'system' });
    expect(sender.sent.at(-1)?.message.text).toMatch(/vị trí 1/);
  });

  it('the handoff button payload works like the words', async () => {
    const r = await handler().handle(msg('Gặp cán bộ', { payload: 'HANDOFF' }));
    expect(r.handoff?.reason).toBe('citizen_request');
  });

  it('while a person holds the conversation, messages go to them, not to the bot; personal data redacted', async () => {
    const h = handler();
    await h.handle(msg('gặp cán bộ'));
    const before = await qaLog.count();
    const r = await h.handle(msg('số điện thoại của tôi là 0912345678, tôi cần hỏi về sổ đỏ'));
    expect(r.outcome).toBe('forwarded');
    expect(await qaLog.count()).toBe(before);
    const stored = handoff.msgs.at(-1)!;
    expect(stored.author).toBe('citizen');
    expect(stored.text).not.toContain('0912345678');
    // Still waiting: the citizen is told their place again.
    expect(sender.sent.at(-1)?.message.text).toMatch(/vị trí 1/);
  });

  it('two unanswerable turns in a row hand the conversation to a person', async () => {
    const h = handler();
    const a = await h.handle(msg('xyzzy plugh'));
    expect(a.turn?.status).toMatch(/^unanswerable/);
    expect(a.handoff).toBeUndefined();
    const b = await h.handle(msg('qwertz uiopü'));
    expect(b.turn?.status).toMatch(/^unanswerable/);
    expect(b.handoff?.reason).toBe('unanswered_twice');
    expect(sender.sent.map((s) => s.message.text).join('\n')).toMatch(/chưa trả lời được/);
  });

  it('a negative rating offers a person, and asking then is a negative_rating handoff; ratings are stored', async () => {
    const h = handler();
    await h.handle(msg('đăng ký kết hôn cần gì'));
    const rated = await h.handle(msg('1', { payload: 'RATE:1' }));
    expect(rated.outcome).toBe('rated');
    expect(rated.replies[0]).toMatchObject({ offerHandoff: true });
    const r = await h.handle(msg('gặp cán bộ'));
    expect(r.handoff?.reason).toBe('negative_rating');
    const ratings = await qaLog.ratings!(r.sessionId!);
    expect(ratings).toEqual([expect.objectContaining({ score: 1, useful: null, channel: 'messenger' })]);
  });

  it('a positive rating is thanked', async () => {
    const r = await handler().handle(msg('có', { payload: 'RATE_USEFUL:yes' }));
    expect(r.replies[0]?.text).toMatch(/Cảm ơn/);
  });

  it('a flow can take the message before the pipeline; a handoff policy can answer instead of queueing', async () => {
    const flow: InboundFlow = { name: 'echo', run: async (m) => (m.text === 'để lại lời nhắn' ? [{ author: 'bot', text: 'Mời anh/chị nhắn.' }] : null) };
    const policy: HandoffPolicy = { decide: async () => [{ author: 'bot', text: 'Ngoài giờ làm việc.' }] };
    const h = handler({ flows: [flow], handoffPolicy: policy });
    expect((await h.handle(msg('để lại lời nhắn'))).outcome).toBe('flow');
    const r = await h.handle(msg('gặp cán bộ'));
    expect(r.handoff).toBeUndefined();
    expect(handoff.conversations).toEqual([]);
    expect(r.replies.map((x) => x.text)).toContain('Ngoài giờ làm việc.');
  });

  it('with deliver: false nothing is sent; the replies are returned', async () => {
    const r = await handler().handle(msg('đăng ký kết hôn'), { deliver: false });
    expect(r.replies).toHaveLength(1);
    expect(sender.sent).toEqual([]);
  });

  it('a send that fails is logged and does not lose the turn', async () => {
    const failing: ChannelSender = { channel: 'messenger', send: async () => Promise.reject(new Error('down')) };
    const senders = new ChannelSenders();
    senders.register(failing);
    const errors: unknown[] = [];
    const h = new InboundHandler({
      answers,
      sessions,
      handoff,
      senders,
      dedupe: new SqliteMessageDedupe(':memory:'),
      limiter: new SessionRateLimiter(100),
      log: { warn() {}, error: (o) => void errors.push(o) },
    });
    const r = await h.handle(msg('đăng ký kết hôn'));
    expect(r.outcome).toBe('answered');
    expect(errors).toHaveLength(1);
    expect(await qaLog.count()).toBe(1);
  });
});
