import type Database from 'better-sqlite3';
import { columnsOf, hasTable, ident, inTransaction, openExisting, placeholders, sqliteFiles, tableNames, withFile } from './data-dir-sqlite.js';
import { asQaLogEraser, type MaybeQaLogEraser, type QaLogEraser } from './qa-log-eraser.js';
import { erasedId } from './session-hash.js';

/** Rows deleted or emptied per store when one conversation is erased. */
export interface ErasureCounts {
  /** qa-log.sqlite: raw turns and ratings deleted. */
  qaTurns: number;
  qaRatings: number;
  /** qa-log.sqlite: rollup rows whose session id was replaced by its stand-in (figures kept). */
  qaRollupRows: number;
  /** sessions.sqlite: session rows deleted (with the turns they remember). */
  sessions: number;
  /** handoff.sqlite: conversations emptied (transcript, ids) but kept for the figures; their messages and live events deleted. */
  handoffConversations: number;
  handoffMessages: number;
  handoffEvents: number;
  /** handoff.sqlite: tickets emptied (text, phone, note, ids) and closed; kind and dates kept. */
  tickets: number;
  /** channels.sqlite. */
  webOutbox: number;
  miniAppNotices: number;
  outboundFailures: number;
  /** Rows in other DATA_DIR files (review, gaps…) found by a `session_id` or `turn_id` column. */
  other: number;
}

export function emptyErasure(): ErasureCounts {
  return {
    qaTurns: 0,
    qaRatings: 0,
    qaRollupRows: 0,
    sessions: 0,
    handoffConversations: 0,
    handoffMessages: 0,
    handoffEvents: 0,
    tickets: 0,
    webOutbox: 0,
    miniAppNotices: 0,
    outboundFailures: 0,
    other: 0,
  };
}

export function erasureTotal(c: ErasureCounts): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}

/** An officer still holds (or is about to hold) the conversation: close it in the console first. */
export class ConversationOpenError extends Error {
  constructor() {
    super('the conversation is still open in the officers’ queue');
    this.name = 'ConversationOpenError';
  }
}

/** Files whose tables this eraser knows by name; every other `*.sqlite` is searched by column convention. */
const KNOWN_FILES = new Set([
  'qa-log.sqlite',
  'sessions.sqlite',
  'handoff.sqlite',
  'channels.sqlite',
  'privacy.sqlite',
  'staff.sqlite',
  'catalogue.sqlite',
  'embeddings-cache.sqlite',
  'calls.sqlite',
  'status-demo.sqlite',
  'status-guard.sqlite',
]);
/** Raw tables of qa-log.sqlite (the store deletes from them); every other table there is a rollup. */
const QA_RAW_TABLES = new Set(['qa_turns', 'qa_ratings', 'schema_migrations']);
/** Channels whose session id is the citizen's channel user id (see InboundHandler). */
const SESSION_CHANNELS = ['web', 'mini_app'];

interface ChannelUser {
  channel: string;
  userId: string;
}

/**
 * Erases one citizen conversation, by the session id staff see (web chat and mini-app: the id
 * the client holds; Messenger/Zalo/voice: the assistant's session id the console shows), from
 * every store under DATA_DIR: Q&A turns and ratings, the session row, the human part of the
 * conversation, tickets, messages waiting for delivery. What the statistics count (a handoff
 * happened, its reason and dates; a ticket's kind and dates; the rollups) stays, with the
 * session and user ids replaced by a one-way stand-in.
 */
export class ConversationEraser {
  private readonly now: () => Date;
  private readonly qaLog: QaLogEraser;

  constructor(private readonly deps: { dataDir: string; qaLog: MaybeQaLogEraser; now?: () => Date }) {
    this.now = deps.now ?? (() => new Date());
    this.qaLog = asQaLogEraser(deps.qaLog);
  }

