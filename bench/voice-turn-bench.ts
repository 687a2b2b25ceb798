/**
 * `npm run bench -- voice`: server-side time of the turn-mode webhooks (Twilio request → TwiML).
 * Builds the real app (createDeps + buildApp with a TWILIO_AUTH_TOKEN, so the callbot is mounted;
 * starter knowledge in a temporary DATA_DIR), then runs N simulated calls: incoming (greeting) and
 * three gather turns, each a question from the team's eval set, signed like Twilio, plus the status
 * callback. Each request is timed around `app.inject` (the whole Fastify pipeline: routing, form
 * parsing, signature check, dialog, TwiML; in process, so no socket or client noise), and compared
 * with `/health` requests made the same way in the same process.
 * `dialog: 'scripted'` mounts only the webhooks with the tests' scripted dialog (the TwiML layer alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import twilio from 'twilio';
import { benchQuestions, ROOT } from './bench-support.js';

export interface VoiceTurnBenchOptions {
  /** Simulated calls (after a warm-up of 20). */
  calls: number;
  /** Calls in flight at once (each call's requests stay in order). */
  concurrency?: number;
  /** `real`: the whole app with the real CallDialog; `scripted`: the webhooks with a scripted dialog. */
  dialog?: 'real' | 'scripted';
  out?: (line: string) => void;
}

const AUTH_TOKEN = 'voice-bench-auth-token-0123456789';
const PUBLIC_BASE_URL = 'https://tongdai.example.gov.vn';
const GATHER_TURNS = 3;
const WARM_UP_CALLS = 20;
const TARGET_P95_MS = 20;

interface Bench {
  app: FastifyInstance;
  close(): Promise<void>;
}

async function realApp(dataDir: string): Promise<Bench> {
  const [{ loadConfig }, { createDeps }, { buildApp }, { createLogger }] = await Promise.all([
    import('../src/config.js'),
    import('../src/deps.js'),
    import('../src/app.js'),
    import('../src/http/logger.js'),
  ]);
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: path.join(ROOT, 'knowledge'),
    LOG_LEVEL: 'warn',
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL,
    VOICE_MODE: 'turn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SESSION_RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const log = createLogger({ LOG_LEVEL: 'warn' }, { write: (line: string) => void process.stderr.write(line) });
  const deps = await createDeps(config, { log });
  const app = await buildApp(deps);
  return {
    app,
    close: async () => {
      await app.close();
      await deps.close();
    },
  };
}

