import type Database from 'better-sqlite3';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { REFUSED_FAMILIES, sqlStatusList, UNANSWERED_FAMILIES } from './status-groups.js';

/** The Hanoi day number of an ISO instant, in SQL (25200 s = UTC+7; unixepoch drops the milliseconds). */
const daySql = (at: string) => `((unixepoch(${at}) + 25200) / 86400)`;
const DAY_SQL = daySql('at');
const NEW_DAY = daySql('NEW.at');
/** The month key yyyymm of a day number, in SQL. */
const monthSql = (day: string) => `CAST(strftime('%Y%m', ${day} * 86400, 'unixepoch') AS INTEGER)`;
const MONTH_SQL = monthSql('day');
const NEW_MONTH = monthSql(NEW_DAY);
const positiveSql = (row: string) => `(${row}useful = 1 OR ${row}score >= 4)`;
const POSITIVE_SQL = positiveSql('');
const UNANSWERED = sqlStatusList(UNANSWERED_FAMILIES);
const REFUSED = sqlStatusList(REFUSED_FAMILIES);

/**
 * Statistics rollups in `qa-log.sqlite`, kept by triggers on `qa_turns` and `qa_ratings` inserts:
 * written in the same statement (so the same transaction) as each turn and rating, by SQLite
 * itself (one call from JavaScript per turn, not ten), whatever code inserts the row. Only
 * inserts are counted: deleting raw rows (retention, a citizen's request) leaves the figures.
 * The dashboard never scans `qa_turns`. Days are Hanoi day numbers (see hanoi-calendar.ts).
 *
 * - `qa_stats_daily` (day, channel): turns, unanswered, refused, conversations (counted on the
 *   day of the session's first turn), ratings (count, positive, sum and count of 1–5 scores).
 * - `qa_stats_daily_counts` (kind, day, channel, key): turns by `status`, `procedure` and `aspect`.
 * - `qa_stats_monthly_procedures` (month, channel, procedure_id): the same procedure counts by
 *   month, so a year's top procedures sum a few thousand rows, not a day × procedure table
 *   (statuses and aspects are few enough to sum by day).
 * - `qa_conversations` (session_id): the channel and first day of each session, so a session is
 *   counted once, on its first day, however long it lasts.
 * - `qa_user_days` (channel, user_key, day, prev_day): one row per user and Hanoi day with a turn,
 *   with the user's previous such day (-1 for none). Distinct users of any range [from, to] are
 *   then a plain count of rows with day in the range and prev_day < from — an index range scan
 *   with no DISTINCT. A user is a hashed key within a channel (chat keys hash the channel in).
 *
 * Migration 3 creates them, backfills them from the rows already stored, then adds the triggers.
 */
/** What one turn adds to the rollups, for a row `NEW` shaped like `qa_turns` (see migration 4). */
const TURN_ROLLUPS = `
      INSERT OR IGNORE INTO qa_conversations (session_id, channel, first_day) VALUES (NEW.session_id, NEW.channel, ${NEW_DAY});
      -- changes(): 1 when the line above started a conversation (SQLite scopes it to this trigger's statements).
      INSERT INTO qa_stats_daily (day, channel, turns, unanswered, refused, conversations)
        VALUES (${NEW_DAY}, NEW.channel, 1, NEW.status IN (${UNANSWERED}), NEW.status IN (${REFUSED}), changes())
        ON CONFLICT (day, channel) DO UPDATE SET turns = turns + 1, unanswered = unanswered + excluded.unanswered,
          refused = refused + excluded.refused, conversations = conversations + excluded.conversations;

      -- Most turns repeat a user's day and stop at the unique key; a new day is linked by qa_user_days_link.
      INSERT OR IGNORE INTO qa_user_days (channel, user_key, day, prev_day) VALUES (NEW.channel, NEW.user_key, ${NEW_DAY}, -1);

      INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns) VALUES ('status', ${NEW_DAY}, NEW.channel, NEW.status, 1)
        ON CONFLICT (kind, day, channel, key) DO UPDATE SET turns = turns + 1;
      INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns) SELECT 'aspect', ${NEW_DAY}, NEW.channel, NEW.aspect, 1 WHERE NEW.aspect IS NOT NULL
        ON CONFLICT (kind, day, channel, key) DO UPDATE SET turns = turns + 1;
      -- A procedure cited twice in one answer is one turn about it.
      INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns)
        SELECT DISTINCT 'procedure', ${NEW_DAY}, NEW.channel, value, 1 FROM json_each(NEW.procedure_ids) WHERE true
        ON CONFLICT (kind, day, channel, key) DO UPDATE SET turns = turns + 1;
      INSERT INTO qa_stats_monthly_procedures (month, channel, procedure_id, turns)
        SELECT DISTINCT ${NEW_MONTH}, NEW.channel, value, 1 FROM json_each(NEW.procedure_ids) WHERE true
        ON CONFLICT (month, channel, procedure_id) DO UPDATE SET turns = turns + 1;
`;

