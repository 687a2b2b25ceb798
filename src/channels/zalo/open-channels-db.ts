import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * `${dataDir}/channels.sqlite` (shared with the dedupe and the outbound failure log; each store
 * keeps its own tables), or a private in-memory database for tests.
 */
export function openChannelsDb(location: ':memory:' | { dataDir: string }): Database.Database {
  let db: Database.Database;
  if (location === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(location.dataDir, { recursive: true });
    db = new Database(join(location.dataDir, 'channels.sqlite'));
    db.pragma('journal_mode = WAL');
    // Written on every delivery: no fsync per message (WAL keeps it consistent on a crash).
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
