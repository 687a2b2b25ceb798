import type { ListenSpec, VoiceTurn } from '../voice-turn.js';
import type { RelayHandoff } from './relay-messages.js';

/**
 * How a `VoiceTurn` goes out over ConversationRelay: its spoken text as sentence tokens, then either
 * a listen (Twilio listens by itself; we only remember how to read keys and when silence starts) or
 * an `end` carrying the transfer or the goodbye.
 */
export interface RelayTurnPlan {
  /** One token per sentence, in order; all but the last end with a space so TTS sees word breaks. */
  tokens: string[];
  /** The turn's closing action when it waits for the caller, else null. */
  listen: ListenSpec | null;
  /** The `end` hand-off when the turn transfers or hangs up, else null. */
  ending: RelayHandoff | null;
}

const segmenter = new Intl.Segmenter('vi', { granularity: 'sentence' });

/** Sentences of `text` (ICU rules for Vietnamese), trimmed, empty ones dropped. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of segmenter.segment(text.normalize('NFC'))) {
    const sentence = segment.replace(/\s+/g, ' ').trim();
    if (sentence) sentences.push(sentence);
  }
  return sentences;
}

export function planRelayTurn(turn: VoiceTurn): RelayTurnPlan {
  const sentences: string[] = [];
  let listen: ListenSpec | null = null;
  let ending: RelayHandoff | null = null;
  for (const action of turn.actions) {
    switch (action.kind) {
      case 'say':
        sentences.push(...splitSentences(action.text));
        break;
      case 'listen':
        listen = action.listen;
        break;
      case 'transfer':
        ending = { reasonCode: 'live-agent-handoff', reason: action.reason, summary: action.summary };
        break;
      case 'hangup':
        ending = { reasonCode: 'end-call', reason: 'goodbye', summary: null };
        break;
    }
  }
  // The contract makes listen/transfer/hangup the last action; if a turn breaks that, ending wins.
  if (ending) listen = null;
  const tokens = sentences.map((sentence, i) => (i < sentences.length - 1 ? `${sentence} ` : sentence));
  return { tokens, listen, ending };
}

/**
 * Rough time Twilio's Vietnamese TTS takes to speak `text`: 0.07 s per character (≈ 14 characters
 * per second, about 4 syllables a second for Vietnamese, whose syllables average 3–4 letters plus a
 * space). Used to pace sentence tokens, to hold `end` until the goodbye has been spoken, and as the
 * margin before the silence timer starts counting.
 */
export const DEFAULT_SECONDS_PER_CHAR = 0.07;

export function speakingMs(text: string, secondsPerChar = DEFAULT_SECONDS_PER_CHAR): number {
  return Math.round([...text].length * secondsPerChar * 1000);
}