export const QA_STATS_MIGRATION: Migration = {
  version: 3,
  name: 'statistics rollups',
  sql: `
    CREATE INDEX qa_turns_session ON qa_turns (session_id);

    CREATE TABLE qa_stats_daily (
      day              INTEGER NOT NULL,
      channel          TEXT NOT NULL,
      turns            INTEGER NOT NULL DEFAULT 0,
      unanswered       INTEGER NOT NULL DEFAULT 0,
      refused          INTEGER NOT NULL DEFAULT 0,
      conversations    INTEGER NOT NULL DEFAULT 0,
      ratings          INTEGER NOT NULL DEFAULT 0,
      ratings_positive INTEGER NOT NULL DEFAULT 0,
      score_sum        INTEGER NOT NULL DEFAULT 0,
      score_count      INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, channel)
    ) WITHOUT ROWID;

    CREATE TABLE qa_stats_daily_counts (
      kind    TEXT NOT NULL CHECK (kind IN ('status', 'procedure', 'aspect')),
      day     INTEGER NOT NULL,
      channel TEXT NOT NULL,
      key     TEXT NOT NULL,
      turns   INTEGER NOT NULL,
      PRIMARY KEY (kind, day, channel, key)
    ) WITHOUT ROWID;

    CREATE TABLE qa_stats_monthly_procedures (
      month        INTEGER NOT NULL,
      channel      TEXT NOT NULL,
      procedure_id TEXT NOT NULL,
      turns        INTEGER NOT NULL,
      PRIMARY KEY (month, channel, procedure_id)
    ) WITHOUT ROWID;

    CREATE TABLE qa_conversations (
      session_id TEXT PRIMARY KEY,
      channel    TEXT NOT NULL,
      first_day  INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE qa_user_days (
      channel  TEXT NOT NULL,
      user_key TEXT NOT NULL,
      day      INTEGER NOT NULL,
      prev_day INTEGER NOT NULL,
      UNIQUE (channel, user_key, day)
    );
    CREATE INDEX qa_user_days_range ON qa_user_days (day, prev_day, channel);
    CREATE INDEX qa_user_days_channel ON qa_user_days (channel, day, prev_day);

    -- Backfill from what an existing install already stored.
    INSERT INTO qa_conversations (session_id, channel, first_day)
      SELECT session_id, channel, min(day) FROM (SELECT session_id, channel, ${DAY_SQL} AS day FROM qa_turns) GROUP BY session_id;

    INSERT INTO qa_stats_daily (day, channel, turns, unanswered, refused)
      SELECT day, channel, count(*), sum(status IN (${UNANSWERED})), sum(status IN (${REFUSED}))
      FROM (SELECT ${DAY_SQL} AS day, channel, status FROM qa_turns) GROUP BY day, channel;

    INSERT INTO qa_stats_daily (day, channel, conversations)
      SELECT first_day, channel, count(*) FROM qa_conversations WHERE true GROUP BY first_day, channel
      ON CONFLICT (day, channel) DO UPDATE SET conversations = excluded.conversations;

    INSERT INTO qa_stats_daily (day, channel, ratings, ratings_positive, score_sum, score_count)
      SELECT day, channel, count(*), sum(${POSITIVE_SQL}), coalesce(sum(score), 0), count(score)
      FROM (SELECT ${DAY_SQL} AS day, channel, useful, score FROM qa_ratings) WHERE true GROUP BY day, channel
      ON CONFLICT (day, channel) DO UPDATE SET ratings = excluded.ratings, ratings_positive = excluded.ratings_positive,
        score_sum = excluded.score_sum, score_count = excluded.score_count;

    INSERT INTO qa_user_days (channel, user_key, day, prev_day)
      SELECT channel, user_key, day, coalesce(lag(day) OVER (PARTITION BY channel, user_key ORDER BY day), -1)
      FROM (SELECT DISTINCT channel, user_key, ${DAY_SQL} AS day FROM qa_turns);

    INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns)
      SELECT 'status', day, channel, status, count(*) FROM (SELECT ${DAY_SQL} AS day, channel, status FROM qa_turns)
      GROUP BY day, channel, status;
    INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns)
      SELECT 'aspect', day, channel, aspect, count(*) FROM (SELECT ${DAY_SQL} AS day, channel, aspect FROM qa_turns WHERE aspect IS NOT NULL)
      GROUP BY day, channel, aspect;
    INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns)
      SELECT 'procedure', day, channel, value, count(*)
      FROM (SELECT DISTINCT t.rowid, ${DAY_SQL} AS day, t.channel, j.value FROM qa_turns t, json_each(t.procedure_ids) j)
      GROUP BY day, channel, value;
    INSERT INTO qa_stats_monthly_procedures (month, channel, procedure_id, turns)
      SELECT ${MONTH_SQL}, channel, key, sum(turns) FROM qa_stats_daily_counts WHERE kind = 'procedure' GROUP BY 1, 2, 3;

    -- From now on, every insert keeps the rollups.
    CREATE TRIGGER qa_turns_rollups AFTER INSERT ON qa_turns
    BEGIN
${TURN_ROLLUPS}    END;

    CREATE TRIGGER qa_user_days_link AFTER INSERT ON qa_user_days
    BEGIN
      UPDATE qa_user_days SET prev_day = coalesce(
          (SELECT max(day) FROM qa_user_days WHERE channel = NEW.channel AND user_key = NEW.user_key AND day < NEW.day), -1)
        WHERE rowid = NEW.rowid;
      -- A turn written out of order (clock skew between workers) may land before a later day of
      -- the same user: that day's previous day is now this one.
      UPDATE qa_user_days SET prev_day = NEW.day
        WHERE rowid = (SELECT rowid FROM qa_user_days WHERE channel = NEW.channel AND user_key = NEW.user_key AND day > NEW.day ORDER BY day LIMIT 1)
          AND prev_day < NEW.day;
    END;

    CREATE TRIGGER qa_ratings_rollups AFTER INSERT ON qa_ratings
    BEGIN
      INSERT INTO qa_stats_daily (day, channel, ratings, ratings_positive, score_sum, score_count)
        VALUES (${NEW_DAY}, NEW.channel, 1, coalesce(${positiveSql('NEW.')}, 0), coalesce(NEW.score, 0), NEW.score IS NOT NULL)
        ON CONFLICT (day, channel) DO UPDATE SET ratings = ratings + 1, ratings_positive = ratings_positive + excluded.ratings_positive,
          score_sum = score_sum + excluded.score_sum, score_count = score_count + excluded.score_count;
    END;
  `,
};

