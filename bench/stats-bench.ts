/**
 * `npm run bench -- stats`: the statistics at the issue's scale. Builds a DATA_DIR holding a year
 * (2026, Hanoi days) of 1,000,000 Q&A turns over 5 channels, 50,000 calls, ratings and handoffs,
 * all written through the real stores (turns with `SqliteQaLogStore.recordMany`: the same insert
 * as `record`, in transactions of 10,000, then folded into the rollups; calls with `SqliteCallStore`
 * begin/update/end; ratings with `recordRating`; handoffs with `SqliteHandoffQueue.enqueue`), then
 * measures:
 *
 * (a) `StatsService.report()` for the whole year grouped by month and by day (what the dashboard
 *     asks for), p50/p95 over ≥ 30 runs each after 3 warm-up runs — target ≤ 200 ms p95; the
 *     first report of the process, which also copies the ended calls into memory, is printed
 *     apart;
 * (b) writing one turn (`record`: the insert, marked pending for the rollups) on the big database,
 *     p50/p95 over ≥ 10,000 writes — target ≤ 0.2 ms p95 — against a baseline in the same
 *     process: the same INSERT, in its own transaction, into a copy of `qa_turns` (same rows and
 *     indexes) without the pending mark (interleaved, so both see the same cache and file); then
 *     the fold of those turns into the rollups, which happens later, off the write path.
 *
 * The data is random but seeded, so every run builds the same log.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnswerStatus } from '../src/domain/answer.js';
import { SqliteHandoffQueue } from '../src/handoff/sqlite-handoff-queue.js';
import type { QaTurn } from '../src/qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../src/qa-log/sqlite-qa-log-store.js';
import { openSqliteDatabase } from '../src/sqlite/open-sqlite-database.js';
import { dayStartIso, parseDay } from '../src/domain/hanoi-calendar.js';
import { SqliteStatsSource } from '../src/stats/sqlite-stats-source.js';
import { StatsService } from '../src/stats/stats-service.js';
import { initialCallState, type CallState } from '../src/telephony/call-store.js';
import { SqliteCallStore } from '../src/telephony/sqlite-call-store.js';
import type { Aspect } from '../src/text/aspects.js';

export interface StatsBenchOptions {
  turns?: number;
  calls?: number;
  /** Distinct chat users (callers are drawn from a pool of calls / 3). */
  users?: number;
  handoffs?: number;
  ratings?: number;
  /** report() runs per grouping (after 3 warm-up runs). */
  reportRuns?: number;
  /** Single-turn writes measured (after 200 warm-up writes). */
  writes?: number;
  /** Build here and keep it; default a temporary directory removed at the end. */
  dataDir?: string;
  out?: (line: string) => void;
}

const TARGET_REPORT_P95_MS = 200;
const TARGET_WRITE_P95_MS = 0.2;
const YEAR_FROM = '2026-01-01';
const YEAR_TO = '2026-12-31';
const CHAT_CHANNELS: ReadonlyArray<[string, number]> = [
  ['web', 0.4],
  ['zalo', 0.3],
  ['messenger', 0.18],
  ['mini_app', 0.12],
];
const VOICE_SHARE = 0.1;
const STATUSES: ReadonlyArray<[AnswerStatus, number]> = [
  ['answered', 0.62],
  ['answered_fallback', 0.08],
  ['answered_smalltalk', 0.05],
  ['clarification', 0.08],
  ['unanswerable_no_content', 0.05],
  ['unanswerable_out_of_scope', 0.04],
  ['guardrail_injection', 0.01],
  ['guardrail_personal_data', 0.02],
  ['guardrail_abuse', 0.005],
  ['handoff_requested', 0.02],
  ['status_lookup_answered', 0.02],
  ['error_timeout', 0.005],
];
const ASPECTS: readonly Aspect[] = ['fee', 'time', 'documents', 'where', 'online', 'conditions', 'steps', 'result', 'legal_basis'];
const PROCEDURES = Array.from({ length: 600 }, (_, i) => `1.${String(1000 + i * 7).padStart(6, '0')}`);
const QUESTION = 'Cho tôi hỏi lệ phí và thời gian giải quyết thủ tục đăng ký khai sinh cho con ạ?';
const ANSWER =
  'Đăng ký khai sinh đúng hạn được miễn lệ phí. Thời gian giải quyết: ngay trong ngày làm việc khi hồ sơ đầy đủ. Hồ sơ gồm tờ khai theo mẫu và giấy chứng sinh.';

