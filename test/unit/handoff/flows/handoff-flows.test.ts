import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundedComposer } from '../../../../src/answer/grounded-composer.js';
import { ArrayCatalogueStore } from '../../../../src/catalogue/array-catalogue-store.js';
import { ChannelSenders, type ChannelSender, type OutboundMessage } from '../../../../src/channels/channel-sender.js';
import { InboundHandler, type InboundResult } from '../../../../src/channels/handle-inbound.js';
import type { InboundMessage } from '../../../../src/channels/inbound-message.js';
import { SqliteMessageDedupe } from '../../../../src/channels/sqlite-message-dedupe.js';
import { createHandoffFlows } from '../../../../src/handoff/flows/create-handoff-flows.js';
import { OfficeHours } from '../../../../src/handoff/flows/office-hours.js';
import { OfficeHoursPolicy } from '../../../../src/handoff/flows/office-hours-policy.js';
import { SessionRateLimiter } from '../../../../src/http/session-rate-limiter.js';
import { KnowledgeBase } from '../../../../src/knowledge/knowledge-base.js';
import { createAnswerPipeline } from '../../../../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../../../../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../../../../src/qa-log/sqlite-qa-log-store.js';
import { InMemorySessionStore } from '../../../../src/sessions/in-memory-session-store.js';
import { LookupSecrets } from '../../../../src/status-lookup/lookup-secrets.js';
import { InMemoryHandoffQueue } from '../../../support/in-memory-handoff-queue.js';
import { InMemoryTicketStore } from '../../../support/in-memory-ticket-store.js';

/**
 * The handoff flows in a real InboundHandler over the real answer pipeline, with a clock fixed
 * inside or outside office hours (Hanoi time; 2025-06-02 is a Monday).
 */
const silent = { info() {}, warn() {}, error() {} };
const hanoi = (isoLocal: string) => new Date(`${isoLocal}+07:00`);
const MONDAY_MORNING = hanoi('2025-06-02T09:30:00');
/** One minute before midnight on Monday, Hanoi time (16:59 UTC). */
const MONDAY_NIGHT = hanoi('2025-06-02T23:59:00');
const PHONE = '0912345678';
const OTHER_PHONE = '0987654321';

class RecordingSender implements ChannelSender {
  readonly sent: OutboundMessage[] = [];
  readonly channel = 'messenger';
  async send(_userId: string, message: OutboundMessage) {
    this.sent.push(message);
  }
}

let knowledge: KnowledgeBase;
let sessions: InMemorySessionStore;
let qaLog: SqliteQaLogStore;
let queue: InMemoryHandoffQueue;
let tickets: InMemoryTicketStore;
let sender: RecordingSender;
let nowAt: Date;
let h: InboundHandler;
const clock = () => nowAt;
const hours = OfficeHours.parse('Mon-Fri 08:00-12:00,13:00-17:00');

beforeEach(async () => {
  nowAt = MONDAY_MORNING;
  knowledge = await KnowledgeBase.load({ store: new ArrayCatalogueStore([]), knowledgeDir: path.resolve('knowledge'), log: silent, midnightReload: false });
  const grounded = new GroundedComposer();
  sessions = new InMemorySessionStore({ now: clock });
  qaLog = new SqliteQaLogStore(':memory:');
  queue = new InMemoryHandoffQueue();
  tickets = new InMemoryTicketStore(clock);
  sender = new RecordingSender();
  const steps = createAnswerPipeline({
    procedures: knowledge.procedures,
    retriever: knowledge.retriever,
    composer: grounded,
    grounded,
    lexicon: knowledge.snapshot.lexicon,
    center: knowledge.snapshot.center,
    maxMessageChars: 2000,
  });
  const answers = new AnswerService({ steps, sessions, qaLog, log: silent, turnTimeoutMs: 10_000, now: clock });
  h = handler();
  function handler() {
    const senders = new ChannelSenders();
    senders.register(sender);
    return new InboundHandler({
      answers,
      sessions,
      handoff: queue,
      senders,
      dedupe: new SqliteMessageDedupe(':memory:'),
      limiter: new SessionRateLimiter(1000),
      qaLog,
      log: silent,
      now: clock,
      flows: createHandoffFlows({ tickets, hours, sealer: new LookupSecrets(Buffer.alloc(32, 7)) }),
      handoffPolicy: new OfficeHoursPolicy({ hours, sessions, now: clock }),
    });
  }
});
afterEach(async () => {
  knowledge.close();
  await qaLog.close();
});

