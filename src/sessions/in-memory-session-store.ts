import { randomUUID } from 'node:crypto';
import { newSession, type Session, type SessionKey, type SessionMode, type SessionStore } from '../domain/conversation.js';
import { DEFAULT_SESSION_TTL_MS, forStorage, type SessionStoreOptions } from './session-limits.js';

const keyOf = (k: SessionKey) => `${k.channel}\u0000${k.userId}`;

/** Sessions in a Map, for tests and single-process development. Same TTL semantics as SQLite. */
export class InMemorySessionStore implements SessionStore {
  private readonly rows = new Map<string, { json: string; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(options: SessionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  async load(key: SessionKey): Promise<Session> {
    const now = this.now();
    const row = this.rows.get(keyOf(key));
    if (row && row.expiresAt > now.getTime()) return JSON.parse(row.json) as Session;
    if (row) this.rows.delete(keyOf(key));
    return newSession(key, this.newId(), now);
  }

  async save(session: Session): Promise<void> {
    const now = this.now();
    this.purge(now);
    // Stored as JSON so callers never share mutable state with the store.
    this.rows.set(keyOf(session.key), { json: JSON.stringify(forStorage(session, now)), expiresAt: now.getTime() + this.ttlMs });
  }

  async setMode(key: SessionKey, mode: SessionMode): Promise<void> {
    const session = await this.load(key);
    await this.save({ ...session, mode });
  }

  async close(): Promise<void> {
    this.rows.clear();
  }

  /** Live sessions (expired ones are dropped first). */
  size(): number {
    this.purge(this.now());
    return this.rows.size;
  }

  private purge(now: Date): void {
    for (const [k, row] of this.rows) if (row.expiresAt <= now.getTime()) this.rows.delete(k);
  }
}
