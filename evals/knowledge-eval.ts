/**
 * `npm run eval -- knowledge`: the Center's own knowledge and systems, end to end on the server
 * as `npm start` builds it (createDeps), over the national catalogue, in a world the eval sets
 * up and describes below: some procedures online-only (from a week ago, from next month, and a
 * rule that has ended), some changed by a later ingest, one withdrawn, and the demo store of the
 * application status lookup. Cases are conversations in `evals/datasets/answers-knowledge.jsonl`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { openCatalogueStore } from '../src/catalogue/sqlite-catalogue-store.js';
import { loadConfig } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { ANSWER_STATUSES } from '../src/domain/answer.js';
import { PROCEDURE_CODE } from '../src/domain/procedure.js';
import { createLogger } from '../src/http/logger.js';
import { hanoiDate } from '../src/knowledge/hanoi-date.js';
import { saveOnlineOnly } from '../src/knowledge/online-only-list.js';
import { seedDemoApplications } from '../src/status-lookup/seed-demo-applications.js';
import { SqliteStatusSource } from '../src/status-lookup/sqlite-status-source.js';
import { fold } from '../src/text/vietnamese.js';
import { runIngest } from '../ingest/run-ingest.js';
import { DATASETS_DIR, readJsonl } from './answers-dataset.js';
import { requireSharedData, SHARED_TTHC_DIR } from './load-shared-catalogue.js';

// ─── The world ──────────────────────────────────────────────────────────────────────────────

/** Accepted only online since a week ago. */
export const ONLINE_NOW = ['3.000333', '1.004194', '1.010041'];
/** Will be online-only from next month: today nothing changes. */
export const ONLINE_LATER = ['1.004873'];
/** Was online-only for a month, ended last month. */
export const ONLINE_ENDED = ['1.003677'];
/** Changed by a later ingest (a new processing time on every channel). */
export const CHANGED = ['1.000656', '2.000635'];
export const CHANGED_TIME = '03 ngày làm việc';
/** Withdrawn from yesterday: never answered from. */
export const WITHDRAWN = ['1.004884'];

const status = z.enum(ANSWER_STATUSES);
const Turn = z.strictObject({
  message: z.string().min(1),
  style: z.enum(['chat', 'voice']).default('chat'),
  expect: z.strictObject({
    status: z.union([status, z.array(status).min(1)]).optional(),
    /** One of these must be cited. */
    gold_ids: z.array(z.string().regex(PROCEDURE_CODE)).min(1).optional(),
    /** None of these may be cited. */
    not_cited: z.array(z.string().regex(PROCEDURE_CODE)).min(1).optional(),
    /** Each must appear in the reply (compared without diacritics or case). */
    must_contain: z.array(z.string().min(1)).optional(),
    must_not_contain: z.array(z.string().min(1)).optional(),
  }),
});
export const KnowledgeCase = z.strictObject({
  id: z.string().min(1),
  suite: z.enum(['center', 'online_only', 'changed', 'status_lookup']),
  turns: z.array(Turn).min(1).max(6),
});
export type KnowledgeCase = z.infer<typeof KnowledgeCase>;

export const loadKnowledgeCases = (file = path.join(DATASETS_DIR, 'answers-knowledge.jsonl')) => readJsonl(file, KnowledgeCase);

export interface KnowledgeWorld {
  deps: Deps;
  close(): Promise<void>;
}

