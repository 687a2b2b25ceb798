import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { SqliteDeletionLog } from '../../../src/privacy/deletion-log.js';
import { PrivacyService } from '../../../src/privacy/privacy-service.js';
import { RetentionJob } from '../../../src/privacy/retention-job.js';
import { openSqliteDatabase } from '../../../src/sqlite/open-sqlite-database.js';
import { findText, KEEP, NOW, OLD, seedDataDir, ZALO, type SeededDataDir } from './seed-data-dir.js';
import { foldQaStats } from '../../../src/stats/qa-stats-rollups.js';

/**
 * The privacy promise, checked on the files themselves: after a retention run and a deletion on
 * request, no table of any SQLite file in DATA_DIR still holds what the citizens said or the
 * deleted session's id; the statistics' rollups never held text, raw user ids or phone numbers,
 * and keep their figures.
 */
let seeded: SeededDataDir;
let qaLog: SqliteQaLogStore;
const open = (file: string) => openSqliteDatabase({ dataDir: seeded.dataDir }, file);
const find = (needle: string) => findText(seeded.dataDir, needle, open);

function rollupTables(): Record<string, unknown[]> {
  const db = open('qa-log.sqlite');
  try {
    // As a report does: the turns written since the last fold join the rollups first.
    foldQaStats(db);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>)
      .map((r) => r.name)
      .filter((n) => !['qa_turns', 'qa_ratings', 'schema_migrations'].includes(n));
    return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT * FROM "${n}" ORDER BY 1, 2, 3`).all()]));
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  seeded = await seedDataDir();
  qaLog = new SqliteQaLogStore({ dataDir: seeded.dataDir });
});

afterEach(async () => {
  await qaLog.close();
  fs.rmSync(seeded.dataDir, { recursive: true, force: true });
});

describe('no personal data left behind', () => {
  it('the seed really stores every text in several files (so the scans below mean something)', () => {
    expect(find(OLD.question).length).toBeGreaterThanOrEqual(3);
    expect(find(ZALO.question).length).toBeGreaterThanOrEqual(4);
    expect(find(ZALO.sessionId).length).toBeGreaterThanOrEqual(4);
    expect(find(ZALO.phone)).toEqual(['handoff.sqlite tickets.phone']);
  });

  it('after retention and a deletion, no table holds the old or deleted texts, ids or phone numbers; the kept conversation is intact', async () => {
    const before = rollupTables();
    const retention = await new RetentionJob({ dataDir: seeded.dataDir, days: 365, qaLog, now: () => NOW }).run();
    expect(retention).toMatchObject({ qaTurns: 1, qaRatings: 1, handoffConversations: 1, handoffMessages: 2, tickets: 1, webOutbox: 1, miniAppNotices: 1, sessions: 1, reviewItems: 1 });

    const log = new SqliteDeletionLog({ dataDir: seeded.dataDir });
    const deletion = await new PrivacyService({ dataDir: seeded.dataDir, qaLog, log, now: () => NOW }).deleteConversation({
      sessionId: ZALO.sessionId,
      staffId: 'staff-lan',
      reason: `Công dân yêu cầu xoá, SĐT ${ZALO.phone}`,
    });
    log.close();
    expect(deletion.reason).not.toContain(ZALO.phone);

    for (const text of [OLD.question, OLD.message, OLD.ticket, OLD.phone, ZALO.question, ZALO.message, ZALO.comment, ZALO.ticket, ZALO.phone, ZALO.sessionId, ZALO.userId]) {
      expect({ text, found: find(text) }).toEqual({ text, found: [] });
    }
    // The conversation nobody asked to delete is still there, in the log and its session.
    expect(find(KEEP.question)).toEqual(expect.arrayContaining(['qa-log.sqlite qa_turns.question', 'sessions.sqlite sessions.json', 'review.sqlite review_items.question']));
    // The statistics' rollups keep every figure; only the deleted session's key became a stand-in.
    const after = rollupTables();
    const withoutConversations = (t: Record<string, unknown[]>) => ({ ...t, qa_conversations: undefined });
    expect(withoutConversations(after)).toEqual(withoutConversations(before));
    expect(after.qa_conversations).toHaveLength(before.qa_conversations!.length);
  });

  it('the rollup tables hold no question text, no raw user id and no phone number', async () => {
    const rollups = rollupTables();
    expect(Object.keys(rollups).length).toBeGreaterThan(0);
    const texts = Object.values(rollups)
      .flat()
      .flatMap((row) => Object.values(row as Record<string, unknown>).filter((v): v is string => typeof v === 'string'));
    for (const question of [OLD.question, ZALO.question, KEEP.question]) expect(texts.some((t) => t.includes(question))).toBe(false);
    expect(texts.some((t) => t.includes(ZALO.userId))).toBe(false);
    expect(texts.filter((t) => /(?:\+?84|0)\d{9,10}/.test(t))).toEqual([]);
    // No column of a rollup table is a free-text question/answer/comment column.
    const db = open('qa-log.sqlite');
    try {
      for (const table of Object.keys(rollups)) {
        const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name);
        expect(cols.filter((c) => /^(question|answer|comment|text|phone|user_id|payload|json)$/.test(c))).toEqual([]);
      }
    } finally {
      db.close();
    }
  });
});
