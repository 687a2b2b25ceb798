import type Database from 'better-sqlite3';
import { openChannelsDb } from '../open-channels-db.js';

/** A bearer token's row: only the token's hash is ever stored. */
export interface MiniAppTokenRecord {
  appId: string;
  /** The hashed mini-app user the token is bound to, or null for an app-wide token. */
  userKey: string | null;
  expiresAt: number;
}

/**
 * The mini-app's replay memory (nonces) and bearer tokens, in `channels.sqlite` so every worker
 * of the cluster sees a nonce another worker accepted and a token another worker issued.
 */
export class MiniAppAuthStore {
  private readonly db: Database.Database;
  private readonly stmt: {
    useNonce: Database.Statement<[string, string, number]>;
    sweepNonces: Database.Statement<[number]>;
    putToken: Database.Statement<[string, string, string | null, number]>;
    getToken: Database.Statement<[string, number], { app_id: string; user_key: string | null; expires_at: number }>;
    sweepTokens: Database.Statement<[number]>;
  };
  private writes = 0;

  constructor(
    location: ':memory:' | { dataDir: string },
    private readonly now: () => number = Date.now,
  ) {
    this.db = openChannelsDb(location);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS miniapp_nonces (
        app_id TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (app_id, nonce)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS miniapp_nonces_expiry ON miniapp_nonces (expires_at);
      CREATE TABLE IF NOT EXISTS miniapp_tokens (
        token_hash TEXT PRIMARY KEY, app_id TEXT NOT NULL, user_key TEXT, expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS miniapp_tokens_expiry ON miniapp_tokens (expires_at);
    `);
    this.stmt = {
      useNonce: this.db.prepare('INSERT OR IGNORE INTO miniapp_nonces (app_id, nonce, expires_at) VALUES (?, ?, ?)'),
      sweepNonces: this.db.prepare('DELETE FROM miniapp_nonces WHERE expires_at < ?'),
      putToken: this.db.prepare('INSERT INTO miniapp_tokens (token_hash, app_id, user_key, expires_at) VALUES (?, ?, ?, ?)'),
      getToken: this.db.prepare('SELECT app_id, user_key, expires_at FROM miniapp_tokens WHERE token_hash = ? AND expires_at > ?'),
      sweepTokens: this.db.prepare('DELETE FROM miniapp_tokens WHERE expires_at <= ?'),
    };
  }

  /**
   * Records a nonce until `expiresAt` (the end of its request's window); false when the app
   * already used it and it is still remembered, i.e. a replay. Atomic across workers: the
   * primary key decides, not a read-then-write.
   */
  useNonce(appId: string, nonce: string, expiresAt: number): boolean {
    this.maybeSweep();
    return this.stmt.useNonce.run(appId, nonce, expiresAt).changes === 1;
  }

  putToken(tokenHash: string, record: MiniAppTokenRecord): void {
    this.maybeSweep();
    this.stmt.putToken.run(tokenHash, record.appId, record.userKey, record.expiresAt);
  }

  /** The live token with that hash, or undefined (unknown or expired). */
  getToken(tokenHash: string): MiniAppTokenRecord | undefined {
    const row = this.stmt.getToken.get(tokenHash, this.now());
    return row ? { appId: row.app_id, userKey: row.user_key, expiresAt: row.expires_at } : undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Expired nonces and tokens are useless; swept every few hundred writes, not on every request. */
  private maybeSweep(): void {
    if (++this.writes % 200 !== 0) return;
    const t = this.now();
    this.stmt.sweepNonces.run(t);
    this.stmt.sweepTokens.run(t);
  }
}
