import type { Migration } from '../catalogue/sqlite-migrations.js';

/** Schema of `sessions.sqlite`. Never edit a shipped entry: append a new one. */
export const SESSION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions',
    sql: `
      -- One live conversation per channel user; the row is the whole session as JSON.
      CREATE TABLE sessions (
        channel    TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        json       TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (channel, user_id)
      ) WITHOUT ROWID;

      -- The purge deletes by expiry.
      CREATE INDEX sessions_expires_at ON sessions (expires_at);
    `,
  },
];
