/**
 * `npm run bench -- retrieval [--scales 1,10,35]`: index build time, query p50/p95 and RSS for
 * our lexical retriever and for MiniSearch 7 (folded) on the same documents and queries, each
 * configuration in its own process, printed side by side with ratios.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

interface Figures {
  engine: string;
  scale: number;
  documents: number;
  buildMs: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  rssMb: number;
  indexRssMb: number;
}

const args = process.argv.slice(2);
const suite = args[0];
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
if (suite === 'chat') {
  const { chatBench } = await import('./chat-bench.js');
  await chatBench({ seconds: Number(option('--seconds', '20')), connections: Number(option('--connections', '32')), workers: Number(option('--workers', '1')) });
  process.exit(0);
}
if (suite === 'channels') {
  const { channelsBench } = await import('./channels-bench.js');
  await channelsBench({ seconds: Number(option('--seconds', '10')), connections: Number(option('--connections', '200')), workers: Number(option('--workers', '1')) });
  process.exit(0);
}
if (suite === 'stats') {
  const { benchStats } = await import('./stats-bench.js');
  await benchStats({ turns: Number(option('--turns', '1000000')), calls: Number(option('--calls', '50000')) });
  process.exit(0);
}
if (suite === 'voice') {
  const { benchVoiceTurn } = await import('./voice-turn-bench.js');
  await benchVoiceTurn({ calls: Number(option('--calls', '500')), concurrency: Number(option('--concurrency', '1')), dialog: option('--dialog', 'real') as 'real' | 'scripted' });
  const { benchVoiceMedia } = await import('./voice-media-bench.js');
  await benchVoiceMedia({ turns: Number(option('--turns', '200')) });
  process.exit(0);
}
if (suite !== 'retrieval') {
  console.error('usage: npm run bench -- retrieval [--scales 1,10,35] [--engines ours,minisearch]\n       npm run bench -- chat [--seconds 20] [--connections 32] [--workers 1]\n       npm run bench -- channels [--seconds 10] [--connections 200] [--workers 1]\n       npm run bench -- stats [--turns 1000000] [--calls 50000]\n       npm run bench -- voice [--calls 500] [--concurrency 1] [--dialog real|scripted] [--turns 200]');
  process.exit(1);
}
const scales = option('--scales', '1,10,35').split(',').map(Number);
const engines = option('--engines', 'ours,minisearch').split(',');

const worker = path.resolve(import.meta.dirname, 'retrieval-bench-worker.ts');
const rows: Figures[] = [];
for (const scale of scales) {
  for (const engine of engines) {
    process.stderr.write(`running ${engine} ×${scale}…\n`);
    const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', worker, engine, String(scale)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    rows.push(JSON.parse(out.trim().split('\n').pop()!) as Figures);
  }
}

const f = (n: number, d = 2) => n.toFixed(d);
console.log(`\nRetrieval benchmark (one core, sequential queries; node ${process.version})\n`);
console.log('| engine | scale | docs | build ms | p50 ms | p95 ms | max ms | RSS MB | index RSS MB |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.engine} | ×${r.scale} | ${r.documents} | ${f(r.buildMs, 0)} | ${f(r.p50Ms, 3)} | ${f(r.p95Ms, 3)} | ${f(r.maxMs, 2)} | ${f(r.rssMb, 0)} | ${f(r.indexRssMb, 0)} |`);
}
console.log('\nRatios (MiniSearch ÷ ours; > 1 means ours is faster or smaller):');
for (const scale of scales) {
  const ours = rows.find((r) => r.engine === 'ours' && r.scale === scale);
  const other = rows.find((r) => r.engine === 'minisearch' && r.scale === scale);
  if (!ours || !other) continue;
  console.log(
    `  ×${scale}: query p50 ${f(other.p50Ms / ours.p50Ms, 1)}×, p95 ${f(other.p95Ms / ours.p95Ms, 1)}×, build ${f(other.buildMs / ours.buildMs, 2)}×, index RSS ${f(other.indexRssMb / Math.max(1, ours.indexRssMb), 2)}×`,
  );
}
