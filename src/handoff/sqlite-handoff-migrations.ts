import type { Migration } from '../catalogue/sqlite-migrations.js';

/**
 * Schema of `handoff.sqlite`: the officers' queue, the human part of each conversation, the event
 * log every server process reads, and the tickets citizens leave. Append, never edit, a shipped
 * entry.
 */
export const HANDOFF_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'handoff conversations, messages, events, tickets',
    sql: `
      -- seq orders the waiting line (oldest first) without trusting clock strings.
      CREATE TABLE conversations (
        seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
        id                  TEXT NOT NULL UNIQUE,
        channel             TEXT NOT NULL,
        user_id             TEXT NOT NULL,
        session_id          TEXT NOT NULL,
        reason              TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('waiting', 'claimed', 'returned', 'closed')),
        transcript_json     TEXT NOT NULL,
        procedure_ids_json  TEXT NOT NULL,
        created_at          TEXT NOT NULL,
        created_ms          INTEGER NOT NULL,
        claimed_by          TEXT,
        claimed_at          TEXT,
        claimed_ms          INTEGER,
        ended_at            TEXT,
        outcome             TEXT
      );
      -- At most one open conversation per citizen and channel, whatever process enqueues it.
      CREATE UNIQUE INDEX conversations_open ON conversations (channel, user_id) WHERE status IN ('waiting', 'claimed');
      CREATE INDEX conversations_status ON conversations (status, seq);
      CREATE INDEX conversations_claimed ON conversations (claimed_ms) WHERE claimed_ms IS NOT NULL;

      CREATE TABLE messages (
        seq              INTEGER PRIMARY KEY AUTOINCREMENT,
        id               TEXT NOT NULL UNIQUE,
        conversation_id  TEXT NOT NULL REFERENCES conversations (id),
        author           TEXT NOT NULL,
        staff_id         TEXT,
        text             TEXT NOT NULL,
        at               TEXT NOT NULL
      );
      CREATE INDEX messages_conversation ON messages (conversation_id, seq);

      -- Every change, in order. Processes sharing the file poll it from the last id they saw;
      -- writer names the queue instance (process id + random) that made the change.
      CREATE TABLE events (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms   INTEGER NOT NULL,
        pid     INTEGER NOT NULL,
        writer  TEXT NOT NULL,
        type    TEXT NOT NULL,
        json    TEXT NOT NULL
      );
      CREATE INDEX events_at ON events (at_ms);

      CREATE TABLE tickets (
        seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
        id                  TEXT NOT NULL UNIQUE,
        kind                TEXT NOT NULL,
        channel             TEXT NOT NULL,
        user_id             TEXT NOT NULL,
        session_id          TEXT NOT NULL,
        text                TEXT NOT NULL,
        phone               TEXT,
        consent_at          TEXT,
        procedure_ids_json  TEXT NOT NULL,
        status              TEXT NOT NULL CHECK (status IN ('open', 'done')),
        created_at          TEXT NOT NULL,
        handled_by          TEXT,
        handled_at          TEXT,
        note                TEXT
      );
      CREATE INDEX tickets_status ON tickets (status, seq);
    `,
  },
];
