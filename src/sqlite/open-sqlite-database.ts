import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A file under DATA_DIR, or a private in-memory database for tests. */
export type SqliteLocation = ':memory:' | { dataDir: string };

/**
 * Opens `${dataDir}/${fileName}` the way every shared store needs it: WAL so several server
 * workers read while one writes; `synchronous = NORMAL` so a write is not an fsync (WAL stays
 * consistent on a crash, losing at most the last commits on a power cut); a busy timeout so a
 * worker waits for another's write instead of failing.
 */
export function openSqliteDatabase(location: SqliteLocation, fileName: string): Database.Database {
  let db: Database.Database;
  if (location === ':memory:') {
    db = new Database(':memory:');
  } else {
    mkdirSync(location.dataDir, { recursive: true });
    db = new Database(join(location.dataDir, fileName));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('busy_timeout = 5000');
  return db;
}
