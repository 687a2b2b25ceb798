/**
 * `npm run bench -- voice` (Media Streams part): our own time from the end of the caller's speech
 * to the first frame of the answer on the socket.
 *
 * A `ws` client plays Twilio over a real socket on 127.0.0.1: real Vietnamese questions from the
 * eval set spoken by espeak-ng as 8 kHz µ-law, sent as 20 ms frames — the speech itself faster than
 * real time, everything after the last voiced frame at real pace (20 ms per frame), because the
 * endpointing wait runs on the audio clock and must be counted in wall time. Marks are echoed at
 * once (the caller "has heard" the bot), so each question comes right after the previous answer.
 *
 * The start of a measurement is the later of: the frame at which the recogniser's final arrives,
 * and the frame at which the voice activity detector declares the end of speech (found by running
 * the same detector over the same frames on the client). The end is the first `media` message of
 * the answer received by the client. In between: endpointing wait, dialog, first-sentence
 * synthesis, framing, two socket hops on loopback.
 *
 * Speech ports: a scripted recogniser (no latency of its own: the final is emitted inside the
 * `write` of its frame) and either an instant TTS (latency 0) or EspeakTextToSpeech with each
 * turn's first-sentence synthesis time measured and subtracted. Two recogniser timings: the final
 * 300 ms after the voice (a provider's own endpointing, the usual case) and the final at the last
 * voiced frame (the worst case for us: our whole wait counts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { BaseVoiceDialog } from '../test/support/base-voice-dialog.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import twilio from 'twilio';
import WebSocket from 'ws';
import { MEDIA_PATH, registerMediaStreamSocket } from '../src/telephony/media/media-stream-socket.js';
import { mulawLevelDb, VoiceActivityDetector } from '../src/telephony/media/voice-activity-detector.js';
import { EspeakTextToSpeech } from '../src/telephony/speech/espeak-text-to-speech.js';
import { MULAW_SILENCE, toFrames } from '../src/telephony/speech/mulaw-frames.js';
import type { RecognitionEvents, SpeechRecognitionStream, SpeechToText } from '../src/telephony/speech/speech-to-text.js';
import type { TextToSpeech } from '../src/telephony/speech/text-to-speech.js';
import type { CallerInput, VoiceTurn } from '../src/telephony/voice-turn.js';
import { benchQuestions, freePort, ROOT } from './bench-support.js';

export interface VoiceMediaBenchOptions {
  /** Measured turns per configuration (after a warm-up). */
  turns?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** `real`: the app's CallDialog (createDeps + buildApp, VOICE_MODE=media); `scripted`: a fixed dialog. */
  dialog?: 'real' | 'scripted';
  out?: (line: string) => void;
}

const AUTH_TOKEN = 'voice-media-bench-token-0123456789';
const TARGET_MS = 150;
const QUESTIONS = 40;
const TURNS_PER_CALL = 4;
const WARM_UP_TURNS = 10;
const FRAME_MS = 20;

// ── Speech ports ───────────────────────────────────────────────────────────────────────────

/** A recogniser told by the client which final to give at which byte of the call's audio. */
class CuedSpeechToText implements SpeechToText {
  readonly streams: CuedStream[] = [];
  open(): CuedStream {
    const s = new CuedStream();
    this.streams.push(s);
    return s;
  }
}

class CuedStream implements SpeechRecognitionStream {
  bytes = 0;
  private events: RecognitionEvents | null = null;
  private readonly cues: Array<{ atByte: number; text: string }> = [];
  cue(atByte: number, text: string): void {
    this.cues.push({ atByte, text });
  }
  listen(events: RecognitionEvents): void {
    this.events = events;
  }
  write(mulaw: Uint8Array): void {
    this.bytes += mulaw.length;
    while (this.cues.length > 0 && this.cues[0]!.atByte <= this.bytes) this.events?.onFinal(this.cues.shift()!.text, 0.95);
  }
  close(): void {
    this.cues.length = 0;
  }
}

/** TTS with no latency: silence as long as the text would take to say. */
class InstantTextToSpeech implements TextToSpeech {
  async synthesize(text: string): Promise<Uint8Array> {
    return new Uint8Array(Math.max(160, [...text].length * 60 * 8)).fill(MULAW_SILENCE);
  }
}