async function scriptedApp(): Promise<Bench> {
  const [{ registerVoiceWebhooks }, { ScriptedVoiceDialog }] = await Promise.all([
    import('../src/telephony/turn/voice-webhooks.js'),
    import('../test/unit/telephony/turn/scripted-voice-dialog.js'),
  ]);
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  await registerVoiceWebhooks(app, {
    config: { publicBaseUrl: PUBLIC_BASE_URL, authToken: AUTH_TOKEN, mode: 'turn', voice: 'Google.vi-VN-Wavenet-A', transfer: { kind: 'queue', queueName: 'hanh-chinh-cong' } },
    dialog: new ScriptedVoiceDialog(),
    log: { warn: () => undefined, error: (obj, msg) => void process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`) },
  });
  await app.ready();
  return { app, close: () => app.close() };
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: sorted.at(-1) ?? NaN };
}

export async function benchVoiceTurn(options: VoiceTurnBenchOptions): Promise<void> {
  const out = options.out ?? ((line: string) => console.log(line));
  const mode = options.dialog ?? 'real';
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const questions = benchQuestions();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-bench-voice-'));
  const bench = mode === 'real' ? await realApp(dataDir) : await scriptedApp();
  const { app } = bench;

  // Time of each request through the whole Fastify pipeline (routing, form parsing, signature
  // check, handler, TwiML), timed around `app.inject`: in process, so no socket or client counts.
  // (buildApp has already readied the app, so no timing hook can be added to it.)
  let recording = false;
  const times = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  const timed = async (route: string, request: InjectOptions) => {
    const started = performance.now();
    const res = await app.inject(request);
    const ms = performance.now() - started;
    if (recording) {
      (times.get(route) ?? times.set(route, []).get(route)!).push(ms);
      if (route.startsWith('/telephony/')) statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    }
    return res;
  };

  let next = 0;
  const post = async (pathAndQuery: string, params: Record<string, string>) => {
    const res = await timed(pathAndQuery, {
      method: 'POST',
      url: pathAndQuery,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${pathAndQuery}`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    if (res.statusCode !== 200 && res.statusCode !== 204) throw new Error(`${pathAndQuery} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return res.body;
  };

  const oneCall = async (n: number) => {
    const call = { CallSid: `CA${String(n).padStart(32, '0')}`, AccountSid: `AC${'0'.repeat(32)}`, From: `+8491${String(n % 10_000_000).padStart(7, '0')}`, To: '+842838000001' };
    await post('/telephony/voice/incoming', { ...call, CallStatus: 'ringing', Direction: 'inbound' });
    for (let t = 0; t < GATHER_TURNS; t++) {
      const question = questions[next++ % questions.length]!;
      const twiml = await post('/telephony/voice/gather', { ...call, SpeechResult: question, Confidence: '0.9' });
      // A turn that transferred or hung up ends the call early, as it would on the phone.
      if (!twiml.includes('<Gather')) break;
    }
    await post('/telephony/voice/status', { ...call, CallStatus: 'completed', CallDuration: '60' });
  };

  const runCalls = async (from: number, count: number) => {
    let i = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (i < count) await oneCall(from + i++);
      }),
    );
  };

  try {
    await runCalls(0, WARM_UP_CALLS);
    recording = true;
    const started = performance.now();
    await runCalls(WARM_UP_CALLS, options.calls);
    const seconds = (performance.now() - started) / 1000;
    const webhookRequests = [...times.values()].reduce((a, v) => a + v.length, 0);
    // The baseline: as many /health requests as webhook requests, the same way, in the same process.
    let h = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (h++ < webhookRequests) await timed('/health', { method: 'GET', url: '/health' });
      }),
    );
    recording = false;

    const rows: Array<[string, number[]]> = [
      ['incoming (greeting)', times.get('/telephony/voice/incoming') ?? []],
      ['gather (question → answer)', times.get('/telephony/voice/gather') ?? []],
      ['status callback', times.get('/telephony/voice/status') ?? []],
      ['all webhooks', [...times.entries()].filter(([r]) => r.startsWith('/telephony/')).flatMap(([, v]) => v)],
      ['/health baseline', times.get('/health') ?? []],
    ];
    out(`\nVoice turn-mode webhooks (${mode} dialog; ${options.calls} calls × greeting + ${GATHER_TURNS} questions, ${concurrency} in flight; ${seconds.toFixed(1)} s; node ${process.version})\n`);
    out('| request | n | p50 ms | p95 ms | p99 ms | max ms |');
    out('|---|---:|---:|---:|---:|---:|');
    for (const [name, values] of rows) {
      const s = stats(values);
      out(`| ${name} | ${s.n} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.p99.toFixed(2)} | ${s.max.toFixed(2)} |`);
    }
    const all = stats(rows[3]![1]);
    const gather = stats(rows[1]![1]);
    out(`\nWebhook statuses: ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}. Throughput: ${(webhookRequests / seconds).toFixed(0)} webhook requests/s on one event loop (a call makes about one every ten seconds).`);
    if (concurrency > 1) out('With several requests in flight on one event loop, each time includes the wait behind the others: read the 1-in-flight run for the time a request costs.');
    out(`Target: webhook → TwiML p95 ≤ ${TARGET_P95_MS} ms (server side). All webhooks p95 ${all.p95.toFixed(2)} ms, gather p95 ${gather.p95.toFixed(2)} ms: ${all.p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}.`);
  } finally {
    await bench.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