let n = 0;
const say = (text: string, extra: Partial<InboundMessage> = {}): Promise<InboundResult> =>
  h.handle({ channel: 'messenger', userId: 'psid-1', messageId: `m${++n}`, text, ...extra });
const replyText = (r: InboundResult) => r.replies.map((x) => x.text).join('\n');
const session = () => sessions.load({ channel: 'messenger', userId: 'psid-1' });

/** Nothing stored for the conversation (session, its turns, the Q&A log) holds the number. */
async function expectNumberNowhere(...phones: string[]) {
  const stored = JSON.stringify(await session());
  const logged = JSON.stringify(await qaLog.recent(100));
  const sentText = sender.sent.map((m) => m.text).join('\n');
  for (const phone of phones) {
    for (const form of [phone, phone.slice(1), phone.slice(-4)]) {
      expect(stored).not.toContain(form);
      expect(logged).not.toContain(form);
      expect(sentText).not.toContain(form);
    }
  }
}

describe('inside office hours', () => {
  it('a request for a person is queued as before; no offer, no ticket', async () => {
    const r = await say('cho tôi gặp cán bộ');
    expect(r.outcome).toBe('answered');
    expect(r.handoff?.reason).toBe('citizen_request');
    expect(queue.conversations).toHaveLength(1);
    expect(replyText(r)).not.toMatch(/ngoài giờ/);
    expect(tickets.tickets).toEqual([]);
  });

  it('serious misconduct still goes to a person, even said as "tôi muốn phản ánh"', async () => {
    const r = await say('cán bộ phường đòi tiền bồi dưỡng mới nhận hồ sơ, tôi muốn phản ánh');
    expect(r.handoff?.reason).toBe('complaint');
    expect(tickets.tickets).toEqual([]);
  });

  it('a question about where to send feedback is answered by the Center knowledge, not taken as an intake', async () => {
    const r = await say('phản ánh ở đâu');
    expect(r.outcome).toBe('answered');
    expect(replyText(r)).toMatch(/iHanoi/);
    expect((await session()).handoffFlow ?? null).toBeNull();
  });
});

