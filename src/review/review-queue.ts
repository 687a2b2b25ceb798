import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { type AnswerStatus, statusFamily } from '../domain/answer.js';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';
import { hanoiDayStart, isoWeekBounds, nextDay } from './hanoi-week.js';
import type { QaTurnSource, SampleCandidate } from './qa-turn-source.js';
import { REVIEW_VERDICTS, type ReviewedAccuracy, type ReviewItem, type ReviewVerdict } from './review-item.js';
import { allocateStratified, drawOrder } from './stratified-sample.js';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'review items and marks',
    sql: `
      CREATE TABLE review_items (
        id            TEXT PRIMARY KEY,
        week          TEXT NOT NULL,
        turn_id       TEXT NOT NULL UNIQUE,
        at            TEXT NOT NULL,
        channel       TEXT NOT NULL,
        status        TEXT NOT NULL,
        status_family TEXT NOT NULL,
        question      TEXT NOT NULL,
        answer        TEXT NOT NULL,
        procedure_ids TEXT NOT NULL,
        drawn_at      TEXT NOT NULL,
        verdict       TEXT CHECK (verdict IN (${REVIEW_VERDICTS.map((v) => `'${v}'`).join(', ')})),
        comment       TEXT,
        reviewer_id   TEXT,
        reviewer_name TEXT,
        reviewed_at   TEXT
      );
      CREATE INDEX review_items_week ON review_items (week, at);
      CREATE INDEX review_items_at ON review_items (at);
      -- Every mark ever given, so a changed mark leaves a trace of who said what first.
      CREATE TABLE review_marks (
        id            INTEGER PRIMARY KEY,
        item_id       TEXT NOT NULL REFERENCES review_items (id),
        verdict       TEXT NOT NULL,
        comment       TEXT,
        reviewer_id   TEXT NOT NULL,
        reviewer_name TEXT NOT NULL,
        at            TEXT NOT NULL
      );
    `,
  },
];

interface ItemRow {
  id: string;
  week: string;
  turn_id: string;
  at: string;
  channel: string;
  status: string;
  status_family: string;
  question: string;
  answer: string;
  procedure_ids: string;
  drawn_at: string;
  verdict: ReviewVerdict | null;
  comment: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  reviewed_at: string | null;
}

const toItem = (r: ItemRow): ReviewItem => ({
  id: r.id,
  week: r.week,
  turnId: r.turn_id,
  at: r.at,
  channel: r.channel,
  status: r.status,
  statusFamily: r.status_family,
  question: r.question,
  answer: r.answer,
  procedureIds: JSON.parse(r.procedure_ids) as string[],
  drawnAt: r.drawn_at,
  verdict: r.verdict,
  comment: r.comment,
  reviewer: r.reviewer_id ? { id: r.reviewer_id, name: r.reviewer_name ?? '' } : null,
  reviewedAt: r.reviewed_at,
});

/** Channel and status family: the strata of the weekly sample. */
const stratumOf = (channel: string, status: string) => `${channel}|${statusFamily(status as AnswerStatus)}`;

export const MAX_REVIEW_COMMENT_CHARS = 2_000;

export interface ReviewQueueOptions {
  /** Where `review.sqlite` lives (DATA_DIR), or in memory. */
  location: SqliteLocation;
  /** Live answers to draw from; the queue closes it. */
  source: QaTurnSource;
  /** REVIEW_SAMPLE_PER_WEEK. */
  perWeek: number;
  /** Makes the draw reproducible; each week is drawn with `${seed}:${week}`. */
  seed?: string;
  now?: () => Date;
}

export interface WeekProgress {
  week: string;
  total: number;
  reviewed: number;
}

/**
 * The staff review queue in `review.sqlite`: each Hanoi ISO week a stratified sample of live
 * answers (by channel and status family), drawn when first asked for and topped up while the
 * week's log grows, never the same turn twice; officers mark each correct, incorrect or
 * incomplete, and the reviewed accuracy feeds the evaluation report.
 */
