import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboundQueue, SendError, SqliteOutboundFailureLog } from '../../../../src/channels/outbound-queue.js';
import { renderZaloText } from '../../../../src/channels/zalo/render-zalo-text.js';
import { SqliteZaloRatingPrompts } from '../../../../src/channels/zalo/sqlite-zalo-rating-prompts.js';
import { ZaloSender } from '../../../../src/channels/zalo/zalo-sender.js';
import { ZaloTokenStore } from '../../../../src/channels/zalo/zalo-token-store.js';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import { type FakeZaloApi, startFakeZaloApi } from '../../../support/fake-zalo-api.js';

const APP_ID = '3608465249409039671';
const APP_SECRET = 'app-secret-key';
const USER = '2468458835291979221';

let api: FakeZaloApi;
let tokens: ZaloTokenStore;
let failures: SqliteOutboundFailureLog;
let prompts: SqliteZaloRatingPrompts;
let sender: ZaloSender;

beforeEach(async () => {
  api = await startFakeZaloApi({ appId: APP_ID, appSecretKey: APP_SECRET, accessTokens: ['AT-seed'], refreshTokens: ['RT-seed'] });
  tokens = new ZaloTokenStore(':memory:', { appId: APP_ID, appSecretKey: APP_SECRET, oauthBaseUrl: api.baseUrl, seed: { accessToken: 'AT-seed', refreshToken: 'RT-seed' } });
  // Known expiry far away, so that these tests start without the first-use rotation.
  await tokens.refresh();
  failures = new SqliteOutboundFailureLog(':memory:');
  prompts = new SqliteZaloRatingPrompts(':memory:');
  const queue = new OutboundQueue({ channel: 'zalo', failures, minTime: 0, backoffMs: 5, retries: 2 });
  sender = new ZaloSender({ apiBaseUrl: api.baseUrl, tokens, queue, ratingPrompts: prompts });
});

afterEach(async () => {
  await tokens.close();
  await failures.close();
  await prompts.close();
  await api.close();
});

