import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSenders, type ChannelSender, type OutboundMessage } from '../../src/channels/channel-sender.js';
import { cannedReply } from '../../src/domain/canned-replies.js';
import type { EnqueueInput } from '../../src/handoff/handoff-queue.js';
import { relayHandoffEvents, type HandoffRelay } from '../../src/handoff/relay-handoff-events.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore } from '../../src/handoff/sqlite-ticket-store.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerConsoleApi, STAFF_COOKIE } from '../../src/http/routes/console-api.js';
import { InMemorySessionStore } from '../../src/sessions/in-memory-session-store.js';
import { LoginThrottle } from '../../src/staff/login-throttle.js';
import { SqliteStaffStore } from '../../src/staff/sqlite-staff-store.js';

/**
 * The console API on a real Fastify app over SQLite files in a temporary DATA_DIR: the queue,
 * the staff store, tickets, and the relay delivering officers' words through a recording sender.
 */
class RecordingSender implements ChannelSender {
  readonly sent: Array<{ userId: string; message: OutboundMessage }> = [];
  constructor(readonly channel: string) {}
  async send(userId: string, message: OutboundMessage) {
    this.sent.push({ userId, message });
  }
}

let dataDir: string;
let app: FastifyInstance;
let handoff: SqliteHandoffQueue;
let staff: SqliteStaffStore;
let tickets: SqliteTicketStore;
let sessions: InMemorySessionStore;
let zalo: RecordingSender;
let relay: HandoffRelay;
let ids: { lan: string; minh: string; boss: string };

const CSRF = { 'x-requested-with': 'console' };
const PASSWORD = 'correct horse battery';

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-api-'));
  handoff = new SqliteHandoffQueue({ dataDir }, { pollMs: 20 });
  staff = new SqliteStaffStore({ dataDir }, { sessionHours: 12 });
  tickets = new SqliteTicketStore({ dataDir });
  sessions = new InMemorySessionStore();
  zalo = new RecordingSender('zalo');
  const senders = new ChannelSenders();
  senders.register(zalo);
  const log = { warn: () => {}, error: () => {} };
  ids = {
    lan: (await staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: PASSWORD })).id,
    minh: (await staff.add({ username: 'minh', displayName: 'Trần Văn Minh', role: 'officer', password: PASSWORD })).id,
    boss: (await staff.add({ username: 'boss', displayName: 'Lê Văn Hùng', role: 'supervisor', password: PASSWORD })).id,
  };
  // The validator options buildApp uses, so the schemas are checked as the server will.
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } } });
  registerErrorHandling(app, {});
  registerConsoleApi(app, {
    staff,
    handoff,
    tickets,
    senders,
    sessions,
    config: { CONSOLE_SESSION_HOURS: 12, PUBLIC_BASE_URL: 'https://chat.example.gov.vn' },
    log,
    throttle: new LoginThrottle({ perUser: 3, perIp: 10 }),
    keepAliveMs: 50,
  });
  relay = relayHandoffEvents({ handoff, senders, sessions, staff, log });
  await app.ready();
});

afterEach(async () => {
  relay.stop();
  await app.close();
  await handoff.close();
  await staff.close();
  await tickets.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function login(username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username, password } });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']);
  return cookie.split(';')[0]!;
}

const citizen = (userId: string): EnqueueInput => ({
  channel: 'zalo',
  userId,
  sessionId: `s-${userId}`,
  reason: 'unanswered_twice',
  transcript: [
    { role: 'user', text: 'xin giấy phép xây dựng nhà ở', at: '2026-03-02T01:58:00Z' },
    { role: 'assistant', text: 'Tôi chưa tìm thấy thủ tục phù hợp.', at: '2026-03-02T01:58:01Z', status: 'unanswerable_no_content' },
  ],
  procedureIds: ['1.009994'],
});

