import websocket from '@fastify/websocket';
import { BaseVoiceDialog } from '../support/base-voice-dialog.js';
import Fastify, { type FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { registerMediaStreamSocket, MEDIA_PATH } from '../../src/telephony/media/media-stream-socket.js';
import type { MediaTiming } from '../../src/telephony/media/media-call.js';
import { mulawLevelDb } from '../../src/telephony/media/voice-activity-detector.js';
import { EspeakTextToSpeech } from '../../src/telephony/speech/espeak-text-to-speech.js';
import { FRAME_BYTES, toFrames } from '../../src/telephony/speech/mulaw-frames.js';
import type { SpeechToText } from '../../src/telephony/speech/speech-to-text.js';
import type { TextToSpeech } from '../../src/telephony/speech/text-to-speech.js';
import type { CallerInput, CallStart, ListenSpec, VoiceTurn } from '../../src/telephony/voice-turn.js';
import { ScriptedSpeechToText, type ScriptStep } from '../support/scripted-speech-to-text.js';
import { SilentTextToSpeech } from '../support/silent-text-to-speech.js';
import { concatAudio, silenceMs, speakToMulaw } from '../support/spoken-audio.js';
import { audioToolsAvailability } from '../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

const TOKEN = 'test-auth-token-media';
const GREETING = 'Xin chào, tôi là trợ lý hành chính công. Bạn cần hỏi thủ tục gì?';
const ANSWER = 'Bạn mang căn cước đến bộ phận một cửa. Thời gian giải quyết là năm ngày.';

/** A small dialog: greeting then listen; speech → an answer; '0' → transfer; silence → a prompt. */
class ScriptedDialog extends BaseVoiceDialog {
  readonly starts: CallStart[] = [];
  readonly inputs: CallerInput[] = [];
  readonly interruptions: Array<string | null> = [];
  listenSpec: ListenSpec = { digits: 'one', hints: [], timeoutS: 5 };
  failInput = false;

  async start(call: CallStart): Promise<VoiceTurn> {
    this.starts.push(call);
    return { actions: [{ kind: 'say', text: GREETING }, { kind: 'listen', listen: this.listenSpec }] };
  }
  async input(_callSid: string, input: CallerInput): Promise<VoiceTurn> {
    this.inputs.push(input);
    if (this.failInput) throw new Error('dialog down');
    if (input.kind === 'digits' && input.digits === '0') {
      return { actions: [{ kind: 'say', text: 'Tôi chuyển bạn tới cán bộ.' }, { kind: 'transfer', reason: 'caller_request', summary: 'Công dân cần gặp cán bộ.' }] };
    }
    if (input.kind === 'silence') return { actions: [{ kind: 'say', text: 'Bạn còn nghe không?' }, { kind: 'listen', listen: this.listenSpec }] };
    return { actions: [{ kind: 'say', text: ANSWER }, { kind: 'listen', listen: this.listenSpec }] };
  }
  override async interrupted(_callSid: string, heard: string | null): Promise<void> {
    this.interruptions.push(heard);
  }
}

interface Sent {
  event: string;
  streamSid?: string;
  media?: { payload: string };
  mark?: { name: string };
}

async function until<T>(what: string, get: () => T | null | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Plays Twilio's side of a Media Streams call over a real WebSocket. */
class FakeTwilio {
  readonly received: Sent[] = [];
  closed: { code: number; reason: string } | null = null;
  echoMarks = true;
  private chunk = 0;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Sent;
      this.received.push(msg);
      if (msg.event === 'mark' && this.echoMarks) this.echo(msg.mark!.name);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
    });
  }

  static async connect(port: number, signature?: string): Promise<FakeTwilio> {
    const url = `ws://127.0.0.1:${port}${MEDIA_PATH}`;
    const ws = new WebSocket(url, { headers: { 'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(TOKEN, url, {}) } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new FakeTwilio(ws);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  start(callSid = 'CA0001'): void {
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start',
      sequenceNumber: '1',
      streamSid: 'MZ0001',
      start: {
        streamSid: 'MZ0001',
        accountSid: 'AC0001',
        callSid,
        tracks: ['inbound'],
        customParameters: { from: '+84901234567', to: '+842437654321' },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
  }

  /** Caller audio as Twilio sends it: 160-byte frames, faster than real time (timing is audio time). */
  audio(mulaw: Uint8Array): void {
    for (const frame of toFrames(mulaw)) {
      this.chunk += 1;
      this.send({ event: 'media', streamSid: 'MZ0001', media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(this.chunk * 20), payload: Buffer.from(frame).toString('base64') } });
    }
  }

  key(digit: string): void {
    this.send({ event: 'dtmf', streamSid: 'MZ0001', dtmf: { track: 'inbound_track', digit } });
  }

  /**
   * Resolves once the server has handled everything sent before: its WebSocket answers a ping
   * only after the messages ahead of it (and the microtasks they started) have run.
   */
  async barrier(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  echo(name: string): void {
    this.send({ event: 'mark', streamSid: 'MZ0001', mark: { name } });
  }

  get marks(): string[] {
    return this.received.filter((m) => m.event === 'mark').map((m) => m.mark!.name);
  }

  count(event: string): number {
    return this.received.filter((m) => m.event === event).length;
  }

  /** Waits for the greeting's marks (one per sentence) to have been sent. */
  async greeted(sentences = 2): Promise<void> {
    await until('greeting marks', () => this.marks.length >= sentences);
  }
}

interface Harness {
  app: FastifyInstance;
  port: number;
  dialog: ScriptedDialog;
  logs: Array<{ level: string; msg: string; obj: object }>;
}

const apps: FastifyInstance[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const app of apps.splice(0)) await app.close();
});

async function serve(options: { stt?: SpeechToText | null; tts?: TextToSpeech; dialog?: ScriptedDialog; timing?: Partial<MediaTiming> } = {}): Promise<Harness> {
  const dialog = options.dialog ?? new ScriptedDialog();
  const logs: Harness['logs'] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, msg, obj });
  const config = { publicBaseUrl: 'http://127.0.0.1', authToken: TOKEN };
  const app = Fastify();
  await app.register(websocket);
  registerMediaStreamSocket(app, {
    config,
    dialog,
    stt: options.stt === undefined ? new ScriptedSpeechToText([]) : options.stt,
    tts: options.tts ?? new SilentTextToSpeech({ fillByte: 0x55 }),
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    hints: ['căn cước', 'khai sinh'],
    // The wall-clock fallback only matters when Twilio stops sending audio; tests send it all.
    timing: { idleAfterMs: 5000, ...options.timing },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  apps.push(app);
  const port = (app.server.address() as { port: number }).port;
  config.publicBaseUrl = `http://127.0.0.1:${port}`;
  return { app, port, dialog, logs };
}

async function call(h: Harness): Promise<FakeTwilio> {
  const t = await FakeTwilio.connect(h.port);
  sockets.push(t.ws);
  return t;
}

describe.skipIf(audio.skip)('/telephony/media', () => {
  it('refuses an upgrade without a valid Twilio signature (403, never a socket)', async () => {
    const h = await serve();
    for (const signature of ['', 'bm90IGEgc2lnbmF0dXJl', twilio.getExpectedTwilioSignature(TOKEN, `http://127.0.0.1:${h.port}${MEDIA_PATH}`, {})]) {
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}${MEDIA_PATH}`, { headers: signature ? { 'x-twilio-signature': signature } : {} });
      sockets.push(ws);
      const status = await new Promise<number>((resolve, reject) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => reject(new Error('upgraded with a bad signature')));
        ws.once('error', () => {});
      });
      expect(status).toBe(403);
    }
    expect(h.dialog.starts).toEqual([]);
    expect(h.logs.some((l) => l.level === 'warn' && l.msg.includes('bad Twilio signature'))).toBe(true);
  });

  it('greets with real speech in 160-byte frames, one mark per sentence, and starts the dialog with the call', async () => {
    const tts = new EspeakTextToSpeech();
    const h = await serve({ tts });
    const t = await call(h);
    t.echoMarks = false;
    t.start('CA-greet');
    await t.greeted(2);
    expect(h.dialog.starts).toEqual([{ callSid: 'CA-greet', from: '+84901234567', to: '+842437654321', mode: 'media' }]);
    const marks = t.received.map((m, i) => (m.event === 'mark' ? i : -1)).filter((i) => i >= 0);
    const firstSentence = t.received.slice(0, marks[0]);
    const second = t.received.slice(marks[0]! + 1, marks[1]);
    const expected1 = toFrames(await tts.synthesize('Xin chào, tôi là trợ lý hành chính công.')).length;
    const expected2 = toFrames(await tts.synthesize('Bạn cần hỏi thủ tục gì?')).length;
    expect(firstSentence).toHaveLength(expected1);
    expect(second).toHaveLength(expected2);
    for (const m of [...firstSentence, ...second]) {
      expect(m).toMatchObject({ event: 'media', streamSid: 'MZ0001' });
      expect(Buffer.from(m.media!.payload, 'base64')).toHaveLength(FRAME_BYTES);
    }
    expect(t.marks).toEqual(['say-1', 'say-2']);
    // The audio is real speech, not silence.
    const bytes = Buffer.concat(firstSentence.map((m) => Buffer.from(m.media!.payload, 'base64')));
    expect(new Set(bytes).size).toBeGreaterThan(50);
  });

  it('answers what the caller said once the caller has finished (a short gap after the final)', async () => {
    const question = await speakToMulaw('Tôi muốn làm căn cước công dân', { leadingSilenceMs: 300, trailingSilenceMs: 700 });
    // Where the voice really ends (espeak adds its own trailing quiet).
    const frames = toFrames(question);
    const voiceEndMs = (frames.findLastIndex((f) => mulawLevelDb(f) > -45) + 1) * 20;
    const stt = new ScriptedSpeechToText([
      { afterMs: 800, partial: 'tôi muốn' },
      { afterMs: voiceEndMs, final: 'Tôi muốn làm căn cước công dân', confidence: 0.92 },
    ]);
    const h = await serve({ stt });
    const t = await call(h);
    t.start();
    await t.greeted();
    // The final is in, but only 200 ms of quiet: the caller could still go on.
    t.audio(question.subarray(0, (voiceEndMs + 200) * 8));
    await t.barrier();
    expect(stt.lastStream.emitted.map((e) => e.kind)).toEqual(['partial', 'final']);
    expect(h.dialog.inputs).toEqual([]);
    t.audio(question.subarray((voiceEndMs + 200) * 8));
    await until('answer', () => t.marks.length >= 4);
    expect(h.dialog.inputs).toEqual([{ kind: 'speech', text: 'Tôi muốn làm căn cước công dân', confidence: 0.92 }]);
    expect(stt.lastStream.options).toEqual({ languageCode: 'vi-VN', hints: ['căn cước', 'khai sinh'] });
    expect(t.count('clear')).toBe(0);
  });

  it('takes a phone number read out in groups, with pauses, as ONE input', async () => {
    const groups = ['không chín một hai', 'ba bốn năm', 'sáu bảy tám'];
    const audio: Uint8Array[] = [silenceMs(300)];
    const script: ScriptStep[] = [];
    let at = 300;
    for (const g of groups) {
      const spoken = await speakToMulaw(g);
      audio.push(spoken, silenceMs(900));
      at += spoken.length / 8;
      // The provider endpoints each group on its own, a little after it ends.
      script.push({ afterMs: at + 300, final: g, confidence: 0.9 });
      at += 900;
    }
    audio.push(silenceMs(2500));
    const stt = new ScriptedSpeechToText(script);
    const h = await serve({ stt });
    const t = await call(h);
    t.start();
    await t.greeted();
    t.audio(concatAudio(...audio));
    await until('answer', () => h.dialog.inputs.length > 0);
    await until('answer marks', () => t.marks.length >= 4);
    expect(h.dialog.inputs).toEqual([{ kind: 'speech', text: 'không chín một hai ba bốn năm sáu bảy tám', confidence: 0.9 }]);
  });

  it('barge-in: caller speech over the bot clears Twilio’s audio and tells the dialog what was heard', async () => {
    const speech = await speakToMulaw('Cho tôi hỏi thủ tục đăng ký kết hôn', { leadingSilenceMs: 200, trailingSilenceMs: 600 });
    const stt = new ScriptedSpeechToText([
      { afterMs: 700, partial: 'cho tôi' },
      { afterMs: 1000, partial: 'cho tôi hỏi thủ tục' },
      { afterMs: speech.length / 8 - 500, final: 'Cho tôi hỏi thủ tục đăng ký kết hôn' },
    ]);
    const h = await serve({ stt });
    const t = await call(h);
    t.echoMarks = false;
    t.start();
    await t.greeted();
    t.echo('say-1'); // the first sentence has played, the second has not
    t.audio(speech);
    await until('clear', () => t.count('clear') > 0);
    await until('interrupted', () => h.dialog.interruptions.length > 0);
    expect(h.dialog.interruptions).toEqual(['Xin chào, tôi là trợ lý hành chính công.']);
    await until('input', () => h.dialog.inputs.length > 0);
    expect(h.dialog.inputs).toEqual([{ kind: 'speech', text: 'Cho tôi hỏi thủ tục đăng ký kết hôn' }]);
    // The late echo of the cleared mark changes nothing.
    t.echo('say-2');
    await until('answer', () => t.marks.length >= 4);
    expect(t.count('clear')).toBe(1);
  });

  it('a backchannel "dạ" during the bot’s speech neither interrupts nor reaches the dialog', async () => {
    const da = await speakToMulaw('dạ', { leadingSilenceMs: 300 });
    const stt = new ScriptedSpeechToText([
      { afterMs: 450, partial: 'dạ' },
      { afterMs: da.length / 8 + 200, final: 'Dạ.', confidence: 0.8 },
    ]);
    const h = await serve({ stt, dialog: Object.assign(new ScriptedDialog(), { listenSpec: { digits: 'one', hints: [], timeoutS: 2 } }) });
    const t = await call(h);
    t.echoMarks = false;
    t.start();
    await t.greeted();
    t.audio(concatAudio(da, silenceMs(1500)));
    t.echo('say-1');
    t.echo('say-2');
    // The bot has finished; 2 s of quiet gives the dialog a silence — and nothing else.
    t.audio(silenceMs(2100));
    await until('silence input', () => h.dialog.inputs.length > 0);
    expect(h.dialog.inputs).toEqual([{ kind: 'silence' }]);
    expect(h.dialog.interruptions).toEqual([]);
    expect(t.count('clear')).toBe(0);
  });

  it('keys: `one` gives each key at once, and a key over the bot interrupts it', async () => {
    const h = await serve();
    const t = await call(h);
    t.echoMarks = false;
    t.start();
    await t.greeted();
    t.key('2');
    await until('input', () => h.dialog.inputs.length > 0);
    expect(h.dialog.inputs).toEqual([{ kind: 'digits', digits: '2' }]);
    // The answer's first mark comes after the clear on the same socket.
    await until('answer', () => t.marks.length >= 3);
    expect(t.count('clear')).toBe(1);
    expect(h.dialog.interruptions).toEqual([null]);
  });

  it('keys: `many` collects until # (or 5 s of audio after the last key)', async () => {
    const dialog = Object.assign(new ScriptedDialog(), { listenSpec: { digits: 'many', hints: [], timeoutS: 10 } as ListenSpec });
    const h = await serve({ dialog });
    const t = await call(h);
    t.start();
    await t.greeted();
    for (const k of ['0', '0', '1', '2', '3', '4']) {
      t.key(k);
      t.audio(silenceMs(400));
    }
    t.key('#');
    await until('input', () => dialog.inputs.length > 0);
    expect(dialog.inputs).toEqual([{ kind: 'digits', digits: '001234' }]);
    await until('answer', () => t.marks.length >= 4);
    t.key('7');
    t.key('8');
    t.audio(silenceMs(4900));
    await t.barrier();
    expect(dialog.inputs).toHaveLength(1);
    t.audio(silenceMs(200));
    await until('second input', () => dialog.inputs.length > 1);
    expect(dialog.inputs[1]).toEqual({ kind: 'digits', digits: '78' });
  });

  it('gives the dialog a silence after listen.timeoutS without speech or keys once the bot has finished', async () => {
    const dialog = Object.assign(new ScriptedDialog(), { listenSpec: { digits: 'one', hints: [], timeoutS: 3 } as ListenSpec });
    const h = await serve({ dialog });
    const t = await call(h);
    t.echoMarks = false;
    t.start();
    await t.greeted();
    t.audio(silenceMs(4000)); // the bot is still speaking: its marks have not come back
    t.echo('say-1');
    t.echo('say-2');
    t.audio(silenceMs(2900));
    await t.barrier();
    expect(dialog.inputs).toEqual([]);
    t.audio(silenceMs(200));
    await until('silence', () => dialog.inputs.length > 0);
    expect(dialog.inputs).toEqual([{ kind: 'silence' }]);
  });

  it('if Twilio stops sending audio, the wall clock still runs the silence timeout', async () => {
    const dialog = Object.assign(new ScriptedDialog(), { listenSpec: { digits: 'one', hints: [], timeoutS: 1 } as ListenSpec });
    const h = await serve({ dialog, timing: { idleAfterMs: 100 } });
    const t = await call(h);
    t.start();
    await t.greeted();
    const started = Date.now();
    await until('silence', () => dialog.inputs.length > 0, 5000);
    expect(dialog.inputs).toEqual([{ kind: 'silence' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('transfer: the goodbye is played, then the stream is closed once its mark has come back', async () => {
    const h = await serve();
    const t = await call(h);
    t.start();
    await t.greeted();
    t.echoMarks = false;
    t.key('0');
    await until('goodbye mark', () => t.marks.length >= 3);
    await t.barrier();
    expect(t.closed).toBeNull();
    t.echo(t.marks[2]!);
    const closed = await until('close', () => t.closed);
    expect(closed.code).toBe(1000);
    expect(closed.reason).toBe('transfer');
  });

  it('transfer: a mark that never comes back does not hold the call', async () => {
    const h = await serve({ timing: { endGraceMs: 200 } });
    const t = await call(h);
    t.start();
    await t.greeted();
    t.echoMarks = false;
    t.key('0');
    const closed = await until('close', () => t.closed, 10_000);
    expect(closed.code).toBe(1000);
  });

  it('survives malformed messages, and closes with 1008 after too many', async () => {
    const h = await serve();
    const t = await call(h);
    t.start();
    await t.greeted();
    t.send('not json');
    t.send('{"event":"media","media":{"payload":12}}');
    t.send('{"event":"media","media":{"payload":"***"}}');
    t.send('{"event":"dtmf","dtmf":{"digit":"99"}}');
    t.send('{"event":"futureEvent","x":{}}');
    t.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    t.key('5');
    await until('input after garbage', () => h.dialog.inputs.length > 0);
    expect(h.dialog.inputs).toEqual([{ kind: 'digits', digits: '5' }]);
    expect(h.logs.some((l) => l.msg === 'malformed media stream message')).toBe(true);
    for (let i = 0; i < 20; i++) t.send(`{oops ${i}`);
    const closed = await until('close', () => t.closed);
    expect(closed.code).toBe(1008);
  });

  it('closes with 1009 on an oversized message', async () => {
    const h = await serve();
    const t = await call(h);
    t.start();
    t.send(JSON.stringify({ event: 'media', media: { payload: 'A'.repeat(100_000) } }));
    expect((await until('close', () => t.closed)).code).toBe(1009);
  });

  it('a dead recogniser ends the stream (so the <Connect action> can take over), and frees it', async () => {
    const stt = new ScriptedSpeechToText([{ afterMs: 500, error: 'provider unavailable' }]);
    const h = await serve({ stt });
    const t = await call(h);
    t.start();
    await t.greeted();
    t.audio(silenceMs(600));
    const closed = await until('close', () => t.closed);
    expect(closed).toEqual({ code: 1000, reason: 'speech recognition failed' });
    expect(stt.lastStream.closed).toBe(true);
    expect(h.logs.some((l) => l.level === 'error' && l.msg.includes('speech recognition failed'))).toBe(true);
    expect(h.dialog.inputs).toEqual([]);
  });

  it('without a recogniser the keypad still works', async () => {
    const h = await serve({ stt: null });
    const t = await call(h);
    t.start();
    await t.greeted();
    t.audio(await speakToMulaw('alo alo', { trailingSilenceMs: 500 }));
    t.key('1');
    await until('input', () => h.dialog.inputs.length > 0);
    expect(h.dialog.inputs).toEqual([{ kind: 'digits', digits: '1' }]);
  });

  it('stop frees the recogniser and aborts synthesis in progress', async () => {
    const stt = new ScriptedSpeechToText([]);
    const tts = new SilentTextToSpeech({ delayMs: 5000 });
    const h = await serve({ stt, tts });
    const t = await call(h);
    t.start();
    await until('synthesis requested', () => tts.requests.length > 0);
    t.send({ event: 'stop', streamSid: 'MZ0001', stop: { accountSid: 'AC0001', callSid: 'CA0001' } });
    await until('close', () => t.closed);
    await until('abort', () => tts.aborted > 0);
    expect(stt.lastStream.closed).toBe(true);
    expect(t.count('media')).toBe(0);
  });

  it('a failing dialog ends the stream instead of leaving the caller in silence', async () => {
    const dialog = Object.assign(new ScriptedDialog(), { failInput: true });
    const h = await serve({ dialog });
    const t = await call(h);
    t.start();
    await t.greeted();
    t.key('3');
    expect((await until('close', () => t.closed)).code).toBe(1011);
  });
});