describe('outside office hours (Hanoi midnight)', () => {
  beforeEach(() => {
    nowAt = MONDAY_NIGHT;
  });

  it('"gặp cán bộ" is offered a message, a call-back or the hotline, with the hours and tomorrow 8:00; nobody is queued', async () => {
    await say('đăng ký khai sinh cần gì');
    const r = await say('gap can bo');
    expect(r.outcome).toBe('flow');
    expect(queue.conversations).toEqual([]);
    const text = replyText(r);
    expect(text).toContain('thứ Hai đến thứ Sáu, 8:00–12:00 và 13:00–17:00');
    expect(text).toContain('8:00 ngày mai, thứ Ba');
    expect(text).toMatch(/1\. Để lại lời nhắn/);
    expect(text).toMatch(/19001009/);
    expect(text).not.toMatch(/đã chuyển/);
    const s = await session();
    expect(s.handoffFlow).toMatchObject({ kind: 'offer', stage: 'choose' });
    expect(s.mode).toBe('bot');
  });

  it('one minute later it is Tuesday: the officers are back "8:00 hôm nay"', async () => {
    nowAt = hanoi('2025-06-03T00:00:30');
    const r = await say('Gặp cán bộ', { payload: 'HANDOFF' });
    expect(replyText(r)).toContain('8:00 hôm nay');
  });

  it('leave a message: "1" → the prompt → the next message, redacted, is a ticket; the reply has the reference and 8:00 tomorrow', async () => {
    await say('đăng ký khai sinh cần gì');
    await say('gặp cán bộ');
    const prompt = await say('1');
    expect(replyText(prompt)).toContain('Anh/chị nhắn nội dung cần hỏi, cán bộ sẽ trả lời khi làm việc');
    const before = await qaLog.count();
    const done = await say(`Tôi cần hỏi thêm về khai sinh cho con, gọi tôi số ${PHONE} nhé`);
    expect(done.outcome).toBe('flow');
    expect(tickets.tickets).toHaveLength(1);
    const t = tickets.tickets[0]!;
    expect(t).toMatchObject({ kind: 'message', channel: 'messenger', userId: 'psid-1', phone: null, consentAt: null });
    expect(t.text).toContain('[SĐT]');
    expect(t.text).not.toContain(PHONE);
    expect(t.procedureIds).toContain('1.001193');
    expect(replyText(done)).toContain(`mã TK-${t.id.slice(0, 8).toUpperCase()}`);
    expect(replyText(done)).toContain('8:00 ngày mai, thứ Ba');
    expect(await qaLog.count()).toBe(before);
    expect((await session()).handoffFlow).toBeNull();
    await expectNumberNowhere(PHONE);
  });

  it('call-back: consent, number read back masked, a corrected number, "có" → a callback ticket with the phone and the consent time', async () => {
    await say('gặp cán bộ');
    const consent = await say('goi lai');
    expect(replyText(consent)).toContain('Anh/chị đồng ý để Trung tâm lưu số điện thoại để gọi lại? (có/không)');
    const ask = await say('dong y');
    expect(replyText(ask)).toMatch(/nhắn số điện thoại/);
    const consentAt = nowAt.toISOString();
    nowAt = new Date(nowAt.getTime() + 30_000);
    const confirm = await say(`so cua toi la ${PHONE.replace(/(\d{4})(\d{3})(\d{3})/, '$1 $2 $3')}`);
    expect(replyText(confirm)).toContain('*******678');
    expect((await session()).handoffFlow).toMatchObject({ stage: 'confirm_phone' });
    const corrected = await say(`nhầm, số đúng là ${OTHER_PHONE}`);
    expect(replyText(corrected)).toContain('*******321');
    expect(tickets.tickets).toEqual([]);
    const done = await say('có');
    expect(tickets.tickets).toHaveLength(1);
    expect(tickets.tickets[0]).toMatchObject({ kind: 'callback', phone: OTHER_PHONE, consentAt });
    expect(replyText(done)).toMatch(/Đã ghi nhận đề nghị gọi lại \(mã TK-[0-9A-F]{8}\)/);
    expect(replyText(done)).toContain('*******321');
    // The number is in the ticket only: not in the session (turns or flow state), the Q&A log, or any reply.
    await expectNumberNowhere(PHONE, OTHER_PHONE);
    expect((await session()).turns.map((t) => t.text).join('\n')).not.toMatch(/\d{7,}/);
  });

  it('"sai" while confirming asks for the number again; "không" then cancels with nothing stored', async () => {
    await say('gặp cán bộ');
    await say('2');
    await say('có');
    await say(PHONE);
    expect(replyText(await say('sai rồi'))).toMatch(/nhắn số điện thoại/);
    const stop = await say('không');
    expect(replyText(stop)).toMatch(/số điện thoại không được lưu/);
    expect(tickets.tickets).toEqual([]);
    await expectNumberNowhere(PHONE);
  });

  it('consent refused: nothing stored, and a number typed before consent is not kept', async () => {
    await say('gặp cán bộ');
    await say('2');
    const early = await say(PHONE);
    expect(replyText(early)).toMatch(/Tôi chưa lưu số nào/);
    expect((await session()).handoffFlow).toMatchObject({ kind: 'callback', stage: 'consent' });
    const refused = await say('khong');
    expect(replyText(refused)).toMatch(/sẽ không lưu số điện thoại/);
    expect(tickets.tickets).toEqual([]);
    expect((await session()).handoffFlow).toBeNull();
    await expectNumberNowhere(PHONE);
  });

  it('"3" gives the hotline; a procedure question instead of a choice is answered by the pipeline', async () => {
    await say('gặp cán bộ');
    expect(replyText(await say('3'))).toMatch(/gọi tổng đài 19001009/);
    await say('gặp cán bộ');
    const r = await say('đăng ký kết hôn cần giấy tờ gì');
    expect(r.outcome).toBe('answered');
    expect((await session()).handoffFlow).toBeNull();
  });

  it('silence: ten minutes later the flow is forgotten, a number sent then is not stored', async () => {
    await say('gặp cán bộ');
    await say('2');
    await say('có');
    nowAt = new Date(nowAt.getTime() + 11 * 60_000);
    const late = await say(PHONE);
    expect(late.outcome).toBe('flow');
    expect(replyText(late)).toMatch(/hết hạn/);
    expect(tickets.tickets).toEqual([]);
    expect((await session()).handoffFlow).toBeNull();
    await expectNumberNowhere(PHONE);
    // And the conversation goes on as usual.
    expect((await say('đăng ký khai sinh cần gì')).outcome).toBe('answered');
  });

  it('within ten minutes the flow waits', async () => {
    await say('gặp cán bộ');
    await say('2');
    nowAt = new Date(nowAt.getTime() + 9 * 60_000);
    expect(replyText(await say('có'))).toMatch(/nhắn số điện thoại/);
  });

  it('two unanswerable turns outside hours: the policy offers the choices instead of queueing', async () => {
    await say('xyzzy plugh');
    const r = await say('qwertz uiopü');
    expect(queue.conversations).toEqual([]);
    expect(r.handoff).toBeUndefined();
    expect(replyText(r)).toMatch(/ngoài giờ làm việc/);
    expect((await session()).handoffFlow).toMatchObject({ kind: 'offer' });
    expect(replyText(await say('1'))).toMatch(/nhắn nội dung cần hỏi/);
  });

  it('a complaint to an officer outside hours is offered the choices; a message left then is a complaint ticket with the first words', async () => {
    const r = await say('cán bộ phường quát tháo tôi khi nộp hồ sơ');
    expect(replyText(r)).toMatch(/ngoài giờ làm việc/);
    await say('1');
    await say('Hôm qua ở bộ phận một cửa phường Dịch Vọng');
    expect(tickets.tickets).toHaveLength(1);
    expect(tickets.tickets[0]!.kind).toBe('complaint');
    expect(tickets.tickets[0]!.text).toMatch(/quát tháo[\s\S]*Dịch Vọng/);
  });

  it('English: the offer in English', async () => {
    const r = await say('I want to talk to an officer please');
    expect(replyText(r)).toMatch(/out of office now/);
    expect(replyText(r)).toContain('Monday to Friday');
  });
});

