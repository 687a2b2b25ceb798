import type Database from 'better-sqlite3';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';

/**
 * `${dataDir}/channels.sqlite`, the file the channels share (message dedupe, outbound failures,
 * web outbox, Messenger contacts, Zalo tokens, mini-app nonces and tokens…; each store keeps its
 * own tables).
 */
export function openChannelsDb(location: SqliteLocation): Database.Database {
  return openSqliteDatabase(location, 'channels.sqlite');
}
