import type Database from 'better-sqlite3';
import { columnsOf, hasTable, inTransaction, withFile } from './data-dir-sqlite.js';
import { asQaLogEraser, type MaybeQaLogEraser, type QaLogEraser } from './qa-log-eraser.js';
import { erasedId } from './session-hash.js';

/** What one retention run deleted or emptied (or, in a dry run, would). */
export interface RetentionCounts {
  /** Instant before which content goes (ISO UTC); null when retention is off. */
  cutoff: string | null;
  qaTurns: number;
  qaRatings: number;
  /** Ended handoff conversations whose transcript was emptied (row, reason, dates kept). */
  handoffConversations: number;
  handoffMessages: number;
  handoffEvents: number;
  /** Done tickets whose text, phone and note were emptied (kind, dates kept). */
  tickets: number;
  webOutbox: number;
  miniAppNotices: number;
  outboundFailures: number;
  /** Expired session rows. */
  sessions: number;
  /** Review samples (review.sqlite) whose copied question and answer were emptied (verdicts kept). */
  reviewItems: number;
}

export function emptyRetention(cutoff: string | null): RetentionCounts {
  return {
    cutoff,
    qaTurns: 0,
    qaRatings: 0,
    handoffConversations: 0,
    handoffMessages: 0,
    handoffEvents: 0,
    tickets: 0,
    webOutbox: 0,
    miniAppNotices: 0,
    outboundFailures: 0,
    sessions: 0,
    reviewItems: 0,
  };
}

const DAY_MS = 86_400_000;
/** Stores that only carry deliveries keep them a day (web outbox) or a week (mini-app notices) on their own. */
const OUTBOX_KEEP_MS = DAY_MS;
const MINI_APP_KEEP_MS = 7 * DAY_MS;
const ENDED = "status IN ('returned', 'closed')";

export interface RetentionJobDeps {
  dataDir: string;
  /** `QA_RETENTION_DAYS`; 0 turns retention off. */
  days: number;
  qaLog: MaybeQaLogEraser;
  now?: () => Date;
}

/**
 * Deletes what citizens said once it is older than the retention period, keeping what the
 * statistics count: Q&A turns and ratings (the rollups stay), ended handoff conversations'
 * transcripts and messages (the row with its reason, outcome and dates stays, the citizen's id
 * replaced by a stand-in), done tickets' text and phone (kind and dates stay), failed
 * deliveries; and, whatever the period, what other stores only keep for a short while anyway
 * but sweep lazily (expired sessions, delivered web and mini-app messages).
 */
export class RetentionJob {
  private readonly now: () => Date;
  private readonly qaLog: QaLogEraser;

  constructor(private readonly deps: RetentionJobDeps) {
    this.now = deps.now ?? (() => new Date());
    this.qaLog = asQaLogEraser(deps.qaLog);
  }

  get enabled(): boolean {
    return this.deps.days > 0;
  }

  async run(options: { dryRun?: boolean } = {}): Promise<RetentionCounts> {
    const dryRun = options.dryRun ?? false;
    const now = this.now();
    const cutoffMs = now.getTime() - this.deps.days * DAY_MS;
    const cutoff = this.enabled ? new Date(cutoffMs).toISOString() : null;
    const counts = emptyRetention(cutoff);
    const { dataDir } = this.deps;

    withFile(dataDir, 'sessions.sqlite', (db) => {
      if (hasTable(db, 'sessions')) counts.sessions = inTransaction(db, dryRun, () => db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.getTime()).changes);
    });
    withFile(dataDir, 'channels.sqlite', (db) =>
      inTransaction(db, dryRun, () => {
        if (hasTable(db, 'web_outbox')) counts.webOutbox = db.prepare('DELETE FROM web_outbox WHERE at < ?').run(now.getTime() - OUTBOX_KEEP_MS).changes;
        if (hasTable(db, 'miniapp_notices')) counts.miniAppNotices = db.prepare('DELETE FROM miniapp_notices WHERE at < ?').run(now.getTime() - MINI_APP_KEEP_MS).changes;
        if (hasTable(db, 'miniapp_conversations')) {
          counts.miniAppNotices += db.prepare('DELETE FROM miniapp_conversations WHERE at < ?').run(now.getTime() - MINI_APP_KEEP_MS).changes;
        }
        if (cutoff && hasTable(db, 'outbound_failures')) counts.outboundFailures = db.prepare('DELETE FROM outbound_failures WHERE at < ?').run(cutoff).changes;
      }),
    );
    if (!cutoff) return counts;

