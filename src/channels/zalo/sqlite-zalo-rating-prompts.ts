import type Database from 'better-sqlite3';
import { openChannelsDb } from '../open-channels-db.js';

/**
 * Which Zalo citizens were just asked for a rating. Zalo OA text has no buttons, so the prompt
 * says "reply 1–5" and the next bare digit from that citizen is the score, not a clarification
 * choice. Kept in SQLite so that the worker taking the reply (node:cluster) sees the prompt.
 */
export class SqliteZaloRatingPrompts {
  private readonly db: Database.Database;

  constructor(
    location: ':memory:' | { dataDir: string },
    /** A prompt older than this no longer turns a digit into a rating (default 24 h). */
    private readonly ttlMs = 24 * 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openChannelsDb(location);
    this.db.exec('CREATE TABLE IF NOT EXISTS zalo_rating_prompts (user_id TEXT PRIMARY KEY, at INTEGER NOT NULL)');
  }

  /** The citizen was just asked to rate. */
  async mark(userId: string): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO zalo_rating_prompts (user_id, at) VALUES (?, ?)').run(userId, this.now());
  }

  /** True (once) when the citizen has a fresh prompt; the prompt is cleared either way. */
  async take(userId: string): Promise<boolean> {
    const row = this.db.prepare<[string], { at: number }>('DELETE FROM zalo_rating_prompts WHERE user_id = ? RETURNING at').get(userId);
    return row !== undefined && this.now() - row.at <= this.ttlMs;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
