import type { AnswerStatus } from '../domain/answer.js';
import type { Aspect } from '../text/aspects.js';

/**
 * One question and its answer, as statistics and staff reviews need them. Text is the redacted
 * text only; the user is a hashed key, never a raw id or phone number.
 */
export interface QaTurn {
  id: string;
  at: string;
  channel: string;
  /** sha256(channel:userId), truncated: counts distinct users without identifying them. */
  userKey: string;
  sessionId: string;
  question: string;
  answer: string;
  status: AnswerStatus;
  procedureIds: string[];
  aspect: Aspect | null;
  /** Which composer wrote the answer ('grounded', 'llm:<model>', or null when a step ended the turn). */
  composer: string | null;
  latencyMs: number;
}

/** A citizen's rating of a conversation: useful or not, and/or 1–5. */
export interface Rating {
  id: string;
  at: string;
  channel: string;
  userKey: string;
  sessionId: string;
  useful: boolean | null;
  score: number | null;
  /** Redacted, when the citizen added words. */
  comment?: string;
}

/** Where turns are recorded. SQLite by default; PostgreSQL when scaled out. */
export interface QaLogStore {
  record(turn: QaTurn): Promise<void>;
  /** Optional: records a rating (channels without ratings never call it). */
  recordRating?(rating: Rating): Promise<void>;
  /** Optional: the ratings of one conversation, oldest first. */
  ratings?(sessionId: string): Promise<Rating[]>;
  /** Newest first, for reviews and tests. */
  recent(limit: number): Promise<QaTurn[]>;
  count(): Promise<number>;
  /**
   * Optional (retention): deletes the raw turns and ratings stored before `cutoffIso` (an ISO
   * instant, exclusive). Statistics rollups are kept, so the figures do not change.
   */
  deleteTurnsBefore?(cutoffIso: string): Promise<{ turns: number; ratings: number }>;
  /** Optional (a citizen's request): deletes one conversation's raw turns and ratings; rollups are kept. */
  deleteSession?(sessionId: string): Promise<{ turns: number; ratings: number }>;
  close(): Promise<void>;
}
