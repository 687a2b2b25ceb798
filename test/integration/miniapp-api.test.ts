import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelSenders } from '../../src/channels/channel-sender.js';
import { InboundHandler } from '../../src/channels/handle-inbound.js';
import { miniAppUserKey } from '../../src/channels/mini-app/miniapp-user-id.js';
import { signRequest } from '../../src/channels/mini-app/miniapp-signature.js';
import { SqliteMessageDedupe } from '../../src/channels/sqlite-message-dedupe.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { ErrorResponseSchema, registerErrorHandling } from '../../src/http/errors.js';
import { createLogger } from '../../src/http/logger.js';
import { registerMiniAppApi } from '../../src/http/routes/miniapp-api.js';
import { SessionRateLimiter } from '../../src/http/session-rate-limiter.js';
import type { HandoffQueue } from '../../src/handoff/handoff-queue.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { hashUser } from '../../src/pipeline/answer-service.js';

/**
 * The mini-app API on the real answer service (starter knowledge, SQLite sessions, Q&A log and
 * channels.sqlite under a temporary DATA_DIR), requests signed as the iHanoi backend signs them.
 * The officers' queue is the real SQLite one (handoff.sqlite in the same DATA_DIR); what the
 * console and the handoff relay do is done here through the queue and the senders registry.
 */
const KNOWLEDGE_DIR = path.resolve('knowledge');
const APP_ID = 'ihanoi';
const SECRET = 'ihanoi-test-secret-0123456789';
const ORIGIN = 'https://miniapp.ihanoi.gov.vn';
const USER = 'ihanoi-user-42';
const USER_KEY = miniAppUserKey(SECRET, APP_ID, USER);

let dataDir: string;
let deps: Deps;
let app: FastifyInstance;
let handoff: HandoffQueue;
let senders: ChannelSenders;
let clock: number | null;
let warnings: Array<{ reason?: string }>;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-miniapp-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR,
    MINIAPP_KEYS: JSON.stringify({ [APP_ID]: SECRET }),
    MINIAPP_CORS_ORIGINS: `${ORIGIN}, https://staging.ihanoi.gov.vn`,
  });
  deps = await createDeps(config, { log: createLogger({ LOG_LEVEL: 'silent' }) });
  handoff = new SqliteHandoffQueue({ dataDir });
  senders = new ChannelSenders();
  const inbound = new InboundHandler({
    answers: deps.answers,
    sessions: deps.sessions,
    handoff,
    senders,
    dedupe: new SqliteMessageDedupe({ dataDir }),
    limiter: new SessionRateLimiter(100),
    qaLog: deps.qaLog,
    log: deps.log,
  });
  clock = null;
  warnings = [];
  app = Fastify();
  app.addSchema(ErrorResponseSchema);
  registerErrorHandling(app, {});
  // Another API route, to show the mini-app's CORS and body parser stay inside its prefix.
  app.post('/api/v1/other', async (request) => ({ body: request.body }));
  await registerMiniAppApi(app, {
    inbound,
    sessions: deps.sessions,
    qaLog: deps.qaLog,
    handoff,
    senders,
    config: { MINIAPP_KEYS: config.MINIAPP_KEYS, MINIAPP_CORS_ORIGINS: config.MINIAPP_CORS_ORIGINS },
    dataDir,
    log: { warn: (obj: object) => void warnings.push(obj as { reason?: string }) },
    now: () => clock ?? Date.now(),
  });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await handoff.close();
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let nonceSeq = 0;
interface SignOptions {
  secret?: string;
  appId?: string;
  ts?: number;
  nonce?: string;
  user?: string | null;
  headers?: Record<string, string>;
}
/** A request as the iHanoi backend sends it: JSON body, HMAC over the exact bytes sent. */
function signed(method: 'GET' | 'POST', url: string, body?: unknown, o: SignOptions = {}): InjectOptions {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const timestamp = String(o.ts ?? Date.now());
  const nonce = o.nonce ?? `n-${Date.now()}-${++nonceSeq}-${Math.random().toString(36).slice(2)}`;
  const signature = signRequest(o.secret ?? SECRET, { method, path: url, timestamp, nonce, body: raw });
  const headers: Record<string, string> = {
    'x-app-id': o.appId ?? APP_ID,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signature,
    ...(o.user === null ? {} : { 'x-user-id': o.user ?? USER }),
    ...(raw ? { 'content-type': 'application/json' } : {}),
    ...o.headers,
  };
  return { method, url, headers, ...(raw ? { payload: raw } : {}) };
}