/**
 * Migration 4: the rollups of turns are folded in batches instead of by a trigger on every insert,
 * so that writing a turn costs one insert (the write-path target is ≤ 0.2 ms p95). A new turn
 * is marked `stats_pending`; `foldQaStats` feeds the pending turns through the same rollup SQL
 * (a trigger on the staging table `qa_stats_feed`) and clears the mark, in one transaction. The
 * statistics fold before every report, the Q&A log before deleting raw turns, and the server every
 * half minute, so the figures never miss a turn and never count one twice. Ratings are rare and
 * keep their trigger.
 */
export const QA_STATS_FOLD_MIGRATION: Migration = {
  version: 4,
  name: 'statistics rollups folded in batches',
  sql: `
    DROP TRIGGER qa_turns_rollups;
    -- Every turn stored so far was rolled up by the trigger (0); the store writes new turns with 1.
    ALTER TABLE qa_turns ADD COLUMN stats_pending INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX qa_turns_stats_pending ON qa_turns (stats_pending) WHERE stats_pending = 1;
    CREATE TABLE qa_stats_feed (at TEXT NOT NULL, channel TEXT NOT NULL, user_key TEXT NOT NULL, session_id TEXT NOT NULL,
      status TEXT NOT NULL, procedure_ids TEXT NOT NULL, aspect TEXT);
    CREATE TRIGGER qa_stats_feed_rollups AFTER INSERT ON qa_stats_feed
    BEGIN
${TURN_ROLLUPS}
    END;
  `,
};

/** Folds the turns written since the last fold into the rollups; returns how many. Safe from any process. */
export function foldQaStats(db: Database.Database): number {
  return db.transaction(() => foldPendingTurns(db)).immediate();
}

/** The fold's statements, for a caller already inside a write transaction (deletions fold first). */
export function foldPendingTurns(db: Database.Database): number {
  db.prepare(
    `INSERT INTO qa_stats_feed (at, channel, user_key, session_id, status, procedure_ids, aspect)
     SELECT at, channel, user_key, session_id, status, procedure_ids, aspect FROM qa_turns WHERE stats_pending = 1 ORDER BY rowid`,
  ).run();
  db.prepare('DELETE FROM qa_stats_feed').run();
  return db.prepare('UPDATE qa_turns SET stats_pending = 0 WHERE stats_pending = 1').run().changes;
}
