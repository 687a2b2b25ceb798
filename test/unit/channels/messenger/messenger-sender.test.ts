import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessengerSender } from '../../../../src/channels/messenger/messenger-sender.js';
import { optionTitles, renderMessengerMessage } from '../../../../src/channels/messenger/messenger-render.js';
import { SqliteMessengerContacts } from '../../../../src/channels/messenger/sqlite-messenger-contacts.js';
import { OutboundQueue, SendError, SqliteOutboundFailureLog } from '../../../../src/channels/outbound-queue.js';
import { type FakeGraphApi, startFakeGraphApi } from '../../../support/fake-graph-api.js';

const TOKEN = 'page-token-abc';
const HOUR = 60 * 60_000;

let graph: FakeGraphApi;
let failures: SqliteOutboundFailureLog;
let contacts: SqliteMessengerContacts;
let clock: number;
let sender: MessengerSender;

beforeEach(async () => {
  graph = await startFakeGraphApi({ pageToken: TOKEN });
  failures = new SqliteOutboundFailureLog(':memory:');
  contacts = new SqliteMessengerContacts(':memory:');
  clock = Date.UTC(2025, 5, 2, 3, 0, 0);
  const queue = new OutboundQueue({ channel: 'messenger', failures, retries: 3, backoffMs: 5, minTime: 0 });
  sender = new MessengerSender({
    config: { MESSENGER_PAGE_TOKEN: TOKEN, MESSENGER_GRAPH_BASE_URL: graph.baseUrl, MESSENGER_GRAPH_VERSION: 'v21.0' },
    queue,
    contacts,
    now: () => clock,
  });
});

afterEach(async () => {
  await graph.close();
  await failures.close();
  await contacts.close();
});