const chat = async (message: string, extra: Record<string, unknown> = {}, o: SignOptions = {}) => {
  const res = await app.inject(signed('POST', '/api/v1/miniapp/chat', { message, ...extra }, o));
  return { res, body: res.json() as ChatBody };
};
const history = async () => (await app.inject(signed('GET', '/api/v1/miniapp/conversation'))).json() as HistoryBody;

interface ChatBody {
  session_id: string;
  status: string;
  outcome: string;
  text: string;
  citations: Array<{ id: string; name: string; url: string | null }>;
  options?: Array<{ id: string; name: string }>;
  handoff: boolean;
  queue_position: number | null;
  replies: Array<{ author: string; text: string; offer_handoff?: boolean }>;
}
interface HistoryBody {
  session_id: string;
  mode: string;
  handoff: { conversation_id: string; status: string; reason: string; position: number | null } | null;
  messages: Array<{ id: string; author: string; text: string; at: string; source: string }>;
}

/** Nothing stored: no Q&A turn, no rating, no session, nothing queued. */
async function expectNoSideEffect() {
  expect(await deps.qaLog.count()).toBe(0);
  expect(await deps.qaLog.ratings?.(USER_KEY)).toEqual([]);
  expect((await deps.sessions.load({ channel: 'mini_app', userId: USER_KEY })).turns).toEqual([]);
  expect(await handoff.open()).toEqual([]);
}

describe('mini-app API: authentication', () => {
  it('a signed chat request is answered from the records', async () => {
    const { res, body } = await chat('dang ky khai sinh can giay to gi');
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ session_id: USER_KEY, status: 'answered', outcome: 'answered', handoff: false });
    expect(body.citations[0]?.id).toBe('1.001193');
    expect(body.replies[0]).toMatchObject({ author: 'bot', text: body.text });
    expect(await deps.qaLog.count()).toBe(1);
  });

  it('stores the iHanoi user only as a keyed hash', async () => {
    await chat('dang ky khai sinh');
    const [turn] = await deps.qaLog.recent(1);
    expect(turn?.sessionId).toBe(USER_KEY);
    expect(turn?.userKey).toBe(hashUser({ channel: 'mini_app', userId: USER_KEY }));
    expect(JSON.stringify(turn)).not.toContain(USER);
  });

  const rejections: Array<[string, () => InjectOptions]> = [
    ['unsigned', () => ({ method: 'POST', url: '/api/v1/miniapp/chat', headers: { 'content-type': 'application/json', 'x-user-id': USER }, payload: '{"message":"dang ky khai sinh"}' })],
    [
      'tampered body',
      () => {
        const req = signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' });
        return { ...req, payload: JSON.stringify({ message: 'dang ky ket hon' }) };
      },
    ],
    ['wrong key', () => signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { secret: 'not-the-right-secret-000' })],
    ['unknown app', () => signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { appId: 'stranger' })],
    ['stale timestamp', () => signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { ts: Date.now() - 6 * 60_000 })],
    ['future timestamp', () => signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { ts: Date.now() + 6 * 60_000 })],
    [
      'missing x-nonce',
      () => {
        const req = signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' });
        const { 'x-nonce': _n, ...headers } = req.headers as Record<string, string>;
        return { ...req, headers };
      },
    ],
    [
      'signed for another path',
      () => {
        const req = signed('POST', '/api/v1/miniapp/rating', { message: 'dang ky khai sinh' });
        return { ...req, url: '/api/v1/miniapp/chat' };
      },
    ],
    [
      'garbage bearer token',
      () => ({
        method: 'POST',
        url: '/api/v1/miniapp/chat',
        headers: { 'content-type': 'application/json', 'x-user-id': USER, authorization: `Bearer ${'A'.repeat(43)}` },
        payload: '{"message":"dang ky khai sinh"}',
      }),
    ],
  ];
  it.each(rejections)('%s → 401, nothing answered or stored', async (_what, make) => {
    const res = await app.inject(make());
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'unauthorized', message: 'Authentication failed' });
    await expectNoSideEffect();
  });

  it('a replayed request → 401, and the first one is the only answer stored', async () => {
    const req = signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' });
    expect((await app.inject(req)).statusCode).toBe(200);
    const replay = await app.inject(req);
    expect(replay.statusCode).toBe(401);
    expect(warnings.at(-1)?.reason).toBe('replayed nonce');
    expect(await deps.qaLog.count()).toBe(1);
  });

  it('rejects rating and history requests that are not signed, with nothing recorded', async () => {
    const rating = await app.inject({ method: 'POST', url: '/api/v1/miniapp/rating', headers: { 'content-type': 'application/json', 'x-user-id': USER }, payload: '{"score":1}' });
    expect(rating.statusCode).toBe(401);
    const hist = await app.inject({ method: 'GET', url: '/api/v1/miniapp/conversation', headers: { 'x-user-id': USER } });
    expect(hist.statusCode).toBe(401);
    await expectNoSideEffect();
  });

  it('needs x-user-id for a conversation', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { user: null }));
    expect(res.statusCode).toBe(400);
    expect(await deps.qaLog.count()).toBe(0);
  });

  it('answers a retry with the same message_id once (409 the second time)', async () => {
    expect((await chat('dang ky khai sinh', { message_id: 'client-1' })).res.statusCode).toBe(200);
    expect((await chat('dang ky khai sinh', { message_id: 'client-1' })).res.statusCode).toBe(409);
    expect(await deps.qaLog.count()).toBe(1);
  });

  it('keeps its raw-body JSON parser inside /api/v1/miniapp', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/other', headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(res.json()).toEqual({ body: { a: 1 } });
  });
});

