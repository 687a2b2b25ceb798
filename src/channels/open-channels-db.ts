import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * `${dataDir}/channels.sqlite`, the file the channels share (message dedupe, outbound failures,
 * web outbox, Messenger contacts, Zalo tokens, mini-app nonces and tokens…; each store keeps its
 * own tables), opened the same way everywhere: WAL so several workers read while one writes,
 * no fsync per delivery (WAL stays consistent on a crash), and a busy timeout so a worker waits
 * for another's write instead of failing. `':memory:'` is a private database for tests.
 */
export function openChannelsDb(location: ':memory:' | { dataDir: string }): Database.Database {
  let db: Database.Database;
  if (location === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(location.dataDir, { recursive: true });
    db = new Database(join(location.dataDir, 'channels.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