  /** Throws `ConversationOpenError` (changing nothing) while an officer's conversation of the session is open. */
  async erase(sessionId: string, options: { staffId: string }): Promise<ErasureCounts> {
    const counts = emptyErasure();
    const users: ChannelUser[] = SESSION_CHANNELS.map((channel) => ({ channel, userId: sessionId }));
    const { dataDir } = this.deps;

    const handoff = openExisting(dataDir, 'handoff.sqlite');
    let conversationIds: string[] = [];
    try {
      if (handoff) {
        assertNoOpenConversation(handoff, sessionId);
        conversationIds = this.eraseHandoff(handoff, sessionId, options.staffId, counts, users);
      }
    } finally {
      handoff?.close();
    }

    withFile(dataDir, 'sessions.sqlite', (db) => {
      if (!hasTable(db, 'sessions')) return;
      const where = `json_extract(json, '$.id') = @sid OR (channel IN (${SESSION_CHANNELS.map((c) => `'${c}'`).join(', ')}) AND user_id = @sid)`;
      inTransaction(db, false, () => {
        for (const row of db.prepare(`SELECT channel, user_id FROM sessions WHERE ${where}`).all({ sid: sessionId }) as Array<{ channel: string; user_id: string }>) {
          users.push({ channel: row.channel, userId: row.user_id });
        }
        counts.sessions = db.prepare(`DELETE FROM sessions WHERE ${where}`).run({ sid: sessionId }).changes;
      });
    });

    withFile(dataDir, 'channels.sqlite', (db) => eraseChannels(db, sessionId, conversationIds, users, counts));

    // Turn ids first: other files (review samples) may hold copies of the turns by id.
    const turnIds: string[] = [];
    withFile(dataDir, 'qa-log.sqlite', (db) => {
      if (hasTable(db, 'qa_turns')) {
        for (const r of db.prepare('SELECT id FROM qa_turns WHERE session_id = ?').all(sessionId) as Array<{ id: string }>) turnIds.push(r.id);
      }
    });
    for (const file of sqliteFiles(dataDir).filter((f) => !KNOWN_FILES.has(f))) {
      withFile(dataDir, file, (db) => {
        counts.other += eraseByConvention(db, sessionId, turnIds);
      });
    }

    const raw = await this.qaLog.deleteSession(sessionId);
    counts.qaTurns = raw.turns;
    counts.qaRatings = raw.ratings;
    withFile(dataDir, 'qa-log.sqlite', (db) => {
      counts.qaRollupRows = pseudonymiseRollups(db, sessionId);
    });
    return counts;
  }

  private eraseHandoff(db: Database.Database, sessionId: string, staffId: string, counts: ErasureCounts, users: ChannelUser[]): string[] {
    const ids: string[] = [];
    inTransaction(db, false, () => {
      const stand = erasedId(sessionId);
      if (hasTable(db, 'conversations')) {
        const rows = db.prepare('SELECT id, channel, user_id FROM conversations WHERE session_id = ?').all(sessionId) as Array<{
          id: string;
          channel: string;
          user_id: string;
        }>;
        const update = db.prepare("UPDATE conversations SET session_id = ?, user_id = ?, transcript_json = '[]' WHERE id = ?");
        for (const r of rows) {
          ids.push(r.id);
          users.push({ channel: r.channel, userId: r.user_id });
          update.run(stand, erasedId(`${r.channel}:${r.user_id}`), r.id);
        }
        counts.handoffConversations = rows.length;
        if (ids.length && hasTable(db, 'messages')) {
          counts.handoffMessages = db.prepare(`DELETE FROM messages WHERE conversation_id IN (${placeholders(ids.length)})`).run(...ids).changes;
        }
      }
      if (hasTable(db, 'events')) {
        // Live-update events carry whole conversations (transcripts included) as JSON.
        const del = db.prepare('DELETE FROM events WHERE instr(json, ?) > 0');
        for (const needle of [sessionId, ...ids]) counts.handoffEvents += del.run(needle).changes;
      }
      if (hasTable(db, 'tickets')) {
        const rows = db.prepare('SELECT id, channel, user_id FROM tickets WHERE session_id = ?').all(sessionId) as Array<{ id: string; channel: string; user_id: string }>;
        const at = this.now().toISOString();
        // Emptied and closed: an officer cannot call back or answer a request the citizen withdrew.
        const update = db.prepare(
          `UPDATE tickets SET text = '', phone = NULL, note = NULL, user_id = ?, session_id = ?,
             status = 'done', handled_by = COALESCE(handled_by, ?), handled_at = COALESCE(handled_at, ?)
           WHERE id = ?`,
        );
        for (const r of rows) {
          users.push({ channel: r.channel, userId: r.user_id });
          update.run(erasedId(`${r.channel}:${r.user_id}`), stand, staffId, at, r.id);
        }
        counts.tickets = rows.length;
      }
    });
    return ids;
  }
}

