/**
 * `npm run bench -- chat`: grounded chat turns over HTTP. Ingests the national catalogue into a
 * temporary DATA_DIR, starts the real server in a child process (so the load generator does not
 * share its event loop), drives POST /api/v1/chat with autocannon using the team's eval
 * questions, and prints throughput, client-side latency percentiles and the server-side turn
 * latency recorded in the Q&A log.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchQuestions, freePort, ROOT } from './bench-support.js';
import autocannon from 'autocannon';
import { SqliteCatalogueStore } from '../src/catalogue/sqlite-catalogue-store.js';
import { SqliteQaLogStore } from '../src/qa-log/sqlite-qa-log-store.js';
import { runIngest } from '../ingest/run-ingest.js';
import { requireSharedData } from '../evals/load-shared-catalogue.js';




/** Starts `src/main.ts` quietly (warn level: request logs would cost the server time) and waits for /ready. */
async function startServer(dataDir: string, workers: number): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WORKERS: String(workers),
      RATE_LIMIT_PER_MINUTE: '100000000',
      SESSION_RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/ready`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready in 60 s');
}

export async function chatBench(options: { seconds: number; connections: number; workers: number }): Promise<void> {
  const shared = requireSharedData();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-bench-chat-'));
  let server: ChildProcess | undefined;
  try {
    process.stderr.write('ingesting the national catalogue…\n');
    const store = new SqliteCatalogueStore({ dataDir });
    await runIngest([shared], store);
    await store.close();
    const started = await startServer(dataDir, options.workers);
    server = started.child;
    const bodies = benchQuestions().map((message) => JSON.stringify({ message }));
    let i = 0;
    process.stderr.write(`load: ${options.connections} connections for ${options.seconds} s against ${started.url}\n`);
    const result = await autocannon({
      url: `${started.url}/api/v1/chat`,
      connections: options.connections,
      duration: options.seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }),
        },
      ],
    });
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = undefined;

    const qaLog = new SqliteQaLogStore({ dataDir });
    const turns = await qaLog.recent(1_000_000);
    await qaLog.close();
    const server_ms = turns.map((t) => t.latencyMs).sort((a, b) => a - b);
    const pct = (q: number) => server_ms[Math.min(server_ms.length - 1, Math.floor(q * server_ms.length))] ?? NaN;
    const statuses = new Map<string, number>();
    for (const t of turns) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);

    console.log(`\nChat benchmark: grounded turns over HTTP (node ${process.version}, ${options.workers} worker(s), ${options.connections} connections, ${options.seconds} s)\n`);
    console.log('| measure | value |');
    console.log('|---|---:|');
    console.log(`| turns/s (mean) | ${result.requests.average.toFixed(0)} |`);
    console.log(`| requests total / non-2xx / errors / timeouts | ${result.requests.total} / ${result.non2xx} / ${result.errors} / ${result.timeouts} |`);
    console.log(`| client latency p50 / p90 / p99 (ms) | ${result.latency.p50} / ${result.latency.p90} / ${result.latency.p99} |`);
    console.log(`| server turn latency p50 / p95 / p99 (ms) | ${pct(0.5).toFixed(2)} / ${pct(0.95).toFixed(2)} / ${pct(0.99).toFixed(2)} |`);
    console.log(`| turns logged | ${turns.length} |`);
    console.log(`\nStatuses: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  } finally {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
