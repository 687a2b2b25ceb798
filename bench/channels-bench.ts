/**
 * `npm run bench -- channels [--seconds 10] [--connections 200]`: how fast the Messenger and
 * Zalo webhooks acknowledge deliveries under load. Ingests the national catalogue into a
 * temporary DATA_DIR, starts the real server in a child process with both channels configured
 * against local doubles of the Graph Send API and the Zalo OA API, then keeps `connections`
 * deliveries in flight (each a new citizen and message id, signed as the platform signs) and
 * measures each request's time to its 200. The answers are produced after the 200, on the same
 * server, so the acknowledgement is measured while the pipeline works.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchQuestions, freePort, ROOT } from './bench-support.js';
import { Agent, request } from 'node:http';
import { SqliteCatalogueStore } from '../src/catalogue/sqlite-catalogue-store.js';
import { runIngest } from '../ingest/run-ingest.js';
import { requireSharedData } from '../evals/load-shared-catalogue.js';
import { createInterface } from 'node:readline';

const APP_SECRET = 'bench-messenger-app-secret';
const PAGE_TOKEN = 'bench-page-token';
const ZALO_APP_ID = '1234567890';
const ZALO_OA_SECRET = 'bench-zalo-oa-secret';
/** A burst of deliveries every this many ms: about what two cores answer in the meantime. */
const BURST_EVERY_MS = 1500;



interface Delivery {
  method?: 'GET' | 'POST';
  path: string;
  body: string;
  headers: Record<string, string>;
}

function messengerDelivery(n: number, text: string): Delivery {
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: 'PAGE', time: Date.now(), messaging: [{ sender: { id: `psid-${n}` }, recipient: { id: 'PAGE' }, timestamp: Date.now(), message: { mid: `mid.bench.${n}`, text } }] }],
  });
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  return { path: '/webhooks/messenger', body, headers: { 'x-hub-signature-256': `sha256=${signature}` } };
}

function zaloDelivery(n: number, text: string): Delivery {
  const timestamp = String(Date.now());
  const body = JSON.stringify({
    app_id: ZALO_APP_ID,
    user_id_by_app: `u${n}`,
    event_name: 'user_send_text',
    sender: { id: `84${String(n).padStart(10, '0')}` },
    recipient: { id: 'OA' },
    message: { msg_id: `bench-${n}`, text },
    timestamp,
  });
  const mac = createHash('sha256').update(ZALO_APP_ID + body + timestamp + ZALO_OA_SECRET).digest('hex');
  return { path: '/webhooks/zalo', body, headers: { 'x-zevent-signature': `mac=${mac}` } };
}

/**
 * `burst`: every `burstEveryMs`, `connections` deliveries at the same moment (the busiest moments
 * of the chat channels), answered before the next burst arrives. `flood`: `connections`
 * loops sending back to back — far beyond what 2 cores answer, to see the webhook shed load
 * (503, the platform delivers again) rather than slow its acknowledgements.
 */
async function load(port: number, seconds: number, connections: number, make: (n: number) => Delivery, mode: 'burst' | 'flood', burstEveryMs = BURST_EVERY_MS) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const send = (d: Delivery) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: d.path, method: d.method ?? 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(d.body), ...d.headers } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(d.body);
    });
  const timed = async (d: Delivery) => {
    const t = performance.now();
    const status = await send(d).catch(() => 0);
    latencies.push(performance.now() - t);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  };
  if (mode === 'flood') {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) await timed(make(n++));
      }),
    );
  } else {
    while (performance.now() < until) {
      const started = performance.now();
      await Promise.all(Array.from({ length: connections }, () => timed(make(n++))));
      await new Promise((r) => setTimeout(r, Math.max(0, burstEveryMs - (performance.now() - started))));
    }
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: latencies.at(-1) ?? NaN, statuses, perSecond: latencies.length / seconds };
}

