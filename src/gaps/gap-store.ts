import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'gaps out of scope and actions',
    sql: `
      CREATE TABLE gap_out_of_scope (
        key        TEXT PRIMARY KEY,
        label      TEXT NOT NULL,
        comment    TEXT,
        staff_id   TEXT NOT NULL,
        staff_name TEXT NOT NULL,
        marked_at  TEXT NOT NULL
      );
      CREATE TABLE gap_actions (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        at           TEXT NOT NULL,
        staff_id     TEXT NOT NULL,
        staff_name   TEXT NOT NULL,
        action       TEXT NOT NULL CHECK (action IN ('alias', 'note', 'out_of_scope', 'in_scope')),
        group_key    TEXT,
        procedure_id TEXT,
        text         TEXT,
        comment      TEXT
      );
      CREATE INDEX gap_actions_at ON gap_actions (at);
    `,
  },
];

/** Who did something on the review list. */
export interface GapActor {
  id: string;
  name: string;
}

export interface OutOfScopeMark {
  key: string;
  label: string;
  comment: string | null;
  by: GapActor;
  at: string;
}

export type GapActionKind = 'alias' | 'note' | 'out_of_scope' | 'in_scope';

export interface GapAction {
  seq: number;
  at: string;
  by: GapActor;
  action: GapActionKind;
  groupKey: string | null;
  procedureId: string | null;
  text: string | null;
  comment: string | null;
}

export type NewGapAction = Omit<GapAction, 'seq'>;

/**
 * `DATA_DIR/gaps.sqlite`: the groups officers marked out of scope, and every action taken from
 * the review list (who, when, what), kept for audit.
 */
export class SqliteGapStore {
  private readonly db: Database.Database;

  constructor(location: SqliteLocation) {
    this.db = openSqliteDatabase(location, 'gaps.sqlite');
    applyMigrations(this.db, MIGRATIONS);
  }

  outOfScope(): Map<string, OutOfScopeMark> {
    const rows = this.db
      .prepare<[], { key: string; label: string; comment: string | null; staff_id: string; staff_name: string; marked_at: string }>(
        'SELECT * FROM gap_out_of_scope',
      )
      .all();
    return new Map(rows.map((r) => [r.key, { key: r.key, label: r.label, comment: r.comment, by: { id: r.staff_id, name: r.staff_name }, at: r.marked_at }]));
  }

  /** Marks (or re-marks, replacing the comment) a group out of scope, and records the action. */
  markOutOfScope(mark: OutOfScopeMark): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO gap_out_of_scope (key, label, comment, staff_id, staff_name, marked_at) VALUES (@key, @label, @comment, @staffId, @staffName, @at)
           ON CONFLICT (key) DO UPDATE SET label = excluded.label, comment = excluded.comment, staff_id = excluded.staff_id,
             staff_name = excluded.staff_name, marked_at = excluded.marked_at`,
        )
        .run({ key: mark.key, label: mark.label, comment: mark.comment, staffId: mark.by.id, staffName: mark.by.name, at: mark.at });
      this.insertAction({ at: mark.at, by: mark.by, action: 'out_of_scope', groupKey: mark.key, procedureId: null, text: mark.label, comment: mark.comment });
    })();
  }

  /** Removes the mark; false when the group was not marked. */
  unmarkOutOfScope(key: string, by: GapActor, at: string): boolean {
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM gap_out_of_scope WHERE key = ?').run(key).changes > 0;
      if (removed) this.insertAction({ at, by, action: 'in_scope', groupKey: key, procedureId: null, text: null, comment: null });
      return removed;
    })();
  }

  recordAction(action: NewGapAction): void {
    this.insertAction(action);
  }

  /** Newest first. */
  actions(limit: number): GapAction[] {
    const rows = this.db
      .prepare<[number], { seq: number; at: string; staff_id: string; staff_name: string; action: GapActionKind; group_key: string | null; procedure_id: string | null; text: string | null; comment: string | null }>(
        'SELECT * FROM gap_actions ORDER BY seq DESC LIMIT ?',
      )
      .all(limit);
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      by: { id: r.staff_id, name: r.staff_name },
      action: r.action,
      groupKey: r.group_key,
      procedureId: r.procedure_id,
      text: r.text,
      comment: r.comment,
    }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private insertAction(a: NewGapAction): void {
    this.db
      .prepare(
        `INSERT INTO gap_actions (at, staff_id, staff_name, action, group_key, procedure_id, text, comment)
         VALUES (@at, @staffId, @staffName, @action, @groupKey, @procedureId, @text, @comment)`,
      )
      .run({ at: a.at, staffId: a.by.id, staffName: a.by.name, action: a.action, groupKey: a.groupKey, procedureId: a.procedureId, text: a.text, comment: a.comment });
  }
}
