import type Database from 'better-sqlite3';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';

/** The parts of a Q&A turn the sampler needs: the strata first, the texts only for those drawn. */
export interface SampleCandidate {
  id: string;
  at: string;
  channel: string;
  status: string;
}

export interface SampleTurn extends SampleCandidate {
  question: string;
  answer: string;
  procedureIds: string[];
}

/**
 * Where the review queue reads live answers. Synchronous on purpose: the queue draws inside one
 * SQLite write transaction, so two server workers opening the page at once cannot both draw.
 */
export interface QaTurnSource {
  /** Turns with `from <= at < to` (ISO UTC). */
  candidates(from: string, to: string): SampleCandidate[];
  turns(ids: readonly string[]): SampleTurn[];
  close(): void;
}

/** Reads `qa_turns` of `${dataDir}/qa-log.sqlite` (written by SqliteQaLogStore) on its own connection. */
export class SqliteQaTurnSource implements QaTurnSource {
  private readonly db: Database.Database;

  constructor(location: SqliteLocation) {
    this.db = openSqliteDatabase(location, 'qa-log.sqlite');
  }

  /** Before the log's first turn the table may not exist yet: nothing to draw. */
  private hasTurns(): boolean {
    return !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'qa_turns'").get();
  }

  candidates(from: string, to: string): SampleCandidate[] {
    if (!this.hasTurns()) return [];
    return this.db.prepare<[string, string], SampleCandidate>('SELECT id, at, channel, status FROM qa_turns WHERE at >= ? AND at < ? ORDER BY at, id').all(from, to);
  }

  turns(ids: readonly string[]): SampleTurn[] {
    if (ids.length === 0 || !this.hasTurns()) return [];
    const out: SampleTurn[] = [];
    const get = this.db.prepare<[string], { id: string; at: string; channel: string; status: string; question: string; answer: string; procedure_ids: string }>(
      'SELECT id, at, channel, status, question, answer, procedure_ids FROM qa_turns WHERE id = ?',
    );
    for (const id of ids) {
      const r = get.get(id);
      if (r) out.push({ id: r.id, at: r.at, channel: r.channel, status: r.status, question: r.question, answer: r.answer, procedureIds: JSON.parse(r.procedure_ids) as string[] });
    }
    return out;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