export async function channelsBench(options: { seconds: number; connections: number; workers?: number }): Promise<void> {
  const shared = requireSharedData();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-bench-channels-'));
  const fakes = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/fake-platforms.ts'), PAGE_TOKEN, ZALO_APP_ID, 'bench-app-secret', 'bench-zalo-access', 'bench-zalo-refresh'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const fakeLines = createInterface({ input: fakes.stdout! })[Symbol.asyncIterator]();
  const urls = JSON.parse((await fakeLines.next()).value as string) as { graph: string; zalo: string };
  const graph = { baseUrl: urls.graph };
  const zaloApi = { baseUrl: urls.zalo };
  let server: ChildProcess | undefined;
  try {
    process.stderr.write('ingesting the national catalogue…\n');
    const store = new SqliteCatalogueStore({ dataDir });
    await runIngest([shared], store);
    await store.close();
    const port = await freePort();
    server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        WORKERS: String(options.workers ?? 1),
        MESSENGER_APP_SECRET: APP_SECRET,
        MESSENGER_VERIFY_TOKEN: 'bench-verify',
        MESSENGER_PAGE_TOKEN: PAGE_TOKEN,
        MESSENGER_GRAPH_BASE_URL: graph.baseUrl,
        ZALO_APP_ID,
        ZALO_OA_SECRET_KEY: ZALO_OA_SECRET,
        ZALO_OA_ACCESS_TOKEN: 'bench-zalo-access',
        ZALO_OA_REFRESH_TOKEN: 'bench-zalo-refresh',
        ZALO_APP_SECRET_KEY: 'bench-app-secret',
        ZALO_API_BASE_URL: zaloApi.baseUrl,
        ZALO_OAUTH_BASE_URL: zaloApi.baseUrl,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('server did not become ready in 60 s');
      if (await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // /ready answers as soon as one worker listens; give the others their start-up.
    if ((options.workers ?? 1) > 1) await new Promise((r) => setTimeout(r, 5000));
    const qs = benchQuestions();
    // Warm-up (not reported): one burst per channel, so JIT compilation and first-use costs
    // (SQLite statements, connections to the doubles) do not land on whichever row runs first.
    for (let i = 0; i < 2; i++) {
      await load(port, 1, options.connections, (n) => messengerDelivery(n + 90_000_000 + i * 1000, qs[n % qs.length]!), 'burst');
      await load(port, 1, options.connections, (n) => zaloDelivery(n + 90_000_000 + i * 1000, qs[n % qs.length]!), 'burst');
    }
    await new Promise((r) => setTimeout(r, 3000));
    const results: Array<{ name: string; mode: 'burst' | 'flood' } & Awaited<ReturnType<typeof load>>> = [];
    for (const mode of ['burst', 'flood'] as const) {
      for (const [name, make] of [
        // Baseline in the same run: the same load on GET /health, which does no work at all.
        ['baseline /health', (): Delivery => ({ method: 'GET', path: '/health', body: '', headers: {} })],
        ['messenger', (n: number) => messengerDelivery(n, qs[n % qs.length]!)],
        ['zalo', (n: number) => zaloDelivery(n, qs[n % qs.length]!)],
      ] as const) {
        process.stderr.write(`${name} (${mode}): ${options.connections} deliveries at once, ${options.seconds} s…\n`);
        // Distinct citizens and message ids per mode and channel, so nothing is a duplicate.
        const offset: number = results.length * 10_000_000;
        const figures = await load(port, options.seconds, options.connections, (n: number): Delivery => make(n + offset), mode);
        results.push({ name, mode, ...figures });
        // Let the answers drain before the next measurement.
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
    console.log(`\nChannel webhook acknowledgement (node ${process.version}, ${options.workers ?? 1} server process(es), national catalogue, ${options.connections} deliveries at once, ${options.seconds} s per row)\n`);
    console.log('| channel | load | deliveries | per s | ack p50 ms | ack p95 ms | ack p99 ms | max ms | statuses |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${r.mode === 'burst' ? `${options.connections} every ${BURST_EVERY_MS / 1000} s` : 'flood (back to back)'} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${[...r.statuses].map(([s, c]) => `${s}×${c}`).join(' ')} |`,
      );
    }
    const base = (mode: string) => results.find((r) => r.name.startsWith('baseline') && r.mode === mode);
    console.log('\nRatio to the /health baseline of the same load (ack p95):');
    for (const r of results.filter((x) => !x.name.startsWith('baseline'))) console.log(`  ${r.name} ${r.mode}: ×${(r.p95 / base(r.mode)!.p95).toFixed(2)}`);
    fakes.kill('SIGTERM');
    const sent = JSON.parse(((await fakeLines.next()).value as string | undefined) ?? '{}') as { messenger?: number; zalo?: number };
    console.log(`\nTarget: ack p95 ≤ 50 ms for 200 concurrent deliveries (burst rows). Under a flood the webhooks answer 503 once their work queue is full, so the platform delivers again later. Requests the platform doubles received meanwhile (replies, typing): Messenger ${sent.messenger ?? '?'}, Zalo ${sent.zalo ?? '?'}.`);
  } finally {
    server?.kill('SIGTERM');
    if (fakes.exitCode === null) fakes.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
