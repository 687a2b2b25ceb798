import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { QA_LOG_MIGRATIONS, SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { SqliteStatsSource } from '../../../src/stats/sqlite-stats-source.js';
import { StatsService } from '../../../src/stats/stats-service.js';
import { qaRating, qaTurn, RATINGS, TURNS } from './stats-seed.js';
import { foldQaStats } from '../../../src/stats/qa-stats-rollups.js';

const TABLES = {
  qa_stats_daily: 'day, channel',
  qa_stats_daily_counts: 'kind, day, channel, key',
  qa_stats_monthly_procedures: 'month, channel, procedure_id',
  qa_conversations: 'session_id',
  qa_user_days: 'channel, user_key, day',
};

/** Every rollup table's rows in a fixed order (without rowids, which depend on insertion order). */
/** The rollup tables, after folding the turns written since the last fold (as a report does). */
function rollups(dataDir: string): Record<string, unknown[]> {
  const db = new Database(path.join(dataDir, 'qa-log.sqlite'));
  try {
    foldQaStats(db);
    return Object.fromEntries(
      Object.entries(TABLES).map(([table, order]) => [
        table,
        db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all(),
      ]),
    );
  } finally {
    db.close();
  }
}

let dirs: string[];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccai-rollups-'));
  dirs.push(dir);
  return dir;
};
beforeEach(() => {
  dirs = [];
});
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('statistics rollups', () => {
  it('backfills an install that stored turns and ratings before the rollups existed, to the same tables live writes give', async () => {
    // An install at schema version 2, with data.
    const oldDir = tempDir();
    const old = new Database(path.join(oldDir, 'qa-log.sqlite'));
    applyMigrations(old, QA_LOG_MIGRATIONS.filter((m) => m.version <= 2));
    const insertTurn = old.prepare(
      `INSERT INTO qa_turns (id, at, channel, user_key, session_id, question, answer, status, procedure_ids, aspect, composer, latency_ms)
       VALUES (@id, @at, @channel, @userKey, @sessionId, @question, @answer, @status, @procedureIds, @aspect, @composer, @latencyMs)`,
    );
    for (const t of TURNS) insertTurn.run({ ...qaTurn(t), procedureIds: JSON.stringify(qaTurn(t).procedureIds) });
    const insertRating = old.prepare(
      `INSERT INTO qa_ratings (id, at, channel, user_key, session_id, useful, score, comment) VALUES (@id, @at, @channel, @userKey, @sessionId, @useful, @score, NULL)`,
    );
    for (const r of RATINGS) {
      const rating = qaRating(r);
      insertRating.run({ ...rating, useful: rating.useful === null ? null : rating.useful ? 1 : 0 });
    }
    old.close();

    // The same log written live, turn by turn.
    const liveDir = tempDir();
    const live = new SqliteQaLogStore({ dataDir: liveDir });
    for (const t of TURNS) await live.record(qaTurn(t));
    for (const r of RATINGS) await live.recordRating(qaRating(r));
    await live.close();

    const upgraded = new SqliteQaLogStore({ dataDir: oldDir });
    expect(await upgraded.count()).toBe(TURNS.length);
    await upgraded.close();
    const backfilled = rollups(oldDir);
    expect(backfilled.qa_stats_daily!.length).toBeGreaterThan(0);
    expect(backfilled).toEqual(rollups(liveDir));

    const source = new SqliteStatsSource({ dataDir: oldDir });
    const report = await new StatsService({ source }).report({ from: '2026-11-28', to: '2026-11-30', groupBy: 'day' });
    await source.close();
    // No calls or handoffs files here: chat and voice turns only (voice users come from calls).
    expect(report.summary).toBe('4 lượt người dùng, 9 lượt hỏi đáp, 0 cuộc gọi, 0 giờ thoại');
  });

  it('keeps the distinct-user chain right when a turn is written out of order', async () => {
    const inOrder = tempDir();
    const shuffled = tempDir();
    const at = ['2026-03-01T03:00:00.000Z', '2026-03-05T03:00:00.000Z', '2026-03-03T03:00:00.000Z', '2026-03-03T04:00:00.000Z', '2026-02-27T03:00:00.000Z'];
    const turn = (i: number) => qaTurn([`t${i}`, 'web', 'u1', `s${i}`, at[i]!, 'answered', [], null]);
    const a = new SqliteQaLogStore({ dataDir: inOrder });
    for (const i of [4, 0, 2, 3, 1]) await a.record(turn(i));
    await a.close();
    const b = new SqliteQaLogStore({ dataDir: shuffled });
    for (const i of [0, 1, 2, 3, 4]) await b.record(turn(i));
    await b.close();
    expect(rollups(shuffled).qa_user_days).toEqual(rollups(inOrder).qa_user_days);
    // Day numbers: 2026-02-27 = 20511, 03-01 = 20513, 03-03 = 20515, 03-05 = 20517; each row links the one before.
    expect(rollups(shuffled).qa_user_days!.map((r) => { const { day, prev_day } = r as { day: number; prev_day: number }; return [day, prev_day]; })).toEqual([
      [20511, -1],
      [20513, 20511],
      [20515, 20513],
      [20517, 20515],
    ]);

    const source = new SqliteStatsSource({ dataDir: shuffled });
    const service = new StatsService({ source });
    const users = async (from: string, to: string) => (await service.report({ from, to, groupBy: 'day' })).totals.users;
    expect(await users('2026-02-27', '2026-03-05')).toBe(1);
    expect(await users('2026-03-02', '2026-03-05')).toBe(1);
    expect(await users('2026-03-04', '2026-03-04')).toBe(0);
    expect((await service.report({ from: '2026-02-27', to: '2026-03-05', groupBy: 'day' })).series.map((s) => s.users)).toEqual([1, 0, 1, 0, 1, 0, 1]);
    await source.close();
  });

  it('rolls a turn back with its rollups when the insert fails (duplicate id)', async () => {
    const dir = tempDir();
    const store = new SqliteQaLogStore({ dataDir: dir });
    await store.record(qaTurn(TURNS[0]!));
    const before = rollups(dir);
    await expect(store.record({ ...qaTurn(TURNS[1]!), id: qaTurn(TURNS[0]!).id })).rejects.toThrow();
    expect(rollups(dir)).toEqual(before);
    await store.close();
  });
});
