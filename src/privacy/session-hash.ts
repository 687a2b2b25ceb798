import { createHash } from 'node:crypto';

/**
 * sha256 of a session id, truncated: what the deletion log keeps instead of the id, so the log
 * can answer "was this conversation deleted?" for someone who has the id, without holding it.
 */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(`session:${sessionId}`).digest('hex').slice(0, 16);
}

/**
 * The stand-in an erased conversation's identifiers get in rows kept for the statistics
 * (handoff conversations, tickets, rollups): the same value everywhere, so the figures that
 * join on the session still agree, and never the id itself.
 */
export function erasedId(value: string): string {
  return `erased:${createHash('sha256').update(`erased:${value}`).digest('hex').slice(0, 16)}`;
}