describe('console login', () => {
  it('sets an HttpOnly, SameSite=Strict, Secure cookie and answers /me', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'Lan', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ staff: { id: ids.lan, name: 'Nguyễn Thị Lan', role: 'officer' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${STAFF_COOKIE}=[\\w-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$`));
    const cookie = setCookie.split(';')[0]!;
    const me = await app.inject({ method: 'GET', url: '/api/v1/console/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ staff: { username: 'lan', name: 'Nguyễn Thị Lan', role: 'officer' } });
  });

  it('gives one answer for a wrong password and an unknown user, and throttles repeated failures', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'lan', password: 'wrong password' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'nobody', password: 'wrong password' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();

    await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'lan', password: 'wrong again!' } });
    await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'lan', password: 'wrong again!' } });
    // The limit is reached: even the right password waits.
    const blocked = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'lan', password: PASSWORD } });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another user from the same IP is not blocked by lan's failures.
    expect((await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'minh', password: PASSWORD } })).statusCode).toBe(200);
  });

  it('refuses a disabled account, and ends its live sessions', async () => {
    const cookie = await login('minh');
    await staff.setDisabled('minh', true);
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/me', headers: { cookie } })).statusCode).toBe(401);
    const res = await app.inject({ method: 'POST', url: '/api/v1/console/login', headers: CSRF, payload: { username: 'minh', password: PASSWORD } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_login');
  });

  it('logout deletes the session and clears the cookie', async () => {
    const cookie = await login('lan');
    const out = await app.inject({ method: 'POST', url: '/api/v1/console/logout', headers: { cookie, ...CSRF } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^ccai_staff=; .*Max-Age=0/);
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('console auth guards', () => {
  const routes: Array<[string, string]> = [
    ['GET', '/api/v1/console/me'],
    ['GET', '/api/v1/console/queue'],
    ['GET', '/api/v1/console/conversations/x'],
    ['POST', '/api/v1/console/conversations/x/claim'],
    ['POST', '/api/v1/console/conversations/x/messages'],
    ['POST', '/api/v1/console/conversations/x/release'],
    ['POST', '/api/v1/console/conversations/x/close'],
    ['GET', '/api/v1/console/events'],
    ['GET', '/api/v1/console/tickets'],
    ['POST', '/api/v1/console/tickets/x/done'],
    ['POST', '/api/v1/console/logout'],
  ];

  it('every route answers 401 without a session, or with a forged one', async () => {
    for (const [method, url] of routes) {
      for (const cookie of [undefined, `${STAFF_COOKIE}=forged-token`]) {
        const res = await app.inject({ method: method as 'GET', url, headers: { ...CSRF, ...(cookie ? { cookie } : {}) } });
        expect([url, res.statusCode]).toEqual([url, 401]);
        expect(res.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
  });

  it('state-changing routes need the x-requested-with header (CSRF guard)', async () => {
    const cookie = await login('lan');
    const { conversation } = await handoff.enqueue(citizen('u1'));
    for (const [, url] of routes.filter(([m]) => m === 'POST')) {
      const res = await app.inject({ method: 'POST', url: url.replace('/x/', `/${conversation.id}/`), headers: { cookie }, payload: {} });
      expect([url, res.statusCode, res.json().error]).toEqual([url, 403, 'forbidden']);
    }
    const loginNoHeader = await app.inject({ method: 'POST', url: '/api/v1/console/login', payload: { username: 'lan', password: PASSWORD } });
    expect(loginNoHeader.statusCode).toBe(403);
    expect((await handoff.get(conversation.id))?.status).toBe('waiting');
  });
});

describe('conversations through the console', () => {
  it('queue → claim → reply → the citizen receives it → hand back to the bot', async () => {
    const lan = await login('lan');
    const minh = await login('minh');
    const { conversation } = await handoff.enqueue(citizen('zalo-user-1'));
    await handoff.enqueue(citizen('zalo-user-2'));
    await handoff.appendMessage(conversation.id, 'citizen', 'Có ai không ạ?');

    const queue = await app.inject({ method: 'GET', url: '/api/v1/console/queue', headers: { cookie: lan } });
    expect(queue.statusCode).toBe(200);
    const items = queue.json().conversations;
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({
      id: conversation.id,
      channel: 'zalo',
      reason: 'unanswered_twice',
      status: 'waiting',
      position: 1,
      claimedBy: null,
      procedureIds: ['1.009994'],
      lastMessage: { author: 'citizen', text: 'Có ai không ạ?' },
    });
    expect(items[0].waitingSince).toBe(conversation.createdAt);
    expect(items[0]).not.toHaveProperty('userId');
    expect(items[1]).toMatchObject({ position: 2, lastMessage: null });

    const claim = await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/claim`, headers: { cookie: lan, ...CSRF } });
    expect(claim.statusCode).toBe(200);
    expect(claim.json().conversation).toMatchObject({ status: 'claimed', claimedBy: { id: ids.lan, name: 'Nguyễn Thị Lan' }, position: null });
    const second = await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/claim`, headers: { cookie: minh, ...CSRF } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toBe('conflict');

    // Only the holder replies.
    const intruder = await app.inject({
      method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/messages`, headers: { cookie: minh, ...CSRF }, payload: { text: 'Tôi trả lời thay' },
    });
    expect(intruder.statusCode).toBe(403);
    const empty = await app.inject({
      method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/messages`, headers: { cookie: lan, ...CSRF }, payload: { text: '   ' },
    });
    expect(empty.statusCode).toBe(400);
    const reply = await app.inject({
      method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/messages`, headers: { cookie: lan, ...CSRF },
      payload: { text: 'Chào anh, hồ sơ xin giấy phép xây dựng nộp tại UBND cấp xã.' },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().message).toMatchObject({ author: 'staff', staffId: ids.lan, staffName: 'Nguyễn Thị Lan' });

    const detail = await app.inject({ method: 'GET', url: `/api/v1/console/conversations/${conversation.id}`, headers: { cookie: minh } });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().transcript.map((t: { role: string }) => t.role)).toEqual(['user', 'assistant']);
    expect(detail.json().messages.map((m: { author: string }) => m.author)).toEqual(['citizen', 'staff']);
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/conversations/missing', headers: { cookie: minh } })).statusCode).toBe(404);

    // Another officer cannot hand it back; the holder can.
    expect((await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/release`, headers: { cookie: minh, ...CSRF } })).statusCode).toBe(403);
    const release = await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/release`, headers: { cookie: lan, ...CSRF } });
    expect(release.statusCode).toBe(200);
    expect(release.json().conversation.status).toBe('returned');
    expect((await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/release`, headers: { cookie: lan, ...CSRF } })).statusCode).toBe(409);

    await relay.idle();
    const toCitizen1 = zalo.sent.filter((s) => s.userId === 'zalo-user-1').map((s) => s.message);
    expect(toCitizen1).toEqual([
      { author: 'system', text: cannedReply('handoff_claimed', 'vi', { staff: 'Nguyễn Thị Lan' }) },
      { author: 'staff', text: 'Chào anh, hồ sơ xin giấy phép xây dựng nộp tại UBND cấp xã.', staffName: 'Nguyễn Thị Lan' },
      { author: 'system', text: cannedReply('handoff_returned', 'vi') },
    ]);
    // The second citizen moved up to first place and was told.
    expect(zalo.sent.filter((s) => s.userId === 'zalo-user-2').map((s) => s.message.text)).toEqual([
      expect.stringContaining('vị trí 1'),
    ]);
    expect((await sessions.load({ channel: 'zalo', userId: 'zalo-user-1' })).mode).toBe('bot');
  });

  it('close needs an outcome and the holder or a supervisor; the citizen is asked to rate', async () => {
    const lan = await login('lan');
    const minh = await login('minh');
    const boss = await login('boss');
    const { conversation } = await handoff.enqueue(citizen('zalo-user-3'));
    await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/claim`, headers: { cookie: lan, ...CSRF } });
    const url = `/api/v1/console/conversations/${conversation.id}/close`;
    expect((await app.inject({ method: 'POST', url, headers: { cookie: lan, ...CSRF }, payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url, headers: { cookie: minh, ...CSRF }, payload: { outcome: 'x' } })).statusCode).toBe(403);
    const closed = await app.inject({ method: 'POST', url, headers: { cookie: boss, ...CSRF }, payload: { outcome: 'Đã hướng dẫn, công dân sẽ nộp trực tuyến' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().conversation).toMatchObject({ status: 'closed', outcome: 'Đã hướng dẫn, công dân sẽ nộp trực tuyến' });
    await relay.idle();
    expect(zalo.sent.at(-1)?.message).toEqual({ author: 'system', text: cannedReply('handoff_closed', 'vi'), askRating: true });

    // A supervisor may also hand back a conversation nobody has claimed yet; an officer may not.
    const waiting = (await handoff.enqueue(citizen('zalo-user-4'))).conversation;
    expect((await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${waiting.id}/release`, headers: { cookie: lan, ...CSRF } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${waiting.id}/release`, headers: { cookie: boss, ...CSRF } })).statusCode).toBe(200);
  });
});

