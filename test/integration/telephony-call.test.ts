import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type CreateDepsOptions, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/http/logger.js';
import { CallSimulator } from '../../src/telephony/call-simulator.js';
import { EspeakTextToSpeech } from '../../src/telephony/speech/espeak-text-to-speech.js';
import { FRAME_BYTES, toFrames } from '../../src/telephony/speech/mulaw-frames.js';
import { ScriptedSpeechToText } from '../support/scripted-speech-to-text.js';
import { durationMs, speakToMulaw } from '../support/spoken-audio.js';
import { spokenTextProblems } from '../../src/text/spoken-text-check.js';
import { audioToolsAvailability } from '../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

/**
 * The callbot end to end, through the real composition (`createDeps` + `buildApp` on a real port,
 * the starter knowledge, SQLite stores in a temporary DATA_DIR): every request signed with the
 * official `twilio` library over PUBLIC_BASE_URL, as Twilio signs them. Officers are in around the
 * clock, so transfers go to the queue whatever the hour.
 */
const TOKEN = 'test-twilio-auth-token-0123456789';
const CALLER = '+84912345678';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Server {
  app: FastifyInstance;
  deps: Deps;
  base: string;
  dataDir: string;
  close(): Promise<void>;
}

async function startServer(env: Record<string, string>, options: Omit<CreateDepsOptions, 'log'> = {}): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cc-voice-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.resolve('knowledge'),
    LOG_LEVEL: 'silent',
    OFFICE_HOURS: 'Mon-Sun 00:00-24:00',
    PUBLIC_BASE_URL: base,
    ...env,
  });
  const deps = await createDeps(config, { log: createLogger(config), ...options });
  const app = await buildApp(deps);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    deps,
    base,
    dataDir,
    async close() {
      await app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const signedPost = (server: Server, pathname: string, params: Record<string, string>, token = TOKEN) =>
  fetch(`${server.base}${pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${server.base}${pathname}`, params),
    },
    body: new URLSearchParams(params).toString(),
  });

