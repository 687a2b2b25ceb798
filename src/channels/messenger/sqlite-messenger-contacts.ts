import type Database from 'better-sqlite3';
import { openChannelsDb } from '../open-channels-db.js';

/**
 * What the Messenger channel remembers per citizen (PSID), shared by the webhook and the sender:
 * when they last wrote (Meta allows a standard reply within 24 h; an officer's later reply needs
 * the HUMAN_AGENT tag) and when they were last told that only text is read (at most once an hour).
 */
export interface MessengerContacts {
  recordInbound(psid: string, atMs: number): Promise<void>;
  /** Epoch ms of the citizen's last message, or null when never seen. */
  lastInboundAt(psid: string): Promise<number | null>;
  /** True (and remembered) when the "text only" notice may go out now; false within `intervalMs` of the last one. */
  takeTextOnlyNotice(psid: string, nowMs: number, intervalMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * In `${dataDir}/channels.sqlite` (table `messenger_contacts`), so every worker of a cluster sees
 * the same times. Holds only the page-scoped id and two timestamps: no names, no text.
 */
export class SqliteMessengerContacts implements MessengerContacts {
  private readonly db: Database.Database;
  private readonly upsertInbound: Database.Statement<[{ psid: string; at: number }]>;
  private readonly selectInbound: Database.Statement<[string], { last_inbound_at: number | null }>;
  private readonly claimNotice: Database.Statement<[{ psid: string; at: number; before: number }]>;

  constructor(location: ':memory:' | { dataDir: string }) {
    this.db = openChannelsDb(location);
    this.db.exec(`CREATE TABLE IF NOT EXISTS messenger_contacts (
      psid TEXT PRIMARY KEY, last_inbound_at INTEGER, text_only_notice_at INTEGER)`);
    // Deliveries can arrive out of order: keep the latest time.
    this.upsertInbound = this.db.prepare(`INSERT INTO messenger_contacts (psid, last_inbound_at) VALUES (@psid, @at)
      ON CONFLICT (psid) DO UPDATE SET last_inbound_at = max(coalesce(last_inbound_at, 0), excluded.last_inbound_at)`);
    this.selectInbound = this.db.prepare('SELECT last_inbound_at FROM messenger_contacts WHERE psid = ?');
    // One statement, so two workers cannot both win the same hour.
    this.claimNotice = this.db.prepare(`INSERT INTO messenger_contacts (psid, text_only_notice_at) VALUES (@psid, @at)
      ON CONFLICT (psid) DO UPDATE SET text_only_notice_at = excluded.text_only_notice_at
      WHERE text_only_notice_at IS NULL OR text_only_notice_at <= @before`);
  }

  async recordInbound(psid: string, atMs: number): Promise<void> {
    this.upsertInbound.run({ psid, at: atMs });
  }

  async lastInboundAt(psid: string): Promise<number | null> {
    return this.selectInbound.get(psid)?.last_inbound_at ?? null;
  }

  async takeTextOnlyNotice(psid: string, nowMs: number, intervalMs: number): Promise<boolean> {
    return this.claimNotice.run({ psid, at: nowMs, before: nowMs - intervalMs }).changes === 1;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
