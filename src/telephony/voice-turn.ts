/**
 * The voice conversation, independent of how Twilio carries it. `VoiceDialog` decides what the
 * caller hears and what happens next; each mode renders its `VoiceTurn`:
 * - turn mode: `<Say>` inside the next `<Gather>`, `<Enqueue>`/`<Dial>`, `<Hangup>` (TwiML);
 * - ConversationRelay: `text` tokens, and `end` (with hand-off data) for a transfer or a hang-up;
 * - Media Streams: text-to-speech frames, and closing the stream for a transfer or a hang-up.
 * In both streaming modes the call then comes back to `/telephony/voice/connect-ended` (the
 * `<Connect action>`), which asks `afterStream` and answers with TwiML.
 */

/** How `/telephony/voice/incoming` carries the call. */
export type CallMode = 'turn' | 'relay' | 'media';

export interface CallStart {
  callSid: string;
  /** The caller's number as Twilio gives it (E.164); hashed before it is stored, never logged. */
  from: string;
  to: string;
  mode: CallMode;
}

/** One thing the caller did. */
export type CallerInput =
  /** A final transcript; `confidence` 0..1 when the recogniser gives one. */
  | { kind: 'speech'; text: string; confidence?: number }
  /** Keys pressed: one key for a menu choice, or a whole number ended by `#` when `listen.digits` was `many`. */
  | { kind: 'digits'; digits: string }
  /** The caller said and pressed nothing before the timeout. */
  | { kind: 'silence' };

export interface ListenSpec {
  /** `one`: a single key is a menu choice (default). `many`: a number typed on the keypad, ended by `#`. */
  digits: 'one' | 'many';
  /** Phrases the recogniser should expect (Twilio `hints`). */
  hints: readonly string[];
  /** Seconds of silence before the caller counts as silent. */
  timeoutS: number;
}

export type TransferReason = 'caller_request' | 'repeated_failure' | 'status_unfinished' | 'complaint';

export type VoiceAction =
  /** Text for the caller's ear, already made speakable (no digits, URLs or unread abbreviations). */
  | { kind: 'say'; text: string }
  /** Wait for the caller. */
  | { kind: 'listen'; listen: ListenSpec }
  /** Pass the caller to an operator; `summary` is one sentence the operator hears first (whisper). */
  | { kind: 'transfer'; reason: TransferReason; summary: string }
  | { kind: 'hangup' };

/** What the caller hears now, then exactly one of listen, transfer or hangup as the last action. */
export interface VoiceTurn {
  actions: VoiceAction[];
}

/** How a transfer ended, as Twilio reports it (queue-result / dial-result). */
export type TransferOutcome = 'answered' | 'unanswered' | 'left_queue';

export interface CallEnd {
  /** Twilio's `CallDuration` in seconds, when the status callback carries it. */
  durationS: number | null;
  /** Twilio's `CallStatus` (completed, busy, no-answer, failed, canceled). */
  status: string;
}

/** The voice conversation; one instance serves every call (state lives in the call store). */
export interface VoiceDialog {
  /** The call was answered: the greeting and the first listen. */
  start(call: CallStart): Promise<VoiceTurn>;
  /** The caller spoke, pressed keys, or stayed silent. */
  input(callSid: string, input: CallerInput): Promise<VoiceTurn>;
  /** The caller talked over the bot (barge-in): `heard` is what was spoken before the cut, when known. */
  interrupted(callSid: string, heard: string | null): Promise<void>;
  /**
   * A streaming mode's stream ended and Twilio asks what to do (the `<Connect action>`):
   * the transfer or goodbye the dialog decided, or — if the stream dropped — a way back.
   */
  afterStream(callSid: string): Promise<VoiceTurn>;
  /** The operator leg or queue finished; e.g. ask for satisfaction, or offer a call-back. */
  transferEnded(callSid: string, outcome: TransferOutcome): Promise<VoiceTurn>;
  /** The one-sentence summary the operator hears (whisper), or null for an unknown call. */
  summary(callSid: string): Promise<string | null>;
  /**
   * Queue mode: the summary of the caller waiting longest in the operators' queue (Twilio's queue is
   * first in, first out, so that is the caller the operator is about to be bridged to), or null.
   */
  queuedSummary(): Promise<string | null>;
  /** Twilio's status callback: the call is over. Idempotent. */
  ended(callSid: string, end: CallEnd): Promise<void>;
}

/** What the telephony routes need to know, read once from the configuration. */
export interface TelephonyConfig {
  /** `https://host` Twilio calls; signatures are checked against URLs built from it. */
  publicBaseUrl: string;
  authToken: string;
  /** What `/telephony/voice/incoming` answers with. */
  mode: CallMode;
  /** Twilio `<Say>` voice, e.g. `Google.vi-VN-Wavenet-A`; always with language vi-VN. */
  voice: string;
  /** Operators' Twilio queue (`<Enqueue>`), or a number to `<Dial>`. */
  transfer: { kind: 'queue'; queueName: string } | { kind: 'dial'; number: string; timeoutS: number };
}
