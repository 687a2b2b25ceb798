import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import { QA_LOG_MIGRATIONS } from '../qa-log/sqlite-qa-log-store.js';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { dayStartIso, hanoiDayNumber, monthKey, monthStart, nextMonth } from './hanoi-calendar.js';
import { VOICE_CHANNEL, ZERO_COUNTS, type DaySpan, type KeyKind, type SpanCounts, type SpanRequest, type StatsSource } from './stats-source.js';

interface DailyRow {
  turns: number;
  unanswered: number;
  refused: number;
  conversations: number;
  ratings: number;
  ratings_positive: number;
  score_sum: number;
  score_count: number;
}
interface CallsRow {
  calls: number;
  callers: number;
  talk: number;
  transferred: number;
  reached: number;
}
interface HandoffRow {
  day: number;
  channel: string;
  reason: string;
}

const DAILY_COLUMNS = `coalesce(sum(turns), 0) AS turns, coalesce(sum(unanswered), 0) AS unanswered, coalesce(sum(refused), 0) AS refused,
  coalesce(sum(CASE WHEN channel <> '${VOICE_CHANNEL}' THEN conversations ELSE 0 END), 0) AS conversations,
  coalesce(sum(ratings), 0) AS ratings, coalesce(sum(ratings_positive), 0) AS ratings_positive,
  coalesce(sum(score_sum), 0) AS score_sum, coalesce(sum(score_count), 0) AS score_count`;

const CALL_COLUMNS = `count(*) AS calls, count(DISTINCT user_key) AS callers, coalesce(sum(duration_s), 0) AS talk,
  coalesce(sum(outcome = 'transferred'), 0) AS transferred, coalesce(sum(outcome IS NOT NULL AND outcome <> 'abandoned'), 0) AS reached`;

/**
 * The statistics read from the SQLite files under DATA_DIR:
 *
 * - `qa-log.sqlite` rollups (never `qa_turns`): turns, statuses, procedures, aspects, chat
 *   conversations, chat users, ratings. Voice turns count as turns; voice users and conversations
 *   come from the calls, since every voice turn happens in a call whose caller hash is the turn's.
 * - `calls.sqlite` `calls` by `started_at` (the call's Hanoi day): calls, distinct callers, talk
 *   time (`duration_s`), transfers and their reasons.
 * - `handoff.sqlite` `conversations` by `created_at`: chat handoffs and their reasons.
 *
 * A missing calls or handoff file counts as zero (a fresh install has none); the file is opened
 * when it first appears.
 */
export class SqliteStatsSource implements StatsSource {
  private readonly dataDir: string;
  private readonly qa: Database.Database;
  private readonly stmt;
  private calls: { db: Database.Database; span: Database.Statement<[string, string], CallsRow>; reasons: Database.Statement<[string, string], { reason: string; count: number }> } | null = null;
  private handoff: { db: Database.Database; rows: Database.Statement<[string, string], { created_at: string; channel: string; reason: string }> } | null = null;