/** Records how long each synthesis took, so the bench can take the provider's time out. */
class TimedTextToSpeech implements TextToSpeech {
  readonly log: Array<{ ms: number; startedAt: number; endedAt: number }> = [];
  inFlight = 0;
  constructor(private readonly inner: TextToSpeech) {}
  async synthesize(text: string, options?: { signal?: AbortSignal }): Promise<Uint8Array> {
    const startedAt = performance.now();
    this.inFlight += 1;
    try {
      return await this.inner.synthesize(text, options);
    } finally {
      this.inFlight -= 1;
      const endedAt = performance.now();
      this.log.push({ ms: endedAt - startedAt, startedAt, endedAt });
    }
  }
}

// ── Servers ────────────────────────────────────────────────────────────────────────────────

interface Server {
  port: number;
  kind: string;
  close(): Promise<void>;
}

class BenchDialog extends BaseVoiceDialog {
  private readonly listen = { kind: 'listen' as const, listen: { digits: 'one' as const, hints: [], timeoutS: 10 } };
  async start(): Promise<VoiceTurn> {
    return { actions: [{ kind: 'say', text: 'Xin chào, tôi là trợ lý hành chính công. Bạn cần hỏi thủ tục gì?' }, this.listen] };
  }
  async input(_callSid: string, input: CallerInput): Promise<VoiceTurn> {
    const heard = input.kind === 'speech' ? input.text.length : 0;
    return { actions: [{ kind: 'say', text: `Dạ, về câu hỏi ${heard % 2 ? 'này' : 'đó'}, anh chị mang căn cước đến bộ phận một cửa. Thời hạn giải quyết là năm ngày làm việc.` }, this.listen] };
  }
}

const quietLog = { info: () => undefined, warn: () => undefined, error: (obj: object, msg: string) => void process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) };

async function scriptedServer(stt: SpeechToText, tts: TextToSpeech): Promise<Server> {
  const app = Fastify({ logger: false });
  await app.register(websocket);
  const port = await freePort();
  registerMediaStreamSocket(app, { config: { publicBaseUrl: `http://127.0.0.1:${port}`, authToken: AUTH_TOKEN }, dialog: new BenchDialog(), stt, tts, log: quietLog });
  await app.listen({ port, host: '127.0.0.1' });
  return { port, kind: 'scripted dialog', close: () => app.close() };
}