function rows<T>(dataDir: string, file: string, sql: string): T[] {
  const db = new Database(path.join(dataDir, file), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Polls `probe` until it holds; never a bare sleep. */
async function waitFor(probe: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the caller hears must be readable by a TTS voice: no digits, links or bare abbreviations. */
function expectSpeakable(texts: readonly string[]): void {
  for (const text of texts) expect(spokenTextProblems(text).filter((p) => !/sentences/i.test(p)), text).toEqual([]);
}

describe('telephony is mounted only with TWILIO_AUTH_TOKEN', () => {
  it('answers 404 under /telephony without it', async () => {
    const server = await startServer({});
    try {
      expect(server.deps.telephony).toBeNull();
      const res = await fetch(`${server.base}/telephony/voice/incoming`, { method: 'POST', body: 'CallSid=CA1' });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('turn mode: a call through the real webhooks, signed as Twilio signs', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ TWILIO_AUTH_TOKEN: TOKEN });
  }, 60_000);
  afterAll(async () => server?.close());

  it('rejects a request with a bad or missing signature: 403, no TwiML, no call recorded', async () => {
    const forged = await signedPost(server, '/telephony/voice/incoming', { CallSid: 'CAforged', From: CALLER, To: '+8419001009' }, 'not-the-token');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toBe('');
    const unsigned = await fetch(`${server.base}/telephony/voice/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'CallSid=CAforged',
    });
    expect(unsigned.status).toBe(403);
    expect(await server.deps.telephony!.calls.get('CAforged')).toBeUndefined();
  });

  it('greets, answers questions in speakable Vietnamese, transfers on 0 with a whisper, takes a rating, records the call', async () => {
    const printed: string[] = [];
    const call = new CallSimulator({ baseUrl: server.base, publicBaseUrl: server.base, authToken: TOKEN, from: CALLER, to: '+8419001009', print: (l) => printed.push(l) });

    const greeting = await call.start();
    expect(greeting.says.join(' ')).toContain('trợ lý ảo của Trung tâm Phục vụ hành chính công');
    expect(greeting.says.join(' ')).toContain('phím hai');
    expectSpeakable(greeting.says);

    const fee = await call.say('làm lại căn cước hết bao nhiêu tiền');
    const answer = fee.says.join(' ');
    expect(answer).toMatch(/căn cước/i);
    expect(answer).toMatch(/nghìn đồng|miễn|không thu/);
    expectSpeakable(fee.says);

    const followUp = await call.say('còn thời gian giải quyết bao lâu');
    expect(followUp.says.join(' ')).toMatch(/ngày/);
    expectSpeakable(followUp.says);

    const transfer = await call.press('0');
    const heard = [...transfer.says, ...transfer.events].join('\n');
    expect(heard).toContain('chuyển cuộc gọi tới tổng đài viên');
    // The operator hears the one-sentence summary, about the procedure discussed.
    expect(transfer.events.join('\n')).toMatch(/căn cước/i);
    // After the operator, the keypad rating.
    expect(transfer.says.join(' ')).toContain('đánh giá cuộc gọi');

    const bye = await call.press('5');
    expect(bye.says.join(' ')).toContain('Cảm ơn anh chị đã đánh giá');
    expect(bye.ended).toBe(true);

    const calls = rows<{ user_key: string; outcome: string; transfer_reason: string; rating: number; turns: number; duration_s: number; state_json: string | null; end_status: string }>(
      server.dataDir,
      'calls.sqlite',
      'SELECT * FROM calls',
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ outcome: 'transferred', transfer_reason: 'caller_request', rating: 5, turns: 2, end_status: 'completed', state_json: null });
    expect(calls[0]!.duration_s).toBeGreaterThanOrEqual(0);
    // The caller's number is nowhere in the call store; the Q&A log counts the caller by the same hash.
    expect(JSON.stringify(calls)).not.toContain('912345678');
    const turns = rows<{ channel: string; user_key: string; question: string }>(server.dataDir, 'qa-log.sqlite', "SELECT channel, user_key, question FROM qa_turns WHERE channel = 'voice'");
    expect(turns.map((t) => t.question)).toEqual(['làm lại căn cước hết bao nhiêu tiền', 'còn thời gian giải quyết bao lâu']);
    expect(new Set(turns.map((t) => t.user_key))).toEqual(new Set([calls[0]!.user_key]));
  }, 30_000);

  it('re-prompts on silence twice, then says goodbye', async () => {
    const call = new CallSimulator({ baseUrl: server.base, publicBaseUrl: server.base, authToken: TOKEN, from: CALLER, to: '+8419001009' });
    await call.start();
    expect((await call.silence()).says.join(' ')).toContain('chưa nghe thấy');
    expect((await call.silence()).says.join(' ')).toContain('vẫn đang nghe máy');
    const bye = await call.silence();
    expect(bye.says.join(' ')).toContain('Cảm ơn anh chị đã gọi');
    expect(bye.ended).toBe(true);
  }, 30_000);
});

describe('ConversationRelay mode: the socket drives the same dialog; a transfer ends the session and TwiML takes over', () => {
  let server: Server;
  beforeAll(async () => {
    // Twilio's speaking time is estimated from the text; here it is shortened so the test does not wait for it.
    server = await startServer({ TWILIO_AUTH_TOKEN: TOKEN, VOICE_MODE: 'relay' }, { telephony: { relayTiming: { secondsPerChar: 0.001 } } });
  }, 60_000);
  afterAll(async () => server?.close());

  it('connects the call to the relay socket, answers a prompt sentence by sentence, hands off on 0', async () => {
    const incoming = await signedPost(server, '/telephony/voice/incoming', { CallSid: 'CArelay1', From: CALLER, To: '+8419001009' });
    const twiml = await incoming.text();
    expect(twiml).toContain('<ConversationRelay');
    expect(twiml).toContain(`url="${server.base.replace('http', 'ws')}/telephony/relay"`);
    expect(twiml).toContain('language="vi-VN"');

    const socketUrl = `${server.base.replace('http', 'ws')}/telephony/relay`;
    const ws = new WebSocket(socketUrl, { headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, socketUrl, {}) } });
    const received: Array<{ type: string; token?: string; last?: boolean; handoffData?: string }> = [];
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const lastTokens = () => received.filter((m) => m.type === 'text' && m.last).length;

    ws.send(JSON.stringify({ type: 'setup', sessionId: 'VX1', callSid: 'CArelay1', from: CALLER, to: '+8419001009', direction: 'inbound', customParameters: {} }));
    await waitFor(() => lastTokens() >= 1, 'the greeting');
    const greeting = received.filter((m) => m.type === 'text').map((m) => m.token ?? '');
    expect(greeting.join('')).toContain('trợ lý ảo');
    expectSpeakable(greeting);

    const before = received.length;
    ws.send(JSON.stringify({ type: 'prompt', voicePrompt: 'đăng ký khai sinh cần giấy tờ gì', lang: 'vi-VN', last: true }));
    await waitFor(() => lastTokens() >= 2, 'the answer');
    const answer = received.slice(before).filter((m) => m.type === 'text');
    expect(answer.length).toBeGreaterThan(1);
    expect(answer.map((m) => m.token).join('')).toMatch(/khai sinh/i);
    expectSpeakable(answer.map((m) => m.token ?? ''));

    ws.send(JSON.stringify({ type: 'dtmf', digit: '0' }));
    await waitFor(() => received.some((m) => m.type === 'end'), 'the end message');
    const end = received.find((m) => m.type === 'end')!;
    expect(JSON.parse(end.handoffData!)).toMatchObject({ reasonCode: 'live-agent-handoff', reason: 'caller_request' });
    ws.close();

    // Twilio then asks the <Connect action> what to do: the queue.
    const after = await signedPost(server, '/telephony/voice/connect-ended', { CallSid: 'CArelay1', HandoffData: end.handoffData! });
    const next = await after.text();
    expect(next).toContain('<Enqueue');
    expect(next).toContain('hanh-chinh-cong');
  }, 30_000);

  it('refuses an unsigned socket upgrade', async () => {
    const socketUrl = `${server.base.replace('http', 'ws')}/telephony/relay`;
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(socketUrl, { headers: { 'x-twilio-signature': 'forged' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
  });
});

describe.skipIf(audio.skip)('Media Streams mode: real audio both ways through the same dialog', () => {
  const QUESTION = 'làm lại căn cước hết bao nhiêu tiền';
  let server: Server;
  let question: Uint8Array;
  let stt: ScriptedSpeechToText;
  beforeAll(async () => {
    // The caller's question, spoken by espeak-ng and turned into 8 kHz µ-law by sox, then a second of quiet.
    question = await speakToMulaw(QUESTION, { leadingSilenceMs: 200, trailingSilenceMs: 1000 });
    const spokenMs = durationMs(question) - 1000;
    // The recogniser is scripted (no cloud here): it "hears" the question when its audio has arrived.
    stt = new ScriptedSpeechToText([
      { afterMs: spokenMs / 2, partial: 'làm lại căn cước' },
      { afterMs: spokenMs, final: QUESTION, confidence: 0.93 },
    ]);
    server = await startServer({ TWILIO_AUTH_TOKEN: TOKEN, VOICE_MODE: 'media' }, { telephony: { speech: { stt, tts: new EspeakTextToSpeech() } } });
  }, 60_000);
  afterAll(async () => server?.close());

  it('greets in audio, answers a spoken question in audio, transfers on 0 by ending the stream', async () => {
    const incoming = await (await signedPost(server, '/telephony/voice/incoming', { CallSid: 'CAmedia1', From: CALLER, To: '+8419001009' })).text();
    const socketUrl = `${server.base.replace('http', 'ws')}/telephony/media`;
    expect(incoming).toContain(`<Stream url="${socketUrl}"`);
    expect(incoming).toContain('action="/telephony/voice/connect-ended"');

    const ws = new WebSocket(socketUrl, { headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, socketUrl, {}) } });
    const received: Array<{ event: string; media?: { payload: string }; mark?: { name: string } }> = [];
    let closed = false;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      received.push(message);
      // Twilio echoes a mark once the audio before it has played; here it has "played" at once.
      if (message.event === 'mark') ws.send(JSON.stringify({ event: 'mark', streamSid: 'MZmedia1', mark: message.mark }));
    });
    ws.on('close', () => (closed = true));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const frames = () => received.filter((m) => m.event === 'media');
    const marks = () => received.filter((m) => m.event === 'mark');

    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    ws.send(
      JSON.stringify({
        event: 'start',
        sequenceNumber: '1',
        streamSid: 'MZmedia1',
        start: {
          streamSid: 'MZmedia1',
          accountSid: 'ACtest',
          callSid: 'CAmedia1',
          tracks: ['inbound'],
          customParameters: { from: CALLER, to: '+8419001009' },
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    );
    await waitFor(() => marks().length >= 1, 'the greeting');
    await new Promise((r) => setTimeout(r, 300));
    const greetingFrames = frames().length;
    // Seconds of speech in 20 ms frames of 160 bytes.
    expect(greetingFrames).toBeGreaterThan(100);
    expect(frames().every((m) => Buffer.from(m.media!.payload, 'base64').length === FRAME_BYTES)).toBe(true);

    let chunk = 0;
    for (const frame of toFrames(question)) {
      chunk += 1;
      ws.send(JSON.stringify({ event: 'media', sequenceNumber: String(chunk + 1), streamSid: 'MZmedia1', media: { track: 'inbound', chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.from(frame).toString('base64') } }));
    }
    await waitFor(() => frames().length > greetingFrames + 100, 'the spoken answer');
    const turns = rows<{ question: string; answer: string }>(server.dataDir, 'qa-log.sqlite', "SELECT question, answer FROM qa_turns WHERE channel = 'voice'");
    expect(turns.map((t) => t.question)).toEqual([QUESTION]);
    expect(turns[0]!.answer).toMatch(/căn cước/i);

    ws.send(JSON.stringify({ event: 'dtmf', streamSid: 'MZmedia1', dtmf: { track: 'inbound_track', digit: '0' } }));
    // The transfer notice is spoken, then the stream is ended so that Twilio goes to the <Connect action>.
    await waitFor(() => closed, 'the stream to end');
    const after = await (await signedPost(server, '/telephony/voice/connect-ended', { CallSid: 'CAmedia1' })).text();
    expect(after).toContain('<Enqueue');
    expect(stt.lastStream.closed).toBe(true);
  }, 30_000);
});