describe('console tickets', () => {
  it('lists open tickets and marks one done with a note', async () => {
    const cookie = await login('lan');
    const callback = await tickets.create({
      kind: 'callback', channel: 'zalo', userId: 'u', sessionId: 's', text: 'Xin gọi lại giúp tôi', phone: '0912345678', consentAt: '2026-03-02T10:00:00Z', procedureIds: [],
    });
    await tickets.create({ kind: 'complaint', channel: 'messenger', userId: 'v', sessionId: 't', text: 'Phản ánh', phone: null, consentAt: null, procedureIds: [] });

    const open = await app.inject({ method: 'GET', url: '/api/v1/console/tickets?status=open', headers: { cookie } });
    expect(open.statusCode).toBe(200);
    expect(open.json().tickets.map((t: { kind: string }) => t.kind)).toEqual(['complaint', 'callback']);
    expect(open.json().tickets[1]).toMatchObject({ phone: '0912345678', handledBy: null });
    expect(open.json().tickets[1]).not.toHaveProperty('userId');

    const done = await app.inject({ method: 'POST', url: `/api/v1/console/tickets/${callback.id}/done`, headers: { cookie, ...CSRF }, payload: { note: 'Đã gọi lại lúc 10:30' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().ticket).toMatchObject({ status: 'done', note: 'Đã gọi lại lúc 10:30', handledBy: { id: ids.lan, name: 'Nguyễn Thị Lan' } });
    expect((await app.inject({ method: 'POST', url: `/api/v1/console/tickets/${callback.id}/done`, headers: { cookie, ...CSRF }, payload: {} })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: '/api/v1/console/tickets/nope/done', headers: { cookie, ...CSRF }, payload: {} })).statusCode).toBe(404);
    const stillOpen = await app.inject({ method: 'GET', url: '/api/v1/console/tickets?status=open', headers: { cookie } });
    expect(stillOpen.json().tickets).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/api/v1/console/tickets?status=bogus', headers: { cookie } })).statusCode).toBe(400);
  });
});

