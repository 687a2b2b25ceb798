import { randomUUID } from 'node:crypto';
import Bottleneck from 'bottleneck';
import type Database from 'better-sqlite3';
import { openChannelsDb } from './open-channels-db.js';

/**
 * A send to a platform failed. `retryable` for 429, 5xx and network errors (tried again with
 * backoff); a permanent failure (4xx, an expired token, a user who blocked the page) is recorded
 * with the message and not retried.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds the platform asked to wait (Retry-After), when it did. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** A message that could not be delivered, kept so that staff can see it and resend it. */
export interface OutboundFailure {
  id: string;
  at: string;
  channel: string;
  userId: string;
  /** The message as it was to be sent (JSON of the platform request body). */
  payload: string;
  error: string;
  attempts: number;
}

/** Where permanent failures are kept. */
export interface OutboundFailureLog {
  record(failure: OutboundFailure): Promise<void>;
  list(limit: number): Promise<OutboundFailure[]>;
}

export interface OutboundQueueOptions {
  channel: string;
  failures: OutboundFailureLog;
  /** Sends in flight at once (default 16). */
  maxConcurrent?: number;
  /**
   * Milliseconds between two sends (default 4: 250 per second). A platform's 429 slows it down
   * further through the retries' backoff; too low a default made a busy hour queue its replies.
   */
  minTime?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff (default 500 ms), doubled each retry, capped at 30 s; Retry-After wins when longer. */
  backoffMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * One per platform: a `bottleneck` limiter for the platform's send API, retries with exponential
 * backoff on 429/5xx, and every permanent failure recorded with its message — a reply is never
 * dropped silently.
 */
export class OutboundQueue {
  private readonly limiter: Bottleneck;

  constructor(private readonly options: OutboundQueueOptions) {
    this.limiter = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 16, minTime: options.minTime ?? 4 });
  }

  /**
   * Runs `send` through the limiter with retries. Resolves when delivered; rejects with the last
   * error after it was recorded as a failure.
   */
  async send(userId: string, payload: unknown, send: () => Promise<void>): Promise<void> {
    const retries = this.options.retries ?? 3;
    const base = this.options.backoffMs ?? 500;
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        await this.limiter.schedule(send);
        return;
      } catch (err) {
        const e = err instanceof SendError ? err : new SendError((err as Error).message, true);
        if (!e.retryable || attempts > retries) {
          await this.options.failures.record({
            id: randomUUID(),
            at: new Date().toISOString(),
            channel: this.options.channel,
            userId,
            payload: JSON.stringify(payload),
            error: `${e.status ?? ''} ${e.message}`.trim(),
            attempts,
          });
          this.options.log?.error({ channel: this.options.channel, status: e.status, attempts }, 'message not delivered; kept in the outbound failure log');
          throw e;
        }
        const backoff = Math.min(30_000, base * 2 ** (attempts - 1));
        const wait = Math.max(backoff, (e.retryAfterS ?? 0) * 1000);
        this.options.log?.warn({ channel: this.options.channel, status: e.status, attempts, wait }, 'send failed; retrying');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** Waits for sends in flight, then stops. */
  async stop(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: false });
  }
}

/** Permanent failures in `${dataDir}/channels.sqlite`. */
export class SqliteOutboundFailureLog implements OutboundFailureLog {
  private readonly db: Database.Database;

  constructor(location: ':memory:' | { dataDir: string }) {
    this.db = openChannelsDb(location);
    this.db.exec(`CREATE TABLE IF NOT EXISTS outbound_failures (
      id TEXT PRIMARY KEY, at TEXT NOT NULL, channel TEXT NOT NULL, user_id TEXT NOT NULL,
      payload TEXT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL)`);
  }

  async record(f: OutboundFailure): Promise<void> {
    this.db
      .prepare('INSERT INTO outbound_failures (id, at, channel, user_id, payload, error, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(f.id, f.at, f.channel, f.userId, f.payload, f.error, f.attempts);
  }

  async list(limit: number): Promise<OutboundFailure[]> {
    return this.db
      .prepare<[number], { id: string; at: string; channel: string; user_id: string; payload: string; error: string; attempts: number }>(
        'SELECT * FROM outbound_failures ORDER BY at DESC LIMIT ?',
      )
      .all(limit)
      .map((r) => ({ id: r.id, at: r.at, channel: r.channel, userId: r.user_id, payload: r.payload, error: r.error, attempts: r.attempts }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Splits text to the platform's limit, on sentence (then line, then word) boundaries. */
export function splitMessage(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const cut =
      lastMatch(window, /\n\n/g) ?? lastMatch(window, /[.!?…](?=\s)/g, 1) ?? lastMatch(window, /\n/g) ?? lastMatch(window, /\s/g) ?? limit;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

function lastMatch(window: string, pattern: RegExp, offset = 0): number | undefined {
  let at: number | undefined;
  for (const m of window.matchAll(pattern)) if (m.index! > window.length / 3) at = m.index! + offset;
  return at;
}
