import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { applyMigrations } from '../catalogue/sqlite-catalogue-store.js';
import { QA_LOG_MIGRATIONS } from '../qa-log/sqlite-qa-log-store.js';
import { foldQaStats } from './qa-stats-rollups.js';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { CallsMirror } from './calls-mirror.js';
import { dayStartIso, hanoiDayNumber, monthKey, monthStart, nextMonth } from '../domain/hanoi-calendar.js';
import {
  VOICE_CHANNEL,
  zeroCounts,
  type DaySpan,
  type FiguresRequest,
  type FiguresResult,
  type KeyKind,
  type SpanCounts,
  type StatsSource,
} from './stats-source.js';

type DailyRow = [day: number, channel: string, turns: number, unanswered: number, refused: number, conversations: number, ratings: number, positive: number, scoreSum: number, scoreCount: number];
interface HandoffRow {
  day: number;
  channel: string;
  reason: string;
}

/**
 * The statistics read from the SQLite files under DATA_DIR, each read once per report:
 *
 * - `qa-log.sqlite` rollups (never `qa_turns`): turns, statuses, procedures, aspects, chat
 *   conversations, chat users, ratings. Voice turns count as turns; voice users and conversations
 *   come from the calls, since every voice turn happens in a call whose caller hash is the turn's.
 * - `calls.sqlite` `calls` by `started_at` (the call's Hanoi day): calls, distinct callers, talk
 *   time (`duration_s`), transfers and their reasons, through an in-memory copy of the ended
 *   calls that each report brings up to date (calls-mirror.ts).
 * - `handoff.sqlite` `conversations` by `created_at`: chat handoffs and their reasons (one row per
 *   handoff; the table has no index on `created_at`, which is not this module's to add).
 *
 * A missing calls or handoff file counts as zero (a fresh install has none); the file is opened
 * when it first appears.
 */
export class SqliteStatsSource implements StatsSource {
  private readonly dataDir: string;
  private readonly qa: Database.Database;
  private readonly stmt;
  private calls: { db: Database.Database; mirror: CallsMirror } | null = null;
  private handoff: { db: Database.Database; rows: Database.Statement<[string, string], { created_at: string; channel: string; reason: string }> } | null = null;

  constructor(options: { dataDir: string }) {
    this.dataDir = options.dataDir;
    this.qa = openSqliteDatabase({ dataDir: this.dataDir }, 'qa-log.sqlite');
    applyMigrations(this.qa, QA_LOG_MIGRATIONS);
    this.stmt = {
      daily: this.qa
        .prepare<[number, number]>(
          `SELECT day, channel, turns, unanswered, refused, conversations, ratings, ratings_positive, score_sum, score_count
           FROM qa_stats_daily WHERE day BETWEEN ? AND ?`,
        )
        .raw(),
      // Distinct users = user-days in the span whose previous day is before it (see qa-stats-rollups.ts).
      users: this.qa.prepare<[number, number, number], { n: number }>(
        `SELECT count(*) AS n FROM qa_user_days WHERE day BETWEEN ? AND ? AND prev_day < ? AND channel <> '${VOICE_CHANNEL}'`,
      ),
      usersChannel: this.qa.prepare<[string, number, number, number], { n: number }>(
        'SELECT count(*) AS n FROM qa_user_days WHERE channel = ? AND day BETWEEN ? AND ? AND prev_day < ?',
      ),
    };
  }

