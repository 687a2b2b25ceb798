import type { Turn } from '../domain/conversation.js';

/** Why a conversation went to a person. */
export type HandoffReason =
  /** The citizen asked for an officer ("gặp cán bộ", the button). */
  | 'citizen_request'
  /** Two turns in a row the assistant could not answer. */
  | 'unanswered_twice'
  /** A negative rating followed by a request for more help. */
  | 'negative_rating'
  /** A complaint about an officer or the service, routed to a person. */
  | 'complaint';

/**
 * `waiting` in the queue → `claimed` by an officer → `returned` to the bot or `closed` with an
 * outcome. A citizen has at most one open (waiting or claimed) conversation per channel.
 */
export type HandoffStatus = 'waiting' | 'claimed' | 'returned' | 'closed';

export interface HandoffConversation {
  id: string;
  channel: string;
  userId: string;
  /** The assistant's session id, to link the Q&A log. */
  sessionId: string;
  reason: HandoffReason;
  status: HandoffStatus;
  /** The bot's conversation so far (redacted text), for the officer to read first. */
  transcript: Turn[];
  /** Procedures discussed, most recent first. */
  procedureIds: string[];
  createdAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  endedAt: string | null;
  /** Set on close: what came of it (resolved, referred, no reply…), the officer's words. */
  outcome: string | null;
}

export type HandoffAuthor = 'citizen' | 'staff' | 'bot' | 'system';

/** A message of the human part of the conversation (after the handoff). */
export interface HandoffMessage {
  id: string;
  conversationId: string;
  author: HandoffAuthor;
  /** The officer's account id for staff messages. */
  staffId: string | null;
  /** Redacted like everything stored. */
  text: string;
  at: string;
}

/** What the console and the channels listen to, live. */
export type HandoffEvent =
  | { type: 'queued'; conversation: HandoffConversation }
  | { type: 'claimed' | 'returned' | 'closed'; conversation: HandoffConversation }
  | { type: 'message'; conversation: HandoffConversation; message: HandoffMessage }
  /** The waiting line moved: positions changed for these conversations. */
  | { type: 'positions'; positions: Array<{ conversationId: string; position: number }> };

/**
 * Where an event came from. Every process sees every change (console streams need them all), but
 * only the process that made a change should act on it outside (tell the citizen), or the citizen
 * would hear it once per process.
 */
export interface HandoffEventOrigin {
  /** This queue instance wrote the change. */
  local: boolean;
}

export interface EnqueueInput {
  channel: string;
  userId: string;
  sessionId: string;
  reason: HandoffReason;
  transcript: Turn[];
  procedureIds: string[];
}

/**
 * The queue of conversations waiting for, or held by, a human officer. SQLite by default (every
 * worker on one machine shares the file); PostgreSQL with Redis pub/sub when scaled out.
 * Methods that change a conversation emit the matching event to subscribers in this process.
 */
export interface HandoffQueue {
  /** Queues a conversation, or returns the citizen's open one unchanged; with its 1-based position. */
  enqueue(input: EnqueueInput): Promise<{ conversation: HandoffConversation; position: number | null; created: boolean }>;
  /** The citizen's waiting or claimed conversation on that channel, if any. */
  findOpen(channel: string, userId: string): Promise<HandoffConversation | undefined>;
  get(id: string): Promise<HandoffConversation | undefined>;
  /** 1-based place among waiting conversations (oldest first); null when not waiting. */
  position(id: string): Promise<number | null>;
  /** Waiting and claimed conversations, oldest first. */
  open(): Promise<HandoffConversation[]>;
  appendMessage(id: string, author: HandoffAuthor, text: string, staffId?: string): Promise<HandoffMessage>;
  messages(id: string): Promise<HandoffMessage[]>;
  /** Throws `HandoffConflict` when another officer holds it or it is no longer open. */
  claim(id: string, staffId: string): Promise<HandoffConversation>;
  /** Back to the bot; only the officer who holds it (or a supervisor, checked by the caller). */
  release(id: string, staffId: string): Promise<HandoffConversation>;
  /** Closes the conversation with an outcome (status `closed`). */
  end(id: string, staffId: string, outcome: string): Promise<HandoffConversation>;
  /** Average wait of recently claimed conversations, for "expected wait" notices (ms), or null. */
  averageWaitMs(): Promise<number | null>;
  /**
   * Listens to changes; returns the unsubscribe function. `origin.local` is false for a change
   * another process made (read from the shared store); absent means local.
   */
  subscribe(listener: (event: HandoffEvent, origin?: HandoffEventOrigin) => void): () => void;
  /** Releases the store (the database handle). */
  close(): Promise<void>;
}

/** A claim, reply or release on a conversation that is not (or no longer) in that state. */
export class HandoffConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandoffConflict';
  }
}
