import type Database from 'better-sqlite3';
import { hanoiDayNumber } from '../domain/hanoi-calendar.js';
import type { DaySpan, SpanCounts } from './stats-source.js';

interface CallRow {
  rowid: number;
  started_at: string;
  user_key: string;
  duration_s: number | null;
  outcome: string | null;
  transfer_reason: string | null;
  ended: number;
}

/**
 * What the statistics need of `calls.sqlite`, kept in memory and brought up to date before each
 * report. Reading 50,000 call rows into JavaScript for every report would cost more than the rest
 * of a year's report; but a call's row never changes once it has ended (the call store updates
 * only rows with `ended_at IS NULL`), so ended calls are read once, and each sync reads only rows
 * added since (by rowid) and the calls still running. If the table has fewer rows than the copy
 * (rows deleted), the copy is rebuilt.
 *
 * Ended calls are kept sorted by Hanoi day in parallel arrays, so a span is a binary search and
 * a loop, and distinct callers are counted with a stamp per caller instead of a set.
 */
export class CallsMirror {
  private day: number[] = [];
  private caller: number[] = [];
  private duration: number[] = [];
  private outcome: Array<string | null> = [];
  private reason: Array<string | null> = [];
  private callerIds = new Map<string, number>();
  private maxRowid = 0;
  private running = new Set<number>();
  private live: Array<{ day: number; caller: number; outcome: string | null }> = [];
  private seen = new Int32Array(0);
  private stamp = 0;
  private readonly stmt;

  constructor(db: Database.Database) {
    const columns = 'rowid, started_at, user_key, duration_s, outcome, transfer_reason, ended_at IS NOT NULL AS ended';
    this.stmt = {
      after: db.prepare<[number], CallRow>(`SELECT ${columns} FROM calls WHERE rowid > ? ORDER BY rowid`),
      some: db.prepare<[string], CallRow>(`SELECT ${columns} FROM calls WHERE rowid IN (SELECT value FROM json_each(?))`),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM calls'),
    };
  }

  /** Reads what changed since the last sync. */
  sync(): void {
    this.read();
    // Rows deleted (or the file replaced): start again from the table.
    if (this.stmt.count.get()!.n !== this.day.length + this.running.size) {
      this.reset();
      this.read();
    }
  }

  private read(): void {
    const pending = this.running.size > 0 ? this.stmt.some.all(JSON.stringify([...this.running])) : [];
    const fresh = this.stmt.after.all(this.maxRowid);
    this.live = [];
    for (const row of [...pending, ...fresh]) {
      this.maxRowid = Math.max(this.maxRowid, row.rowid);
      const caller = this.callerId(row.user_key);
      const day = hanoiDayNumber(row.started_at);
      if (row.ended) {
        this.running.delete(row.rowid);
        this.insert(day, caller, row.duration_s ?? 0, row.outcome, row.outcome === 'transferred' ? (row.transfer_reason ?? 'unknown') : null);
      } else {
        this.running.add(row.rowid);
        this.live.push({ day, caller, outcome: row.outcome });
      }
    }
    if (this.seen.length < this.callerIds.size) {
      const grown = new Int32Array(Math.max(1024, this.callerIds.size * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
  }

  /** Adds the calls started in the span to `target` (calls, callers, talk, transfers, reached the bot). */
  addTo(target: SpanCounts, span: DaySpan): void {
    const stamp = ++this.stamp;
    const count = (caller: number) => {
      if (this.seen[caller] !== stamp) {
        this.seen[caller] = stamp;
        target.callers += 1;
      }
    };
    for (let i = this.lowerBound(span.from); i < this.day.length && this.day[i]! <= span.to; i++) {
      const outcome = this.outcome[i]!;
      target.calls += 1;
      target.talkSeconds += this.duration[i]!;
      if (outcome === 'transferred') target.callsTransferred += 1;
      if (outcome !== null && outcome !== 'abandoned') target.callsReachedBot += 1;
      count(this.caller[i]!);
    }
    // A running call counts as a call and a caller; it has no talk time and no final outcome yet.
    for (const call of this.live) {
      if (call.day < span.from || call.day > span.to) continue;
      target.calls += 1;
      if (call.outcome === 'transferred') target.callsTransferred += 1;
      if (call.outcome !== null && call.outcome !== 'abandoned') target.callsReachedBot += 1;
      count(call.caller);
    }
  }

  /** Transfer reasons of the ended calls in the span. */
  transferReasons(span: DaySpan): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = this.lowerBound(span.from); i < this.day.length && this.day[i]! <= span.to; i++) {
      const reason = this.reason[i];
      if (reason != null) out.set(reason, (out.get(reason) ?? 0) + 1);
    }
    return out;
  }

  /** True when a call (ended or running) started in the span. */
  any(span: DaySpan): boolean {
    const i = this.lowerBound(span.from);
    return (i < this.day.length && this.day[i]! <= span.to) || this.live.some((c) => c.day >= span.from && c.day <= span.to);
  }

  private insert(day: number, caller: number, duration: number, outcome: string | null, reason: string | null): void {
    // Calls end roughly in order, so this is nearly always an append.
    const at = this.day.length === 0 || this.day[this.day.length - 1]! <= day ? this.day.length : this.lowerBound(day + 1);
    if (at === this.day.length) {
      this.day.push(day);
      this.caller.push(caller);
      this.duration.push(duration);
      this.outcome.push(outcome);
      this.reason.push(reason);
    } else {
      this.day.splice(at, 0, day);
      this.caller.splice(at, 0, caller);
      this.duration.splice(at, 0, duration);
      this.outcome.splice(at, 0, outcome);
      this.reason.splice(at, 0, reason);
    }
  }

  private callerId(key: string): number {
    let id = this.callerIds.get(key);
    if (id === undefined) this.callerIds.set(key, (id = this.callerIds.size));
    return id;
  }

  private lowerBound(day: number): number {
    let lo = 0;
    let hi = this.day.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.day[mid]! < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private reset(): void {
    this.day = [];
    this.caller = [];
    this.duration = [];
    this.outcome = [];
    this.reason = [];
    this.callerIds = new Map();
    this.maxRowid = 0;
    this.running = new Set();
    this.seen = new Int32Array(0);
  }
}
