import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../src/channels/channel-sender.js';
import { InboundHandler } from '../../src/channels/handle-inbound.js';
import { SqliteOutboundFailureLog } from '../../src/channels/outbound-queue.js';
import { SqliteMessageDedupe } from '../../src/channels/sqlite-message-dedupe.js';
import { createZaloChannel, type ZaloChannel } from '../../src/channels/zalo/create-zalo-channel.js';
import type { ZaloWebhook } from '../../src/channels/zalo/zalo-routes.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { cannedReply } from '../../src/domain/canned-replies.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { createLogger } from '../../src/http/logger.js';
import { SessionRateLimiter } from '../../src/http/session-rate-limiter.js';
import { type FakeZaloApi, signedZaloDelivery, startFakeZaloApi, zaloTextEvent } from '../support/fake-zalo-api.js';

/**
 * The Zalo OA channel end to end through a real port: signed deliveries from "Zalo", the real
 * answer pipeline over the starter records, SQLite sessions, dedupe, handoff queue, tokens and
 * failure log under a temporary DATA_DIR, replies sent to a local double of the OA API (and its OAuth).
 */
const APP_ID = '3608465249409039671';
const OA_SECRET = 'zalo-oa-secret-key';
const APP_SECRET = 'zalo-app-secret-key';
const KEYS = { appId: APP_ID, oaSecretKey: OA_SECRET };
// Beyond 2^53 on purpose: it must come back to Zalo digit for digit.
const CITIZEN = '9007199254740993217';

