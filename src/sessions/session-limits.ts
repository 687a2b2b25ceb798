import type { Session } from '../domain/conversation.js';

/** Sessions expire after this long without a turn. */
export const DEFAULT_SESSION_TTL_MS = 30 * 60 * 1000;
/** Older turns add nothing to follow-ups and only grow the stored row. */
export const MAX_SESSION_TURNS = 20;

/** The session as stored: at most the last `MAX_SESSION_TURNS` turns, `updatedAt` = now. */
export function forStorage(session: Session, now: Date): Session {
  const turns = session.turns.length > MAX_SESSION_TURNS ? session.turns.slice(-MAX_SESSION_TURNS) : session.turns;
  return { ...session, turns, updatedAt: now.toISOString() };
}

export interface SessionStoreOptions {
  /** Time to live after the last save (default 30 minutes). */
  ttlMs?: number;
  /** Injected clock for tests. */
  now?: () => Date;
  /** New session ids (default `crypto.randomUUID`). */
  newId?: () => string;
}
