import type { CallMode, ListenSpec, TransferReason } from './voice-turn.js';

/** How a call ended for the statistics: the bot finished it, or a person, a call-back or a message took over. */
export type CallOutcome = 'bot' | 'transferred' | 'callback' | 'message' | 'abandoned';

/** Where the conversation is; what the next caller input answers. */
export type CallPhase =
  /** Asking about procedures (the default). */
  | 'ask'
  /** Low recognition confidence: "Anh/chị hỏi về … phải không?" waits for yes or no. */
  | 'confirm'
  /** No operator now: call-back (1), message (2) or go on with the bot (3). */
  | 'offer'
  /** Reading back the number to call: agree (1) or type another (2). */
  | 'callback_confirm'
  /** Typing the number to call, ended by #. */
  | 'callback_number'
  /** Speaking a message for the staff. */
  | 'message'
  /** Keypad 1–5 satisfaction. */
  | 'rating'
  /** Transferred; waiting for the queue or the operator. */
  | 'transferred';

/**
 * What the dialog remembers between two webhooks (or two socket messages), per call. Kept in
 * the call store so that any worker can take the next webhook; wiped when the call ends.
 */
export interface CallState {
  phase: CallPhase;
  /** In `ask`: what a key or a short answer means after the pipeline's last turn (menu, an option, a typed code). */
  expect: 'menu' | 'options' | 'status_digits';
  /** The last thing said and listened for: `*` repeats it. */
  lastSaid: string;
  lastListen: ListenSpec | null;
  /** Silent listens in a row. */
  silences: number;
  /** Turns in a row the bot could not help with (unanswerable, not understood, a "no" to a confirmation). */
  failures: number;
  /** The recognised question waiting for the caller's confirmation (phase `confirm`). */
  pendingQuestion: string | null;
  /** Answered questions so far: the rating is asked only when something was answered. */
  answered: number;
  /** The caller's own number (Twilio `From`), for reading back a call-back offer; null when withheld. Wiped at the end. */
  callerNumber: string | null;
  /** The number read back for a call-back (phase `callback_confirm`), E.164 or national; never logged. */
  callbackNumber: string | null;
  /** What a streaming mode does when its stream ends: decided by the dialog, done by TwiML. */
  after: { kind: 'transfer'; reason: TransferReason; summary: string } | { kind: 'hangup' } | null;
  /** The procedure and aspect of the last answer, for the operator's summary. */
  lastTopic: { procedureId: string; procedureName: string; aspect: string | null } | null;
  /** The pipeline's session id (the Q&A log's), for ratings. */
  sessionId: string | null;
}

export interface CallRecord {
  callSid: string;
  /** sha256 of the caller's number, truncated: distinct callers without identifying them. */
  userKey: string;
  mode: CallMode;
  startedAt: string;
  endedAt: string | null;
  durationS: number | null;
  /** Twilio's final CallStatus. */
  endStatus: string | null;
  outcome: CallOutcome | null;
  transferReason: TransferReason | null;
  /** Caller questions the pipeline answered or tried to. */
  turns: number;
  rating: number | null;
  /** When the caller went into the operators' Twilio queue, and is still there. */
  queuedAt: string | null;
  /** Null once the call has ended. */
  state: CallState | null;
}

/** One row per call: the statistics' calls and talk time, and the dialog's state while it lasts. */
export interface CallStore {
  /** Records a new call; a repeat of the same CallSid (a Twilio retry) keeps the first. Returns the stored record. */
  begin(call: { callSid: string; userKey: string; mode: CallMode; state: CallState }): Promise<CallRecord>;
  get(callSid: string): Promise<CallRecord | undefined>;
  /** Saves the dialog's state and counters after a turn. */
  update(callSid: string, patch: Partial<Pick<CallRecord, 'state' | 'outcome' | 'transferReason' | 'turns' | 'rating' | 'queuedAt'>>): Promise<void>;
  /** The caller waiting longest in the operators' queue. */
  oldestQueued(): Promise<CallRecord | undefined>;
  /** The call is over: duration and status recorded, state wiped; with no outcome yet, `bot` if it answered anything, else `abandoned`. Idempotent. */
  end(callSid: string, end: { endedAt: string; durationS: number | null; status: string }): Promise<void>;
  close(): Promise<void>;
}

/** A call's state as the dialog starts it: asking, nothing said or answered yet. */
export function initialCallState(callerNumber: string | null): CallState {
  return {
    phase: 'ask',
    expect: 'menu',
    lastSaid: '',
    lastListen: null,
    silences: 0,
    failures: 0,
    pendingQuestion: null,
    answered: 0,
    callerNumber,
    callbackNumber: null,
    after: null,
    lastTopic: null,
    sessionId: null,
  };
}