/** Deterministic PRNG (mulberry32): every run builds the same log. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, weighted: ReadonlyArray<[T, number]>): T {
  let r = rand() * weighted.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of weighted) if ((r -= w) <= 0) return v;
  return weighted.at(-1)![0];
}

/** Skewed toward small indexes (a few frequent users and procedures, a long tail). */
function skewed(rand: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(n * rand() ** 2.2));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(samples: number[]): { p50: number; p95: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1)!, n: s.length };
}

const STATE: CallState = initialCallState(null);

export async function benchStats(options: StatsBenchOptions = {}): Promise<void> {
  const out = options.out ?? ((line: string) => console.log(line));
  const totalTurns = options.turns ?? 1_000_000;
  const totalCalls = options.calls ?? 50_000;
  const users = options.users ?? 75_000;
  const totalHandoffs = options.handoffs ?? 6_000;
  const totalRatings = options.ratings ?? 40_000;
  const reportRuns = Math.max(30, options.reportRuns ?? 30);
  const writes = Math.max(10_000, options.writes ?? 10_000);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'ccai-stats-bench-'));
  const rand = random(2026);
  const firstDay = parseDay(YEAR_FROM)!;
  const days = parseDay(YEAR_TO)! - firstDay + 1;
  const log = (line: string) => process.stderr.write(`${line}\n`);

  try {
    // ---------- build ----------
    const built = performance.now();
    const qa = new SqliteQaLogStore({ dataDir });
    const callers = Math.max(1, Math.floor(totalCalls / 3));
    const voiceTurns = Math.round(totalTurns * VOICE_SHARE);
    const chatTurns = totalTurns - voiceTurns;
    let turnSeq = 0;
    let sessionSeq = 0;
    const chatSessions: Array<{ id: string; channel: string; user: string; at: string }> = [];
    const batch: QaTurn[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await qa.recordMany(batch);
      batch.length = 0;
    };
    const turnAt = (day: number, secondOfDay: number) => new Date(Date.parse(dayStartIso(day)) + secondOfDay * 1000).toISOString();
    const addTurn = (channel: string, user: string, session: string, at: string) => {
      const procedures = rand() < 0.75 ? [PROCEDURES[skewed(rand, PROCEDURES.length)]!] : [];
      if (rand() < 0.1) procedures.push(PROCEDURES[skewed(rand, PROCEDURES.length)]!);
      batch.push({
        id: `t${turnSeq++}`,
        at,
        channel,
        userKey: user,
        sessionId: session,
        question: QUESTION,
        answer: ANSWER,
        status: pick(rand, STATUSES),
        procedureIds: procedures,
        aspect: rand() < 0.6 ? ASPECTS[skewed(rand, ASPECTS.length)]! : null,
        composer: 'grounded',
        latencyMs: 5 + rand() * 50,
      });
    };
    // Chat: sessions of 1–7 turns on one day, day by day, as the server writes them.
    const chatPerDay = chatTurns / days;
    let chatWritten = 0;
    for (let d = 0; d < days; d++) {
      const target = Math.round(chatPerDay * (d + 1));
      while (chatWritten < target) {
        const channel = pick(rand, CHAT_CHANNELS);
        const user = `${channel}-u${skewed(rand, users)}`;
        const session = `s${sessionSeq++}`;
        const n = Math.min(target - chatWritten, 1 + Math.floor(rand() * 7));
        let second = Math.floor(rand() * 80_000);
        for (let k = 0; k < n; k++) {
          const at = turnAt(firstDay + d, second);
          addTurn(channel, user, session, at);
          if (k === 0 && sessionSeq % 8 === 0) chatSessions.push({ id: session, channel, user, at });
          second += 20 + Math.floor(rand() * 60);
        }
        chatWritten += n;
        if (batch.length >= 10_000) await flush();
      }
    }
    await flush();

    // Calls, and the voice turns inside them (same caller hash, during the call).
    let now = new Date(0);
    const calls = new SqliteCallStore({ dataDir }, { now: () => now });
    const turnsPerCall = voiceTurns / totalCalls;
    let voiceWritten = 0;
    for (let c = 0; c < totalCalls; c++) {
      const day = firstDay + Math.floor((c * days) / totalCalls);
      const startSecond = 25_000 + Math.floor(rand() * 30_000);
      now = new Date(Date.parse(dayStartIso(day)) + startSecond * 1000);
      const sid = `CA${c}`;
      const caller = `caller-${skewed(rand, callers)}`;
      await calls.begin({ callSid: sid, userKey: caller, mode: 'turn', state: STATE });
      const n = Math.min(totalTurns - chatTurns - voiceWritten, Math.round(turnsPerCall * (c + 1)) - voiceWritten);
      for (let k = 0; k < n; k++) addTurn('voice', caller, `v${sid}`, new Date(now.getTime() + (k + 1) * 30_000).toISOString());
      voiceWritten += n;
      if (n > 0) await calls.update(sid, { turns: n });
      const r = rand();
      if (r < 0.12) await calls.update(sid, { outcome: 'transferred', transferReason: pick(rand, [['caller_request', 3], ['repeated_failure', 2], ['complaint', 1]] as const) });
      else if (r < 0.15) await calls.update(sid, { outcome: 'callback' });
      const durationS = 20 + Math.floor(rand() * 240);
      await calls.end(sid, { endedAt: new Date(now.getTime() + durationS * 1000).toISOString(), durationS, status: 'completed' });
      if (batch.length >= 10_000) await flush();
    }
    await flush();
    await calls.close();

    // Ratings on chat sessions; handoffs of some of them (reasons as the queue gives them).
    for (let i = 0; i < totalRatings; i++) {
      const s = chatSessions[Math.floor(rand() * chatSessions.length)]!;
      const score = rand() < 0.5 ? 1 + Math.floor(rand() * 5) : null;
      await qa.recordRating({ id: `r${i}`, at: s.at, channel: s.channel, userKey: s.user, sessionId: s.id, useful: score === null ? rand() < 0.8 : null, score });
    }
    const handoff = new SqliteHandoffQueue({ dataDir }, { now: () => now });
    const transcript = Array.from({ length: 6 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('user' as const), text: i % 2 ? ANSWER : QUESTION, at: YEAR_FROM }));
    const stride = Math.max(1, Math.floor(chatSessions.length / totalHandoffs));
    for (let i = 0; i < totalHandoffs; i++) {
      const s = chatSessions[(i * stride) % chatSessions.length]!;
      now = new Date(Date.parse(s.at) + 60_000);
      await handoff.enqueue({
        channel: s.channel,
        userId: `handoff-${i}`,
        sessionId: s.id,
        reason: pick(rand, [['citizen_request', 5], ['unanswered_twice', 3], ['negative_rating', 1], ['complaint', 1]] as const),
        transcript,
        procedureIds: [],
      });
    }
    await handoff.close();
    // The year's turns were written pending; one fold adds them to the rollups (as the server's
    // half-minute fold does in small steps).
    const folding = performance.now();
    qa.foldStats();
    const buildFoldS = (performance.now() - folding) / 1000;
    const buildS = (performance.now() - built) / 1000;
    const mb = (f: string) => (statSync(path.join(dataDir, f)).size / 1e6).toFixed(0);
    log(`built in ${buildS.toFixed(0)} s: qa-log.sqlite ${mb('qa-log.sqlite')} MB, calls.sqlite ${mb('calls.sqlite')} MB, handoff.sqlite ${mb('handoff.sqlite')} MB`);

    // ---------- (a) report() for the year ----------
    const source = new SqliteStatsSource({ dataDir });
    const stats = new StatsService({ source });
    const reportTimes: Record<'month' | 'day', number[]> = { month: [], day: [] };
    // The first report of a process also copies the ended calls into memory (calls-mirror.ts).
    const cold = performance.now();
    let summary = (await stats.report({ from: YEAR_FROM, to: YEAR_TO, groupBy: 'month' })).summary;
    const coldMs = performance.now() - cold;
    for (const groupBy of ['month', 'day'] as const) {
      for (let i = 0; i < 3 + reportRuns; i++) {
        const t = performance.now();
        const report = await stats.report({ from: YEAR_FROM, to: YEAR_TO, groupBy });
        const ms = performance.now() - t;
        if (i >= 3) reportTimes[groupBy].push(ms);
        summary = report.summary;
      }
    }
    await source.close();

    // ---------- (b) one turn written on the big database ----------
    // Baseline: a copy of qa_turns (same rows, same columns, keys and indexes) without the
    // rollup triggers, written with the same INSERT in its own transaction.
    const raw = openSqliteDatabase({ dataDir }, 'qa-log.sqlite');
    const copied = performance.now();
    raw.transaction(() => {
      const ddl = raw.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'qa_turns' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC").all();
      for (const { sql } of ddl) raw.exec(sql.replace(/\bqa_turns(_?)/g, (_m, under: string) => `bench_base_turns${under}`));
      raw.exec('INSERT INTO bench_base_turns SELECT * FROM qa_turns');
    })();
    log(`baseline table copied in ${((performance.now() - copied) / 1000).toFixed(0)} s`);
    const rawInsert = raw.prepare(
      `INSERT INTO bench_base_turns (id, at, channel, user_key, session_id, question, answer, status, procedure_ids, aspect, composer, latency_ms)
       VALUES (@id, @at, @channel, @userKey, @sessionId, @question, @answer, @status, @procedureIds, @aspect, @composer, @latencyMs)`,
    );
    const rawTx = raw.transaction((t: QaTurn) => rawInsert.run({ ...t, procedureIds: JSON.stringify(t.procedureIds) }));
    const lastDay = firstDay + days - 1;
    const writeTimes: number[] = [];
    const baseTimes: number[] = [];
    for (let i = 0; i < 200 + writes; i++) {
      const channel = pick(rand, CHAT_CHANNELS);
      const user = `${channel}-u${skewed(rand, users)}`;
      addTurn(channel, user, rand() < 0.3 ? `w${i}` : `w${i - (i % 4)}`, turnAt(lastDay, 40_000 + i));
      const turn = batch.pop()!;
      const base = turn;
      let t = performance.now();
      rawTx.immediate(base);
      const baseMs = performance.now() - t;
      t = performance.now();
      await qa.record(turn);
      const writeMs = performance.now() - t;
      if (i >= 200) {
        baseTimes.push(baseMs);
        writeTimes.push(writeMs);
      }
    }
    raw.close();
    // The turns just written are pending: their fold is the rest of what a turn costs, paid later
    // and in bulk, outside the request that wrote it.
    const foldStart = performance.now();
    const folded = qa.foldStats();
    const foldMs = performance.now() - foldStart;
    await qa.close();

    // ---------- table ----------
    const f = (n: number, d = 1) => n.toFixed(d);
    const month = summarize(reportTimes.month);
    const day = summarize(reportTimes.day);
    const write = summarize(writeTimes);
    const base = summarize(baseTimes);
    out(`\nStatistics benchmark (node ${process.version}; ${totalTurns.toLocaleString('en')} turns, ${totalCalls.toLocaleString('en')} calls, ${totalRatings.toLocaleString('en')} ratings, ${totalHandoffs.toLocaleString('en')} handoffs over ${YEAR_FROM}…${YEAR_TO}; build ${f(buildS, 0)} s)\n`);
    out(`Year summary: ${summary}\n`);
    out('| measure | runs | p50 ms | p95 ms | max ms | target p95 | result |');
    out('|---|---:|---:|---:|---:|---:|---|');
    const row = (name: string, s: ReturnType<typeof summarize>, target: number | null, d: number) =>
      out(`| ${name} | ${s.n} | ${f(s.p50, d)} | ${f(s.p95, d)} | ${f(s.max, d)} | ${target === null ? '—' : `≤ ${target}`} | ${target === null ? '' : s.p95 <= target ? 'ok' : 'OVER'} |`);
    row('report(), year by month', month, TARGET_REPORT_P95_MS, 1);
    row('report(), year by day', day, TARGET_REPORT_P95_MS, 1);
    row('record(): one turn (rollups folded later)', write, TARGET_WRITE_P95_MS, 3);
    row('baseline: the INSERT alone (no rollups)', base, null, 3);
    out(`\nThe first report of a process (it also copies the ${totalCalls.toLocaleString('en')} ended calls into memory): ${f(coldMs)} ms.`);
    out(`record() against the bare insert: p50 ${f(write.p50 / base.p50, 2)}×, p95 ${f(write.p95 / base.p95, 2)}× (the pending mark and its partial index).`);
    out(`Folding the ${folded.toLocaleString('en')} turns written above into the rollups: ${f(foldMs)} ms, ${f((foldMs / Math.max(1, folded)) * 1000, 1)} µs per turn, off the write path; the built year folded in ${f(buildFoldS, 1)} s.`);
  } finally {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
