import type Database from 'better-sqlite3';
import { openChannelsDb } from '../open-channels-db.js';
import type { OutboundMessage } from '../channel-sender.js';

/** One message waiting for (or already shown to) a web citizen, with its place in the outbox. */
export interface WebOutboxEntry {
  /** Increasing across the whole outbox: the browser's `Last-Event-ID`. */
  id: number;
  message: OutboundMessage;
  at: string;
}

export interface WebOutbox {
  append(sessionId: string, message: OutboundMessage): Promise<WebOutboxEntry>;
  /** The session's entries after `afterId`, oldest first, at most `limit`. */
  after(sessionId: string, afterId: number, limit?: number): Promise<WebOutboxEntry[]>;
  close(): Promise<void>;
}

interface Row {
  id: number;
  json: string;
  at: number;
}

/**
 * Messages for web citizens (officer replies, queue notices) in `${dataDir}/channels.sqlite`.
 * A table and not an in-process push, because with several server workers the worker that
 * writes an officer's reply is usually not the one holding the browser's event stream; every
 * worker reads the same file. Entries are kept for `ttlMs` (default one day, longer than any
 * web session), then swept.
 */
export class SqliteWebOutbox implements WebOutbox {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string, number]>;
  private readonly select: Database.Statement<[string, number, number], Row>;
  private readonly sweep: Database.Statement<[number]>;
  private writes = 0;

  constructor(
    location: ':memory:' | { dataDir: string },
    private readonly ttlMs = 24 * 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openChannelsDb(location);
    this.db.exec(`CREATE TABLE IF NOT EXISTS web_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL,
      json TEXT NOT NULL,
      at INTEGER NOT NULL
    )`);
    this.db.exec('CREATE INDEX IF NOT EXISTS web_outbox_session ON web_outbox (session_id, id)');
    this.db.exec('CREATE INDEX IF NOT EXISTS web_outbox_at ON web_outbox (at)');
    this.insert = this.db.prepare('INSERT INTO web_outbox (session_id, json, at) VALUES (?, ?, ?)');
    this.select = this.db.prepare('SELECT id, json, at FROM web_outbox WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.sweep = this.db.prepare('DELETE FROM web_outbox WHERE at < ?');
  }

  async append(sessionId: string, message: OutboundMessage): Promise<WebOutboxEntry> {
    const t = this.now();
    if (++this.writes % 500 === 0) this.sweep.run(t - this.ttlMs);
    const { lastInsertRowid } = this.insert.run(sessionId, JSON.stringify(message), t);
    return { id: Number(lastInsertRowid), message, at: new Date(t).toISOString() };
  }

  async after(sessionId: string, afterId: number, limit = 50): Promise<WebOutboxEntry[]> {
    return this.select.all(sessionId, afterId, limit).map((r) => ({
      id: r.id,
      message: JSON.parse(r.json) as OutboundMessage,
      at: new Date(r.at).toISOString(),
    }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
