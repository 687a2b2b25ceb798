import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStatus } from '../../../src/domain/answer.js';
import type { QaTurn } from '../../../src/qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { openReviewQueue } from '../../../src/review/open-review-queue.js';
import type { ReviewQueue } from '../../../src/review/review-queue.js';

/** Seeds a known week (2026-W48: Hanoi Mon 23/11 – Sun 29/11) in a real qa-log.sqlite. */
let dataDir: string;
let log: SqliteQaLogStore;
let queues: ReviewQueue[];
const NOW = new Date('2026-11-30T03:00:00Z');

const turn = (id: string, at: string, channel: string, status: AnswerStatus): QaTurn => ({
  id,
  at,
  channel,
  userKey: `u-${id}`,
  sessionId: `s-${id}`,
  question: `câu hỏi ${id}`,
  answer: `trả lời ${id}`,
  status,
  procedureIds: ['1.001193'],
  aspect: null,
  composer: 'grounded',
  latencyMs: 3,
});

/** `n` turns of one stratum spread over the week, from Monday 00:00 Hanoi. */
async function seed(prefix: string, n: number, channel: string, status: AnswerStatus, start = Date.parse('2026-11-22T17:00:00Z')) {
  for (let i = 0; i < n; i++) await log.record(turn(`${prefix}-${String(i).padStart(3, '0')}`, new Date(start + i * 60_000).toISOString(), channel, status));
}

function open(dir = dataDir, options: { perWeek?: number; seed?: string } = {}) {
  const q = openReviewQueue({ DATA_DIR: dir, REVIEW_SAMPLE_PER_WEEK: options.perWeek ?? 20 }, { now: () => NOW, ...(options.seed ? { seed: options.seed } : {}) });
  queues.push(q);
  return q;
}

const strataOf = (q: ReviewQueue, week: string) => {
  const out: Record<string, number> = {};
  for (const i of q.items(week)) out[`${i.channel}|${i.statusFamily}`] = (out[`${i.channel}|${i.statusFamily}`] ?? 0) + 1;
  return out;
};

async function seedWeek() {
  await seed('wa', 60, 'web', 'answered');
  await seed('wu', 12, 'web', 'unanswerable_no_content');
  await seed('wo', 8, 'web', 'unanswerable_out_of_scope');
  await seed('za', 15, 'zalo', 'answered_fallback');
  await seed('va', 4, 'voice', 'answered');
  await seed('vg', 1, 'voice', 'guardrail_personal_data');
  // Just outside the week on both sides (Hanoi midnight), never drawn for W48.
  await log.record(turn('before', '2026-11-22T16:59:59.999Z', 'messenger', 'answered'));
  await log.record(turn('after', '2026-11-29T17:00:00.000Z', 'messenger', 'answered'));
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-review-'));
  log = new SqliteQaLogStore({ dataDir });
  queues = [];
});

