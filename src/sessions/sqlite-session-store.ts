import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import { newSession, type Session, type SessionKey, type SessionMode, type SessionStore } from '../domain/conversation.js';
import { DEFAULT_SESSION_TTL_MS, forStorage, type SessionStoreOptions } from './session-limits.js';
import { SESSION_MIGRATIONS } from './sqlite-session-migrations.js';

export interface SqliteSessionStoreOptions extends SessionStoreOptions {
  /** How often, at most, a save also deletes expired rows (default 5 minutes). */
  purgeEveryMs?: number;
}

/**
 * Sessions in `${dataDir}/sessions.sqlite` (WAL) or in memory. Expired rows are never returned
 * and are deleted lazily, at most every `purgeEveryMs`, by the save that notices.
 */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly purgeEveryMs: number;
  private lastPurge = 0;
  private readonly stmt;

  constructor(location: SqliteLocation, options: SqliteSessionStoreOptions = {}) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      mkdirSync(location.dataDir, { recursive: true });
      this.db = new Database(join(location.dataDir, 'sessions.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db, SESSION_MIGRATIONS);
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.purgeEveryMs = options.purgeEveryMs ?? 5 * 60 * 1000;
    this.stmt = {
      get: this.db.prepare<[string, string, number], { json: string }>(
        'SELECT json FROM sessions WHERE channel = ? AND user_id = ? AND expires_at > ?',
      ),
      put: this.db.prepare<[string, string, string, number]>(
        `INSERT INTO sessions (channel, user_id, json, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, user_id) DO UPDATE SET json = excluded.json, expires_at = excluded.expires_at`,
      ),
      purge: this.db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
      count: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sessions'),
    };
  }

  async load(key: SessionKey): Promise<Session> {
    const now = this.now();
    const row = this.stmt.get.get(key.channel, key.userId, now.getTime());
    return row ? (JSON.parse(row.json) as Session) : newSession(key, this.newId(), now);
  }

  async save(session: Session): Promise<void> {
    const now = this.now();
    const stored = forStorage(session, now);
    this.stmt.put.run(session.key.channel, session.key.userId, JSON.stringify(stored), now.getTime() + this.ttlMs);
    if (now.getTime() - this.lastPurge >= this.purgeEveryMs) this.purgeExpired();
  }

  async setMode(key: SessionKey, mode: SessionMode): Promise<void> {
    const session = await this.load(key);
    await this.save({ ...session, mode });
  }

  /** Deletes expired rows now; returns how many. */
  purgeExpired(): number {
    const now = this.now().getTime();
    this.lastPurge = now;
    return this.stmt.purge.run(now).changes;
  }

  /** Rows stored, live or not yet purged (for tests and stats). */
  rowCount(): number {
    return this.stmt.count.get()!.n;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
