import websocket from '@fastify/websocket';
import { BaseVoiceDialog } from '../support/base-voice-dialog.js';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RELAY_APOLOGY, type RelayLog, type RelayTiming } from '../../src/telephony/relay/relay-call.js';
import { RELAY_PATH, registerRelaySocket } from '../../src/telephony/relay/relay-socket.js';
import type { CallerInput, CallStart, ListenSpec, VoiceTurn } from '../../src/telephony/voice-turn.js';

/**
 * `/telephony/relay` on a real port, with a `ws` client playing Twilio's ConversationRelay: a signed
 * upgrade, `setup`, prompts, keys, interrupts and junk frames; a small scripted VoiceDialog answers.
 */
const AUTH_TOKEN = 'relay-test-auth-token';

interface Script {
  start: VoiceTurn;
  input?: (input: CallerInput) => VoiceTurn | Promise<VoiceTurn>;
}

type DialogCall =
  | { method: 'start'; call: CallStart }
  | { method: 'input'; callSid: string; input: CallerInput }
  | { method: 'interrupted'; callSid: string; heard: string | null };

/** Answers each call from the script registered for its CallSid, and records every call. */
class ScriptedDialog extends BaseVoiceDialog {
  readonly calls: DialogCall[] = [];
  readonly scripts = new Map<string, Script>();

  private script(callSid: string): Script {
    const script = this.scripts.get(callSid);
    if (!script) throw new Error(`no script for ${callSid}`);
    return script;
  }

  callsFor(callSid: string): DialogCall[] {
    return this.calls.filter((c) => (c.method === 'start' ? c.call.callSid : c.callSid) === callSid);
  }

  async start(call: CallStart): Promise<VoiceTurn> {
    this.calls.push({ method: 'start', call });
    return this.script(call.callSid).start;
  }

  async input(callSid: string, input: CallerInput): Promise<VoiceTurn> {
    this.calls.push({ method: 'input', callSid, input });
    const answer = this.script(callSid).input;
    if (!answer) throw new Error('no input script');
    return answer(input);
  }

  override async interrupted(callSid: string, heard: string | null): Promise<void> {
    this.calls.push({ method: 'interrupted', callSid, heard });
  }
}

interface RelayServer {
  app: FastifyInstance;
  port: number;
  dialog: ScriptedDialog;
  warnings: string[];
}

async function startRelayServer(timing: Partial<RelayTiming>): Promise<RelayServer> {
  const dialog = new ScriptedDialog();
  const warnings: string[] = [];
  const log: RelayLog = { info: () => {}, warn: (_obj, msg) => warnings.push(msg), error: (_obj, msg) => warnings.push(msg) };
  // The public base URL names the port, known only once listening; the socket reads config per request.
  const config = { publicBaseUrl: 'http://127.0.0.1', authToken: AUTH_TOKEN };
  const app = Fastify();
  await app.register(websocket);
  registerRelaySocket(app, { config, dialog, log, timing });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  config.publicBaseUrl = `http://127.0.0.1:${address.port}`;
  return { app, port: address.port, dialog, warnings };
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

type Outbound = { type: 'text'; token: string; last: boolean } | { type: 'end'; handoffData: string } | { type: string };

/** The test's Twilio side of one session. */
class FakeTwilio {
  readonly received: Outbound[] = [];
  closeCode: number | null = null;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.received.push(JSON.parse(String(data)) as Outbound));
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  setup(callSid: string): void {
    this.send({
      type: 'setup',
      sessionId: `VX${callSid.slice(2)}`,
      accountSid: 'AC00000000000000000000000000000000',
      callSid,
      from: '+84912345678',
      to: '+842438253535',
      direction: 'inbound',
      callStatus: 'RINGING',
      customParameters: {},
    });
  }

  texts(): Array<{ token: string; last: boolean }> {
    return this.received.filter((m): m is { type: 'text'; token: string; last: boolean } => m.type === 'text');
  }

  /** Waits until `count` text tokens in all have arrived. */
  async tokens(count: number): Promise<Array<{ token: string; last: boolean }>> {
    return waitFor(() => this.texts().length >= count && this.texts(), `${count} text tokens (have ${this.texts().length})`);
  }

  async end(): Promise<{ reasonCode: string; reason: string; summary: string | null }> {
    const end = await waitFor(() => this.received.find((m): m is { type: 'end'; handoffData: string } => m.type === 'end'), 'end message');
    expect(typeof end.handoffData).toBe('string');
    return JSON.parse(end.handoffData) as { reasonCode: string; reason: string; summary: string | null };
  }

  close(): void {
    this.ws.close();
  }
}

