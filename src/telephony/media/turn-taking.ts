import type { CallerInput, ListenSpec } from '../voice-turn.js';
import { contentWordCount, endsInNumber, isBackchannel } from './spoken-words.js';
import type { VoiceActivityEvent, VoiceState } from './voice-activity-detector.js';

/**
 * Who speaks when, on a Media Streams call: barge-in, backchannels, end of the caller's turn,
 * keypad input and silence. Pure: it is told what the caller's audio, the recogniser and the
 * keypad did, and what the bot is playing, and answers with decisions; time is the audio clock
 * (`nowMs` of the voice activity detector), so it needs no timers of its own.
 */
export interface TurnTakingOptions {
  /** Caller speech this long while the bot speaks interrupts it, whatever was recognised (default 500 ms). */
  bargeInSpeechMs?: number;
  /** …unless everything recognised so far is a backchannel: then it must last this long (default 1200 ms). */
  backchannelSpeechMs?: number;
  /** Words of a partial transcript, not counting backchannels, that interrupt the bot (default 2). */
  bargeInWords?: number;
  /** Quiet after the caller's last voice, once a final transcript is in, that ends the turn (default 250 ms). */
  endpointGapMs?: number;
  /** The same while the transcript ends in a number being read out (default 1800 ms). */
  numberGapMs?: number;
  /** `many` keys: quiet after the last key that ends the number without `#` (default 5000 ms). */
  digitsGapMs?: number;
  /** Speech heard, a partial but never a final: after this quiet the partial is taken (default 2000 ms). */
  partialOnlyGapMs?: number;
  /** Speech heard but nothing recognised (a cough, a door): forgotten after this quiet (default 1500 ms). */
  unrecognisedGapMs?: number;
}

export type TurnTakingDecision =
  /** Stop the bot now: clear Twilio's buffer, stop synthesising, tell the dialog. */
  | { kind: 'interrupt' }
  /** The caller's turn is over: give this to the dialog (listening stops until the next `listen`). */
  | { kind: 'input'; input: CallerInput };

interface Utterance {
  startedWhileBotSpoke: boolean;
  bargedIn: boolean;
  finals: string[];
  confidences: number[];
  partial: string;
  startedAtMs: number;
  lastHeardAtMs: number;
}

const NO_VOICE: VoiceState = { nowMs: 0, speaking: false, speechMs: 0, lastVoiceAtMs: Number.NEGATIVE_INFINITY };

export class TurnTaking {
  private readonly o: Required<TurnTakingOptions>;
  private spec: ListenSpec | null = null;
  private botSpeaking = false;
  /** Start of the stretch the silence timeout counts: the bot finished, or the last ignored sound. */
  private quietSinceMs = 0;
  private utterance: Utterance | null = null;
  private keys = '';
  private lastKeyAtMs = 0;
  private voice: VoiceState = NO_VOICE;

  constructor(
    private readonly decide: (decision: TurnTakingDecision) => void,
    options: TurnTakingOptions = {},
  ) {
    this.o = {
      bargeInSpeechMs: options.bargeInSpeechMs ?? 500,
      backchannelSpeechMs: options.backchannelSpeechMs ?? 1200,
      bargeInWords: options.bargeInWords ?? 2,
      endpointGapMs: options.endpointGapMs ?? 250,
      numberGapMs: options.numberGapMs ?? 1800,
      digitsGapMs: options.digitsGapMs ?? 5000,
      partialOnlyGapMs: options.partialOnlyGapMs ?? 2000,
      unrecognisedGapMs: options.unrecognisedGapMs ?? 1500,
    };
  }

  get listening(): boolean {
    return this.spec !== null;
  }

  get botIsSpeaking(): boolean {
    return this.botSpeaking;
  }

  /** Waits for the caller with this spec (the last action of the bot's turn). */
  listen(spec: ListenSpec): void {
    this.spec = spec;
    this.utterance = null;
    this.keys = '';
    this.quietSinceMs = this.voice.nowMs;
  }

  /** Stops listening (the call is ending). */
  stopListening(): void {
    this.spec = null;
    this.utterance = null;
    this.keys = '';
  }

  /** The bot's audio is being sent (its marks have not all come back). */
  botStarted(): void {
    this.botSpeaking = true;
  }

  /** Everything the bot sent has played (the last mark came back): the silence timeout starts. */
  botFinished(): void {
    if (!this.botSpeaking) return;
    this.botSpeaking = false;
    this.quietSinceMs = this.voice.nowMs;
    this.check();
  }

