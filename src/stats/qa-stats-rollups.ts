import type Database from 'better-sqlite3';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import type { QaTurn, Rating } from '../qa-log/qa-log-store.js';
import { hanoiDayNumber, monthKey } from './hanoi-calendar.js';
import { isRefused, isUnanswered, REFUSED_FAMILIES, sqlStatusList, UNANSWERED_FAMILIES } from './status-groups.js';

/** The Hanoi day number of an ISO `at` column, in SQL (25200 s = UTC+7). */
const DAY_SQL = '((unixepoch(at) + 25200) / 86400)';
/** The month key yyyymm of a day-number column, in SQL. */
const MONTH_SQL = "CAST(strftime('%Y%m', day * 86400, 'unixepoch') AS INTEGER)";
const POSITIVE_SQL = '(useful = 1 OR score >= 4)';

/**
 * Statistics rollups in `qa-log.sqlite`, written in the same transaction as each turn and rating,
 * so the dashboard never scans `qa_turns` and the figures survive the raw rows' deletion
 * (retention, a citizen's request). Days are Hanoi day numbers (see hanoi-calendar.ts).
 *
 * - `qa_stats_daily` (day, channel): turns, unanswered, refused, conversations (counted on the
 *   day of the session's first turn), ratings (count, positive, sum and count of 1–5 scores).
 * - `qa_stats_daily_counts` / `qa_stats_monthly_counts` (kind, day|month, channel, key): turns by
 *   `status`, `procedure` and `aspect`. The monthly copy makes a year's top procedures a scan of
 *   a few thousand rows instead of a day × procedure table.
 * - `qa_conversations` (session_id): the channel and first day of each session, so a session is
 *   counted once, on its first day, however long it lasts.
 * - `qa_user_days` (channel, user_key, day, prev_day): one row per user and Hanoi day with a turn,
 *   with the user's previous such day (-1 for none). Distinct users of any range [from, to] are
 *   then a plain count of rows with day in the range and prev_day < from — an index range scan
 *   with no DISTINCT. A user is a hashed key within a channel (chat keys hash the channel in).
 *
 * Migration 3 creates them and backfills them from the rows already stored.
 */
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

    CREATE TABLE qa_stats_monthly_counts (
      kind    TEXT NOT NULL CHECK (kind IN ('status', 'procedure', 'aspect')),
      month   INTEGER NOT NULL,
      channel TEXT NOT NULL,
      key     TEXT NOT NULL,
      turns   INTEGER NOT NULL,
      PRIMARY KEY (kind, month, channel, key)
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
      SELECT day, channel, count(*), sum(status IN (${sqlStatusList(UNANSWERED_FAMILIES)})), sum(status IN (${sqlStatusList(REFUSED_FAMILIES)}))
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
    INSERT INTO qa_stats_monthly_counts (kind, month, channel, key, turns)
      SELECT kind, ${MONTH_SQL}, channel, key, sum(turns) FROM qa_stats_daily_counts GROUP BY 1, 2, 3, 4;
  `,
};

/** Adds one turn or rating to the rollups; the caller runs it inside the insert's transaction. */
export class QaStatsRollups {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      conversation: db.prepare('INSERT OR IGNORE INTO qa_conversations (session_id, channel, first_day) VALUES (?, ?, ?)'),
      dailyTurn: db.prepare(
        `INSERT INTO qa_stats_daily (day, channel, turns, unanswered, refused, conversations) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (day, channel) DO UPDATE SET turns = turns + 1, unanswered = unanswered + excluded.unanswered,
           refused = refused + excluded.refused, conversations = conversations + excluded.conversations`,
      ),
      dailyRating: db.prepare(
        `INSERT INTO qa_stats_daily (day, channel, ratings, ratings_positive, score_sum, score_count) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (day, channel) DO UPDATE SET ratings = ratings + 1, ratings_positive = ratings_positive + excluded.ratings_positive,
           score_sum = score_sum + excluded.score_sum, score_count = score_count + excluded.score_count`,
      ),
      userDay: db.prepare(
        `INSERT OR IGNORE INTO qa_user_days (channel, user_key, day, prev_day)
         VALUES (@channel, @userKey, @day, coalesce((SELECT max(day) FROM qa_user_days WHERE channel = @channel AND user_key = @userKey AND day < @day), -1))`,
      ),
      // A turn written out of order (clock skew between workers) lands before a later day: that
      // day's previous day is now this one.
      relinkNext: db.prepare(
        `UPDATE qa_user_days SET prev_day = @day WHERE rowid = (
           SELECT rowid FROM qa_user_days WHERE channel = @channel AND user_key = @userKey AND day > @day ORDER BY day LIMIT 1)`,
      ),
      dailyCount: db.prepare(
        `INSERT INTO qa_stats_daily_counts (kind, day, channel, key, turns) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (kind, day, channel, key) DO UPDATE SET turns = turns + 1`,
      ),
      monthlyCount: db.prepare(
        `INSERT INTO qa_stats_monthly_counts (kind, month, channel, key, turns) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (kind, month, channel, key) DO UPDATE SET turns = turns + 1`,
      ),
    };
  }

  addTurn(turn: QaTurn): void {
    const day = hanoiDayNumber(turn.at);
    const month = monthKey(day);
    const newConversation = this.stmt.conversation.run(turn.sessionId, turn.channel, day).changes;
    this.stmt.dailyTurn.run(day, turn.channel, isUnanswered(turn.status) ? 1 : 0, isRefused(turn.status) ? 1 : 0, newConversation);
    const user = { channel: turn.channel, userKey: turn.userKey, day };
    if (this.stmt.userDay.run(user).changes > 0) this.stmt.relinkNext.run(user);
    const count = (kind: string, key: string) => {
      this.stmt.dailyCount.run(kind, day, turn.channel, key);
      this.stmt.monthlyCount.run(kind, month, turn.channel, key);
    };
    count('status', turn.status);
    for (const id of new Set(turn.procedureIds)) count('procedure', id);
    if (turn.aspect) count('aspect', turn.aspect);
  }

  addRating(rating: Rating): void {
    const positive = rating.useful === true || (rating.score !== null && rating.score >= 4);
    this.stmt.dailyRating.run(
      hanoiDayNumber(rating.at),
      rating.channel,
      positive ? 1 : 0,
      rating.score ?? 0,
      rating.score === null ? 0 : 1,
    );
  }
}