function relayUrl(port: number): string {
  return `ws://127.0.0.1:${port}${RELAY_PATH}`;
}

async function connect(port: number): Promise<FakeTwilio> {
  const url = relayUrl(port);
  const ws = new WebSocket(url, { headers: { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, {}) } });
  const twilioSide = new FakeTwilio(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return twilioSide;
}

/** The upgrade's HTTP status when the server refuses it. */
async function refusedStatus(port: number, signature: string | undefined): Promise<number> {
  const ws = new WebSocket(relayUrl(port), { headers: signature === undefined ? {} : { 'X-Twilio-Signature': signature } });
  return new Promise<number>((resolve, reject) => {
    // Once it has answered, the refused upgrade is dropped here; ws then reports an abort we expect.
    ws.on('error', () => {});
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    ws.once('open', () => reject(new Error('upgrade accepted')));
  });
}

const listen = (spec: Partial<ListenSpec> = {}): { kind: 'listen'; listen: ListenSpec } => ({
  kind: 'listen',
  listen: { digits: 'one', hints: [], timeoutS: 30, ...spec },
});

const GREETING = 'Xin chào, tôi là trợ lý hành chính công. Bạn cần hỏi thủ tục gì?';

let sid = 0;
const nextCallSid = () => `CA${String(++sid).padStart(32, '0')}`;