afterEach(async () => {
  for (const q of queues) q.close();
  await log.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('ReviewQueue sampling', () => {
  it('draws exactly the stratified allocation of the week by channel and status family', async () => {
    await seedWeek();
    const q = open();
    const r = q.ensureWeek('2026-W48');
    expect(r).toEqual({ week: '2026-W48', total: 20, reviewed: 0, added: 20 });
    expect(strataOf(q, '2026-W48')).toEqual({ 'web|answered': 10, 'web|unanswerable': 4, 'zalo|answered': 3, 'voice|answered': 2, 'voice|guardrail': 1 });
    const ids = q.items('2026-W48').map((i) => i.turnId);
    expect(ids).not.toContain('before');
    expect(ids).not.toContain('after');
  });

  it('never draws a turn twice: a second call adds nothing, a top-up adds only new turns', async () => {
    await seedWeek();
    const q = open(dataDir, { perWeek: 10 });
    q.ensureWeek('2026-W48');
    const first = q.items('2026-W48').map((i) => i.turnId);
    expect(q.ensureWeek('2026-W48').added).toBe(0);
    expect(open(dataDir, { perWeek: 10 }).ensureWeek('2026-W48').added).toBe(0);
    // Sample size raised mid-week: the existing ten stay, ten new ones join.
    const bigger = open(dataDir, { perWeek: 20 });
    expect(bigger.ensureWeek('2026-W48').added).toBe(10);
    const all = bigger.items('2026-W48').map((i) => i.turnId);
    expect(new Set(all).size).toBe(20);
    expect(all).toEqual(expect.arrayContaining(first));
  });

  it('is deterministic given the seed', async () => {
    await seedWeek();
    const a = open(dataDir, { seed: 'x' });
    a.ensureWeek('2026-W48');
    const other = mkdtempSync(path.join(tmpdir(), 'ccai-review-'));
    try {
      const copy = new SqliteQaLogStore({ dataDir: other });
      for (const t of await log.recent(1000)) await copy.record(t);
      await copy.close();
      const b = open(other, { seed: 'x' });
      b.ensureWeek('2026-W48');
      const c = open(other, { seed: 'y' });
      expect(b.items('2026-W48').map((i) => i.turnId).sort()).toEqual(a.items('2026-W48').map((i) => i.turnId).sort());
      expect(c.items('2026-W48')).toHaveLength(20);
      b.close();
      c.close();
      queues = queues.filter((q) => q !== b && q !== c);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('takes the whole week when it is smaller than the sample, and nothing for a future week', async () => {
    await seed('wa', 3, 'web', 'answered');
    const q = open();
    expect(q.ensureWeek('2026-W48').total).toBe(3);
    expect(q.ensureWeek('2026-W50')).toEqual({ week: '2026-W50', total: 0, reviewed: 0, added: 0 });
    expect(q.weeks()).toEqual([{ week: '2026-W48', total: 3, reviewed: 0 }]);
  });

  it('keeps its copy of the redacted question and answer after the log deletes the turn', async () => {
    await seed('wa', 2, 'web', 'answered');
    const q = open();
    q.ensureWeek('2026-W48');
    const raw = new Database(path.join(dataDir, 'qa-log.sqlite'));
    raw.prepare('DELETE FROM qa_turns').run();
    raw.close();
    const [item] = q.items('2026-W48');
    expect(item).toMatchObject({ turnId: 'wa-000', channel: 'web', status: 'answered', statusFamily: 'answered', question: 'câu hỏi wa-000', answer: 'trả lời wa-000', procedureIds: ['1.001193'], verdict: null });
  });
});

describe('ReviewQueue marks and reviewed accuracy', () => {
  it('marks, changes a mark, filters pending/done and computes the accuracy with comments', async () => {
    await seed('wa', 5, 'web', 'answered');
    const q = open();
    q.ensureWeek('2026-W48');
    const [a, b, c, d] = q.items('2026-W48');
    const lan = { id: 'st-1', name: 'Nguyễn Thị Lan' };
    q.mark(a!.id, { verdict: 'correct', reviewer: lan });
    q.mark(b!.id, { verdict: 'correct', comment: '  ', reviewer: lan });
    q.mark(c!.id, { verdict: 'incomplete', comment: 'Thiếu lệ phí', reviewer: lan });
    q.mark(d!.id, { verdict: 'correct', reviewer: lan });
    const changed = q.mark(d!.id, { verdict: 'incorrect', comment: 'Sai thời hạn', reviewer: { id: 'st-2', name: 'Trần Văn Minh' } });
    expect(changed).toMatchObject({ verdict: 'incorrect', comment: 'Sai thời hạn', reviewer: { id: 'st-2', name: 'Trần Văn Minh' }, reviewedAt: NOW.toISOString() });
    expect(q.history(d!.id).map((m) => m.verdict)).toEqual(['correct', 'incorrect']);
    expect(q.get(b!.id)!.comment).toBeNull();
    expect(q.items('2026-W48', 'pending')).toHaveLength(1);
    expect(q.items('2026-W48', 'done')).toHaveLength(4);
    expect(q.progress('2026-W48')).toEqual({ week: '2026-W48', total: 5, reviewed: 4 });
    expect(q.mark('missing', { verdict: 'correct', reviewer: lan })).toBeUndefined();

    const acc = q.reviewedAccuracy({ from: '2026-11-23', to: '2026-11-29' });
    expect(acc).toMatchObject({ reviewed: 4, correct: 2, incorrect: 1, incomplete: 1, accuracy: 0.5 });
    expect(acc.comments.map((x) => [x.verdict, x.comment, x.reviewer]).sort()).toEqual([
      ['incomplete', 'Thiếu lệ phí', 'Nguyễn Thị Lan'],
      ['incorrect', 'Sai thời hạn', 'Trần Văn Minh'],
    ]);
    // The turns were asked on Monday 23/11 (Hanoi): a range that starts on the 24th has none.
    expect(q.reviewedAccuracy({ from: '2026-11-24', to: '2026-11-29' })).toMatchObject({ reviewed: 0, accuracy: null, comments: [] });
  });

  it("forgets the copies and marks of erased turns (the log deletes them first, so no top-up draws them again)", async () => {
    await seed('wa', 3, 'web', 'answered');
    const q = open();
    q.ensureWeek('2026-W48');
    q.mark(q.items('2026-W48')[0]!.id, { verdict: 'incorrect', comment: 'x', reviewer: { id: 's', name: 'Lan' } });
    expect(q.forgetTurns(['wa-000', 'wa-001', 'not-sampled'])).toBe(2);
    expect(q.items('2026-W48').map((i) => i.turnId)).toEqual(['wa-002']);
    expect(q.reviewedAccuracy({ from: '2026-11-23', to: '2026-11-29' }).reviewed).toBe(0);
  });

  it('refuses an unknown verdict', async () => {
    await seed('wa', 1, 'web', 'answered');
    const q = open();
    q.ensureWeek('2026-W48');
    expect(() => q.mark(q.items('2026-W48')[0]!.id, { verdict: 'maybe' as never, reviewer: { id: 'x', name: 'x' } })).toThrow(RangeError);
  });
});