  /** After each stretch of the caller's audio. */
  audio(voice: VoiceState, event: VoiceActivityEvent | null): void {
    this.voice = voice;
    if (!this.spec) return;
    if (event?.kind === 'speech-start') this.heard();
    const u = this.utterance;
    if (this.botSpeaking && u && voice.speaking) {
      const needed = u.finals.length === 0 && isBackchannel(u.partial) ? this.o.backchannelSpeechMs : this.o.bargeInSpeechMs;
      if (voice.speechMs >= needed) this.bargeIn();
    }
    this.check();
  }

  /** An interim transcript of what the caller is saying. */
  partial(text: string): void {
    if (!this.spec || text.trim() === '') return;
    const u = this.heard();
    u.partial = text;
    if (this.botSpeaking && contentWordCount(text) >= this.o.bargeInWords) this.bargeIn();
  }

  /** A final transcript of a stretch of the caller's speech. */
  final(text: string, confidence: number | null): void {
    if (!this.spec || text.trim() === '') return;
    const u = this.heard();
    u.partial = '';
    const backchannel = isBackchannel(text);
    if (this.botSpeaking) {
      // Any real word said over the bot, even one ("không"), is an answer: stop and listen.
      if (!backchannel) this.bargeIn();
      else return this.forget(u);
    } else if (backchannel && u.startedWhileBotSpoke && !u.bargedIn && u.finals.length === 0) {
      return this.forget(u);
    }
    u.finals.push(text.trim());
    if (confidence !== null) u.confidences.push(confidence);
    this.check();
  }

  /** A key on the caller's keypad. */
  digit(key: string): void {
    if (!this.spec) return;
    if (this.botSpeaking) this.bargeIn();
    // Keys win over whatever speech was half-heard.
    this.utterance = null;
    if (this.spec.digits === 'one') return this.give({ kind: 'digits', digits: key });
    if (key === '#') {
      if (this.keys) this.give({ kind: 'digits', digits: this.keys });
      return;
    }
    this.keys += key;
    this.lastKeyAtMs = this.voice.nowMs;
  }

  private heard(): Utterance {
    this.utterance ??= {
      startedWhileBotSpoke: this.botSpeaking,
      bargedIn: false,
      finals: [],
      confidences: [],
      partial: '',
      startedAtMs: this.voice.nowMs,
      lastHeardAtMs: this.voice.nowMs,
    };
    this.utterance.lastHeardAtMs = this.voice.nowMs;
    return this.utterance;
  }

  private forget(u: Utterance): void {
    if (this.utterance !== u || u.finals.length > 0) return;
    this.utterance = null;
    this.quietSinceMs = Math.max(this.quietSinceMs, this.voice.nowMs);
  }

  private bargeIn(): void {
    if (!this.botSpeaking) return;
    this.botSpeaking = false;
    if (this.utterance) this.utterance.bargedIn = true;
    this.quietSinceMs = this.voice.nowMs;
    this.decide({ kind: 'interrupt' });
  }

  private give(input: CallerInput): void {
    this.stopListening();
    this.decide({ kind: 'input', input });
  }

  private check(): void {
    if (!this.spec) return;
    const now = this.voice.nowMs;
    if (this.keys && now - this.lastKeyAtMs >= this.o.digitsGapMs) return this.give({ kind: 'digits', digits: this.keys });

    const u = this.utterance;
    if (u && !this.voice.speaking) {
      const quietMs = now - Math.max(this.voice.lastVoiceAtMs, u.startedAtMs);
      if (u.finals.length > 0) {
        const text = u.finals.join(' ');
        const gap = endsInNumber(text) ? this.o.numberGapMs : this.o.endpointGapMs;
        if (quietMs >= gap) return this.give(speech(text, u.confidences));
      } else if (u.partial) {
        if (quietMs >= this.o.partialOnlyGapMs && now - u.lastHeardAtMs >= this.o.partialOnlyGapMs) {
          if (isBackchannel(u.partial) && u.startedWhileBotSpoke && !u.bargedIn) this.forget(u);
          else return this.give(speech(u.partial.trim(), []));
        }
      } else if (quietMs >= this.o.unrecognisedGapMs) {
        this.forget(u);
      }
    }

    if (!this.utterance && !this.keys && !this.botSpeaking && now - this.quietSinceMs >= this.spec.timeoutS * 1000) {
      this.give({ kind: 'silence' });
    }
  }
}

function speech(text: string, confidences: number[]): CallerInput {
  return confidences.length > 0 ? { kind: 'speech', text, confidence: Math.min(...confidences) } : { kind: 'speech', text };
}
