import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { ConversationOpenError } from '../../../src/privacy/conversation-eraser.js';
import { SqliteDeletionLog } from '../../../src/privacy/deletion-log.js';
import { ConversationNotFoundError, PrivacyService } from '../../../src/privacy/privacy-service.js';
import { erasedId, hashSessionId } from '../../../src/privacy/session-hash.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { openSqliteDatabase } from '../../../src/sqlite/open-sqlite-database.js';
import { findText, KEEP, NOW, seedDataDir, ZALO, type SeededDataDir } from './seed-data-dir.js';

let seeded: SeededDataDir;
let qaLog: SqliteQaLogStore;
let log: SqliteDeletionLog;
let service: PrivacyService;
const open = (file: string) => openSqliteDatabase({ dataDir: seeded.dataDir }, file);
const rows = (file: string, sql: string, ...params: unknown[]) => {
  const db = open(file);
  try {
    return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  seeded = await seedDataDir();
  qaLog = new SqliteQaLogStore({ dataDir: seeded.dataDir });
  log = new SqliteDeletionLog({ dataDir: seeded.dataDir });
  service = new PrivacyService({ dataDir: seeded.dataDir, qaLog, log, now: () => NOW });
});

afterEach(async () => {
  log.close();
  await qaLog.close();
  fs.rmSync(seeded.dataDir, { recursive: true, force: true });
});

describe('PrivacyService.deleteConversation', () => {
  it('erases a Zalo conversation by its session id from every store and logs it under a hash', async () => {
    const deletion = await service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 'staff-lan', reason: 'Công dân yêu cầu qua tổng đài' });
    expect(deletion).toMatchObject({
      at: NOW.toISOString(),
      staffId: 'staff-lan',
      sessionHash: hashSessionId(ZALO.sessionId),
      reason: 'Công dân yêu cầu qua tổng đài',
      counts: {
        qaTurns: 1,
        qaRatings: 1,
        qaRollupRows: 1,
        sessions: 1,
        handoffConversations: 1,
        handoffMessages: 2,
        handoffEvents: 5,
        tickets: 1,
        webOutbox: 0,
        miniAppNotices: 0,
        outboundFailures: 1,
        // The review sample of its turn and that sample's mark.
        other: 2,
      },
    });
    expect(deletion.sessionHash).toMatch(/^[0-9a-f]{16}$/);
    expect(log.list()).toEqual([deletion]);
    expect(findText(seeded.dataDir, ZALO.sessionId, open)).toEqual([]);

    // What the statistics count stays, under the stand-in: the handoff, its reason and dates; the ticket's kind.
    const stand = erasedId(ZALO.sessionId);
    expect(rows('handoff.sqlite', 'SELECT session_id, reason, status, outcome, transcript_json FROM conversations WHERE id = ?', seeded.conversationIds.zalo)).toEqual([
      { session_id: stand, reason: 'citizen_request', status: 'closed', outcome: 'answered', transcript_json: '[]' },
    ]);
    expect(rows('handoff.sqlite', 'SELECT kind, text, phone, status, handled_by FROM tickets WHERE session_id = ?', stand)).toEqual([
      { kind: 'callback', text: '', phone: null, status: 'done', handled_by: 'staff-lan' },
    ]);
    expect(rows('qa-log.sqlite', 'SELECT channel FROM qa_conversations WHERE session_id = ?', stand)).toEqual([{ channel: 'zalo' }]);
    // Nobody else's conversation moved.
    expect((await qaLog.recent(10)).map((t) => t.sessionId).sort()).toEqual(['web-keep-33aa77cc', 'web-old-5f1c2a9e']);
  });

  it('erases a web conversation: its turns, session row and outbox entries', async () => {
    const deletion = await service.deleteConversation({ sessionId: KEEP.sessionId, staffId: 'staff-lan', reason: 'Yêu cầu tại quầy' });
    expect(deletion.counts).toMatchObject({ qaTurns: 1, sessions: 1, webOutbox: 1, qaRollupRows: 1, other: 1 });
    expect(findText(seeded.dataDir, KEEP.question, open)).toEqual([]);
    expect(findText(seeded.dataDir, KEEP.sessionId, open)).toEqual([]);
  });

  it('answers not found, and logs nothing, for an unknown or already deleted session', async () => {
    await expect(service.deleteConversation({ sessionId: 'no-such-session', staffId: 's', reason: 'thử' })).rejects.toBeInstanceOf(ConversationNotFoundError);
    await service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 's', reason: 'lần một' });
    await expect(service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 's', reason: 'lần hai' })).rejects.toBeInstanceOf(ConversationNotFoundError);
    expect(log.list().map((d) => d.reason)).toEqual(['lần một']);
  });

  it('refuses, changing nothing, while an officer’s conversation of the session is open', async () => {
    const queue = new SqliteHandoffQueue({ dataDir: seeded.dataDir });
    await queue.enqueue({ channel: 'zalo', userId: ZALO.userId, sessionId: ZALO.sessionId, reason: 'complaint', transcript: [], procedureIds: [] });
    await queue.close();
    await expect(service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 's', reason: 'xoá' })).rejects.toBeInstanceOf(ConversationOpenError);
    expect(await qaLog.count()).toBe(3);
    expect(findText(seeded.dataDir, ZALO.question, open).length).toBeGreaterThan(3);
    expect(log.list()).toEqual([]);
  });

  it('keeps the reason redacted: a phone number typed into it is not logged', async () => {
    const d = await service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 's', reason: `Gọi từ số ${ZALO.phone} đề nghị xoá` });
    expect(d.reason).not.toContain(ZALO.phone);
    expect(findText(seeded.dataDir, ZALO.phone, open)).toEqual([]);
  });

  it('finds the deletions of one session id by its hash', async () => {
    await service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 'a', reason: 'một' });
    await service.deleteConversation({ sessionId: KEEP.sessionId, staffId: 'b', reason: 'hai' });
    expect(service.deletions({ sessionId: KEEP.sessionId }).map((d) => d.staffId)).toEqual(['b']);
    expect(service.deletions().length).toBe(2);
  });
});

describe('erasure in stores found by convention', () => {
  it('deletes rows naming the session or its turns in other DATA_DIR files, with the rows that reference them', async () => {
    const db = open('extra.sqlite');
    db.exec(`CREATE TABLE notes (id TEXT PRIMARY KEY, session_id TEXT, body TEXT);
      CREATE TABLE copies (id INTEGER PRIMARY KEY, turn_id TEXT, body TEXT);
      CREATE TABLE copy_marks (id INTEGER PRIMARY KEY, copy_id INTEGER NOT NULL REFERENCES copies (id), note TEXT);
      INSERT INTO notes VALUES ('n1', '${ZALO.sessionId}', 'x'), ('n2', 'other', 'y');
      INSERT INTO copies VALUES (1, 't-zalo-1', 'copy'), (2, 't-keep-1', 'copy');
      INSERT INTO copy_marks VALUES (1, 1, 'a'), (2, 2, 'b');`);
    db.close();
    const d = await service.deleteConversation({ sessionId: ZALO.sessionId, staffId: 's', reason: 'xoá' });
    expect(d.counts.other).toBe(2 + 3);
    expect(rows('extra.sqlite', 'SELECT id FROM notes')).toEqual([{ id: 'n2' }]);
    expect(rows('extra.sqlite', 'SELECT id FROM copies')).toEqual([{ id: 2 }]);
    expect(rows('extra.sqlite', 'SELECT id FROM copy_marks')).toEqual([{ id: 2 }]);
  });
});
