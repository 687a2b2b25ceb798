import type Database from 'better-sqlite3';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import type { CallRecord, CallState, CallStore } from './call-store.js';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls',
    sql: `CREATE TABLE calls (
     call_sid TEXT PRIMARY KEY,
     user_key TEXT NOT NULL,
     mode TEXT NOT NULL,
     started_at TEXT NOT NULL,
     ended_at TEXT,
     duration_s INTEGER,
     end_status TEXT,
     outcome TEXT,
     transfer_reason TEXT,
     turns INTEGER NOT NULL DEFAULT 0,
     rating INTEGER,
     queued_at TEXT,
     state_json TEXT
   );
   CREATE INDEX calls_started ON calls (started_at);
   CREATE INDEX calls_queued ON calls (queued_at) WHERE queued_at IS NOT NULL;`,
  },
];

interface CallRow {
  call_sid: string;
  user_key: string;
  mode: CallRecord['mode'];
  started_at: string;
  ended_at: string | null;
  duration_s: number | null;
  end_status: string | null;
  outcome: CallRecord['outcome'];
  transfer_reason: CallRecord['transferReason'];
  turns: number;
  rating: number | null;
  queued_at: string | null;
  state_json: string | null;
}

const COLUMNS = { state: 'state_json', outcome: 'outcome', transferReason: 'transfer_reason', turns: 'turns', rating: 'rating', queuedAt: 'queued_at' } as const;

/**
 * Calls in `${dataDir}/calls.sqlite`, shared by the server's workers: Twilio may send a call's
 * next webhook to any of them. The caller's number is never stored, only its hash.
 */
export class SqliteCallStore implements CallStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly stmt;

  constructor(location: SqliteLocation, options: { now?: () => Date } = {}) {
    this.db = openSqliteDatabase(location, 'calls.sqlite');
    applyMigrations(this.db, MIGRATIONS);
    this.now = options.now ?? (() => new Date());
    this.stmt = {
      insert: this.db.prepare(
        `INSERT INTO calls (call_sid, user_key, mode, started_at, state_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (call_sid) DO NOTHING`,
      ),
      get: this.db.prepare<[string], CallRow>('SELECT * FROM calls WHERE call_sid = ?'),
      oldestQueued: this.db.prepare<[], CallRow>('SELECT * FROM calls WHERE queued_at IS NOT NULL AND ended_at IS NULL ORDER BY queued_at LIMIT 1'),
      end: this.db.prepare(
        `UPDATE calls SET ended_at = ?, duration_s = ?, end_status = ?, outcome = COALESCE(outcome, CASE WHEN turns > 0 THEN 'bot' ELSE 'abandoned' END), queued_at = NULL, state_json = NULL
         WHERE call_sid = ? AND ended_at IS NULL`,
      ),
    };
  }

  async begin(call: { callSid: string; userKey: string; mode: CallRecord['mode']; state: CallState }): Promise<CallRecord> {
    this.stmt.insert.run(call.callSid, call.userKey, call.mode, this.now().toISOString(), JSON.stringify(call.state));
    return toRecord(this.stmt.get.get(call.callSid)!);
  }

  async get(callSid: string): Promise<CallRecord | undefined> {
    const row = this.stmt.get.get(callSid);
    return row ? toRecord(row) : undefined;
  }

  async update(callSid: string, patch: Parameters<CallStore['update']>[1]): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, column] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, string]>) {
      if (!(key in patch)) continue;
      sets.push(`${column} = ?`);
      const value = patch[key];
      values.push(key === 'state' ? (value === null ? null : JSON.stringify(value)) : value);
    }
    if (sets.length === 0) return;
    // An ended call keeps its final figures: a late webhook must not bring its state back.
    this.db.prepare(`UPDATE calls SET ${sets.join(', ')} WHERE call_sid = ? AND ended_at IS NULL`).run(...values, callSid);
  }

  async oldestQueued(): Promise<CallRecord | undefined> {
    const row = this.stmt.oldestQueued.get();
    return row ? toRecord(row) : undefined;
  }

  async end(callSid: string, end: { endedAt: string; durationS: number | null; status: string }): Promise<void> {
    this.stmt.end.run(end.endedAt, end.durationS, end.status, callSid);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRecord(row: CallRow): CallRecord {
  return {
    callSid: row.call_sid,
    userKey: row.user_key,
    mode: row.mode,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationS: row.duration_s,
    endStatus: row.end_status,
    outcome: row.outcome,
    transferReason: row.transfer_reason,
    turns: row.turns,
    rating: row.rating,
    queuedAt: row.queued_at,
    state: row.state_json ? (JSON.parse(row.state_json) as CallState) : null,
  };
}