describe('console event stream', () => {
  it('streams queue changes and messages, including those written by another process, and ends on logout', async () => {
    const cookie = await login('lan');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const events: Array<{ event: string; data: any }> = [];
    let comments = 0;
    let ended = false;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${address}/api/v1/console/events`, { headers: { cookie } }, resolve).on('error', reject);
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (block.startsWith(':')) comments += 1;
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    });
    res.on('end', () => void (ended = true));

    // Another server process (a second queue on the same file) queues a citizen.
    const otherWorker = new SqliteHandoffQueue({ dataDir });
    const { conversation } = await otherWorker.enqueue(citizen('zalo-user-5'));
    await otherWorker.close();
    await expect.poll(() => events.map((e) => e.event), { timeout: 3000, interval: 20 }).toEqual(['queued']);
    expect(events[0]?.data.conversation).toMatchObject({ id: conversation.id, status: 'waiting', position: 1 });
    expect(events[0]?.data.conversation).not.toHaveProperty('transcript');

    await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/claim`, headers: { cookie, ...CSRF } });
    await app.inject({ method: 'POST', url: `/api/v1/console/conversations/${conversation.id}/messages`, headers: { cookie, ...CSRF }, payload: { text: 'Chào anh' } });
    await expect.poll(() => events.map((e) => e.event), { timeout: 3000, interval: 20 }).toEqual(['queued', 'claimed', 'message']);
    expect(events[2]?.data.message).toMatchObject({ author: 'staff', text: 'Chào anh', staffName: 'Nguyễn Thị Lan' });
    await expect.poll(() => comments, { timeout: 3000, interval: 20 }).toBeGreaterThan(0);

    await app.inject({ method: 'POST', url: '/api/v1/console/logout', headers: { cookie, ...CSRF } });
    await expect.poll(() => ended, { timeout: 3000, interval: 20 }).toBe(true);
  });

  it('ends when the session stops being valid elsewhere (disabled account)', async () => {
    const cookie = await login('minh');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    let ended = false;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${address}/api/v1/console/events`, { headers: { cookie } }, resolve).on('error', reject);
    });
    res.resume();
    res.on('end', () => void (ended = true));
    await staff.setDisabled('minh', true);
    await expect.poll(() => ended, { timeout: 3000, interval: 20 }).toBe(true);
  });
});