describe('feedback and complaint intake', () => {
  it('"tôi muốn phản ánh" → the bot asks for the content → a feedback ticket and a reference', async () => {
    await say('thủ tục đăng ký kết hôn');
    const ask = await say('toi muon phan anh');
    expect(ask.outcome).toBe('flow');
    expect(replyText(ask)).toMatch(/nhắn nội dung/);
    const done = await say('Máy lấy số thứ tự ở tầng 1 hỏng cả buổi sáng, người dân phải chờ lâu');
    expect(tickets.tickets).toHaveLength(1);
    const t = tickets.tickets[0]!;
    expect(t).toMatchObject({ kind: 'feedback', phone: null });
    expect(t.text).toMatch(/Máy lấy số/);
    expect(replyText(done)).toContain(`mã tiếp nhận TK-${t.id.slice(0, 8).toUpperCase()}`);
    expect(replyText(done)).toMatch(/phản ánh, kiến nghị/);
    expect(queue.conversations).toEqual([]);
  });

  it('"tôi muốn khiếu nại về thái độ cán bộ" is taken down as a complaint, its first words kept', async () => {
    await say('tôi muốn khiếu nại về thái độ cán bộ');
    await say('Chiều thứ Sáu tại quầy số 3, thủ tục cấp đổi giấy phép lái xe');
    const t = tickets.tickets[0]!;
    expect(t.kind).toBe('complaint');
    expect(t.text).toMatch(/thái độ cán bộ\n.*quầy số 3/);
    expect(queue.conversations).toEqual([]);
  });

  it('said at length, the feedback is filed at once', async () => {
    const r = await say('Tôi muốn góp ý: nhà vệ sinh ở tầng 2 của trung tâm rất bẩn, đề nghị dọn thường xuyên hơn');
    expect(replyText(r)).toMatch(/mã tiếp nhận TK-/);
    expect(tickets.tickets[0]).toMatchObject({ kind: 'feedback' });
  });

  it('"hủy" stops the intake with nothing stored', async () => {
    await say('góp ý');
    expect(replyText(await say('thôi'))).toMatch(/không lưu gì/);
    expect(tickets.tickets).toEqual([]);
  });

  it('a store failure is told, with the hotline', async () => {
    await say('tôi muốn kiến nghị');
    tickets.failNext = true;
    const r = await say('Đề nghị mở thêm quầy vào buổi trưa');
    expect(replyText(r)).toMatch(/chưa lưu được/);
    expect((await session()).handoffFlow).toBeNull();
  });
});

describe('direct requests at any hour', () => {
  it('"gọi lại cho tôi" inside hours starts a call-back with consent', async () => {
    expect(replyText(await say('gọi lại cho tôi'))).toMatch(/\(có\/không\)/);
    await say('có');
    await say(PHONE);
    const done = await say('đúng rồi');
    expect(tickets.tickets[0]).toMatchObject({ kind: 'callback', phone: PHONE });
    expect(replyText(done)).toMatch(/trong giờ làm việc/);
    await expectNumberNowhere(PHONE);
  });

  it('"để lại lời nhắn" starts a message', async () => {
    expect(replyText(await say('để lại lời nhắn'))).toMatch(/nhắn nội dung cần hỏi/);
  });
});
