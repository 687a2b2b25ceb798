import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';
import type { ErasureCounts } from './conversation-eraser.js';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deletions',
    sql: `
      -- One row per conversation deleted on request. session_hash, never the id: the log must
      -- not keep what was deleted, yet answer "was this one deleted?" for whoever has the id.
      CREATE TABLE deletions (
        id            TEXT PRIMARY KEY,
        at            TEXT NOT NULL,
        staff_id      TEXT NOT NULL,
        session_hash  TEXT NOT NULL,
        counts_json   TEXT NOT NULL,
        reason        TEXT NOT NULL
      );
      CREATE INDEX deletions_at ON deletions (at);
      CREATE INDEX deletions_session ON deletions (session_hash);
    `,
  },
];

export interface DeletionRecord {
  id: string;
  at: string;
  /** The officer's staff id, or `cli` for the command line. */
  staffId: string;
  /** `hashSessionId(sessionId)`. */
  sessionHash: string;
  counts: ErasureCounts;
  reason: string;
}

/** The deletions log in `${dataDir}/privacy.sqlite`. */
export class SqliteDeletionLog {
  private readonly db: Database.Database;

  constructor(location: SqliteLocation) {
    this.db = openSqliteDatabase(location, 'privacy.sqlite');
    applyMigrations(this.db, MIGRATIONS);
  }

  record(entry: Omit<DeletionRecord, 'id'>): DeletionRecord {
    const record = { id: randomUUID(), ...entry };
    this.db
      .prepare('INSERT INTO deletions (id, at, staff_id, session_hash, counts_json, reason) VALUES (?, ?, ?, ?, ?, ?)')
      .run(record.id, record.at, record.staffId, record.sessionHash, JSON.stringify(record.counts), record.reason);
    return record;
  }

  /** Newest first. */
  list(options: { limit?: number; sessionHash?: string } = {}): DeletionRecord[] {
    const limit = Math.max(1, Math.min(options.limit ?? 100, 1000));
    const rows = (
      options.sessionHash
        ? this.db.prepare('SELECT * FROM deletions WHERE session_hash = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(options.sessionHash, limit)
        : this.db.prepare('SELECT * FROM deletions ORDER BY at DESC, rowid DESC LIMIT ?').all(limit)
    ) as Array<{ id: string; at: string; staff_id: string; session_hash: string; counts_json: string; reason: string }>;
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      staffId: r.staff_id,
      sessionHash: r.session_hash,
      counts: JSON.parse(r.counts_json) as ErasureCounts,
      reason: r.reason,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
