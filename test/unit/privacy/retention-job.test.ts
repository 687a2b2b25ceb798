import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore } from '../../../src/handoff/sqlite-ticket-store.js';
import { RetentionJob } from '../../../src/privacy/retention-job.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { openSqliteDatabase } from '../../../src/sqlite/open-sqlite-database.js';
import { NOW, OLD, OLD_AT, seedDataDir, type SeededDataDir } from './seed-data-dir.js';

let seeded: SeededDataDir;
let qaLog: SqliteQaLogStore;
const open = (file: string) => openSqliteDatabase({ dataDir: seeded.dataDir }, file);
const rows = (file: string, sql: string, ...params: unknown[]) => {
  const db = open(file);
  try {
    return db.prepare(sql).all(...params) as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};
const job = (days = 365) => new RetentionJob({ dataDir: seeded.dataDir, days, qaLog, now: () => NOW });

beforeEach(async () => {
  seeded = await seedDataDir();
  qaLog = new SqliteQaLogStore({ dataDir: seeded.dataDir });
});

afterEach(async () => {
  await qaLog.close();
  fs.rmSync(seeded.dataDir, { recursive: true, force: true });
});

describe('RetentionJob', () => {
  it('a dry run reports exactly what a run deletes, and changes nothing', async () => {
    const dry = await job().run({ dryRun: true });
    expect(await qaLog.count()).toBe(3);
    expect(rows('handoff.sqlite', 'SELECT count(*) AS n FROM messages')[0]!.n).toBe(4);
    const real = await job().run();
    expect(dry).toEqual(real);
    expect(real).toEqual({
      cutoff: '2025-11-29T05:00:00.000Z',
      qaTurns: 1,
      qaRatings: 1,
      handoffConversations: 1,
      handoffMessages: 2,
      handoffEvents: 5,
      tickets: 1,
      webOutbox: 1,
      miniAppNotices: 1,
      outboundFailures: 0,
      sessions: 1,
      reviewItems: 1,
    });
    expect(await qaLog.count()).toBe(2);
  });

  it('keeps the old handoff and ticket rows for the figures, without the citizen’s words, number or id', async () => {
    await job().run();
    const [conversation] = rows('handoff.sqlite', 'SELECT * FROM conversations WHERE id = ?', seeded.conversationIds.old);
    expect(conversation).toMatchObject({ reason: 'citizen_request', status: 'closed', outcome: 'answered', transcript_json: '[]', session_id: OLD.sessionId });
    expect(conversation!.user_id).toMatch(/^erased:[0-9a-f]{16}$/);
    expect(conversation!.created_at).toBe(OLD_AT.toISOString());
    expect(rows('handoff.sqlite', 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?', seeded.conversationIds.old)[0]!.n).toBe(0);
    const [ticket] = rows('handoff.sqlite', "SELECT * FROM tickets WHERE status = 'done'");
    expect(ticket).toMatchObject({ kind: 'callback', text: '', phone: null, note: null, created_at: OLD_AT.toISOString() });
    // The recent conversation and the open ticket are untouched.
    const [recent] = rows('handoff.sqlite', 'SELECT transcript_json FROM conversations WHERE id = ?', seeded.conversationIds.zalo);
    expect(recent!.transcript_json).not.toBe('[]');
    expect(rows('handoff.sqlite', "SELECT phone FROM tickets WHERE status = 'open'")).toEqual([{ phone: '0987654321' }]);
  });

  it('a second run finds nothing left to do', async () => {
    await job().run();
    const again = await job().run();
    expect(Object.entries(again).filter(([k, v]) => k !== 'cutoff' && v !== 0)).toEqual([]);
  });

  it('never touches a conversation an officer still holds, however old', async () => {
    const queue = new SqliteHandoffQueue({ dataDir: seeded.dataDir }, { now: () => OLD_AT });
    const { conversation } = await queue.enqueue({ channel: 'messenger', userId: 'psid-1', sessionId: 's-open', reason: 'complaint', transcript: [{ role: 'user', text: 'Khiếu nại', at: OLD_AT.toISOString() }], procedureIds: [] });
    await queue.appendMessage(conversation.id, 'citizen', 'Vẫn chờ');
    await queue.close();
    const tickets = new SqliteTicketStore({ dataDir: seeded.dataDir }, { now: () => OLD_AT });
    await tickets.create({ kind: 'message', channel: 'web', userId: 'u', sessionId: 's-open', text: 'Còn chờ xử lý', phone: null, consentAt: null, procedureIds: [] });
    await tickets.close();
    await job().run();
    expect(rows('handoff.sqlite', 'SELECT user_id, transcript_json FROM conversations WHERE id = ?', conversation.id)).toEqual([
      { user_id: 'psid-1', transcript_json: expect.stringContaining('Khiếu nại') },
    ]);
    expect(rows('handoff.sqlite', 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?', conversation.id)[0]!.n).toBe(1);
    expect(rows('handoff.sqlite', "SELECT text FROM tickets WHERE session_id = 's-open'")).toEqual([{ text: 'Còn chờ xử lý' }]);
  });

  it('with 0 days keeps every conversation and only sweeps what had expired anyway', async () => {
    const counts = await job(0).run();
    expect(counts).toMatchObject({ cutoff: null, qaTurns: 0, handoffConversations: 0, tickets: 0, reviewItems: 0, sessions: 1, webOutbox: 1 });
    expect(await qaLog.count()).toBe(3);
  });

  it('runs on a DATA_DIR without any store yet, creating no file', async () => {
    const empty = fs.mkdtempSync(`${seeded.dataDir}-empty`);
    const none = { deleteTurnsBefore: async () => ({ turns: 0, ratings: 0 }), deleteSession: async () => ({ turns: 0, ratings: 0 }) };
    const counts = await new RetentionJob({ dataDir: empty, days: 30, qaLog: none, now: () => NOW }).run();
    expect(counts.handoffConversations + counts.sessions + counts.webOutbox).toBe(0);
    expect(fs.readdirSync(empty)).toEqual([]);
    fs.rmSync(empty, { recursive: true });
  });

  it('refuses a Q&A log that cannot delete, at construction', () => {
    expect(() => new RetentionJob({ dataDir: seeded.dataDir, days: 30, qaLog: {} })).toThrow(/cannot delete/);
  });
});
