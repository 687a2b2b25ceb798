import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { ANSWER_STATUSES, statusFamily, type AnswerStatus } from '../domain/answer.js';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';

/** Why a turn is on the review list. */
export type GapReason = 'unanswered' | 'refused' | 'handoff' | 'negative_rating';
export const GAP_REASONS: readonly GapReason[] = ['unanswered', 'refused', 'handoff', 'negative_rating'];

/** A turn the assistant did not get right, as the review list needs it (redacted text only). */
export interface GapTurn {
  id: string;
  at: string;
  channel: string;
  sessionId: string;
  question: string;
  status: string;
  procedureIds: string[];
  reasons: GapReason[];
}

export interface GapTurnQuery {
  /** UTC instants, `from` inclusive, `to` exclusive (ISO, as stored). */
  fromAt: string;
  toAt: string;
  channel?: string;
  /** At most this many turns of each kind are read, newest first (bounded work on a big log). */
  limit: number;
}

export interface GapTurnsRead {
  turns: GapTurn[];
  /** True when a limit cut the list: the oldest turns of the range were not read. */
  truncated: boolean;
}

/** The statuses whose family means the assistant did not answer: unanswerable, error, guardrail, handoff. */
const REASON_OF_FAMILY: Record<string, GapReason> = { unanswerable: 'unanswered', error: 'unanswered', guardrail: 'refused', handoff: 'handoff' };
const GAP_STATUSES: readonly AnswerStatus[] = ANSWER_STATUSES.filter((s) => statusFamily(s) in REASON_OF_FAMILY);

/** How far before a rating or a handoff the turn it is about may lie (a conversation is short). */
const LOOKBACK_MS = 24 * 3600_000;

interface TurnRow {
  id: string;
  at: string;
  channel: string;
  session_id: string;
  question: string;
  status: string;
  procedure_ids: string;
}

/**
 * Reads the turns to review from `qa-log.sqlite` (and `handoff.sqlite` when present): turns
 * that ended unanswered, refused or handed off, the last turn before a conversation was put in
 * the officers' queue, and the last turn before a negative rating (not useful, or 1–2 of 5).
 * Every query walks an index (`at`, `status`) over the range only.
 */
export class GapTurnReader {
  private qa: Database.Database | undefined;
  private handoff: Database.Database | undefined;

  constructor(private readonly location: SqliteLocation) {}

  read(q: GapTurnQuery): GapTurnsRead {
    const qa = this.qaDb();
    if (!qa) return { turns: [], truncated: false };
    const byId = new Map<string, GapTurn>();
    let truncated = false;
    const add = (row: TurnRow, reason: GapReason) => {
      const seen = byId.get(row.id);
      if (seen) {
        if (!seen.reasons.includes(reason)) seen.reasons.push(reason);
        return;
      }
      byId.set(row.id, {
        id: row.id,
        at: row.at,
        channel: row.channel,
        sessionId: row.session_id,
        question: row.question,
        status: row.status,
        procedureIds: parseIds(row.procedure_ids),
        reasons: [reason],
      });
    };

    const channelSql = q.channel ? 'AND channel = @channel' : '';
    const params = { from: q.fromAt, to: q.toAt, channel: q.channel ?? null, limit: q.limit };
    const statusList = GAP_STATUSES.map((s) => `'${s}'`).join(', ');
    const failed = qa
      .prepare<typeof params, TurnRow>(
        `SELECT id, at, channel, session_id, question, status, procedure_ids FROM qa_turns
         WHERE status IN (${statusList}) AND at >= @from AND at < @to ${channelSql}
         ORDER BY at DESC LIMIT @limit`,
      )
      .all(params);
    if (failed.length === q.limit) truncated = true;
    for (const row of failed) add(row, REASON_OF_FAMILY[statusFamily(row.status as AnswerStatus)]!);

    // The turn right before each negative rating of the range (same conversation).
    const lastTurn = qa.prepare<{ session: string; from: string; at: string }, TurnRow>(
      `SELECT id, at, channel, session_id, question, status, procedure_ids FROM qa_turns
       WHERE session_id = @session AND at >= @from AND at <= @at ORDER BY at DESC, rowid DESC LIMIT 1`,
    );
    const before = (session: string, at: string) => lastTurn.get({ session, at, from: new Date(Date.parse(at) - LOOKBACK_MS).toISOString() });
    if (hasTable(qa, 'qa_ratings')) {
      const ratings = qa
        .prepare<typeof params, { session_id: string; at: string }>(
          `SELECT session_id, at FROM qa_ratings
           WHERE at >= @from AND at < @to AND (useful = 0 OR score <= 2) ${channelSql}
           ORDER BY at DESC LIMIT @limit`,
        )
        .all(params);
      if (ratings.length === q.limit) truncated = true;
      for (const r of ratings) {
        const row = before(r.session_id, r.at);
        if (row) add(row, 'negative_rating');
      }
    }

    // Conversations put in the officers' queue: the citizen's last question before it.
    const handoff = this.handoffDb();
    if (handoff) {
      const conversations = handoff
        .prepare<typeof params, { session_id: string; created_at: string }>(
          `SELECT session_id, created_at FROM conversations
           WHERE created_at >= @from AND created_at < @to ${channelSql}
           ORDER BY created_at DESC LIMIT @limit`,
        )
        .all(params);
      if (conversations.length === q.limit) truncated = true;
      for (const c of conversations) {
        const row = before(c.session_id, c.created_at);
        if (row) add(row, 'handoff');
      }
    }
    return { turns: [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)), truncated };
  }

  close(): void {
    this.qa?.close();
    this.handoff?.close();
  }

  /** Opened on first use: the Q&A log store creates the file and its tables. */
  private qaDb(): Database.Database | undefined {
    this.qa ??= this.open('qa-log.sqlite', 'qa_turns');
    return this.qa;
  }

  private handoffDb(): Database.Database | undefined {
    this.handoff ??= this.open('handoff.sqlite', 'conversations');
    return this.handoff;
  }

  private open(file: string, table: string): Database.Database | undefined {
    if (this.location !== ':memory:' && !existsSync(join(this.location.dataDir, file))) return undefined;
    const db = openSqliteDatabase(this.location, file);
    if (!hasTable(db, table)) {
      db.close();
      return undefined;
    }
    return db;
  }
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function parseIds(json: string): string[] {
  try {
    const ids = JSON.parse(json) as unknown;
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
