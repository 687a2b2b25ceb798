import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import { DEFAULT_GUARD_LIMITS, type FailureOutcome, type LookupAllowance, type StatusLookupGuard, type StatusLookupGuardLimits } from './status-lookup-guard.js';

export const STATUS_GUARD_FILE = 'status-guard.sqlite';

/** Schema of `status-guard.sqlite`. Never edit a shipped entry: append a new one. */
export const STATUS_GUARD_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'verification failures and lookups',
    sql: `
      -- Wrong verifications per receipt code (keyed hash); times are epoch milliseconds.
      CREATE TABLE code_failures (
        code_hash       TEXT PRIMARY KEY,
        failures        INTEGER NOT NULL,
        last_failure_at INTEGER NOT NULL,
        locked_until    INTEGER
      ) WITHOUT ROWID;

      -- Which codes each user (keyed hash) looked up recently.
      CREATE TABLE user_lookups (
        user_hash TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        at        INTEGER NOT NULL,
        PRIMARY KEY (user_hash, code_hash)
      ) WITHOUT ROWID;
      CREATE INDEX user_lookups_at ON user_lookups (at);
    `,
  },
];

/**
 * The guard in `${dataDir}/status-guard.sqlite`, so that every server worker sees the same
 * counters (a lock must not be escaped by landing on another process). Each decision is one
 * IMMEDIATE transaction: two workers counting the same code cannot both read "2 failures".
 */
export class SqliteStatusLookupGuard implements StatusLookupGuard {
  private readonly db: Database.Database;
  private readonly limits: StatusLookupGuardLimits;
  private readonly stmt;
  private lastPurge = 0;

  constructor(location: SqliteLocation, limits: Partial<StatusLookupGuardLimits> = {}) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      mkdirSync(location.dataDir, { recursive: true });
      this.db = new Database(join(location.dataDir, STATUS_GUARD_FILE));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db, STATUS_GUARD_MIGRATIONS);
    this.limits = { ...DEFAULT_GUARD_LIMITS, ...limits };
    this.stmt = {
      failure: this.db.prepare<[string], { failures: number; last_failure_at: number; locked_until: number | null }>(
        'SELECT failures, last_failure_at, locked_until FROM code_failures WHERE code_hash = ?',
      ),
      putFailure: this.db.prepare<[string, number, number, number | null]>(
        `INSERT INTO code_failures (code_hash, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (code_hash) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
      ),
      clearFailures: this.db.prepare<[string]>('DELETE FROM code_failures WHERE code_hash = ?'),
      userCodes: this.db.prepare<[string, number], { code_hash: string; at: number }>(
        'SELECT code_hash, at FROM user_lookups WHERE user_hash = ? AND at > ? ORDER BY at',
      ),
      putLookup: this.db.prepare<[string, string, number]>(
        `INSERT INTO user_lookups (user_hash, code_hash, at) VALUES (?, ?, ?)
         ON CONFLICT (user_hash, code_hash) DO UPDATE SET at = excluded.at`,
      ),
      purgeLookups: this.db.prepare<[number]>('DELETE FROM user_lookups WHERE at <= ?'),
      purgeFailures: this.db.prepare<[number, number]>(
        'DELETE FROM code_failures WHERE last_failure_at <= ? AND (locked_until IS NULL OR locked_until <= ?)',
      ),
    };
  }

  async allowLookup(userHash: string, codeHash: string, now: Date): Promise<LookupAllowance> {
    const t = now.getTime();
    this.purge(t);
    return this.db.transaction((): LookupAllowance => {
      const recent = this.stmt.userCodes.all(userHash, t - this.limits.userWindowMs);
      const known = recent.some((r) => r.code_hash === codeHash);
      if (!known && recent.length >= this.limits.maxCodesPerUser) {
        // The window frees a slot when the oldest counted lookup leaves it.
        return { allowed: false, retryAfterMs: Math.max(1000, recent[0]!.at + this.limits.userWindowMs - t) };
      }
      this.stmt.putLookup.run(userHash, codeHash, t);
      return { allowed: true, retryAfterMs: 0 };
    }).immediate();
  }

  async lockedUntil(codeHash: string, now: Date): Promise<Date | null> {
    const row = this.stmt.failure.get(codeHash);
    return row?.locked_until && row.locked_until > now.getTime() ? new Date(row.locked_until) : null;
  }

  async recordFailure(codeHash: string, now: Date): Promise<FailureOutcome> {
    const t = now.getTime();
    return this.db.transaction((): FailureOutcome => {
      const row = this.stmt.failure.get(codeHash);
      if (row?.locked_until && row.locked_until > t) return { attemptsLeft: 0, lockedUntil: new Date(row.locked_until) };
      // An expired lock or old failures start a fresh count.
      const stale = !row || (row.locked_until !== null && row.locked_until <= t) || row.last_failure_at <= t - this.limits.failureWindowMs;
      const failures = (stale ? 0 : row.failures) + 1;
      const lockedUntil = failures >= this.limits.maxFailures ? t + this.limits.lockMs : null;
      this.stmt.putFailure.run(codeHash, failures, t, lockedUntil);
      return { attemptsLeft: Math.max(0, this.limits.maxFailures - failures), lockedUntil: lockedUntil === null ? null : new Date(lockedUntil) };
    }).immediate();
  }

  async recordSuccess(codeHash: string): Promise<void> {
    this.stmt.clearFailures.run(codeHash);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Old rows, at most once a minute: they no longer count for anything. */
  private purge(t: number): void {
    if (t - this.lastPurge < 60_000) return;
    this.lastPurge = t;
    this.stmt.purgeLookups.run(t - this.limits.userWindowMs);
    this.stmt.purgeFailures.run(t - Math.max(this.limits.failureWindowMs, this.limits.lockMs), t);
  }
}