describe('MessengerSender', () => {
  it('sends a reply as RESPONSE to the PSID with the page token', async () => {
    await sender.send('psid-1', { author: 'bot', text: 'Xin chào anh/chị.' });
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0]).toMatchObject({ path: '/v21.0/me/messages', accessToken: TOKEN, status: 200 });
    expect(graph.requests[0]!.body).toEqual({ recipient: { id: 'psid-1' }, messaging_type: 'RESPONSE', message: { text: 'Xin chào anh/chị.' } });
  });

  it('splits long text at sentence ends, each part ≤ 2,000 characters, quick replies on the last', async () => {
    const sentence = 'Hồ sơ gồm tờ khai và giấy chứng sinh của cơ sở y tế nơi trẻ được sinh ra. ';
    const text = sentence.repeat(70).trim();
    await sender.send('psid-1', { author: 'bot', text, offerHandoff: true });
    const sent = graph.delivered();
    expect(sent.length).toBe(3);
    for (const body of sent) {
      expect(body.message!.text!.length).toBeLessThanOrEqual(2000);
      expect(body.message!.text!.endsWith('ra.')).toBe(true);
    }
    expect(sent.map((b) => b.message!.text).join(' ')).toBe(text);
    expect(sent.slice(0, -1).every((b) => b.message!.quick_replies === undefined)).toBe(true);
    expect(sent.at(-1)!.message!.quick_replies).toEqual([{ content_type: 'text', title: 'Gặp cán bộ', payload: 'HANDOFF' }]);
  });

  it('offers clarification options as quick replies: number + shortened name, payload the option id', async () => {
    const options = [
      { id: '3.000348', name: 'Cấp lại giấy phép lái xe' },
      { id: '3.000347', name: 'Đổi giấy phép lái xe' },
      { id: '3.000353', name: 'Cấp giấy phép lái xe quốc tế' },
    ];
    await sender.send('psid-1', { author: 'bot', text: 'Anh/chị hỏi thủ tục nào?\n1. Cấp lại…', options, offerHandoff: true });
    const qr = graph.delivered()[0]!.message!.quick_replies!;
    expect(qr).toEqual([
      { content_type: 'text', title: '1. Cấp lại', payload: '3.000348' },
      { content_type: 'text', title: '2. Đổi', payload: '3.000347' },
      { content_type: 'text', title: '3. Cấp quốc tế', payload: '3.000353' },
      { content_type: 'text', title: 'Gặp cán bộ', payload: 'HANDOFF' },
    ]);
  });

  it('keeps at most 13 quick replies with titles of at most 20 characters', () => {
    const options = Array.from({ length: 15 }, (_, i) => ({ id: `1.00${i}`, name: `Thủ tục số ${i} về đăng ký hộ kinh doanh cá thể tại cấp xã ${i}` }));
    const [body] = renderMessengerMessage({ author: 'bot', text: 'Chọn một:', options, offerHandoff: true });
    expect(body!.quick_replies).toHaveLength(13);
    expect(body!.quick_replies!.at(-1)!.payload).toBe('HANDOFF');
    for (const q of body!.quick_replies!) expect([...q.title].length).toBeLessThanOrEqual(20);
    expect(optionTitles([{ id: 'x', name: 'Đăng ký khai sinh có yếu tố nước ngoài' }])).toEqual(['1. Đăng ký khai…']);
  });

  it('asks for a rating with useful/not useful and 1–5 quick replies', () => {
    const [body] = renderMessengerMessage({ author: 'bot', text: 'Anh/chị đánh giá câu trả lời nhé?', askRating: true });
    expect(body!.quick_replies!.map((q) => q.payload)).toEqual(['RATE_USEFUL:yes', 'RATE_USEFUL:no', 'RATE:1', 'RATE:2', 'RATE:3', 'RATE:4', 'RATE:5']);
  });

  it('adds a "Nguồn" line for a cited procedure the text does not name', () => {
    const [body] = renderMessengerMessage({
      author: 'bot',
      text: 'Lệ phí: không thu.',
      citations: [{ id: '1.001193', name: 'Đăng ký khai sinh', url: 'https://dichvucong.gov.vn/x' }],
    });
    expect(body!.text).toBe('Lệ phí: không thu.\n\nNguồn: Đăng ký khai sinh (mã 1.001193) https://dichvucong.gov.vn/x');
    const [cited] = renderMessengerMessage({
      author: 'bot',
      text: 'Lệ phí: không thu.\n\nNguồn: Đăng ký khai sinh (mã 1.001193)',
      citations: [{ id: '1.001193', name: 'Đăng ký khai sinh', url: null }],
    });
    expect(cited!.text).toBe('Lệ phí: không thu.\n\nNguồn: Đăng ký khai sinh (mã 1.001193)');
  });

  it("sends an officer's reply with the HUMAN_AGENT tag after 24 hours, as RESPONSE within them", async () => {
    await contacts.recordInbound('psid-1', clock - 2 * HOUR);
    await sender.send('psid-1', { author: 'staff', text: 'Chào anh, tôi là cán bộ Lan.', staffName: 'Lan' });
    clock += 23 * HOUR;
    await sender.send('psid-1', { author: 'staff', text: 'Anh cần thêm gì không?' });
    await sender.send('psid-1', { author: 'bot', text: 'Trợ lý tự động.' });
    const sent = graph.delivered();
    expect(sent[0]).toMatchObject({ messaging_type: 'RESPONSE', message: { text: 'Cán bộ Lan:\nChào anh, tôi là cán bộ Lan.' } });
    expect(sent[0]!.tag).toBeUndefined();
    expect(sent[1]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(sent[2]).toMatchObject({ messaging_type: 'RESPONSE' });
    expect(sent[2]!.tag).toBeUndefined();
  });

  it('shows typing with sender actions', async () => {
    await sender.typing('psid-1', true);
    await sender.typing('psid-1', false);
    expect(graph.requests.map((r) => r.body)).toEqual([
      { recipient: { id: 'psid-1' }, sender_action: 'typing_on' },
      { recipient: { id: 'psid-1' }, sender_action: 'typing_off' },
    ]);
  });

  it('never fails a turn over a typing indicator', async () => {
    graph.failWith = 500;
    await expect(sender.typing('psid-1', true)).resolves.toBeUndefined();
    expect(await failures.list(10)).toEqual([]);
  });

  it('retries 429 and 5xx, then delivers once', async () => {
    graph.failNext(429, 500, 503);
    await sender.send('psid-1', { author: 'bot', text: 'Đã nhận.' });
    expect(graph.messageRequests().map((r) => r.status)).toEqual([429, 500, 503, 200]);
    expect(graph.delivered()).toHaveLength(1);
    expect(await failures.list(10)).toEqual([]);
  });

  it('records a permanent failure (4xx) with the message and Graph error, without retrying', async () => {
    graph.failNext(400);
    const error = await sender.send('psid-9', { author: 'bot', text: 'Trả lời.' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(graph.messageRequests()).toHaveLength(1);
    const [failure] = await failures.list(10);
    expect(failure).toMatchObject({ channel: 'messenger', userId: 'psid-9', attempts: 1 });
    expect(failure!.error).toContain('551');
    expect(failure!.error).toContain("This person isn't available");
    expect(JSON.parse(failure!.payload)).toEqual({ recipient: { id: 'psid-9' }, messaging_type: 'RESPONSE', message: { text: 'Trả lời.' } });
    expect(failure!.payload).not.toContain(TOKEN);
  });

  it('records a failure after the retries run out, and a bad token as permanent', async () => {
    graph.failWith = 500;
    await expect(sender.send('psid-1', { author: 'bot', text: 'Một.' })).rejects.toMatchObject({ retryable: true, status: 500 });
    expect(graph.messageRequests()).toHaveLength(4);
    graph.failWith = null;
    const wrongToken = new MessengerSender({
      config: { MESSENGER_PAGE_TOKEN: 'expired', MESSENGER_GRAPH_BASE_URL: graph.baseUrl, MESSENGER_GRAPH_VERSION: 'v21.0' },
      queue: new OutboundQueue({ channel: 'messenger', failures, retries: 3, backoffMs: 5, minTime: 0 }),
      contacts,
    });
    await expect(wrongToken.send('psid-1', { author: 'bot', text: 'Hai.' })).rejects.toMatchObject({ retryable: false, status: 400 });
    const list = await failures.list(10);
    expect(list.map((f) => f.attempts).sort()).toEqual([1, 4]);
    expect(list.some((f) => f.error.includes('190'))).toBe(true);
  });

  it('treats a network error as retryable and keeps the undelivered parts together', async () => {
    const unreachable = new MessengerSender({
      config: { MESSENGER_PAGE_TOKEN: TOKEN, MESSENGER_GRAPH_BASE_URL: 'http://127.0.0.1:9', MESSENGER_GRAPH_VERSION: 'v21.0' },
      queue: new OutboundQueue({ channel: 'messenger', failures, retries: 1, backoffMs: 5, minTime: 0 }),
      contacts,
    });
    const long = 'Câu trả lời dài. '.repeat(200);
    await expect(unreachable.send('psid-1', { author: 'bot', text: long })).rejects.toMatchObject({ retryable: true });
    const [failure] = await failures.list(10);
    expect(failure!.attempts).toBe(2);
    const kept = JSON.parse(failure!.payload) as unknown[];
    expect(kept.length).toBe(2);
  });

  it('answers a slow Send API within its deadline or retries it', async () => {
    const slow = new MessengerSender({
      config: { MESSENGER_PAGE_TOKEN: TOKEN, MESSENGER_GRAPH_BASE_URL: graph.baseUrl, MESSENGER_GRAPH_VERSION: 'v21.0' },
      queue: new OutboundQueue({ channel: 'messenger', failures, retries: 1, backoffMs: 5, minTime: 0 }),
      contacts,
      timeoutMs: 50,
    });
    graph.delayMs = 200;
    await expect(slow.send('psid-1', { author: 'bot', text: 'Chậm.' })).rejects.toMatchObject({ retryable: true });
    expect((await failures.list(10))[0]!.error).toMatch(/unreachable: TimeoutError/);
  });
});
