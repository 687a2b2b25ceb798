import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSender, OutboundMessage } from '../../../../src/channels/channel-sender.js';
import type { InboundMessage } from '../../../../src/channels/inbound-message.js';
import { SqliteZaloRatingPrompts } from '../../../../src/channels/zalo/sqlite-zalo-rating-prompts.js';
import { registerZaloRoutes, type ZaloWebhook } from '../../../../src/channels/zalo/zalo-routes.js';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import { signedZaloDelivery, zaloTextEvent } from '../../../support/fake-zalo-api.js';

const KEYS = { appId: '3608465249409039671', oaSecretKey: 'oa-secret' };
const USER = '2468458835291979221';

let app: FastifyInstance;
let webhook: ZaloWebhook;
let handled: InboundMessage[];
let sent: Array<{ userId: string; message: OutboundMessage }>;
let warnings: object[];
let release: () => void;
let gate: Promise<void> | null;
let prompts: SqliteZaloRatingPrompts;
let now: number;

const sender: ChannelSender = {
  channel: 'zalo',
  send: async (userId, message) => void sent.push({ userId, message }),
};

beforeEach(async () => {
  handled = [];
  sent = [];
  warnings = [];
  gate = null;
  now = Date.now();
  prompts = new SqliteZaloRatingPrompts(':memory:');
  app = Fastify();
  // Another route of the app, to show that it keeps Fastify's JSON parser.
  app.post('/api/echo', async (req) => ({ got: req.body }));
  webhook = registerZaloRoutes(app, {
    inbound: {
      handle: async (msg) => {
        if (gate) await gate;
        handled.push(msg);
      },
    },
    config: { ZALO_APP_ID: KEYS.appId, ZALO_OA_SECRET_KEY: KEYS.oaSecretKey },
    log: { warn: (o) => void warnings.push(o), error: (o) => void warnings.push(o) },
    sender,
    ratingPrompts: prompts,
    now: () => now,
  });
  await app.ready();
});

afterEach(async () => {
  release?.();
  await webhook.drain();
  await app.close();
  await prompts.close();
});

const deliver = async (body: string | Record<string, unknown>, headers: Record<string, string> = {}) => {
  const signed = signedZaloDelivery(body, KEYS);
  return app.inject({ method: 'POST', url: '/webhooks/zalo', payload: signed.payload, headers: { ...signed.headers, ...headers } });
};
const text = (msgId: string, t: string, over: Partial<Parameters<typeof zaloTextEvent>[0]> = {}) =>
  zaloTextEvent({ appId: KEYS.appId, userId: USER, msgId, text: t, timestamp: now, ...over });