describe('ConversationRelay socket', () => {
  let fast: RelayServer;
  let slow: RelayServer;
  const open: FakeTwilio[] = [];

  async function call(server: RelayServer, script: Script): Promise<{ callSid: string; twilioSide: FakeTwilio }> {
    const callSid = nextCallSid();
    server.dialog.scripts.set(callSid, script);
    const twilioSide = await connect(server.port);
    open.push(twilioSide);
    twilioSide.setup(callSid);
    return { callSid, twilioSide };
  }

  beforeAll(async () => {
    fast = await startRelayServer({ secondsPerChar: 0.0005, digitGapMs: 150, maxMalformed: 4 });
    // 0.03 s per character: each ~45-character sentence below is "spoken" for about 1.3 s.
    slow = await startRelayServer({ secondsPerChar: 0.03, digitGapMs: 5_000, maxMalformed: 10 });
  });

  afterAll(async () => {
    for (const twilioSide of open) twilioSide.close();
    await fast.app.close();
    await slow.app.close();
  });

  it('refuses an upgrade without a valid Twilio signature with 403, never opening a socket', async () => {
    const before = fast.dialog.calls.length;
    expect(await refusedStatus(fast.port, undefined)).toBe(403);
    expect(await refusedStatus(fast.port, 'bm90LWEtc2lnbmF0dXJl')).toBe(403);
    // Signed for https:// instead of ws:// (the classic scheme mismatch) is not valid either.
    const https = `http://127.0.0.1:${fast.port}${RELAY_PATH}`;
    expect(await refusedStatus(fast.port, twilio.getExpectedTwilioSignature(AUTH_TOKEN, https, {}))).toBe(403);
    expect(await refusedStatus(fast.port, twilio.getExpectedTwilioSignature('another-token', relayUrl(fast.port), {}))).toBe(403);
    expect(fast.dialog.calls.length).toBe(before);
    expect(fast.warnings).toContain('ConversationRelay upgrade refused: bad Twilio signature');
  });

  it('starts the dialog on setup and streams the greeting sentence by sentence, last on the final token', async () => {
    const { callSid, twilioSide } = await call(fast, { start: { actions: [{ kind: 'say', text: GREETING }, listen()] } });
    const tokens = await twilioSide.tokens(2);
    expect(tokens).toEqual([
      { type: 'text', token: 'Xin chào, tôi là trợ lý hành chính công. ', last: false },
      { type: 'text', token: 'Bạn cần hỏi thủ tục gì?', last: true },
    ]);
    expect(fast.dialog.callsFor(callSid)).toEqual([
      { method: 'start', call: { callSid, from: '+84912345678', to: '+842438253535', mode: 'relay' } },
    ]);
  });

  it('answers a final prompt (not a partial one) with the reply streamed sentence by sentence', async () => {
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: GREETING }, listen()] },
      input: () => ({
        actions: [
          { kind: 'say', text: 'Cấp lại căn cước làm ở công an phường. Lệ phí là ba mươi nghìn đồng. Bạn mang theo giấy khai sinh.' },
          listen(),
        ],
      }),
    });
    await twilioSide.tokens(2);
    twilioSide.send({ type: 'prompt', voicePrompt: 'cấp lại', lang: 'vi-VN', last: false });
    twilioSide.send({ type: 'prompt', voicePrompt: 'cấp lại căn cước ở đâu', lang: 'vi-VN', last: true });
    const tokens = (await twilioSide.tokens(5)).slice(2);
    expect(tokens.map((t) => [t.token, t.last])).toEqual([
      ['Cấp lại căn cước làm ở công an phường. ', false],
      ['Lệ phí là ba mươi nghìn đồng. ', false],
      ['Bạn mang theo giấy khai sinh.', true],
    ]);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([
      { method: 'input', callSid, input: { kind: 'speech', text: 'cấp lại căn cước ở đâu' } },
    ]);
  });

  it('on an interrupt tells the dialog what was heard and never sends the rest of that turn', async () => {
    const sentences = [
      'Thủ tục đăng ký khai sinh làm tại ủy ban phường.',
      'Bạn mang theo giấy chứng sinh của bệnh viện nhé.',
      'Nếu kết hôn rồi, mang thêm giấy đăng ký kết hôn.',
      'Thời hạn giải quyết là ngay trong ngày làm việc.',
    ];
    const started = Date.now();
    const { callSid, twilioSide } = await call(slow, { start: { actions: [{ kind: 'say', text: sentences.join(' ') }, listen()] } });
    // Two sentences go out at once (one ahead of the speech); the third only when the second starts playing.
    const first = await twilioSide.tokens(2);
    expect(first.map((t) => t.token.trim())).toEqual(sentences.slice(0, 2));
    expect(first.every((t) => !t.last)).toBe(true);
    twilioSide.send({ type: 'interrupt', utteranceUntilInterrupt: 'Thủ tục đăng ký khai sinh', durationUntilInterruptMs: 900 });
    await waitFor(() => slow.dialog.callsFor(callSid).some((c) => c.method === 'interrupted'), 'dialog.interrupted');
    expect(slow.dialog.callsFor(callSid).at(-1)).toEqual({ method: 'interrupted', callSid, heard: 'Thủ tục đăng ký khai sinh' });
    // Negative check over a bounded window: the uninterrupted schedule would have sent sentence 4 by
    // the end of sentence 2's estimated playback (~2.9 s); wait past that, then nothing else may be there.
    const scheduleEnd = started + Math.round([...sentences.slice(0, 2).join(' ')].length * 30) + 400;
    await waitFor(() => Date.now() > scheduleEnd, 'the interrupted schedule to have elapsed', 10_000);
    expect(twilioSide.texts()).toHaveLength(2);
    expect(twilioSide.received.filter((m) => m.type === 'end')).toHaveLength(0);
  });

  it('on an interrupt during a transfer notice still ends the session with the hand-off, at once', async () => {
    const sentences = [
      'Vấn đề này cần cán bộ chuyên môn giải đáp trực tiếp.',
      'Tôi xin chuyển cuộc gọi của bạn đến cán bộ ngay bây giờ.',
      'Bạn vui lòng giữ máy trong giây lát, đừng gác máy nhé.',
    ];
    const { twilioSide } = await call(slow, {
      start: {
        actions: [
          { kind: 'say', text: sentences.join(' ') },
          { kind: 'transfer', reason: 'caller_request', summary: 'Công dân muốn gặp cán bộ về hồ sơ đất đai.' },
        ],
      },
    });
    await twilioSide.tokens(2);
    const interruptedAt = Date.now();
    twilioSide.send({ type: 'interrupt', utteranceUntilInterrupt: 'Vấn đề này', durationUntilInterruptMs: 700 });
    expect(await twilioSide.end()).toEqual({ reasonCode: 'live-agent-handoff', reason: 'caller_request', summary: 'Công dân muốn gặp cán bộ về hồ sơ đất đai.' });
    // Far sooner than the ~5 s the whole notice would take to speak.
    expect(Date.now() - interruptedAt).toBeLessThan(1_000);
    expect(twilioSide.texts()).toHaveLength(2);
  });

  it('ignores what the caller says during a transfer notice and still hands off once it is spoken', async () => {
    const { callSid, twilioSide } = await call(slow, {
      start: {
        actions: [
          { kind: 'say', text: 'Tôi chuyển bạn đến cán bộ ngay.' },
          { kind: 'transfer', reason: 'repeated_failure', summary: 'Bot chưa hiểu câu hỏi về đăng ký tạm trú.' },
        ],
      },
      input: () => ({ actions: [{ kind: 'say', text: 'Không được gọi.' }, listen()] }),
    });
    await twilioSide.tokens(1);
    twilioSide.send({ type: 'prompt', voicePrompt: 'alo alo', lang: 'vi-VN', last: true });
    expect(await twilioSide.end()).toEqual({ reasonCode: 'live-agent-handoff', reason: 'repeated_failure', summary: 'Bot chưa hiểu câu hỏi về đăng ký tạm trú.' });
    expect(twilioSide.texts()).toHaveLength(1);
    expect(slow.dialog.callsFor(callSid).map((c) => c.method)).toEqual(['start']);
  });

  it('reads one key as a menu choice when the listen is `one`', async () => {
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: 'Nhấn phím một để hỏi thủ tục, phím không để gặp cán bộ.' }, listen({ digits: 'one' })] },
      input: () => ({ actions: [{ kind: 'say', text: 'Mời bạn nói thủ tục cần hỏi.' }, listen()] }),
    });
    await twilioSide.tokens(1);
    twilioSide.send({ type: 'dtmf', digit: '1' });
    await twilioSide.tokens(2);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([
      { method: 'input', callSid, input: { kind: 'digits', digits: '1' } },
    ]);
  });

  it('collects keys until # when the listen is `many`', async () => {
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: 'Mời bạn nhập mã hồ sơ, kết thúc bằng phím thăng.' }, listen({ digits: 'many' })] },
      input: () => ({ actions: [{ kind: 'say', text: 'Hồ sơ của bạn đang được xử lý.' }, listen()] }),
    });
    await twilioSide.tokens(1);
    for (const digit of ['0', '1', '2', '9', '#']) twilioSide.send({ type: 'dtmf', digit });
    await twilioSide.tokens(2);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([
      { method: 'input', callSid, input: { kind: 'digits', digits: '0129' } },
    ]);
  });

  it('takes the keys typed so far when the caller stops without # (`many`)', async () => {
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: 'Mời bạn nhập mã hồ sơ.' }, listen({ digits: 'many' })] },
      input: () => ({ actions: [{ kind: 'say', text: 'Cảm ơn bạn.' }, listen()] }),
    });
    await twilioSide.tokens(1);
    twilioSide.send({ type: 'dtmf', digit: '4' });
    twilioSide.send({ type: 'dtmf', digit: '2' });
    await twilioSide.tokens(2);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([
      { method: 'input', callSid, input: { kind: 'digits', digits: '42' } },
    ]);
  });

  it('reports silence when the caller says and presses nothing within the listen timeout', async () => {
    let answered = 0;
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: 'Bạn cần hỏi gì?' }, listen({ timeoutS: 0.1 })] },
      input: () => ({ actions: [{ kind: 'say', text: `Bạn còn đó không? Lần ${++answered}.` }, listen({ timeoutS: 30 })] }),
    });
    await twilioSide.tokens(3);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([{ method: 'input', callSid, input: { kind: 'silence' } }]);
  });

  it('ends the session with handoffData carrying the summary after the transfer notice', async () => {
    const { twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: GREETING }, listen()] },
      input: () => ({
        actions: [
          { kind: 'say', text: 'Tôi chuyển bạn đến cán bộ. Xin giữ máy.' },
          { kind: 'transfer', reason: 'caller_request', summary: 'Công dân hỏi về cấp lại căn cước bị mất.' },
        ],
      }),
    });
    await twilioSide.tokens(2);
    twilioSide.send({ type: 'prompt', voicePrompt: 'cho tôi gặp cán bộ', lang: 'vi-VN', last: true });
    expect(await twilioSide.end()).toEqual({ reasonCode: 'live-agent-handoff', reason: 'caller_request', summary: 'Công dân hỏi về cấp lại căn cước bị mất.' });
    const types = twilioSide.received.map((m) => (m.type === 'text' ? `text:${(m as { last: boolean }).last}` : m.type));
    expect(types).toEqual(['text:false', 'text:true', 'text:false', 'text:true', 'end']);
  });

  it('ignores malformed and unknown messages and keeps the socket open', async () => {
    const { callSid, twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: GREETING }, listen()] },
      input: (input) => ({ actions: [{ kind: 'say', text: input.kind === 'speech' ? 'Dạ, tôi nghe rõ.' : 'Không rõ.' }, listen()] }),
    });
    await twilioSide.tokens(2);
    twilioSide.send('{not json');
    twilioSide.ws.send(Buffer.from([0xff, 0x00]), { binary: true });
    twilioSide.send({ type: 'info', name: 'tokensPlayed' });
    twilioSide.send({ type: 'dtmf', digit: 'xyz' });
    twilioSide.send({ type: 'prompt', voicePrompt: 'alo', last: true });
    const tokens = await twilioSide.tokens(3);
    expect(tokens[2]).toEqual({ type: 'text', token: 'Dạ, tôi nghe rõ.', last: true });
    expect(twilioSide.closeCode).toBeNull();
    expect(twilioSide.ws.readyState).toBe(WebSocket.OPEN);
    expect(fast.dialog.callsFor(callSid).filter((c) => c.method === 'input')).toEqual([
      { method: 'input', callSid, input: { kind: 'speech', text: 'alo' } },
    ]);
    expect(fast.warnings.filter((w) => w === 'Malformed ConversationRelay message ignored').length).toBeGreaterThanOrEqual(3);
  });

  it('closes with 1008 after too many malformed messages', async () => {
    const { twilioSide } = await call(fast, { start: { actions: [{ kind: 'say', text: GREETING }, listen()] } });
    await twilioSide.tokens(2);
    for (let i = 0; i < 4; i++) twilioSide.send(`garbage ${i}`);
    expect(await waitFor(() => twilioSide.closeCode ?? undefined, 'socket close')).toBe(1008);
  });

  it('apologises in Vietnamese and ends the session when the dialog fails', async () => {
    const { twilioSide } = await call(fast, {
      start: { actions: [{ kind: 'say', text: GREETING }, listen()] },
      input: () => Promise.reject(new Error('LLM down')),
    });
    await twilioSide.tokens(2);
    twilioSide.send({ type: 'prompt', voicePrompt: 'thủ tục kết hôn', last: true });
    expect(await twilioSide.end()).toEqual({ reasonCode: 'end-call', reason: 'dialog-error', summary: null });
    expect(twilioSide.texts()[2]).toEqual({ type: 'text', token: RELAY_APOLOGY, last: true });
  });
});