let dataDir: string;
let api: FakeZaloApi;
let deps: Deps;
let app: FastifyInstance;
let webhook: ZaloWebhook;
let channel: ZaloChannel;
let url: string;
let handoff: SqliteHandoffQueue;
let senders: ChannelSenders;
const closers: Array<{ close(): Promise<void> }> = [];
let seq = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-zalo-'));
  api = await startFakeZaloApi({ appId: APP_ID, appSecretKey: APP_SECRET, accessTokens: ['AT-seed'], refreshTokens: ['RT-seed'] });
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    ZALO_APP_ID: APP_ID,
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_OA_ACCESS_TOKEN: 'AT-seed',
    ZALO_OA_REFRESH_TOKEN: 'RT-seed',
    ZALO_APP_SECRET_KEY: APP_SECRET,
    ZALO_API_BASE_URL: api.baseUrl,
    ZALO_OAUTH_BASE_URL: api.baseUrl,
  });
  const log = createLogger({ LOG_LEVEL: 'warn' }, { write: () => {} });
  deps = await createDeps(config, { log });

  // What the composition root builds for Zalo.
  const failures = new SqliteOutboundFailureLog({ dataDir });
  const dedupe = new SqliteMessageDedupe({ dataDir });
  handoff = new SqliteHandoffQueue({ dataDir });
  closers.push(failures, dedupe, handoff);
  channel = createZaloChannel(config, { dataDir, log, failures, outbound: { minTime: 0, backoffMs: 10 } })!;
  senders = new ChannelSenders();
  senders.register(channel.sender);
  const inbound = new InboundHandler({
    answers: deps.answers,
    sessions: deps.sessions,
    handoff,
    senders,
    dedupe,
    limiter: new SessionRateLimiter(30),
    qaLog: deps.qaLog,
    log,
  });

  app = Fastify();
  webhook = channel.register(app, inbound);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/webhooks/zalo`;
});

afterAll(async () => {
  await app?.close();
  await channel?.close();
  for (const c of closers) await c.close();
  await deps?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Posts a signed delivery like Zalo does; resolves with the HTTP status. */
async function zalo(body: string | Record<string, unknown>, headers: Record<string, string> = {}): Promise<number> {
  const signed = signedZaloDelivery(body, KEYS);
  const res = await fetch(url, { method: 'POST', body: signed.payload, headers: { ...signed.headers, ...headers } });
  await res.arrayBuffer();
  return res.status;
}

/** The citizen types `text`; resolves with the texts the OA sent back for it. */
async function say(text: string, opts: { msgId?: string; replies?: number; userId?: string } = {}): Promise<string[]> {
  const userId = opts.userId ?? CITIZEN;
  const before = api.delivered(userId).length;
  const status = await zalo(zaloTextEvent({ appId: APP_ID, userId, msgId: opts.msgId ?? `zmsg${++seq}`, text }));
  expect(status).toBe(200);
  await webhook.drain();
  const got = await api.waitForDelivered(before + (opts.replies ?? 1), userId);
  return got.slice(before).map((s) => s.text);
}

describe('Zalo OA channel', () => {
  it('answers a question typed without diacritics, with the record\'s words, to the exact user id', async () => {
    const [reply] = await say('dang ky khai sinh can giay to gi');
    expect(reply).toContain('Tờ khai đăng ký khai sinh');
    const sent = api.delivered(CITIZEN)[0]!;
    expect(sent.body).toEqual({ recipient: { user_id: CITIZEN }, message: { text: reply } });
    // The seed pair was rotated at first use and the rotated token is the one in use.
    expect(api.refreshes[0]).toMatchObject({ secretKey: APP_SECRET, form: { grant_type: 'refresh_token', refresh_token: 'RT-seed', app_id: APP_ID }, error: 0 });
    expect(sent.accessToken).toBe('AT-1');
  });

  it('keeps the conversation for a follow-up', async () => {
    const [reply] = await say('con le phi thi sao');
    expect(reply).toContain('Không thu lệ phí');
  });

  it('answers a Zalo retry of the same msg_id only once', async () => {
    const msgId = `zmsg-retry-${++seq}`;
    const first = await say('thoi han giai quyet bao lau', { msgId });
    expect(first).toHaveLength(1);
    const before = api.delivered(CITIZEN).length;
    expect(await zalo(zaloTextEvent({ appId: APP_ID, userId: CITIZEN, msgId, text: 'thoi han giai quyet bao lau' }))).toBe(200);
    await webhook.drain();
    expect(api.delivered(CITIZEN)).toHaveLength(before);
  });

  it('offers numbered choices for an ambiguous question and takes the choice by number', async () => {
    const [choices] = await say('xac nhan');
    expect(choices).toContain('1. Thủ tục cấp Giấy xác nhận tình trạng hôn nhân');
    expect(choices).toContain('2. Xác nhận thông tin về cư trú');
    expect(choices).toContain(cannedReply('options_reply_hint'));
    // Listed once, not twice.
    expect(choices!.split('1. Thủ tục cấp Giấy xác nhận tình trạng hôn nhân')).toHaveLength(2);

    const [answer] = await say('1');
    expect(answer).toMatch(/tình trạng hôn nhân/i);
    expect(answer).not.toContain(cannedReply('options_reply_hint'));
  });

  it('refreshes the expired token on -216 and still delivers', async () => {
    api.expireAccessTokens();
    const [reply] = await say('dang ky ket hon can giay to gi');
    expect(reply).toMatch(/kết hôn/i);
    expect(api.sends.filter((s) => s.error === -216)).toHaveLength(1);
    expect(api.delivered(CITIZEN).at(-1)?.accessToken).toBe('AT-2');
  });

  it('refuses an unsigned or stale delivery over the wire and answers nothing', async () => {
    const before = api.sends.length;
    const event = zaloTextEvent({ appId: APP_ID, userId: CITIZEN, msgId: `zmsg${++seq}`, text: 'xin chao' });
    const res = await fetch(url, { method: 'POST', body: JSON.stringify(event), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(await zalo({ ...event, timestamp: String(Date.now() - 10 * 60_000) })).toBe(403);
    await webhook.drain();
    expect(api.sends).toHaveLength(before);
  });

  it('hands the conversation to an officer on "gặp cán bộ", relays both ways, hands back, and takes the rating by number', async () => {
    const replies = await say('gap can bo', { replies: 2 });
    expect(replies.join('\n')).toContain('vị trí 1 trong hàng chờ');
    const [conv] = await handoff.open();
    expect(conv).toMatchObject({ channel: 'zalo', userId: CITIZEN, reason: 'citizen_request', status: 'waiting' });
    expect(conv!.procedureIds.length).toBeGreaterThan(0);

    // While waiting, the citizen's messages are for the officer (with a notice of the place in line).
    const [notice] = await say('toi can ho tro ve giay khai sinh');
    expect(notice).toContain('hàng chờ');

    // The officer claims and replies; the console's relay sends it through the Zalo sender.
    await handoff.claim(conv!.id, 'officer-lan');
    const staffMessage = await handoff.appendMessage(conv!.id, 'staff', 'Chào anh, hồ sơ khai sinh cần tờ khai và giấy chứng sinh.', 'officer-lan');
    await senders.send('zalo', CITIZEN, { author: 'staff', staffName: 'Lan', text: staffMessage.text });
    expect(api.delivered(CITIZEN).at(-1)?.text).toBe(`${cannedReply('staff_signature', 'vi', { name: 'Lan' })}\n${staffMessage.text}`);

    // The citizen answers the officer: forwarded to the conversation, not to the pipeline.
    const before = api.delivered(CITIZEN).length;
    expect(await zalo(zaloTextEvent({ appId: APP_ID, userId: CITIZEN, msgId: `zmsg${++seq}`, text: 'cam on chi' }))).toBe(200);
    await webhook.drain();
    expect(api.delivered(CITIZEN)).toHaveLength(before);
    expect((await handoff.messages(conv!.id)).map((m) => [m.author, m.text])).toEqual([
      ['citizen', 'toi can ho tro ve giay khai sinh'],
      ['staff', staffMessage.text],
      ['citizen', 'cam on chi'],
    ]);

    // The officer closes; the closing notice asks for a rating (no buttons on Zalo: "reply 1–5").
    await handoff.end(conv!.id, 'officer-lan', 'resolved');
    await deps.sessions.setMode({ channel: 'zalo', userId: CITIZEN }, 'bot');
    await senders.send('zalo', CITIZEN, { author: 'system', text: cannedReply('handoff_closed'), askRating: true });
    expect(api.delivered(CITIZEN).at(-1)?.text).toContain(cannedReply('rating_text_prompt'));

    const [thanks] = await say('5');
    expect(thanks).toBe(cannedReply('rating_thanks'));
    // Back with the bot: a digit is no longer a rating, a question is answered again.
    const [answer] = await say('le phi dang ky ket hon');
    expect(answer).toMatch(/kết hôn/i);
  });

  it('answers a sticker with the "text only" notice, not the pipeline', async () => {
    const before = api.delivered('111').length;
    const status = await zalo({
      app_id: APP_ID,
      sender: { id: '111' },
      recipient: { id: '388613280878808645' },
      event_name: 'user_send_sticker',
      message: { msg_id: `zsticker${++seq}`, attachments: [{ type: 'sticker', payload: { id: 'x' } }] },
      timestamp: String(Date.now()),
    });
    expect(status).toBe(200);
    await webhook.drain();
    const got = await api.waitForDelivered(before + 1, '111');
    expect(got.at(-1)?.text).toBe(cannedReply('text_only'));
  });
});