export class ReviewQueue {
  private readonly db: Database.Database;
  private readonly source: QaTurnSource;
  private readonly perWeek: number;
  private readonly seed: string;
  private readonly now: () => Date;

  constructor(options: ReviewQueueOptions) {
    this.db = openSqliteDatabase(options.location, 'review.sqlite');
    applyMigrations(this.db, MIGRATIONS);
    this.source = options.source;
    this.perWeek = options.perWeek;
    this.seed = options.seed ?? 'ccai-review';
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Draws the week's sample, or tops it up to `perWeek` with turns asked since the last draw.
   * Allocation is over all of the week's turns so far; strata already holding their share get
   * nothing more. One write transaction, so concurrent callers cannot draw twice.
   */
  ensureWeek(week: string): WeekProgress & { added: number } {
    const { from, to } = isoWeekBounds(week);
    const drawnAt = this.now().toISOString();
    const draw = this.db.transaction(() => {
      const existing = this.db.prepare<[string], { turn_id: string; channel: string; status: string }>('SELECT turn_id, channel, status FROM review_items WHERE week = ?').all(week);
      const budget = this.perWeek - existing.length;
      if (budget <= 0 || from > drawnAt) return 0;
      const candidates = this.source.candidates(from, to);
      const strata = new Map<string, SampleCandidate[]>();
      for (const c of candidates) {
        const key = stratumOf(c.channel, c.status);
        strata.set(key, [...(strata.get(key) ?? []), c]);
      }
      const allocation = allocateStratified(new Map([...strata].map(([k, v]) => [k, v.length])), this.perWeek);
      const have = new Map<string, number>();
      for (const e of existing) have.set(stratumOf(e.channel, e.status), (have.get(stratumOf(e.channel, e.status)) ?? 0) + 1);
      const taken = new Set(existing.map((e) => e.turn_id));
      const seed = `${this.seed}:${week}`;
      const chosen: string[] = [];
      for (const key of [...allocation.keys()].sort()) {
        const need = Math.min(allocation.get(key)! - (have.get(key) ?? 0), budget - chosen.length);
        if (need <= 0) continue;
        const order = strata
          .get(key)!
          .filter((c) => !taken.has(c.id))
          .map((c) => ({ id: c.id, rank: drawOrder(seed, c.id) }))
          .sort((a, b) => (a.rank < b.rank ? -1 : 1));
        chosen.push(...order.slice(0, need).map((c) => c.id));
      }
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO review_items (id, week, turn_id, at, channel, status, status_family, question, answer, procedure_ids, drawn_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let added = 0;
      for (const t of this.source.turns(chosen)) {
        added += insert.run(randomUUID(), week, t.id, t.at, t.channel, t.status, statusFamily(t.status as AnswerStatus), t.question, t.answer, JSON.stringify(t.procedureIds), drawnAt).changes;
      }
      return added;
    });
    const added = draw.immediate();
    return { ...this.progress(week), added };
  }

  /** The week's items in the order asked; `pending` = not yet marked, `done` = marked. */
  items(week: string, status?: 'pending' | 'done'): ReviewItem[] {
    const filter = status === 'pending' ? 'AND verdict IS NULL' : status === 'done' ? 'AND verdict IS NOT NULL' : '';
    return this.db.prepare<[string], ItemRow>(`SELECT * FROM review_items WHERE week = ? ${filter} ORDER BY at, id`).all(week).map(toItem);
  }

  get(id: string): ReviewItem | undefined {
    const row = this.db.prepare<[string], ItemRow>('SELECT * FROM review_items WHERE id = ?').get(id);
    return row ? toItem(row) : undefined;
  }

  progress(week: string): WeekProgress {
    const r = this.db.prepare<[string], { total: number; reviewed: number | null }>('SELECT COUNT(*) AS total, SUM(verdict IS NOT NULL) AS reviewed FROM review_items WHERE week = ?').get(week)!;
    return { week, total: r.total, reviewed: r.reviewed ?? 0 };
  }

  /** Weeks that have a sample, newest first. */
  weeks(limit = 26): WeekProgress[] {
    return this.db
      .prepare<[number], WeekProgress>('SELECT week, COUNT(*) AS total, SUM(verdict IS NOT NULL) AS reviewed FROM review_items GROUP BY week ORDER BY week DESC LIMIT ?')
      .all(limit);
  }

  /** Marks (or re-marks) an item; undefined when there is no such item. The comment is trimmed; empty means none. */
  mark(id: string, input: { verdict: ReviewVerdict; comment?: string | null; reviewer: { id: string; name: string } }): ReviewItem | undefined {
    if (!REVIEW_VERDICTS.includes(input.verdict)) throw new RangeError(`verdict must be one of ${REVIEW_VERDICTS.join(', ')}`);
    const comment = input.comment?.trim().slice(0, MAX_REVIEW_COMMENT_CHARS) || null;
    const at = this.now().toISOString();
    const changed = this.db.transaction(() => {
      const n = this.db
        .prepare('UPDATE review_items SET verdict = ?, comment = ?, reviewer_id = ?, reviewer_name = ?, reviewed_at = ? WHERE id = ?')
        .run(input.verdict, comment, input.reviewer.id, input.reviewer.name, at, id).changes;
      if (n) {
        this.db
          .prepare('INSERT INTO review_marks (item_id, verdict, comment, reviewer_id, reviewer_name, at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(id, input.verdict, comment, input.reviewer.id, input.reviewer.name, at);
      }
      return n;
    })();
    return changed ? this.get(id) : undefined;
  }

  /** Every mark an item received, oldest first (who changed what). */
  history(id: string): Array<{ verdict: ReviewVerdict; comment: string | null; reviewer: { id: string; name: string }; at: string }> {
    return this.db
      .prepare<[string], { verdict: ReviewVerdict; comment: string | null; reviewer_id: string; reviewer_name: string; at: string }>('SELECT * FROM review_marks WHERE item_id = ? ORDER BY id')
      .all(id)
      .map((r) => ({ verdict: r.verdict, comment: r.comment, reviewer: { id: r.reviewer_id, name: r.reviewer_name }, at: r.at }));
  }

  /** The reviewed answers asked between two Hanoi days (inclusive), with the reviewers' comments, newest first. */
  reviewedAccuracy(range: { from: string; to: string }): ReviewedAccuracy {
    const rows = this.db
      .prepare<[string, string], ItemRow>('SELECT * FROM review_items WHERE at >= ? AND at < ? AND verdict IS NOT NULL ORDER BY reviewed_at DESC, id')
      .all(hanoiDayStart(range.from), hanoiDayStart(nextDay(range.to)));
    const count = (v: ReviewVerdict) => rows.filter((r) => r.verdict === v).length;
    const correct = count('correct');
    return {
      from: range.from,
      to: range.to,
      reviewed: rows.length,
      correct,
      incorrect: count('incorrect'),
      incomplete: count('incomplete'),
      accuracy: rows.length ? correct / rows.length : null,
      comments: rows
        .filter((r) => r.comment)
        .map((r) => ({ itemId: r.id, week: r.week, verdict: r.verdict!, comment: r.comment!, reviewer: r.reviewer_name ?? '', reviewedAt: r.reviewed_at!, question: r.question })),
    };
  }

  /**
   * Deletes the copies (and marks) of these Q&A turns: a citizen's conversation erased on request
   * leaves nothing of it here either. Returns how many items went.
   */
  forgetTurns(turnIds: readonly string[]): number {
    const items = this.db.prepare<[string], { id: string }>('SELECT id FROM review_items WHERE turn_id = ?');
    const dropMarks = this.db.prepare('DELETE FROM review_marks WHERE item_id = ?');
    const dropItem = this.db.prepare('DELETE FROM review_items WHERE id = ?');
    return this.db.transaction(() => {
      let n = 0;
      for (const turnId of turnIds) {
        const row = items.get(turnId);
        if (!row) continue;
        dropMarks.run(row.id);
        n += dropItem.run(row.id).changes;
      }
      return n;
    })();
  }

  close(): void {
    this.source.close();
    if (this.db.open) this.db.close();
  }
}