describe('ZaloSender', () => {
  it('posts the OA v3 customer-service message with the access_token header', async () => {
    await sender.send(USER, { author: 'bot', text: 'Xin chào anh/chị.' });
    expect(api.sends).toEqual([
      { accessToken: 'AT-1', userId: USER, text: 'Xin chào anh/chị.', body: { recipient: { user_id: USER }, message: { text: 'Xin chào anh/chị.' } }, error: 0 },
    ]);
  });

  it('splits long text at 2,000 characters on sentence boundaries, in order', async () => {
    const sentence = 'Hồ sơ gồm tờ khai đăng ký khai sinh theo mẫu và giấy chứng sinh do cơ sở y tế cấp. ';
    const text = sentence.repeat(60).trim();
    await sender.send(USER, { author: 'bot', text });
    const parts = api.delivered().map((s) => s.text);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect([...p].length).toBeLessThanOrEqual(2000);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('on -216 refreshes the token once and sends again', async () => {
    api.expireAccessTokens();
    await sender.send(USER, { author: 'bot', text: 'Lệ phí: không thu.' });
    expect(api.sends.map((s) => [s.accessToken, s.error])).toEqual([
      ['AT-1', -216],
      ['AT-2', 0],
    ]);
    expect(api.refreshes.filter((r) => r.error === 0)).toHaveLength(2);
  });

  it('gives up (permanent, recorded) when the token stays invalid after the refresh', async () => {
    api.failSends(2, { body: { error: -216, message: 'Access token is invalid' } });
    await expect(sender.send(USER, { author: 'bot', text: 'Lệ phí: không thu.' })).rejects.toMatchObject({ name: 'SendError', retryable: false });
    expect(api.sends).toHaveLength(2);
    const [failure] = await failures.list(10);
    expect(failure).toMatchObject({ channel: 'zalo', userId: USER, attempts: 1 });
    expect(JSON.parse(failure!.payload)).toEqual({ recipient: { user_id: USER }, message: { text: 'Lệ phí: không thu.' } });
  });

  it('retries server errors and rate limits, then delivers', async () => {
    api.failSends(1, { status: 503, body: { error: -1, message: 'unavailable' } });
    api.failSends(1, { body: { error: -32, message: 'Exceed rate limit' } });
    await sender.send(USER, { author: 'bot', text: 'Thời hạn: 01 ngày làm việc.' });
    expect(api.sends.map((s) => s.error)).toEqual([-1, -32, 0]);
    expect(await failures.list(10)).toEqual([]);
  });

  it('does not retry other OA errors; the message is kept in the failure log', async () => {
    api.failSends(1, { body: { error: -230, message: 'User has not interacted with the OA in the last 7 days' } });
    const err = await sender.send(USER, { author: 'bot', text: 'Xin chào.' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ retryable: false, message: expect.stringContaining('-230') });
    expect(api.sends).toHaveLength(1);
    expect((await failures.list(10))[0]).toMatchObject({ error: expect.stringContaining('-230') });
  });

  it('keeps retrying errors until the queue gives up, then records them', async () => {
    api.failSends(3, { status: 500, body: { error: -1 } });
    await expect(sender.send(USER, { author: 'bot', text: 'Xin chào.' })).rejects.toMatchObject({ retryable: true, status: 500 });
    expect(api.sends).toHaveLength(3);
    expect((await failures.list(10))[0]).toMatchObject({ attempts: 3 });
  });

  it('remembers who was asked to rate', async () => {
    await sender.send(USER, { author: 'bot', text: 'Cảm ơn anh/chị.', askRating: true });
    expect(api.delivered()[0]!.text).toContain(cannedReply('rating_text_prompt'));
    expect(await prompts.take(USER)).toBe(true);
    expect(await prompts.take('other')).toBe(false);
  });
});

describe('renderZaloText', () => {
  it('adds a numbered list and "reply with a number" for options the text does not list', () => {
    const out = renderZaloText({ author: 'bot', text: 'Anh/chị hỏi về thủ tục nào?', options: [{ id: 'a', name: 'Đăng ký khai sinh' }, { id: 'b', name: 'Đăng ký kết hôn' }] });
    expect(out).toBe(`Anh/chị hỏi về thủ tục nào?\n\n1. Đăng ký khai sinh\n2. Đăng ký kết hôn\n${cannedReply('options_reply_hint')}`);
  });

  it('does not list again options the clarification text already numbers', () => {
    const text = `${cannedReply('clarification')}\n1. Đăng ký khai sinh\n2. Đăng ký kết hôn`;
    const out = renderZaloText({ author: 'bot', text, options: [{ id: 'a', name: 'Đăng ký khai sinh' }, { id: 'b', name: 'Đăng ký kết hôn' }] });
    expect(out).toBe(`${text}\n\n${cannedReply('options_reply_hint')}`);
  });

  it('says what to type for a person and for a rating, in the language of the reply', () => {
    const vi = renderZaloText({ author: 'bot', text: 'Tôi chưa tìm thấy thủ tục phù hợp.', offerHandoff: true, askRating: true });
    expect(vi).toContain(cannedReply('handoff_text_hint', 'vi'));
    expect(vi).toContain(cannedReply('rating_text_prompt', 'vi'));
    const en = renderZaloText({ author: 'bot', text: 'I could not find a matching procedure.', offerHandoff: true });
    expect(en).toContain(cannedReply('handoff_text_hint', 'en'));
  });

  it('names the officer and adds sources the text does not cite', () => {
    const out = renderZaloText({
      author: 'staff',
      staffName: 'Nguyễn Lan',
      text: 'Chào anh, hồ sơ của anh đã đủ.',
      citations: [{ id: '1.001193', name: 'Đăng ký khai sinh', url: 'https://dichvucong.gov.vn/p/1' }],
    });
    expect(out.startsWith(cannedReply('staff_signature', 'vi', { name: 'Nguyễn Lan' }))).toBe(true);
    expect(out).toContain(cannedReply('citation_line', 'vi', { name: 'Đăng ký khai sinh', id: '1.001193' }));
    expect(out).toContain('https://dichvucong.gov.vn/p/1');
  });
});
