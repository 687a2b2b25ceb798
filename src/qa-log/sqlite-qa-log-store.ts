import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { foldPendingTurns, foldQaStats, QA_STATS_FOLD_MIGRATION, QA_STATS_MIGRATION } from '../stats/qa-stats-rollups.js';
import type { QaLogStore, QaTurn, Rating } from './qa-log-store.js';

/** Schema of `qa-log.sqlite`; the statistics source applies it too, whichever opens the file first. */
export const QA_LOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'qa turns',
    sql: `
      CREATE TABLE qa_turns (
        id            TEXT PRIMARY KEY,
        at            TEXT NOT NULL,
        channel       TEXT NOT NULL,
        user_key      TEXT NOT NULL,
        session_id    TEXT NOT NULL,
        question      TEXT NOT NULL,
        answer        TEXT NOT NULL,
        status        TEXT NOT NULL,
        procedure_ids TEXT NOT NULL,
        aspect        TEXT,
        composer      TEXT,
        latency_ms    REAL NOT NULL
      );
      CREATE INDEX qa_turns_at ON qa_turns (at);
      CREATE INDEX qa_turns_status ON qa_turns (status);
    `,
  },
  {
    version: 2,
    name: 'conversation ratings',
    sql: `
      CREATE TABLE qa_ratings (
        id         TEXT PRIMARY KEY,
        at         TEXT NOT NULL,
        channel    TEXT NOT NULL,
        user_key   TEXT NOT NULL,
        session_id TEXT NOT NULL,
        useful     INTEGER,
        score      INTEGER CHECK (score BETWEEN 1 AND 5),
        comment    TEXT
      );
      CREATE INDEX qa_ratings_at ON qa_ratings (at);
      CREATE INDEX qa_ratings_session ON qa_ratings (session_id);
    `,
  },
  QA_STATS_MIGRATION,
  QA_STATS_FOLD_MIGRATION,
];

interface Row {
  id: string;
  at: string;
  channel: string;
  user_key: string;
  session_id: string;
  question: string;
  answer: string;
  status: QaTurn['status'];
  procedure_ids: string;
  aspect: QaTurn['aspect'];
  composer: string | null;
  latency_ms: number;
}

/**
 * Q&A turns in `${dataDir}/qa-log.sqlite` (WAL), or in memory for tests. Each turn and rating is
 * written with its statistics rollups (triggers, src/stats/qa-stats-rollups.ts) in one
 * transaction, so the figures never disagree with the log and survive the raw rows' deletion.
 */
export class SqliteQaLogStore implements QaLogStore {
  private readonly db: Database.Database;
  private foldTimer: NodeJS.Timeout | undefined;
  private readonly stmt;
  private readonly writeTurn: (turn: QaTurn) => void;
  private readonly writeTurns: (turns: readonly QaTurn[]) => void;
  private readonly writeRating: (rating: Rating) => void;

  constructor(location: ':memory:' | { dataDir: string }, options: { foldEveryMs?: number } = {}) {
    this.db = openSqliteDatabase(location, 'qa-log.sqlite');
    applyMigrations(this.db, QA_LOG_MIGRATIONS);
    // The statistics fold pending turns before each report; this keeps the backlog small when
    // nobody opens the dashboard for a while. Not a reason to keep the process alive.
    const foldEveryMs = options.foldEveryMs ?? 30_000;
    if (foldEveryMs > 0) {
      this.foldTimer = setInterval(() => {
        try {
          foldQaStats(this.db);
        } catch {
          // Busy or closing: the next fold (or the next report) catches up.
        }
      }, foldEveryMs);
      this.foldTimer.unref();
    }
    this.stmt = {
      insertTurn: this.db.prepare(
        `INSERT INTO qa_turns (id, at, channel, user_key, session_id, question, answer, status, procedure_ids, aspect, composer, latency_ms, stats_pending)
         VALUES (@id, @at, @channel, @userKey, @sessionId, @question, @answer, @status, @procedureIds, @aspect, @composer, @latencyMs, 1)`,
      ),
      insertRating: this.db.prepare(
        `INSERT INTO qa_ratings (id, at, channel, user_key, session_id, useful, score, comment)
         VALUES (@id, @at, @channel, @userKey, @sessionId, @useful, @score, @comment)`,
      ),
      deleteTurnsBefore: this.db.prepare<[string]>('DELETE FROM qa_turns WHERE at < ?'),
      deleteRatingsBefore: this.db.prepare<[string]>('DELETE FROM qa_ratings WHERE at < ?'),
      deleteSessionTurns: this.db.prepare<[string]>('DELETE FROM qa_turns WHERE session_id = ?'),
      deleteSessionRatings: this.db.prepare<[string]>('DELETE FROM qa_ratings WHERE session_id = ?'),
    };
    // IMMEDIATE: take the write lock at BEGIN, so two workers never deadlock upgrading a read lock.
    // The turn is marked pending; foldQaStats adds it to the rollups (src/stats/qa-stats-rollups.ts).
    const writeOne = (turn: QaTurn) => {
      this.stmt.insertTurn.run({ ...turn, procedureIds: JSON.stringify(turn.procedureIds) });
    };
    const turnTx = this.db.transaction(writeOne);
    const ratingTx = this.db.transaction((rating: Rating) => {
      this.stmt.insertRating.run({ ...rating, useful: rating.useful === null ? null : rating.useful ? 1 : 0, comment: rating.comment ?? null });
    });
    this.writeTurn = (turn) => turnTx.immediate(turn);
    const turnsTx = this.db.transaction((turns: readonly QaTurn[]) => {
      for (const turn of turns) writeOne(turn);
    });
    this.writeTurns = (turns) => turnsTx.immediate(turns);
    this.writeRating = (rating) => ratingTx.immediate(rating);
  }

