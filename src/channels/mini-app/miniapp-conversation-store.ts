import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { OutboundAuthor } from '../channel-sender.js';
import { openChannelsDb } from '../open-channels-db.js';

/** A message pushed to a mini-app citizen outside an HTTP reply (queue notices, hand back…). */
export interface MiniAppNotice {
  id: string;
  userKey: string;
  author: OutboundAuthor;
  text: string;
  at: string;
}

/**
 * What the mini-app's history needs beyond sessions and the handoff queue, in `channels.sqlite`:
 * - the notices other parts of the system "send" to a mini-app citizen (the mini-app has no push
 *   channel here: it polls GET /conversation, so sends are kept until read from the history);
 * - the citizen's most recent handoff conversation, because the HandoffQueue port finds only
 *   open ones, and a citizen must still see the officer's last reply after the officer closed it.
 * Both keep `retentionMs` (default 7 days), then are swept.
 */
export class MiniAppConversationStore {
  private readonly db: Database.Database;
  private readonly stmt: {
    addNotice: Database.Statement<[string, string, string, string, number]>;
    notices: Database.Statement<[string, number], { id: string; user_key: string; author: string; text: string; at: number }>;
    remember: Database.Statement<[string, string, number]>;
    lastConversation: Database.Statement<[string, number], { conversation_id: string }>;
    sweepNotices: Database.Statement<[number]>;
    sweepConversations: Database.Statement<[number]>;
  };
  private writes = 0;

  constructor(
    location: ':memory:' | { dataDir: string },
    private readonly retentionMs = 7 * 24 * 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openChannelsDb(location);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS miniapp_notices (
        id TEXT PRIMARY KEY, user_key TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS miniapp_notices_user ON miniapp_notices (user_key, at);
      CREATE TABLE IF NOT EXISTS miniapp_conversations (
        user_key TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.stmt = {
      addNotice: this.db.prepare('INSERT INTO miniapp_notices (id, user_key, author, text, at) VALUES (?, ?, ?, ?, ?)'),
      notices: this.db.prepare('SELECT id, user_key, author, text, at FROM miniapp_notices WHERE user_key = ? AND at >= ? ORDER BY at, rowid'),
      remember: this.db.prepare(
        'INSERT INTO miniapp_conversations (user_key, conversation_id, at) VALUES (?, ?, ?) ON CONFLICT (user_key) DO UPDATE SET conversation_id = excluded.conversation_id, at = excluded.at',
      ),
      lastConversation: this.db.prepare('SELECT conversation_id FROM miniapp_conversations WHERE user_key = ? AND at >= ?'),
      sweepNotices: this.db.prepare('DELETE FROM miniapp_notices WHERE at < ?'),
      sweepConversations: this.db.prepare('DELETE FROM miniapp_conversations WHERE at < ?'),
    };
  }

  addNotice(userKey: string, author: OutboundAuthor, text: string): MiniAppNotice {
    this.maybeSweep();
    const at = this.now();
    const id = randomUUID();
    this.stmt.addNotice.run(id, userKey, author, text, at);
    return { id, userKey, author, text, at: new Date(at).toISOString() };
  }

  notices(userKey: string): MiniAppNotice[] {
    return this.stmt.notices.all(userKey, this.now() - this.retentionMs).map((r) => ({
      id: r.id,
      userKey: r.user_key,
      author: r.author as OutboundAuthor,
      text: r.text,
      at: new Date(r.at).toISOString(),
    }));
  }

  rememberConversation(userKey: string, conversationId: string): void {
    this.maybeSweep();
    this.stmt.remember.run(userKey, conversationId, this.now());
  }

  lastConversation(userKey: string): string | undefined {
    return this.stmt.lastConversation.get(userKey, this.now() - this.retentionMs)?.conversation_id;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private maybeSweep(): void {
    if (++this.writes % 200 !== 0) return;
    const cutoff = this.now() - this.retentionMs;
    this.stmt.sweepNotices.run(cutoff);
    this.stmt.sweepConversations.run(cutoff);
  }
}