describe('POST /webhooks/zalo', () => {
  it('turns a signed user_send_text into an InboundMessage keyed by msg_id', async () => {
    const res = await deliver(text('96d3cdf3af150460909', 'dang ky khai sinh can gi'));
    expect(res.statusCode).toBe(200);
    await webhook.drain();
    expect(handled).toEqual([
      { channel: 'zalo', userId: USER, messageId: '96d3cdf3af150460909', text: 'dang ky khai sinh can gi', sentAt: new Date(now).toISOString() },
    ]);
  });

  it('keeps big integer ids digit for digit, quoted or not', async () => {
    const raw = `{"app_id":"${KEYS.appId}","sender":{"id":9223372036854775807123},"recipient":{"id":"1"},"event_name":"user_send_text","message":{"text":"xin chao","msg_id":18446744073709551617},"timestamp":"${now}"}`;
    expect((await deliver(raw)).statusCode).toBe(200);
    await webhook.drain();
    expect(handled[0]).toMatchObject({ userId: '9223372036854775807123', messageId: '18446744073709551617' });
  });

  it('answers 200 before the work is done', async () => {
    gate = new Promise((r) => (release = r));
    const res = await deliver(text('m1', 'le phi ket hon'));
    expect(res.statusCode).toBe(200);
    expect(handled).toHaveLength(0);
    release();
    await webhook.drain();
    expect(handled).toHaveLength(1);
  });

  it('refuses unsigned, tampered, wrong-key, stale and future deliveries, and does nothing', async () => {
    const body = JSON.stringify(text('m2', 'dang ky ket hon'));
    const unsigned = await app.inject({ method: 'POST', url: '/webhooks/zalo', payload: body, headers: { 'content-type': 'application/json' } });
    expect(unsigned.statusCode).toBe(401);

    const signed = signedZaloDelivery(body, KEYS);
    const tampered = await app.inject({ method: 'POST', url: '/webhooks/zalo', payload: body.replace('ket hon', 'khai sinh'), headers: signed.headers });
    expect(tampered.statusCode).toBe(403);

    const wrongKey = signedZaloDelivery(body, { ...KEYS, oaSecretKey: 'app-secret' });
    expect((await app.inject({ method: 'POST', url: '/webhooks/zalo', payload: body, headers: wrongKey.headers })).statusCode).toBe(403);

    expect((await deliver(text('m3', 'x', { timestamp: now - 6 * 60_000 }))).statusCode).toBe(403);
    expect((await deliver(text('m4', 'x', { timestamp: now + 6 * 60_000 }))).statusCode).toBe(403);
    expect((await deliver('not json at all')).statusCode).toBe(403);

    await webhook.drain();
    expect(handled).toEqual([]);
    expect(sent).toEqual([]);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('leaves the rest of the app with Fastify JSON parsing', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
    expect(res.json()).toEqual({ got: { a: 1 } });
  });

  it('answers other user_send_* events with a short "text only" notice, once in a while per citizen', async () => {
    const sticker = (msgId: string, userId = USER) => ({
      app_id: KEYS.appId,
      sender: { id: userId },
      recipient: { id: '1' },
      event_name: 'user_send_sticker',
      message: { msg_id: msgId, attachments: [{ type: 'sticker', payload: { id: 'abc' } }] },
      timestamp: String(now),
    });
    for (const e of [sticker('s1'), sticker('s2'), { ...sticker('s3'), event_name: 'user_send_image' }, sticker('s4', '42')]) {
      expect((await deliver(e)).statusCode).toBe(200);
    }
    await webhook.drain();
    expect(sent).toEqual([
      { userId: USER, message: { author: 'bot', text: cannedReply('text_only') } },
      { userId: '42', message: { author: 'bot', text: cannedReply('text_only') } },
    ]);
    expect(handled).toEqual([]);
    now += 11 * 60_000;
    await deliver(sticker('s5'));
    await webhook.drain();
    expect(sent).toHaveLength(3);
  });

  it('greets a new follower and ignores echoes, receipts and unfollows', async () => {
    const base = { app_id: KEYS.appId, timestamp: String(now) };
    await deliver({ ...base, oa_id: '1', follower: { id: USER }, event_name: 'follow', source: 'oa_profile' });
    await deliver({ ...base, oa_id: '1', follower: { id: USER }, event_name: 'unfollow' });
    await deliver({ ...base, sender: { id: '1' }, recipient: { id: USER }, event_name: 'oa_send_text', message: { text: 'hi', msg_id: 'o1' } });
    await deliver({ ...base, sender: { id: USER }, recipient: { id: '1' }, event_name: 'user_received_message', message: { msg_ids: ['o1'] } });
    await deliver({ ...base, sender: { id: USER }, recipient: { id: '1' }, event_name: 'user_seen_message', message: { msg_ids: ['o1'] } });
    await webhook.drain();
    expect(sent).toEqual([{ userId: USER, message: { author: 'bot', text: cannedReply('greeting') } }]);
    expect(handled).toEqual([]);
  });

  it('reads a bare 1–5 right after a rating prompt as RATE:n, and only then', async () => {
    await prompts.mark(USER);
    await deliver(text('r1', ' 4 '));
    await webhook.drain();
    expect(handled[0]).toMatchObject({ text: ' 4 ', payload: 'RATE:4' });

    // The prompt was used: the next digit is a clarification choice again.
    await deliver(text('r2', '2'));
    await webhook.drain();
    expect(handled[1]).not.toHaveProperty('payload');

    // Any other text ends the wait for a rating.
    await prompts.mark(USER);
    await deliver(text('r3', 'cho hoi them ve le phi'));
    await deliver(text('r4', '5'));
    await webhook.drain();
    expect(handled.slice(2).map((m) => m.payload)).toEqual([undefined, undefined]);
  });
});