  /** Records the turn and its rollups; a duplicate id throws and changes nothing. */
  async record(turn: QaTurn): Promise<void> {
    this.writeTurn(turn);
  }

  /** Records many turns in one transaction (imports, benchmarks): the same rows as `record` one by one, all or none. */
  async recordMany(turns: readonly QaTurn[]): Promise<void> {
    this.writeTurns(turns);
  }

  async recordRating(rating: Rating): Promise<void> {
    this.writeRating(rating);
  }

  /** Retention: raw turns and ratings with `at` before the cutoff go; the rollups stay. */
  async deleteTurnsBefore(cutoffIso: string): Promise<{ turns: number; ratings: number }> {
    const cutoff = new Date(cutoffIso);
    if (Number.isNaN(cutoff.getTime())) throw new RangeError(`deleteTurnsBefore: not an instant: ${cutoffIso}`);
    // Stored `at` values are toISOString() text, so the cutoff must be in that exact form to compare.
    const iso = cutoff.toISOString();
    return this.db
      .transaction(() => {
        // Counted before they go: the statistics keep every turn.
        foldPendingTurns(this.db);
        return { turns: this.stmt.deleteTurnsBefore.run(iso).changes, ratings: this.stmt.deleteRatingsBefore.run(iso).changes };
      })
      .immediate();
  }

  /** A citizen's request: one session's raw turns and ratings go; the rollups stay. */
  async deleteSession(sessionId: string): Promise<{ turns: number; ratings: number }> {
    return this.db
      .transaction(() => {
        foldPendingTurns(this.db);
        return { turns: this.stmt.deleteSessionTurns.run(sessionId).changes, ratings: this.stmt.deleteSessionRatings.run(sessionId).changes };
      })
      .immediate();
  }

  async ratings(sessionId: string): Promise<Rating[]> {
    const rows = this.db
      .prepare<[string], { id: string; at: string; channel: string; user_key: string; session_id: string; useful: number | null; score: number | null; comment: string | null }>(
        'SELECT * FROM qa_ratings WHERE session_id = ? ORDER BY at, rowid',
      )
      .all(sessionId);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      channel: r.channel,
      userKey: r.user_key,
      sessionId: r.session_id,
      useful: r.useful === null ? null : r.useful === 1,
      score: r.score,
      ...(r.comment !== null ? { comment: r.comment } : {}),
    }));
  }

  async recent(limit: number): Promise<QaTurn[]> {
    const rows = this.db.prepare<[number], Row>('SELECT * FROM qa_turns ORDER BY at DESC, rowid DESC LIMIT ?').all(limit);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      channel: r.channel,
      userKey: r.user_key,
      sessionId: r.session_id,
      question: r.question,
      answer: r.answer,
      status: r.status,
      procedureIds: JSON.parse(r.procedure_ids) as string[],
      aspect: r.aspect,
      composer: r.composer,
      latencyMs: r.latency_ms,
    }));
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM qa_turns').get() as { n: number }).n;
  }

  /** Adds the turns written since the last fold to the statistics' rollups (the dashboard does this itself). */
  foldStats(): number {
    return foldQaStats(this.db);
  }

  async close(): Promise<void> {
    if (this.foldTimer) clearInterval(this.foldTimer);
    if (this.db.open) this.db.close();
  }
}