async function realServer(stt: SpeechToText, tts: TextToSpeech): Promise<Server> {
  const [{ loadConfig }, { createDeps }, { buildApp }, { createLogger }] = await Promise.all([
    import('../src/config.js'),
    import('../src/deps.js'),
    import('../src/app.js'),
    import('../src/http/logger.js'),
  ]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-bench-media-'));
  const port = await freePort();
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(ROOT, 'knowledge'),
    LOG_LEVEL: 'warn',
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    VOICE_MODE: 'media',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SESSION_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const log = createLogger({ LOG_LEVEL: 'warn' }, { write: (line: string) => void process.stderr.write(line) });
  const deps = await createDeps(config, { log, telephony: { speech: { stt, tts } } });
  const app = await buildApp(deps);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    port,
    kind: 'real CallDialog (createDeps + buildApp, grounded answers, no LLM)',
    close: async () => {
      await app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ── The caller ─────────────────────────────────────────────────────────────────────────────

interface Utterance {
  text: string;
  /** Speech up to and including its last voiced frame. */
  voiced: Uint8Array[];
}

async function utterances(count: number): Promise<Utterance[]> {
  const espeak = new EspeakTextToSpeech({ cacheEntries: 0 });
  const out: Utterance[] = [];
  for (const text of benchQuestions().slice(0, count)) {
    const frames = toFrames(await espeak.synthesize(text));
    const last = frames.findLastIndex((f) => mulawLevelDb(f) > -45);
    out.push({ text, voiced: frames.slice(0, last + 1) });
  }
  return out;
}

interface Sample {
  /** Later of final and VAD end of speech → first answer frame. */
  fromEndMs: number;
  /** Last voiced frame → first answer frame. */
  fromVoiceMs: number;
  /** The first sentence's synthesis time inside that span (0 with the instant TTS). */
  ttsMs: number;
}

const SILENCE = new Uint8Array(160).fill(MULAW_SILENCE);

class Caller {
  private readonly ws: WebSocket;
  private readonly vad = new VoiceActivityDetector();
  private bytes = 0;
  private chunk = 0;
  private marksSeen = 0;
  private firstMediaAt: number | null = null;
  closed = false;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { event: string; mark?: { name: string } };
      if (m.event === 'media' && this.firstMediaAt === null) this.firstMediaAt = performance.now();
      if (m.event === 'mark') {
        this.marksSeen += 1;
        ws.send(JSON.stringify({ event: 'mark', streamSid: 'MZ', mark: m.mark }));
      }
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  static async dial(port: number): Promise<Caller> {
    const url = `ws://127.0.0.1:${port}${MEDIA_PATH}`;
    const ws = new WebSocket(url, { headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, {}) } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Caller(ws);
  }

  start(n: number): void {
    this.ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    this.ws.send(
      JSON.stringify({
        event: 'start',
        streamSid: 'MZ',
        start: { streamSid: 'MZ', callSid: `CA${String(n).padStart(32, '0')}`, customParameters: { from: `+8491${String(n).padStart(7, '0')}`, to: '+842438000001' } },
      }),
    );
  }

  /**
   * Resolves when the bot's turn has been sent: marks have stopped coming and no synthesis is in
   * flight (so a late second sentence is not taken for the next answer's first frame).
   */
  async botTurnSent(tts: TimedTextToSpeech | null): Promise<void> {
    const deadline = performance.now() + 15_000;
    let seen = -1;
    while (!this.closed && performance.now() < deadline) {
      // A synthesis in flight may be the turn's next sentence (with several calls: perhaps another call's).
      if (this.marksSeen > 0 && this.marksSeen === seen && !(tts && tts.inFlight > 0)) return;
      seen = this.marksSeen;
      await new Promise((r) => setTimeout(r, 30));
    }
  }

  /** One question; resolves with the timing, or null if the call ended. */
  async ask(u: Utterance, stream: CuedStream, finalDelayMs: number, tts: TimedTextToSpeech | null): Promise<Sample | null> {
    // Where the final lands: `finalDelayMs` after the last voiced frame.
    const finalByte = this.bytes + (u.voiced.length + finalDelayMs / FRAME_MS) * 160;
    stream.cue(finalByte, u.text);
    this.firstMediaAt = null;
    for (const f of u.voiced) this.send(f);
    const voiceEndAt = performance.now();
    let endAt: number | null = null;
    let vadEnded = false;
    const started = performance.now();
    for (let k = 1; !this.closed; k++) {
      // Real pace: frame k of the quiet leaves at 20·k ms after the voice.
      const due = started + k * FRAME_MS;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (this.firstMediaAt !== null) break;
      this.send(SILENCE);
      vadEnded ||= !this.vad.speaking;
      if (endAt === null && vadEnded && this.bytes >= finalByte) endAt = performance.now();
      if (k * FRAME_MS > 5000) return null;
    }
    if (this.closed || endAt === null || this.firstMediaAt === null) return null;
    const firstMediaAt: number = this.firstMediaAt;
    const ttsMs = tts ? firstSentenceSynthesis(tts, endAt, firstMediaAt) : 0;
    return { fromEndMs: firstMediaAt - endAt, fromVoiceMs: firstMediaAt - voiceEndAt, ttsMs };
  }

  hangUp(): void {
    this.ws.close();
  }

  private send(frame: Uint8Array): void {
    this.vad.push(frame);
    this.bytes += frame.length;
    this.chunk += 1;
    this.ws.send(JSON.stringify({ event: 'media', streamSid: 'MZ', media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(this.chunk * FRAME_MS), payload: Buffer.from(frame).toString('base64') } }));
  }
}

/**
 * The synthesis that produced the answer's first frame: the first one started inside the span
 * (exact with one call in flight, which is how the espeak rows run).
 */
function firstSentenceSynthesis(tts: TimedTextToSpeech, from: number, to: number): number {
  const s = tts.log.find((e) => e.startedAt >= from && e.endedAt <= to);
  return s ? s.ms : 0;
}

// ── Runs ───────────────────────────────────────────────────────────────────────────────────

async function run(
  server: Server,
  stt: CuedSpeechToText,
  tts: TimedTextToSpeech | null,
  questions: Utterance[],
  turns: number,
  concurrency: number,
  finalDelayMs: number,
  callIds: { next: number },
): Promise<Sample[]> {
  const samples: Sample[] = [];
  let asked = 0;
  let dialling: Promise<void> = Promise.resolve();
  const worker = async () => {
    while (asked < turns) {
      // Calls start one at a time, so the n-th recogniser stream opened belongs to the n-th call.
      let caller!: Caller;
      let stream!: CuedStream;
      const mine = dialling.then(async () => {
        caller = await Caller.dial(server.port);
        const before = stt.streams.length;
        caller.start(callIds.next++);
        const deadline = performance.now() + 10_000;
        while (stt.streams.length === before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        stream = stt.streams[before]!;
      });
      dialling = mine;
      await mine;
      await caller.botTurnSent(tts);
      for (let t = 0; t < TURNS_PER_CALL && asked < turns && !caller.closed; t++) {
        const q = questions[(asked++ * 7) % questions.length]!;
        const sample = await caller.ask(q, stream, finalDelayMs, tts);
        if (sample) samples.push(sample);
        await caller.botTurnSent(tts);
      }
      caller.hangUp();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return samples;
}

function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export async function benchVoiceMedia(options: VoiceMediaBenchOptions = {}): Promise<void> {
  const out = options.out ?? ((line: string) => console.log(line));
  const turns = options.turns ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const mode = options.dialog ?? 'real';
  process.stderr.write('speaking the questions with espeak-ng…\n');
  const questions = await utterances(QUESTIONS);

  const rows: string[] = [];
  let verdict = true;
  let kind = '';
  const callIds = { next: 1 };
  for (const ttsKind of ['instant', 'espeak'] as const) {
    const stt = new CuedSpeechToText();
    const timed = ttsKind === 'espeak' ? new TimedTextToSpeech(new EspeakTextToSpeech({ cacheEntries: 0 })) : null;
    const server = mode === 'real' ? await realServer(stt, timed ?? new InstantTextToSpeech()) : await scriptedServer(stt, timed ?? new InstantTextToSpeech());
    kind = server.kind;
    try {
      for (const finalDelayMs of [300, 0]) {
        process.stderr.write(`${ttsKind} TTS, final ${finalDelayMs} ms after the voice: ${turns} turns…\n`);
        // espeak rows run one call at a time, so each turn's own synthesis is the one subtracted.
        const inFlight = timed ? 1 : concurrency;
        await run(server, stt, timed, questions, WARM_UP_TURNS, inFlight, finalDelayMs, callIds);
        const samples = await run(server, stt, timed, questions, turns, inFlight, finalDelayMs, callIds);
        const own = samples.map((s) => s.fromEndMs - s.ttsMs);
        const fromVoice = samples.map((s) => s.fromVoiceMs - s.ttsMs);
        const tts = samples.map((s) => s.ttsMs);
        const p95 = pct(own, 0.95);
        verdict &&= p95 <= TARGET_MS;
        rows.push(
          `| ${ttsKind === 'instant' ? 'instant (0 ms)' : 'espeak-ng (subtracted)'} | ${finalDelayMs === 300 ? '300 ms after voice' : 'at last voiced frame'} | ${samples.length} | ${pct(own, 0.5).toFixed(1)} | ${p95.toFixed(1)} | ${Math.max(...own).toFixed(1)} | ${pct(fromVoice, 0.5).toFixed(1)} | ${pct(fromVoice, 0.95).toFixed(1)} | ${ttsKind === 'espeak' ? `${pct(tts, 0.5).toFixed(1)} / ${pct(tts, 0.95).toFixed(1)}` : '—'} |`,
        );
      }
    } finally {
      await server.close();
    }
  }
  out(`\nVoice Media Streams: end of caller speech → first answer frame (${kind}; ${turns} turns per row; ${concurrency} calls in flight with the instant TTS, 1 with espeak-ng; node ${process.version})\n`);
  out('| TTS | recogniser final | n | p50 ms | p95 ms | max ms | from last voice p50 | p95 | TTS first sentence p50 / p95 ms |');
  out('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) out(r);
  out(
    `\n"p50/p95": from the later of the recogniser's final and the detector's end of speech (200 ms hangover after the voice) to the first frame; includes our endpointing wait (250 ms after the last voice, so ≈ 50 ms past the detector's end, or 0 when the final comes later), the dialog, framing and two loopback socket hops; the TTS's own time is subtracted. "From last voice" adds the detector's hangover: what a caller waits beyond the recogniser.`,
  );
  out(`Target: our own time p95 ≤ ${TARGET_MS} ms: ${verdict ? 'met' : 'NOT met'} in every row.`);
}