  async figures(request: FiguresRequest): Promise<FiguresResult> {
    // Turns written since the last fold join the rollups first (the report reads figures before
    // the key counts), so a report never misses a turn.
    foldQaStats(this.qa);
    const { span, periods, channel } = request;
    const totals = zeroCounts();
    const series = periods.map(() => zeroCounts());
    const channels = new Map<string, SpanCounts>();
    const forChannel = (name: string) => {
      let c = channels.get(name);
      if (!c) channels.set(name, (c = zeroCounts()));
      return c;
    };
    const periodOf = (day: number) => {
      const i = upperBound(periods, day) - 1;
      return i >= 0 && day <= periods[i]!.to ? series[i] : undefined;
    };
    const wanted = (name: string) => channel === undefined || channel === name;

    // Q&A rollups: a few rows per day.
    for (const row of this.stmt.daily.all(span.from, span.to) as DailyRow[]) {
      if (!wanted(row[1])) continue;
      for (const target of [totals, forChannel(row[1]), periodOf(row[0])]) if (target) addDaily(target, row);
    }

    // Chat users: a user is a key within a channel, so all channels' users are the sum of each's.
    const chatChannels = [...channels.keys()].filter((c) => c !== VOICE_CHANNEL);
    for (const name of chatChannels) {
      forChannel(name).chatUsers = this.stmt.usersChannel.get(name, span.from, span.to, span.from)!.n;
      totals.chatUsers += forChannel(name).chatUsers;
    }
    periods.forEach((p, i) => {
      series[i]!.chatUsers =
        channel === undefined
          ? this.stmt.users.get(p.from, p.to, p.from)!.n
          : channel === VOICE_CHANNEL
            ? 0
            : this.stmt.usersChannel.get(channel, p.from, p.to, p.from)!.n;
    });

    // Calls: an in-memory copy brought up to date, summed per span.
    const reasons = new Map<string, { reason: string; channelKind: 'chat' | 'voice'; count: number }>();
    const calls = channel === undefined || channel === VOICE_CHANNEL ? this.callsMirror() : null;
    if (calls?.any(span)) {
      calls.addTo(totals, span);
      Object.assign(forChannel(VOICE_CHANNEL), pickCalls(totals));
      periods.forEach((p, i) => calls.addTo(series[i]!, p));
      for (const [reason, count] of calls.transferReasons(span)) reasons.set(`voice:${reason}`, { reason, channelKind: 'voice', count });
    }

    // Chat handoffs.
    if (channel !== VOICE_CHANNEL) {
      for (const row of this.handoffRows(span)) {
        if (!wanted(row.channel)) continue;
        for (const target of [totals, forChannel(row.channel), periodOf(row.day)]) if (target) target.chatHandoffs += 1;
        const key = `chat:${row.reason}`;
        const entry = reasons.get(key) ?? { reason: row.reason, channelKind: 'chat' as const, count: 0 };
        entry.count += 1;
        reasons.set(key, entry);
      }
    }

    const byChannel =
      channel !== undefined
        ? [{ channel, counts: totals }]
        : [...channels.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, counts]) => ({ channel: name, counts }));
    return {
      totals,
      byChannel,
      periods: series,
      handoffReasons: [...reasons.values()].sort(
        (a, b) => b.count - a.count || a.channelKind.localeCompare(b.channelKind) || a.reason.localeCompare(b.reason),
      ),
    };
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

  async close(): Promise<void> {
    for (const db of [this.qa, this.calls?.db, this.handoff?.db]) if (db?.open) db.close();
  }

  /** The calls, up to date; null before calls.sqlite exists. */
  private callsMirror(): CallsMirror | null {
    if (!this.calls) {
      const db = this.openIfPresent('calls.sqlite', 'calls');
      if (!db) return null;
      this.calls = { db, mirror: new CallsMirror(db) };
    }
    this.calls.mirror.sync();
    return this.calls.mirror;
  }

  /** The chat handoffs of a span (one filtered pass over the queue's table). */
  private handoffRows(span: DaySpan): HandoffRow[] {
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
    return this.handoff.rows.all(dayStartIso(span.from), dayStartIso(span.to + 1)).map((r) => ({ day: hanoiDayNumber(r.created_at), channel: r.channel, reason: r.reason }));
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

function addDaily(target: SpanCounts, row: DailyRow): void {
  target.turns += row[2];
  target.unanswered += row[3];
  target.refused += row[4];
  // Voice sessions are calls, counted from calls.sqlite.
  if (row[1] !== VOICE_CHANNEL) target.chatConversations += row[5];
  target.ratings += row[6];
  target.ratingsPositive += row[7];
  target.scoreSum += row[8];
  target.scoreCount += row[9];
}

function pickCalls(c: SpanCounts): Partial<SpanCounts> {
  return { calls: c.calls, callers: c.callers, talkSeconds: c.talkSeconds, callsTransferred: c.callsTransferred, callsReachedBot: c.callsReachedBot };
}

/** Index of the first period starting after `day` (periods sorted, contiguous). */
function upperBound(periods: readonly DaySpan[], day: number): number {
  let lo = 0;
  let hi = periods.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (periods[mid]!.from <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