    withFile(dataDir, 'handoff.sqlite', (db) => inTransaction(db, dryRun, () => this.expireHandoff(db, cutoff, counts)));
    withFile(dataDir, 'review.sqlite', (db) => {
      // Review samples copy the turn's redacted question and answer; past the period they go like the turn, the verdict stays.
      if (!hasTable(db, 'review_items')) return;
      const cols = new Set(columnsOf(db, 'review_items').map((c) => c.name));
      if (!['question', 'answer', 'at'].every((c) => cols.has(c))) return;
      counts.reviewItems = inTransaction(db, dryRun, () =>
        db.prepare("UPDATE review_items SET question = '', answer = '' WHERE at < ? AND (question <> '' OR answer <> '')").run(cutoff).changes,
      );
    });

    if (dryRun) {
      withFile(dataDir, 'qa-log.sqlite', (db) => {
        if (hasTable(db, 'qa_turns')) counts.qaTurns = (db.prepare('SELECT count(*) AS n FROM qa_turns WHERE at < ?').get(cutoff) as { n: number }).n;
        if (hasTable(db, 'qa_ratings')) counts.qaRatings = (db.prepare('SELECT count(*) AS n FROM qa_ratings WHERE at < ?').get(cutoff) as { n: number }).n;
      });
    } else {
      const raw = await this.qaLog.deleteTurnsBefore(cutoff);
      counts.qaTurns = raw.turns;
      counts.qaRatings = raw.ratings;
    }
    return counts;
  }

  private expireHandoff(db: Database.Database, cutoff: string, counts: RetentionCounts): void {
    if (hasTable(db, 'conversations')) {
      // Ended before the cutoff (created_at when an old row has no end): nobody will open it again.
      const old = `${ENDED} AND COALESCE(ended_at, created_at) < ?`;
      if (hasTable(db, 'messages')) {
        counts.handoffMessages = db.prepare(`DELETE FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE ${old})`).run(cutoff).changes;
      }
      const rows = db.prepare(`SELECT id, channel, user_id FROM conversations WHERE ${old} AND (transcript_json <> '[]' OR user_id NOT LIKE 'erased:%')`).all(cutoff) as Array<{
        id: string;
        channel: string;
        user_id: string;
      }>;
      const update = db.prepare("UPDATE conversations SET transcript_json = '[]', user_id = ? WHERE id = ?");
      for (const r of rows) update.run(r.user_id.startsWith('erased:') ? r.user_id : erasedId(`${r.channel}:${r.user_id}`), r.id);
      counts.handoffConversations = rows.length;
    }
    if (hasTable(db, 'events')) counts.handoffEvents = db.prepare('DELETE FROM events WHERE at_ms < ?').run(Date.parse(cutoff)).changes;
    if (hasTable(db, 'tickets')) {
      const rows = db
        .prepare(
          `SELECT id, channel, user_id FROM tickets WHERE status = 'done' AND COALESCE(handled_at, created_at) < ?
             AND (text <> '' OR phone IS NOT NULL OR note IS NOT NULL OR user_id NOT LIKE 'erased:%')`,
        )
        .all(cutoff) as Array<{ id: string; channel: string; user_id: string }>;
      const update = db.prepare("UPDATE tickets SET text = '', phone = NULL, note = NULL, user_id = ? WHERE id = ?");
      for (const r of rows) update.run(r.user_id.startsWith('erased:') ? r.user_id : erasedId(`${r.channel}:${r.user_id}`), r.id);
      counts.tickets = rows.length;
    }
  }
}
