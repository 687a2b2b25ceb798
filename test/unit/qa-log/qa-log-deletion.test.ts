import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QaTurn, Rating } from '../../../src/qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { foldQaStats } from '../../../src/stats/qa-stats-rollups.js';

const turn = (id: string, at: string, sessionId: string): QaTurn => ({
  id,
  at,
  channel: 'web',
  userKey: `u-${sessionId}`,
  sessionId,
  question: 'lệ phí đăng ký khai sinh',
  answer: 'Miễn phí.',
  status: 'answered',
  procedureIds: ['1.001193'],
  aspect: 'fee',
  composer: 'grounded',
  latencyMs: 1,
});
const rating = (id: string, at: string, sessionId: string): Rating => ({
  id,
  at,
  channel: 'web',
  userKey: `u-${sessionId}`,
  sessionId,
  useful: true,
  score: 5,
});

let dataDir: string;
let store: SqliteQaLogStore;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-qa-del-'));
  store = new SqliteQaLogStore({ dataDir });
  await store.record(turn('a', '2026-01-10T03:00:00.000Z', 's1'));
  await store.record(turn('b', '2026-01-10T03:01:00.000Z', 's1'));
  await store.record(turn('c', '2026-03-01T03:00:00.000Z', 's2'));
  await store.record(turn('d', '2026-03-01T03:05:00.000Z', 's3'));
  await store.recordRating(rating('r1', '2026-01-10T03:02:00.000Z', 's1'));
  await store.recordRating(rating('r2', '2026-03-01T03:06:00.000Z', 's3'));
});

afterEach(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The rollup tables' full content, to show deletions leave them alone. */
/** The rollup tables, after folding the turns written since the last fold (as a report does). */
function rollups(): unknown {
  const db = new Database(path.join(dataDir, 'qa-log.sqlite'));
  try {
    foldQaStats(db);
    return ['qa_stats_daily', 'qa_stats_daily_counts', 'qa_stats_monthly_procedures', 'qa_conversations', 'qa_user_days'].map((t) =>
      db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all(),
    );
  } finally {
    db.close();
  }
}

describe('SqliteQaLogStore deletions', () => {
  it('deleteTurnsBefore removes raw turns and ratings strictly before the cutoff and keeps the rollups', async () => {
    const before = rollups();
    expect(await store.deleteTurnsBefore('2026-03-01T03:00:00.000Z')).toEqual({ turns: 2, ratings: 1 });
    expect((await store.recent(10)).map((t) => t.id).sort()).toEqual(['c', 'd']);
    expect(await store.ratings('s1')).toEqual([]);
    expect(await store.ratings('s3')).toHaveLength(1);
    expect(rollups()).toEqual(before);
    expect(await store.deleteTurnsBefore('2026-03-01T03:00:00.000Z')).toEqual({ turns: 0, ratings: 0 });
  });

  it('deleteTurnsBefore accepts any ISO form of the instant (offset or no milliseconds)', async () => {
    // 10:00+07:00 is 03:00Z: the turn at exactly 03:00Z stays, the earlier ones go.
    expect(await store.deleteTurnsBefore('2026-03-01T10:00:00+07:00')).toEqual({ turns: 2, ratings: 1 });
    await expect(store.deleteTurnsBefore('not a date')).rejects.toThrow(RangeError);
  });

  it('deleteSession removes one conversation only and keeps the rollups', async () => {
    const before = rollups();
    expect(await store.deleteSession('s1')).toEqual({ turns: 2, ratings: 1 });
    expect((await store.recent(10)).map((t) => t.id).sort()).toEqual(['c', 'd']);
    expect(await store.count()).toBe(2);
    expect(await store.ratings('s3')).toHaveLength(1);
    expect(rollups()).toEqual(before);
    expect(await store.deleteSession('unknown')).toEqual({ turns: 0, ratings: 0 });
  });
});