describe('mini-app API: bearer tokens', () => {
  const issue = async (o: SignOptions = {}) => app.inject(signed('POST', '/api/v1/miniapp/token', undefined, { user: null, ...o }));
  const bearer = (token: string, method: 'GET' | 'POST', url: string, body?: unknown, user: string | null = USER): InjectOptions => ({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(user ? { 'x-user-id': user } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });

  it('issues a token on a signed request, usable for an hour, then refused', async () => {
    clock = Date.now();
    const res = await issue();
    expect(res.statusCode).toBe(200);
    const { token, token_type, expires_in } = res.json() as { token: string; token_type: string; expires_in: number };
    expect(token_type).toBe('Bearer');
    expect(expires_in).toBe(3600);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ok = await app.inject(bearer(token, 'POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }));
    expect(ok.statusCode).toBe(200);
    expect((ok.json() as ChatBody).citations[0]?.id).toBe('1.001193');

    clock += 60 * 60_000;
    const late = await app.inject(bearer(token, 'POST', '/api/v1/miniapp/chat', { message: 'dang ky ket hon' }));
    expect(late.statusCode).toBe(401);
    expect(await deps.qaLog.count()).toBe(1);
  });

  it('does not issue tokens to unsigned requests, nor for a token', async () => {
    const unsigned = await app.inject({ method: 'POST', url: '/api/v1/miniapp/token' });
    expect(unsigned.statusCode).toBe(401);
    const { token } = (await issue()).json() as { token: string };
    const chained = await app.inject(bearer(token, 'POST', '/api/v1/miniapp/token', undefined, null));
    expect(chained.statusCode).toBe(401);
  });

  it('a token issued for one user acts only as that user', async () => {
    const { token } = (await issue({ user: USER })).json() as { token: string };
    expect((await app.inject(bearer(token, 'POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, null))).statusCode).toBe(200);
    const other = await app.inject(bearer(token, 'POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, 'someone-else'));
    expect(other.statusCode).toBe(403);
    expect(await deps.qaLog.count()).toBe(1);
    expect((await deps.qaLog.recent(1))[0]?.sessionId).toBe(USER_KEY);
  });
});

describe('mini-app API: CORS', () => {
  const preflight = (origin: string, url = '/api/v1/miniapp/chat') =>
    app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-app-id, x-signature, authorization, x-user-id' },
    });

  it('answers the preflight of an allowed origin with the auth headers allowed, never a wildcard', async () => {
    const res = await preflight(ORIGIN);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['vary']).toMatch(/Origin/);
    const allowed = String(res.headers['access-control-allow-headers']).split(/,\s*/);
    for (const h of ['authorization', 'content-type', 'x-app-id', 'x-timestamp', 'x-nonce', 'x-signature', 'x-user-id']) expect(allowed).toContain(h);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses the preflight of another origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.statusCode).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a signed request from a browser on another origin, with nothing stored', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { headers: { origin: 'https://evil.example' } }));
    expect(res.statusCode).toBe(403);
    await expectNoSideEffect();
  });

  it('marks the answer to an allowed origin readable by it', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/chat', { message: 'dang ky khai sinh' }, { headers: { origin: ORIGIN } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('applies only under /api/v1/miniapp', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/api/v1/other', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('mini-app API: chat stream, history, rating', () => {
  it('streams meta, deltas, citations and done; the deltas make the text', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/chat/stream', { message: 'dang ky khai sinh can giay to gi' }, { headers: { origin: ORIGIN } }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const events = [...res.body.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) as unknown }));
    expect(events[0]).toEqual({ event: 'meta', data: { session_id: USER_KEY } });
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    const text = deltas.map((e) => (e.data as { text: string }).text).join('');
    const citations = events.find((e) => e.event === 'citations')?.data as Array<{ id: string }>;
    expect(citations[0]?.id).toBe('1.001193');
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ status: 'answered', outcome: 'answered', handoff: false });
    expect((done.data as ChatBody).replies[0]?.text).toBe(text);
  });

  it('a stream without a valid signature is 401, not an event stream', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/chat/stream', { message: 'dang ky khai sinh' }, { secret: 'not-the-right-secret-000' }));
    expect(res.statusCode).toBe(401);
    await expectNoSideEffect();
  });

  it('returns the history oldest first, and only later items with ?since', async () => {
    await chat('dang ky khai sinh can giay to gi');
    await chat('le phi bao nhieu');
    const h = await history();
    expect(h.session_id).toBe(USER_KEY);
    expect(h.handoff).toBeNull();
    expect(h.messages.map((m) => m.author)).toEqual(['citizen', 'assistant', 'citizen', 'assistant']);
    expect(h.messages[0]?.text).toBe('dang ky khai sinh can giay to gi');
    const since = h.messages[1]!.at;
    const later = (await app.inject(signed('GET', `/api/v1/miniapp/conversation?since=${encodeURIComponent(since)}`))).json() as HistoryBody;
    expect(later.messages.every((m) => m.at > since)).toBe(true);
  });

  it('records a rating; a negative one offers an officer', async () => {
    await chat('dang ky khai sinh');
    const good = await app.inject(signed('POST', '/api/v1/miniapp/rating', { useful: true, score: 5 }));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ recorded: true, offer_handoff: false });
    const bad = await app.inject(signed('POST', '/api/v1/miniapp/rating', { score: 1 }));
    expect(bad.json()).toMatchObject({ recorded: true, offer_handoff: true });
    const ratings = (await deps.qaLog.ratings?.(USER_KEY)) ?? [];
    expect(ratings.map((r) => [r.useful, r.score])).toEqual([
      [true, null],
      [null, 5],
      [null, 1],
    ]);
  });

  it('while an officer holds the conversation, a rating is recorded, not forwarded to them', async () => {
    await chat('gặp cán bộ');
    const conversation = (await handoff.findOpen('mini_app', USER_KEY))!;
    await handoff.claim(conversation.id, 'officer-1');
    const res = await app.inject(signed('POST', '/api/v1/miniapp/rating', { useful: false, score: 2 }));
    expect(res.json()).toMatchObject({ recorded: true, offer_handoff: false });
    expect(((await deps.qaLog.ratings?.(USER_KEY)) ?? []).map((r) => [r.useful, r.score])).toEqual([[false, 2]]);
    expect(await handoff.messages(conversation.id)).toEqual([]);
  });

  it('refuses an empty rating', async () => {
    const res = await app.inject(signed('POST', '/api/v1/miniapp/rating', {}));
    expect(res.statusCode).toBe(400);
  });
});

describe('mini-app API: the conversation script', () => {
  it('question without diacritics, follow-up, clarification choice, "gặp cán bộ", staff reply, hand back, rating', async () => {
    // 1. A question typed without diacritics.
    const first = await chat('dang ky khai sinh can giay to gi');
    expect(first.body.citations[0]?.id).toBe('1.001193');

    // 2. A follow-up that names no procedure stays on it.
    const follow = await chat('le phi bao nhieu');
    expect(follow.body.status).toMatch(/^answered/);
    expect(follow.body.citations[0]?.id).toBe('1.001193');

    // 3. An ambiguous question, answered by tapping an option (payload = its id).
    const ambiguous = await chat('cấp lại');
    expect(ambiguous.body.status).toBe('clarification');
    const options = ambiguous.body.options ?? [];
    expect(options.length).toBeGreaterThan(1);
    const chosen = options[1]!;
    const picked = await chat(chosen.name, { payload: chosen.id });
    expect(picked.body.citations[0]?.id).toBe(chosen.id);

    // 4. Asking for a person queues the conversation and says the position.
    const ask = await chat('gặp cán bộ');
    expect(ask.body.handoff).toBe(true);
    expect(ask.body.queue_position).toBe(1);
    expect(ask.body.replies.at(-1)).toMatchObject({ author: 'system' });
    expect(ask.body.replies.at(-1)?.text).toMatch(/vị trí 1/);
    const conversation = (await handoff.findOpen('mini_app', USER_KEY))!;
    expect(conversation).toMatchObject({ channel: 'mini_app', userId: USER_KEY, reason: 'citizen_request', status: 'waiting' });
    expect(conversation.procedureIds).toContain('1.001193');

    // 5. An officer claims it and replies; the relay's "taken over" notice reaches the history
    //    through the mini_app sender, the reply through the queue's messages.
    await handoff.claim(conversation.id, 'officer-1');
    await senders.send('mini_app', USER_KEY, { author: 'system', text: 'Cán bộ Lan đã tiếp nhận cuộc trò chuyện và sẽ trả lời anh/chị ngay tại đây.' });
    await handoff.appendMessage(conversation.id, 'staff', 'Chào anh/chị, tôi là cán bộ Lan. Anh/chị cần hỗ trợ thêm gì ạ?', 'officer-1');
    await senders.send('mini_app', USER_KEY, { author: 'staff', text: 'Chào anh/chị, tôi là cán bộ Lan. Anh/chị cần hỗ trợ thêm gì ạ?' });
    let h = await history();
    expect(h.handoff).toMatchObject({ conversation_id: conversation.id, status: 'claimed', position: null });
    const staffLines = h.messages.filter((m) => m.author === 'staff');
    expect(staffLines.map((m) => m.text)).toEqual(['Chào anh/chị, tôi là cán bộ Lan. Anh/chị cần hỗ trợ thêm gì ạ?']);
    expect(h.messages.some((m) => m.source === 'notice' && /tiếp nhận/.test(m.text))).toBe(true);

    // 6. While the officer holds it, the citizen's message goes to them, not to the bot.
    const toOfficer = await chat('Tôi muốn hỏi thêm về giấy chứng sinh');
    expect(toOfficer.body).toMatchObject({ outcome: 'forwarded', status: 'handoff_staff', handoff: true });
    expect((await handoff.messages(conversation.id)).map((m) => m.author)).toEqual(['staff', 'citizen']);
    const turnsBefore = await deps.qaLog.count();

    // 7. The officer hands back; the history still shows the officer part, and the bot answers again.
    await handoff.release(conversation.id, 'officer-1');
    await deps.sessions.setMode({ channel: 'mini_app', userId: USER_KEY }, 'bot');
    h = await history();
    expect(h.handoff).toMatchObject({ conversation_id: conversation.id, status: 'returned' });
    expect(h.messages.filter((m) => m.source === 'handoff').map((m) => m.author)).toEqual(['staff', 'citizen']);
    const again = await chat('dang ky khai sinh o dau');
    expect(again.body).toMatchObject({ outcome: 'answered', handoff: false });
    expect(await deps.qaLog.count()).toBe(turnsBefore + 1);

    // 8. The rating.
    const rated = await app.inject(signed('POST', '/api/v1/miniapp/rating', { useful: true, score: 5 }));
    expect(rated.json()).toMatchObject({ recorded: true });
    expect(((await deps.qaLog.ratings?.(USER_KEY)) ?? []).length).toBe(2);
  });
});