function assertNoOpenConversation(db: Database.Database, sessionId: string): void {
  if (!hasTable(db, 'conversations')) return;
  const open = db.prepare("SELECT count(*) AS n FROM conversations WHERE session_id = ? AND status IN ('waiting', 'claimed')").get(sessionId) as { n: number };
  if (open.n > 0) throw new ConversationOpenError();
}

function eraseChannels(db: Database.Database, sessionId: string, conversationIds: string[], users: ChannelUser[], counts: ErasureCounts): void {
  inTransaction(db, false, () => {
    if (hasTable(db, 'web_outbox')) counts.webOutbox = db.prepare('DELETE FROM web_outbox WHERE session_id = ?').run(sessionId).changes;
    // The mini-app's session id is its citizen key.
    if (hasTable(db, 'miniapp_notices')) counts.miniAppNotices = db.prepare('DELETE FROM miniapp_notices WHERE user_key = ?').run(sessionId).changes;
    if (hasTable(db, 'miniapp_conversations')) {
      const del = db.prepare('DELETE FROM miniapp_conversations WHERE user_key = ? OR conversation_id = ?');
      for (const id of [sessionId, ...conversationIds]) counts.miniAppNotices += del.run(sessionId, id).changes;
    }
    if (hasTable(db, 'outbound_failures')) {
      // Failed deliveries are kept per citizen, not per session: those of the conversation's citizen go too.
      const del = db.prepare('DELETE FROM outbound_failures WHERE channel = ? AND user_id = ?');
      for (const u of users) counts.outboundFailures += del.run(u.channel, u.userId).changes;
    }
  });
}

/** Other stores (review samples, gap marks…): rows naming the session or one of its turns, and rows referencing those. */
function eraseByConvention(db: Database.Database, sessionId: string, turnIds: string[]): number {
  return inTransaction(db, false, () => {
    let n = 0;
    for (const table of tableNames(db)) {
      const cols = new Set(columnsOf(db, table).map((c) => c.name));
      if (cols.has('session_id')) n += deleteWithChildren(db, table, 'session_id = ?', [sessionId]);
      if (cols.has('turn_id')) {
        for (let i = 0; i < turnIds.length; i += 500) {
          const chunk = turnIds.slice(i, i + 500);
          n += deleteWithChildren(db, table, `turn_id IN (${placeholders(chunk.length)})`, chunk);
        }
      }
    }
    return n;
  });
}

/**
 * Deletes matching rows and, first, the rows of other tables that reference them by foreign key
 * (a review item's marks): the constraint would refuse the delete, and they belong to it.
 */
function deleteWithChildren(db: Database.Database, table: string, where: string, params: unknown[], depth = 0): number {
  let n = 0;
  if (depth < 4) {
    for (const child of tableNames(db)) {
      const fks = db.prepare('SELECT "from" AS col, "to" AS parent_col FROM pragma_foreign_key_list(?) WHERE "table" = ?').all(child, table) as Array<{
        col: string;
        parent_col: string | null;
      }>;
      for (const fk of fks) {
        const parentCol = fk.parent_col ?? primaryKeyOf(db, table);
        n += deleteWithChildren(db, child, `${ident(fk.col)} IN (SELECT ${ident(parentCol)} FROM ${ident(table)} WHERE ${where})`, params, depth + 1);
      }
    }
  }
  return n + db.prepare(`DELETE FROM ${ident(table)} WHERE ${where}`).run(...params).changes;
}

function primaryKeyOf(db: Database.Database, table: string): string {
  const pk = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk = 1').get(table) as { name: string } | undefined;
  return pk?.name ?? 'rowid';
}

/** Rollups keyed by session keep their figures under the stand-in the handoff rows also got. */
function pseudonymiseRollups(db: Database.Database, sessionId: string): number {
  return inTransaction(db, false, () => {
    let n = 0;
    for (const table of tableNames(db).filter((t) => !QA_RAW_TABLES.has(t))) {
      if (!columnsOf(db, table).some((c) => c.name === 'session_id')) continue;
      n += db.prepare(`UPDATE OR REPLACE ${ident(table)} SET session_id = ? WHERE session_id = ?`).run(erasedId(sessionId), sessionId).changes;
    }
    return n;
  });
}