  constructor(options: { dataDir: string }) {
    this.dataDir = options.dataDir;
    this.qa = openSqliteDatabase({ dataDir: this.dataDir }, 'qa-log.sqlite');
    applyMigrations(this.qa, QA_LOG_MIGRATIONS);
    this.stmt = {
      daily: this.qa.prepare<[number, number], DailyRow>(`SELECT ${DAILY_COLUMNS} FROM qa_stats_daily WHERE day BETWEEN ? AND ?`),
      dailyChannel: this.qa.prepare<[number, number, string], DailyRow>(
        `SELECT ${DAILY_COLUMNS} FROM qa_stats_daily WHERE day BETWEEN ? AND ? AND channel = ?`,
      ),
      // Distinct users = user-days in the span whose previous day is before it (see qa-stats-rollups.ts).
      users: this.qa.prepare<[number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM qa_user_days WHERE day BETWEEN ? AND ? AND prev_day < ? AND channel <> '${VOICE_CHANNEL}'`,
      ),
      usersChannel: this.qa.prepare<[string, number, number, number], { n: number }>(
        'SELECT count(*) AS n FROM qa_user_days WHERE channel = ? AND day BETWEEN ? AND ? AND prev_day < ?',
      ),
      channels: this.qa.prepare<[number, number], { channel: string }>('SELECT DISTINCT channel FROM qa_stats_daily WHERE day BETWEEN ? AND ?'),
    };
  }

  async counts(requests: readonly SpanRequest[]): Promise<SpanCounts[]> {
    const calls = this.callsDb();
    const handoffs = this.handoffRows(requests.map((r) => r.span));
    // The same span's calls are the same for "all channels" and for "voice": read them once.
    const callsBySpan = new Map<string, CallsRow>();
    return requests.map(({ span, channel }) => {
      const daily = channel === undefined ? this.stmt.daily.get(span.from, span.to)! : this.stmt.dailyChannel.get(span.from, span.to, channel)!;
      const chatUsers =
        channel === undefined
          ? this.stmt.users.get(span.from, span.to, span.from)!.n
          : channel === VOICE_CHANNEL
            ? 0
            : this.stmt.usersChannel.get(channel, span.from, span.to, span.from)!.n;
      let call: CallsRow | undefined;
      if (calls && (channel === undefined || channel === VOICE_CHANNEL)) {
        const key = `${span.from}:${span.to}`;
        call = callsBySpan.get(key);
        if (!call) {
          call = calls.span.get(dayStartIso(span.from), dayStartIso(span.to + 1))!;
          callsBySpan.set(key, call);
        }
      }
      return {
        ...ZERO_COUNTS,
        chatUsers,
        chatConversations: daily.conversations,
        turns: daily.turns,
        unanswered: daily.unanswered,
        refused: daily.refused,
        ratings: daily.ratings,
        ratingsPositive: daily.ratings_positive,
        scoreSum: daily.score_sum,
        scoreCount: daily.score_count,
        ...(call
          ? { calls: call.calls, callers: call.callers, talkSeconds: call.talk, callsTransferred: call.transferred, callsReachedBot: call.reached }
          : {}),
        chatHandoffs: countHandoffs(handoffs, span, channel),
      };
    });
  }

  async channels(span: DaySpan): Promise<string[]> {
    const found = new Set(this.stmt.channels.all(span.from, span.to).map((r) => r.channel));
    const calls = this.callsDb();
    if (calls && calls.span.get(dayStartIso(span.from), dayStartIso(span.to + 1))!.calls > 0) found.add(VOICE_CHANNEL);
    for (const row of this.handoffRows([span])) found.add(row.channel);
    return [...found].sort();
  }

  async keyCounts(kind: KeyKind, span: DaySpan, channel?: string, limit = 1_000_000): Promise<Array<{ key: string; count: number }>> {
    // Procedures: whole months from the monthly rollup, the days before and after them from the
    // daily one. Statuses and aspects (a few keys a day): the daily rollup.
    let firstMonth = monthKey(span.from);
    if (monthStart(firstMonth) < span.from) firstMonth = nextMonth(firstMonth);
    let lastMonth = monthKey(span.to);
    if (monthStart(nextMonth(lastMonth)) - 1 > span.to) lastMonth = monthKey(monthStart(lastMonth) - 1);
    const parts: string[] = [];
    const params: Array<string | number> = [];
    const channelSql = channel === undefined ? '' : ' AND channel = ?';
    const daily = (from: number, to: number) => {
      if (from > to) return;
      parts.push(`SELECT key, turns FROM qa_stats_daily_counts WHERE kind = ? AND day BETWEEN ? AND ?${channelSql}`);
      params.push(kind, from, to, ...(channel === undefined ? [] : [channel]));
    };
    if (kind !== 'procedure' || firstMonth > lastMonth) {
      daily(span.from, span.to);
    } else {
      daily(span.from, monthStart(firstMonth) - 1);
      parts.push(`SELECT procedure_id AS key, turns FROM qa_stats_monthly_procedures WHERE month BETWEEN ? AND ?${channelSql}`);
      params.push(firstMonth, lastMonth, ...(channel === undefined ? [] : [channel]));
      daily(monthStart(nextMonth(lastMonth)), span.to);
    }
    const sql = `SELECT key, sum(turns) AS count FROM (${parts.join(' UNION ALL ')}) GROUP BY key ORDER BY count DESC, key LIMIT ?`;
    return this.qa.prepare<Array<string | number>, { key: string; count: number }>(sql).all(...params, limit);
  }

  async handoffReasons(span: DaySpan, channel?: string): Promise<Array<{ reason: string; channelKind: 'chat' | 'voice'; count: number }>> {
    const out: Array<{ reason: string; channelKind: 'chat' | 'voice'; count: number }> = [];
    if (channel !== VOICE_CHANNEL) {
      const byReason = new Map<string, number>();
      for (const row of this.handoffRows([span])) {
        if (row.day < span.from || row.day > span.to || (channel !== undefined && row.channel !== channel)) continue;
        byReason.set(row.reason, (byReason.get(row.reason) ?? 0) + 1);
      }
      for (const [reason, count] of byReason) out.push({ reason, channelKind: 'chat', count });
    }
    const calls = this.callsDb();
    if (calls && (channel === undefined || channel === VOICE_CHANNEL)) {
      for (const r of calls.reasons.all(dayStartIso(span.from), dayStartIso(span.to + 1))) out.push({ reason: r.reason, channelKind: 'voice', count: r.count });
    }
    return out.sort((a, b) => b.count - a.count || a.channelKind.localeCompare(b.channelKind) || a.reason.localeCompare(b.reason));
  }

  async close(): Promise<void> {
    for (const db of [this.qa, this.calls?.db, this.handoff?.db]) if (db?.open) db.close();
  }

  /** calls.sqlite once it exists with its table; null before. */
  private callsDb() {
    if (this.calls) return this.calls;
    const db = this.openIfPresent('calls.sqlite', 'calls');
    if (!db) return null;
    this.calls = {
      db,
      span: db.prepare(`SELECT ${CALL_COLUMNS} FROM calls WHERE started_at >= ? AND started_at < ?`),
      reasons: db.prepare(
        `SELECT coalesce(transfer_reason, 'unknown') AS reason, count(*) AS count FROM calls
         WHERE started_at >= ? AND started_at < ? AND outcome = 'transferred' GROUP BY 1`,
      ),
    };
    return this.calls;
  }

  /**
   * The chat handoffs from the first span's start to the last span's end, oldest first. The
   * table has no index on `created_at` (and is not this module's to change), but it holds one row
   * per handoff, so one filtered pass per report is cheap; spans are then counted in memory.
   */
  private handoffRows(spans: readonly DaySpan[]): HandoffRow[] {
    if (spans.length === 0) return [];
    if (!this.handoff) {
      const db = this.openIfPresent('handoff.sqlite', 'conversations');
      if (!db) return [];
      this.handoff = {
        db,
        rows: db.prepare(
          `SELECT created_at, channel, reason FROM conversations WHERE created_at >= ? AND created_at < ? AND channel <> '${VOICE_CHANNEL}'`,
        ),
      };
    }
    const from = Math.min(...spans.map((s) => s.from));
    const to = Math.max(...spans.map((s) => s.to));
    return this.handoff.rows
      .all(dayStartIso(from), dayStartIso(to + 1))
      .map((r) => ({ day: hanoiDayNumber(r.created_at), channel: r.channel, reason: r.reason }))
      .sort((a, b) => a.day - b.day);
  }

  private openIfPresent(file: string, table: string): Database.Database | null {
    if (!existsSync(join(this.dataDir, file))) return null;
    const db = openSqliteDatabase({ dataDir: this.dataDir }, file);
    const found = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (found) return db;
    db.close();
    return null;
  }
}

/** Handoffs in a span (rows sorted by day): two binary searches. */
function countHandoffs(rows: readonly HandoffRow[], span: DaySpan, channel: string | undefined): number {
  if (channel === VOICE_CHANNEL) return 0;
  if (channel !== undefined) return rows.filter((r) => r.channel === channel && r.day >= span.from && r.day <= span.to).length;
  return lowerBound(rows, span.to + 1) - lowerBound(rows, span.from);
}

function lowerBound(rows: readonly HandoffRow[], day: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.day < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
