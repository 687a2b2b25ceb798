import { randomBytes, randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import type { Turn } from '../domain/conversation.js';
import {
  HandoffConflict,
  type EnqueueInput,
  type HandoffAuthor,
  type HandoffConversation,
  type HandoffEvent,
  type HandoffEventOrigin,
  type HandoffMessage,
  type HandoffQueue,
  type HandoffReason,
  type HandoffStatus,
} from './handoff-queue.js';
import { HANDOFF_MIGRATIONS } from './sqlite-handoff-migrations.js';

export interface SqliteHandoffQueueOptions {
  now?: () => Date;
  /** How often subscribers look for other processes' events (default 400 ms). */
  pollMs?: number;
  /** Claims averaged for the expected wait (default 20). */
  averageOver?: number;
  /** Events older than this are deleted (default one day): they only carry live updates. */
  keepEventsMs?: number;
}

interface ConversationRow {
  id: string;
  channel: string;
  user_id: string;
  session_id: string;
  reason: HandoffReason;
  status: HandoffStatus;
  transcript_json: string;
  procedure_ids_json: string;
  created_at: string;
  claimed_by: string | null;
  claimed_at: string | null;
  ended_at: string | null;
  outcome: string | null;
}
interface MessageRow {
  id: string;
  conversation_id: string;
  author: HandoffAuthor;
  staff_id: string | null;
  text: string;
  at: string;
}
interface EventRow {
  id: number;
  writer: string;
  json: string;
}

type Listener = (event: HandoffEvent, origin?: HandoffEventOrigin) => void;

const OPEN = "status IN ('waiting', 'claimed')";

/**
 * The officers' queue in `${dataDir}/handoff.sqlite` (WAL), shared by every server process on the
 * machine. Each change and its event row are written in one transaction; this process's
 * listeners get the event at once, and events other processes wrote are picked up by polling
 * the events table from the last id seen (only while someone listens).
 */
export class SqliteHandoffQueue implements HandoffQueue {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollMs: number;
  private readonly averageOver: number;
  private readonly keepEventsMs: number;
  /** Names this instance in the event rows it writes; starts with the process id for operators. */
  readonly writer = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private lastSeenId = 0;
  private writes = 0;
  private closed = false;
  private readonly stmt;

  constructor(location: SqliteLocation, options: SqliteHandoffQueueOptions = {}) {
    this.db = openSqliteDatabase(location, 'handoff.sqlite');
    applyMigrations(this.db, HANDOFF_MIGRATIONS);
    this.now = options.now ?? (() => new Date());
    this.pollMs = options.pollMs ?? 400;
    this.averageOver = options.averageOver ?? 20;
    this.keepEventsMs = options.keepEventsMs ?? 24 * 3600_000;
    this.stmt = {
      get: this.db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
      findOpen: this.db.prepare<[string, string], ConversationRow>(`SELECT * FROM conversations WHERE channel = ? AND user_id = ? AND ${OPEN}`),
      open: this.db.prepare<[], ConversationRow>(`SELECT * FROM conversations WHERE ${OPEN} ORDER BY seq`),
      waitingIds: this.db.prepare<[], { id: string }>("SELECT id FROM conversations WHERE status = 'waiting' ORDER BY seq"),
      position: this.db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM conversations WHERE status = 'waiting'
           AND seq <= (SELECT seq FROM conversations WHERE id = ? AND status = 'waiting')`,
      ),
      insert: this.db.prepare(
        `INSERT INTO conversations (id, channel, user_id, session_id, reason, status, transcript_json, procedure_ids_json, created_at, created_ms)
         VALUES (@id, @channel, @userId, @sessionId, @reason, 'waiting', @transcript, @procedureIds, @createdAt, @createdMs)`,
      ),
      claim: this.db.prepare<[string, string, number, string]>(
        "UPDATE conversations SET status = 'claimed', claimed_by = ?, claimed_at = ?, claimed_ms = ? WHERE id = ? AND status = 'waiting'",
      ),
      finish: this.db.prepare<[HandoffStatus, string, string | null, string]>(
        `UPDATE conversations SET status = ?, ended_at = ?, outcome = ? WHERE id = ? AND ${OPEN}`,
      ),
      insertMessage: this.db.prepare(
        'INSERT INTO messages (id, conversation_id, author, staff_id, text, at) VALUES (@id, @conversationId, @author, @staffId, @text, @at)',
      ),
      messages: this.db.prepare<[string], MessageRow>('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
      insertEvent: this.db.prepare<[number, number, string, string, string]>(
        'INSERT INTO events (at_ms, pid, writer, type, json) VALUES (?, ?, ?, ?, ?)',
      ),
      eventsAfter: this.db.prepare<[number], EventRow>('SELECT id, writer, json FROM events WHERE id > ? ORDER BY id LIMIT 500'),
      maxEventId: this.db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events'),
      pruneEvents: this.db.prepare<[number]>('DELETE FROM events WHERE at_ms < ?'),
      recentWaits: this.db.prepare<[number], { wait: number }>(
        'SELECT claimed_ms - created_ms AS wait FROM conversations WHERE claimed_ms IS NOT NULL ORDER BY claimed_ms DESC LIMIT ?',
      ),
    };
  }

  async enqueue(input: EnqueueInput): Promise<{ conversation: HandoffConversation; position: number | null; created: boolean }> {
    const now = this.now();
    const result = this.db
      .transaction(() => {
        // Inside the write lock: two workers handling two messages of one citizen cannot both insert.
        const existing = this.stmt.findOpen.get(input.channel, input.userId);
        if (existing) return { conversation: toConversation(existing), created: false, events: [] as HandoffEvent[] };
        const id = randomUUID();
        this.stmt.insert.run({
          id,
          channel: input.channel,
          userId: input.userId,
          sessionId: input.sessionId,
          reason: input.reason,
          transcript: JSON.stringify(input.transcript),
          procedureIds: JSON.stringify(input.procedureIds),
          createdAt: now.toISOString(),
          createdMs: now.getTime(),
        });
        const conversation = this.mustGet(id);
        const events: HandoffEvent[] = [{ type: 'queued', conversation }];
        this.writeEvents(events, now);
        return { conversation, created: true, events };
      })
      .immediate();
    this.deliverLocal(result.events);
    return { conversation: result.conversation, position: await this.position(result.conversation.id), created: result.created };
  }

  async findOpen(channel: string, userId: string): Promise<HandoffConversation | undefined> {
    const row = this.stmt.findOpen.get(channel, userId);
    return row ? toConversation(row) : undefined;
  }

  async get(id: string): Promise<HandoffConversation | undefined> {
    const row = this.stmt.get.get(id);
    return row ? toConversation(row) : undefined;
  }

  async position(id: string): Promise<number | null> {
    const n = this.stmt.position.get(id)?.n ?? 0;
    return n > 0 ? n : null;
  }

  async open(): Promise<HandoffConversation[]> {
    return this.stmt.open.all().map(toConversation);
  }

  async appendMessage(id: string, author: HandoffAuthor, text: string, staffId?: string): Promise<HandoffMessage> {
    const now = this.now();
    const { message, events } = this.db
      .transaction(() => {
        const conversation = this.stmt.get.get(id);
        if (!conversation) throw new HandoffConflict(`no conversation ${id}`);
        if (conversation.status !== 'waiting' && conversation.status !== 'claimed') {
          throw new HandoffConflict(`conversation ${id} is ${conversation.status}`);
        }
        const message: HandoffMessage = { id: randomUUID(), conversationId: id, author, staffId: staffId ?? null, text, at: now.toISOString() };
        this.stmt.insertMessage.run(message);
        const events: HandoffEvent[] = [{ type: 'message', conversation: toConversation(conversation), message }];
        this.writeEvents(events, now);
        return { message, events };
      })
      .immediate();
    this.deliverLocal(events);
    return message;
  }

  async messages(id: string): Promise<HandoffMessage[]> {
    return this.stmt.messages.all(id).map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      author: r.author,
      staffId: r.staff_id,
      text: r.text,
      at: r.at,
    }));
  }

  async claim(id: string, staffId: string): Promise<HandoffConversation> {
    const now = this.now();
    return this.change(now, () => {
      // The status test in the UPDATE is the lock: of two officers clicking at once, one row changes.
      if (this.stmt.claim.run(staffId, now.toISOString(), now.getTime(), id).changes === 0) {
        const row = this.stmt.get.get(id);
        throw new HandoffConflict(row ? `conversation ${id} is ${row.status}${row.claimed_by ? ` by ${row.claimed_by}` : ''}` : `no conversation ${id}`);
      }
      return 'claimed';
    }, id);
  }

  async release(id: string, _staffId: string): Promise<HandoffConversation> {
    return this.finish(id, 'returned', null);
  }

  async end(id: string, _staffId: string, outcome: string): Promise<HandoffConversation> {
    return this.finish(id, 'closed', outcome);
  }

  async averageWaitMs(): Promise<number | null> {
    const waits = this.stmt.recentWaits.all(this.averageOver).map((r) => r.wait);
    if (waits.length === 0) return null;
    return Math.round(waits.reduce((a, b) => a + b, 0) / waits.length);
  }

  subscribe(listener: Listener): () => void {
    if (this.listeners.size === 0) this.startPolling();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.stopPolling();
    this.db.close();
  }

  /** Reads other processes' events now (the timer does this every `pollMs`); for tests too. */
  pollOnce(): void {
    if (this.closed || this.listeners.size === 0) return;
    for (;;) {
      const rows = this.stmt.eventsAfter.all(this.lastSeenId);
      for (const row of rows) {
        this.lastSeenId = row.id;
        // This instance's own events were delivered when written.
        if (row.writer === this.writer) continue;
        this.emit(JSON.parse(row.json) as HandoffEvent, { local: false });
      }
      if (rows.length < 500) return;
    }
  }

  private finish(id: string, status: 'returned' | 'closed', outcome: string | null): Promise<HandoffConversation> {
    const now = this.now();
    return this.change(now, () => {
      if (this.stmt.finish.run(status, now.toISOString(), outcome, id).changes === 0) {
        const row = this.stmt.get.get(id);
        throw new HandoffConflict(row ? `conversation ${id} is already ${row.status}` : `no conversation ${id}`);
      }
      return status;
    }, id);
  }

  /** One state change, its event and (when the waiting line moved) a positions event, atomically. */
  private async change(now: Date, apply: () => 'claimed' | 'returned' | 'closed', id: string): Promise<HandoffConversation> {
    const { conversation, events } = this.db
      .transaction(() => {
        const before = this.stmt.waitingIds.all().map((r) => r.id);
        const type = apply();
        const conversation = this.mustGet(id);
        const events: HandoffEvent[] = [{ type, conversation }];
        const moved = movedPositions(before, this.stmt.waitingIds.all().map((r) => r.id));
        if (moved.length) events.push({ type: 'positions', positions: moved });
        this.writeEvents(events, now);
        return { conversation, events };
      })
      .immediate();
    this.deliverLocal(events);
    return conversation;
  }

  private mustGet(id: string): HandoffConversation {
    const row = this.stmt.get.get(id);
    if (!row) throw new HandoffConflict(`no conversation ${id}`);
    return toConversation(row);
  }

  private writeEvents(events: HandoffEvent[], now: Date): void {
    for (const e of events) this.stmt.insertEvent.run(now.getTime(), process.pid, this.writer, e.type, JSON.stringify(e));
    // Events only feed live updates; the tables hold the truth. Old rows go now and then.
    if (++this.writes % 200 === 0) this.stmt.pruneEvents.run(now.getTime() - this.keepEventsMs);
  }

  private deliverLocal(events: HandoffEvent[]): void {
    for (const e of events) this.emit(e, { local: true });
  }

  private emit(event: HandoffEvent, origin: HandoffEventOrigin): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, origin);
      } catch {
        // One broken listener (a closed stream) must not stop the others or the writer.
      }
    }
  }

  private startPolling(): void {
    if (this.closed) return;
    // From now on: a new subscriber wants live changes, not the history.
    this.lastSeenId = this.stmt.maxEventId.get()?.id ?? 0;
    this.timer = setInterval(() => {
      try {
        this.pollOnce();
      } catch {
        // A busy or closing database: the next tick tries again from the same id.
      }
    }, this.pollMs);
    // Listening must not keep the process alive on its own (tests, shutdown).
    this.timer.unref();
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Waiting conversations whose 1-based position differs between the two lines. */
export function movedPositions(before: string[], after: string[]): Array<{ conversationId: string; position: number }> {
  const was = new Map(before.map((id, i) => [id, i + 1]));
  const moved: Array<{ conversationId: string; position: number }> = [];
  after.forEach((id, i) => {
    const old = was.get(id);
    if (old !== undefined && old !== i + 1) moved.push({ conversationId: id, position: i + 1 });
  });
  return moved;
}

function toConversation(r: ConversationRow): HandoffConversation {
  return {
    id: r.id,
    channel: r.channel,
    userId: r.user_id,
    sessionId: r.session_id,
    reason: r.reason,
    status: r.status,
    transcript: JSON.parse(r.transcript_json) as Turn[],
    procedureIds: JSON.parse(r.procedure_ids_json) as string[],
    createdAt: r.created_at,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    endedAt: r.ended_at,
    outcome: r.outcome,
  };
}