/** Builds the world in a temporary DATA_DIR and KNOWLEDGE_DIR; nothing of the checkout changes. */
export async function createKnowledgeWorld(now = new Date()): Promise<KnowledgeWorld> {
  requireSharedData();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccai-knowledge-eval-'));
  const dataDir = path.join(root, 'data');
  const knowledgeDir = path.join(root, 'knowledge');
  fs.mkdirSync(dataDir);
  fs.cpSync(path.resolve(import.meta.dirname, '../knowledge'), knowledgeDir, { recursive: true });

  const day = (offset: number) => hanoiDate(new Date(now.getTime() + offset * 86_400_000));
  saveOnlineOnly(path.join(knowledgeDir, 'online-only.json'), {
    version: 1,
    entries: [
      ...ONLINE_NOW.map((code) => ({ code, from: day(-7), to: null, source: 'knowledge eval' })),
      ...ONLINE_LATER.map((code) => ({ code, from: day(30), to: null, source: 'knowledge eval' })),
      ...ONLINE_ENDED.map((code) => ({ code, from: day(-60), to: day(-30), source: 'knowledge eval' })),
    ],
  });

  const store = openCatalogueStore(dataDir);
  try {
    await runIngest([SHARED_TTHC_DIR], store);
    // A later ingest of the same source file brings new processing times for a few codes.
    for (const id of CHANGED) {
      const p = await store.get(id);
      if (!p) throw new Error(`${id} is not in the national catalogue`);
      const source = p.sources[0]!;
      await store.upsertMany([{ ...p, sources: [source], channels: p.channels.map((c) => ({ ...c, processingTime: CHANGED_TIME })) }], source);
    }
    for (const id of WITHDRAWN) await store.withdraw?.(id, day(-1));
  } finally {
    await store.close();
  }
  const demo = new SqliteStatusSource({ dataDir });
  seedDemoApplications(demo, now);
  await demo.close();

  const deps = await createDeps(loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'silent' }), {
    log: createLogger({ LOG_LEVEL: 'silent' }),
  });
  return {
    deps,
    async close() {
      await deps.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

// ─── Scoring ────────────────────────────────────────────────────────────────────────────────

export interface KnowledgeTurnResult {
  turn: number;
  message: string;
  status: string;
  cited: string[];
  reasons: string[];
  text: string;
  /** Time to answer the turn (for the report's latency distribution). */
  latencyMs?: number;
}
export interface KnowledgeCaseResult {
  id: string;
  suite: KnowledgeCase['suite'];
  pass: boolean;
  turns: KnowledgeTurnResult[];
}

const folded = (s: string) => fold(s).toLowerCase().replace(/\s+/g, ' ');

export async function runKnowledgeCase(deps: Deps, c: KnowledgeCase): Promise<KnowledgeCaseResult> {
  let sessionId: string | undefined;
  const turns: KnowledgeTurnResult[] = [];
  for (const [i, t] of c.turns.entries()) {
    const started = performance.now();
    const reply = await deps.answers.handle({ channel: 'eval', message: t.message, style: t.style, ...(sessionId ? { sessionId } : {}) });
    const latencyMs = performance.now() - started;
    sessionId = reply.sessionId;
    const cited = reply.citations.map((x) => x.id);
    const reasons: string[] = [];
    const e = t.expect;
    if (e.status) {
      const allowed: readonly string[] = Array.isArray(e.status) ? e.status : [e.status];
      if (!allowed.includes(reply.status)) reasons.push(`status ${reply.status}, expected ${allowed.join('|')}`);
    }
    if (e.gold_ids && !cited.some((id) => e.gold_ids!.includes(id))) reasons.push(`expected ${e.gold_ids.join('|')}, cited ${cited.join(',') || '—'}`);
    for (const id of e.not_cited ?? []) if (cited.includes(id)) reasons.push(`must not cite ${id}`);
    const text = folded(reply.text);
    for (const s of e.must_contain ?? []) if (!text.includes(folded(s))) reasons.push(`missing «${s}»`);
    for (const s of e.must_not_contain ?? []) if (text.includes(folded(s))) reasons.push(`contains «${s}»`);
    turns.push({ turn: i + 1, message: t.message, status: reply.status, cited, reasons, text: reply.text, latencyMs });
  }
  return { id: c.id, suite: c.suite, pass: turns.every((t) => t.reasons.length === 0), turns };
}

export async function knowledgeSuite(): Promise<KnowledgeCaseResult[]> {
  const started = performance.now();
  const cases = loadKnowledgeCases();
  const world = await createKnowledgeWorld();
  const results: KnowledgeCaseResult[] = [];
  try {
    for (const c of cases) results.push(await runKnowledgeCase(world.deps, c));
  } finally {
    await world.close();
  }
  const suites = [...new Set(results.map((r) => r.suite))];
  const pct = (a: number, b: number) => `${((a / Math.max(1, b)) * 100).toFixed(1)}%`;
  const passed = results.filter((r) => r.pass).length;
  console.log(`Knowledge eval: ${results.length} cases (${results.reduce((s, r) => s + r.turns.length, 0)} turns)\n`);
  for (const s of suites) {
    const rs = results.filter((r) => r.suite === s);
    const p = rs.filter((r) => r.pass).length;
    console.log(`${s.padEnd(14)} ${String(p).padStart(3)}/${String(rs.length).padEnd(3)} ${pct(p, rs.length)}`);
  }
  console.log(`${'overall'.padEnd(14)} ${String(passed).padStart(3)}/${String(results.length).padEnd(3)} ${pct(passed, results.length)} (target 95%)\n`);
  for (const r of results.filter((x) => !x.pass)) {
    for (const t of r.turns.filter((x) => x.reasons.length)) {
      console.log(`✗ ${r.id}#${t.turn} «${t.message}» → ${t.status}: ${t.reasons.join('; ')}`);
      console.log(`    ${t.text.replace(/\s+/g, ' ').slice(0, 240)}`);
    }
  }
  const reportsDir = path.resolve(import.meta.dirname, 'reports');
  fs.mkdirSync(reportsDir, { recursive: true });
  const base = path.join(reportsDir, `knowledge-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify({ kind: 'knowledge', createdAt: new Date().toISOString(), passed, total: results.length, results }, null, 2));
  console.log(`\nReport: ${path.relative(process.cwd(), base)}.json (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return results;
}
