import type { Aspect } from '../text/aspects.js';
import type { AnswerOption, AnswerStatus, Language } from './answer.js';

/** Who a conversation belongs to: one session per channel user. */
export interface SessionKey {
  channel: string;
  /** The channel's own user id (web: the session id the widget keeps). */
  userId: string;
}

/** One stored turn. Text is always the redacted text, never what the citizen typed raw. */
export interface Turn {
  role: 'user' | 'assistant';
  text: string;
  at: string;
  status?: AnswerStatus;
  procedureIds?: string[];
  aspect?: Aspect | null;
}

export type SessionMode = 'bot' | 'handoff_pending' | 'staff';

/** Conversation state carried between turns. */
export interface Session {
  key: SessionKey;
  /** Public id returned to clients as `session_id`. */
  id: string;
  mode: SessionMode;
  /** The procedure the conversation is about, for follow-ups that name none. */
  currentProcedureId: string | null;
  /** The aspect last asked about, for follow-ups like "còn online thì sao?". */
  currentAspect: Aspect | null;
  /** Options offered by the last clarification, answerable by number or name. */
  pendingOptions: AnswerOption[] | null;
  /**
   * An application status lookup waiting for the last four phone digits: the receipt code as a
   * keyed hash and sealed (AES-GCM), never in clear; cleared once verified, failed or expired.
   */
  statusLookup?: { codeHash: string; codeCipher?: string; attempts: number; startedAt: string } | null;
  /**
   * A handoff flow in progress (the out-of-hours offer, a message being left, a call-back being
   * agreed, feedback or a complaint being taken down); cleared when it ends or after ~10 minutes
   * of silence. A call-back number being confirmed rides here only sealed, never in clear.
   */
  handoffFlow?: HandoffFlowState | null;
  turns: Turn[];
  /** The citizen's last rating was negative: asking for a person next is a `negative_rating` handoff. */
  lastRatingNegative?: boolean;
  createdAt: string;
  updatedAt: string;
}

/** See `Session.handoffFlow`; driven by `src/handoff/flows/`. */
export interface HandoffFlowState {
  kind: 'offer' | 'message' | 'callback' | 'feedback' | 'complaint';
  /** offer: `choose`; message/feedback/complaint: `content`; callback: `consent` → `phone` → `confirm_phone`. */
  stage: 'choose' | 'content' | 'consent' | 'phone' | 'confirm_phone';
  startedAt: string;
  /** The last step; silence is counted from here. */
  stepAt: string;
  language: Language;
  /**
   * Redacted words the citizen already said (the complaint that led to the out-of-hours offer, the
   * message that opened a feedback intake); the ticket's text starts with them.
   */
  draft?: string;
  /** Set on a callback once the citizen said yes to the number being stored. */
  consentAt?: string;
  /** The call-back number awaiting confirmation, sealed (AES-GCM). */
  phoneCipher?: string;
}

/** Where sessions live: SQLite by default, Redis when scaled out. Sessions expire after a TTL. */
export interface SessionStore {
  /** The session for this key, or a fresh one (not yet saved) when none is live. */
  load(key: SessionKey): Promise<Session>;
  /** Stores the session and refreshes its expiry. */
  save(session: Session): Promise<void>;
  setMode(key: SessionKey, mode: SessionMode): Promise<void>;
  close(): Promise<void>;
}

/** A session that has not been saved yet. */
export function newSession(key: SessionKey, id: string, now: Date): Session {
  const at = now.toISOString();
  return { key, id, mode: 'bot', currentProcedureId: null, currentAspect: null, pendingOptions: null, turns: [], createdAt: at, updatedAt: at };
}
