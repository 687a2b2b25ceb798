import type Database from 'better-sqlite3';
import { openChannelsDb } from './open-channels-db.js';
import type { MessageDedupe } from './handle-inbound.js';

/**
 * Message ids already handled, in `${dataDir}/channels.sqlite`, so a platform's retry that lands
 * on another worker (node:cluster) is still recognised. Ids are kept for `ttlMs` (default one
 * day: Messenger and Zalo retry for hours, not days), then swept.
 */
export class SqliteMessageDedupe implements MessageDedupe {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number]>;
  private readonly sweep: Database.Statement<[number]>;
  private writes = 0;

  constructor(
    location: ':memory:' | { dataDir: string },
    private readonly ttlMs = 24 * 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openChannelsDb(location);
    this.db.exec('CREATE TABLE IF NOT EXISTS seen_messages (key TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    this.db.exec('CREATE INDEX IF NOT EXISTS seen_messages_at ON seen_messages (at)');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO seen_messages (key, at) VALUES (?, ?)');
    this.sweep = this.db.prepare('DELETE FROM seen_messages WHERE at < ?');
  }

  async firstSeen(key: string): Promise<boolean> {
    const t = this.now();
    if (++this.writes % 1000 === 0) this.sweep.run(t - this.ttlMs);
    return this.insert.run(key, t).changes === 1;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
