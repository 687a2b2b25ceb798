import { performance } from 'node:perf_hooks';
import type { SpeechRecognitionStream, SpeechToText } from '../speech/speech-to-text.js';
import type { TextToSpeech } from '../speech/text-to-speech.js';
import { toFrames } from '../speech/mulaw-frames.js';
import type { CallerInput, VoiceDialog, VoiceTurn } from '../voice-turn.js';
import { decodeMediaPayload, outboundClear, outboundMark, outboundMedia, parseMediaMessage, type TwilioStartMessage } from './media-messages.js';
import { TurnTaking, type TurnTakingDecision, type TurnTakingOptions } from './turn-taking.js';
import { VoiceActivityDetector, type VoiceActivityEvent } from './voice-activity-detector.js';

export interface MediaLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MediaTiming extends TurnTakingOptions {
  /** Malformed messages tolerated before the socket is closed with 1008 (default 20). */
  maxMalformed: number;
  /** A text message longer than this is not Twilio's: close with 1009 (default 64 KiB). */
  maxMessageChars: number;
  /** After a transfer or hang-up, how long past the audio's own length to wait for its marks (default 3 s). */
  endGraceMs: number;
  /** No media for this long (wall clock) and the audio clock is moved on by the time passed (default 200 ms). */
  idleAfterMs: number;
}

export const DEFAULT_MEDIA_TIMING: MediaTiming = { maxMalformed: 20, maxMessageChars: 64 * 1024, endGraceMs: 3000, idleAfterMs: 200 };

/** Moments of a call, with `performance.now()`, for the latency bench. */
export type MediaTraceEvent =
  | { kind: 'voice-end'; at: number; lastVoiceAtMs: number }
  | { kind: 'final'; at: number }
  | { kind: 'input'; at: number; input: CallerInput }
  | { kind: 'first-frame'; at: number };

export interface MediaCallDeps {
  dialog: VoiceDialog;
  /** null: no recogniser configured; the caller can still use the keypad. */
  stt: SpeechToText | null;
  tts: TextToSpeech;
  log: MediaLog;
  hints?: readonly string[];
  send(message: string): void;
  close(code: number, reason: string): void;
  timing?: Partial<MediaTiming>;
  trace?: (event: MediaTraceEvent) => void;
}

interface Playback {
  abort: AbortController;
  /** Marks sent and not yet echoed, with the sentence each one closes. */
  pending: Map<string, string>;
  /** Sentences whose mark came back: what the caller has heard. */
  heard: string[];
  sending: boolean;
}

const segmenter = new Intl.Segmenter('vi', { granularity: 'sentence' });

/** A turn's spoken text as sentences, so the first one is synthesised (and heard) first. */
export function sentencesOf(text: string): string[] {
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter((s) => s.length > 0);
}

/**
 * One Media Streams call: Twilio's messages in, the caller's audio to the voice activity detector
 * and the recogniser, the turn-taking's decisions to the dialog (one dialog call at a time), and
 * the dialog's turns back out as synthesised 20 ms frames followed by a mark per sentence.
 */
export class MediaCall {
  private readonly timing: MediaTiming;
  private readonly vad = new VoiceActivityDetector();
  private readonly turns: TurnTaking;
  private streamSid: string | null = null;
  private callSid: string | null = null;
  private recognition: SpeechRecognitionStream | null = null;
  private playback: Playback | null = null;
  private ending: 'transfer' | 'hangup' | null = null;
  private endTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastMediaAt = performance.now();
  private malformed = 0;
  private markSeq = 0;
  private closed = false;
  /** Dialog calls in order, one at a time. */
  private dialogQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: MediaCallDeps) {
    this.timing = { ...DEFAULT_MEDIA_TIMING, ...deps.timing };
    this.turns = new TurnTaking((d) => this.decided(d), this.timing);
  }

  /** One text message from Twilio. */
  receive(raw: string): void {
    if (this.closed) return;
    if (raw.length > this.timing.maxMessageChars) {
      this.deps.log.warn({ chars: raw.length }, 'media stream message too large');
      return this.end(1009, 'message too large');
    }
    const parsed = parseMediaMessage(raw);
    if (parsed.kind === 'unknown') return;
    if (parsed.kind === 'malformed') return this.badMessage(parsed.reason);
    const m = parsed.message;
    switch (m.event) {
      case 'connected':
        return;
      case 'start':
        return this.started(m);
      case 'media': {
        if (!this.callSid) return;
        if (m.media.track && m.media.track !== 'inbound') return;
        const audio = decodeMediaPayload(m.media.payload);
        if (!audio) return this.badMessage('media: payload is not base64');
        return this.heard(audio);
      }
      case 'dtmf':
        if (this.callSid) this.turns.digit(m.dtmf.digit);
        return;
      case 'mark':
        return this.markPlayed(m.mark.name);
      case 'stop':
        return this.end(1000, 'stream stopped');
    }
  }

  /** Twilio sends text only; a binary message counts as malformed. */
  receiveBinary(): void {
    if (!this.closed) this.badMessage('binary message');
  }

  /** The socket closed: free the recogniser, stop synthesis, clear every timer. Idempotent. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.turns.stopListening();
    this.recognition?.close();
    this.recognition = null;
    this.playback?.abort.abort();
    this.playback = null;
    if (this.endTimer) clearTimeout(this.endTimer);
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.endTimer = this.idleTimer = null;
  }

  private badMessage(reason: string): void {
    this.malformed += 1;
    if (this.malformed === 1 || this.malformed % 10 === 0) this.deps.log.warn({ reason, count: this.malformed, callSid: this.callSid }, 'malformed media stream message');
    if (this.malformed >= this.timing.maxMalformed) this.end(1008, 'too many malformed messages');
  }

  private started(m: TwilioStartMessage): void {
    if (this.callSid) {
      this.deps.log.warn({ callSid: this.callSid }, 'second media stream start ignored');
      return;
    }
    const callSid = m.start.callSid;
    this.callSid = callSid;
    this.streamSid = m.start.streamSid ?? m.streamSid;
    const params = m.start.customParameters ?? {};
    if (this.deps.stt) {
      const stream = this.deps.stt.open({ languageCode: 'vi-VN', hints: this.deps.hints ?? [] });
      this.recognition = stream;
      stream.listen({
        onPartial: (text) => {
          if (!this.closed) this.turns.partial(text);
        },
        onFinal: (text, confidence) => {
          if (this.closed) return;
          this.deps.trace?.({ kind: 'final', at: performance.now() });
          this.turns.final(text, confidence);
        },
        onError: (err) => this.recognitionFailed(err),
      });
    }
    this.lastMediaAt = performance.now();
    this.idleTimer = setInterval(() => this.idleTick(), Math.max(20, Math.floor(this.timing.idleAfterMs / 2)));
    this.idleTimer.unref();
    this.deps.log.info({ callSid, speech: this.deps.stt !== null }, 'media stream started');
    void this.ask(() => this.deps.dialog.start({ callSid, from: params.from ?? '', to: params.to ?? '', mode: 'media' }));
  }

  private heard(audio: Uint8Array): void {
    this.lastMediaAt = performance.now();
    const event = this.vad.push(audio);
    this.voiced(event);
    // After the detector, so a result the recogniser gives inside `write` sees this frame's voice state.
    this.recognition?.write(audio);
  }

  private voiced(event: VoiceActivityEvent | null): void {
    if (event?.kind === 'speech-end') this.deps.trace?.({ kind: 'voice-end', at: performance.now(), lastVoiceAtMs: event.atMs });
    this.turns.audio(this.vad.state(), event);
  }

  // Twilio sends the inbound track without pause; if it stops, the audio clock must still move so
  // an utterance ends and the silence and key timeouts run.
  private idleTick(): void {
    const now = performance.now();
    const gap = now - this.lastMediaAt;
    if (this.closed || gap < this.timing.idleAfterMs) return;
    this.lastMediaAt = now;
    this.voiced(this.vad.idle(gap));
  }

  private recognitionFailed(err: Error): void {
    if (this.closed) return;
    // Staying on the line with a deaf bot helps nobody: end the stream, and the `<Connect action>`
    // (afterStream) offers the keypad menu or an operator.
    this.deps.log.error({ err, callSid: this.callSid }, 'speech recognition failed; ending the media stream');
    this.end(1000, 'speech recognition failed');
  }

  private decided(decision: TurnTakingDecision): void {
    if (this.closed) return;
    if (decision.kind === 'interrupt') return this.interrupt();
    const callSid = this.callSid!;
    this.deps.trace?.({ kind: 'input', at: performance.now(), input: decision.input });
    void this.ask(() => this.deps.dialog.input(callSid, decision.input));
  }

  /** A dialog call, queued behind the previous one; its turn is played when it comes. */
  private ask(call: () => Promise<VoiceTurn>): Promise<void> {
    const next = this.dialogQueue.then(async () => {
      if (this.closed) return;
      let turn: VoiceTurn;
      try {
        turn = await call();
      } catch (err) {
        this.deps.log.error({ err, callSid: this.callSid }, 'voice dialog failed; ending the media stream');
        return this.end(1011, 'dialog failed');
      }
      this.play(turn);
    });
    this.dialogQueue = next;
    return next;
  }

  private interrupt(): void {
    const playback = this.playback;
    if (!playback || !this.streamSid) return;
    this.deps.send(outboundClear(this.streamSid));
    playback.abort.abort();
    this.playback = null;
    const heard = playback.heard.length > 0 ? playback.heard.join(' ') : null;
    const callSid = this.callSid!;
    this.dialogQueue = this.dialogQueue.then(() =>
      this.deps.dialog.interrupted(callSid, heard).catch((err: unknown) => this.deps.log.warn({ err, callSid }, 'voice dialog interrupted() failed')),
    );
  }

  private play(turn: VoiceTurn): void {
    if (this.closed) return;
    const sentences = turn.actions.flatMap((a) => (a.kind === 'say' ? sentencesOf(a.text) : []));
    const last = turn.actions.at(-1);
    this.playback?.abort.abort();
    this.playback = null;
    if (sentences.length > 0) this.turns.botStarted();
    if (last?.kind === 'listen') this.turns.listen(last.listen);
    else if (last?.kind === 'transfer' || last?.kind === 'hangup') {
      this.ending = last.kind;
      this.turns.stopListening();
    } else {
      this.deps.log.warn({ callSid: this.callSid }, 'voice turn without listen, transfer or hangup; listening with defaults');
      this.turns.listen({ digits: 'one', hints: [], timeoutS: 8 });
    }
    if (sentences.length === 0) return this.playbackDone();
    const playback: Playback = { abort: new AbortController(), pending: new Map(), heard: [], sending: true };
    this.playback = playback;
    void this.speak(playback, sentences);
  }

  private async speak(playback: Playback, sentences: string[]): Promise<void> {
    const { signal } = playback.abort;
    const synth = (text: string) => this.deps.tts.synthesize(text, { signal });
    let audioMs = 0;
    let first = true;
    try {
      let next = synth(sentences[0]!);
      for (let i = 0; i < sentences.length; i++) {
        const audio = await next;
        // The next sentence is synthesised while this one plays.
        if (i + 1 < sentences.length) {
          next = synth(sentences[i + 1]!);
          next.catch(() => {}); // handled when awaited; an abort must not surface as unhandled
        }
        if (this.playback !== playback || this.closed) return;
        for (const frame of toFrames(audio)) {
          this.deps.send(outboundMedia(this.streamSid!, frame));
          if (first) {
            first = false;
            this.deps.trace?.({ kind: 'first-frame', at: performance.now() });
          }
        }
        audioMs += audio.length / 8;
        const name = `say-${++this.markSeq}`;
        playback.pending.set(name, sentences[i]!);
        this.deps.send(outboundMark(this.streamSid!, name));
      }
    } catch (err) {
      if (signal.aborted || this.playback !== playback || this.closed) return;
      // Without a voice the bot cannot even apologise here; the `<Connect action>` can (Twilio's TTS).
      this.deps.log.error({ err, callSid: this.callSid }, 'speech synthesis failed; ending the media stream');
      return this.end(1011, 'speech synthesis failed');
    }
    playback.sending = false;
    if (this.ending) {
      // The goodbye must be heard before the stream closes, but a lost mark must not hold the call.
      this.endTimer = setTimeout(() => this.end(1000, this.ending!), audioMs + this.timing.endGraceMs);
      this.endTimer.unref();
    }
    if (playback.pending.size === 0) this.playbackDone();
  }

  private markPlayed(name: string): void {
    const playback = this.playback;
    if (!playback) return;
    const sentence = playback.pending.get(name);
    // Marks of audio dropped by an earlier `clear` come back too; they are not ours any more.
    if (sentence === undefined) return;
    playback.pending.delete(name);
    playback.heard.push(sentence);
    if (!playback.sending && playback.pending.size === 0) this.playbackDone();
  }

  private playbackDone(): void {
    this.playback = null;
    this.turns.botFinished();
    if (this.ending) this.end(1000, this.ending);
  }

  private end(code: number, reason: string): void {
    if (this.closed) return;
    this.deps.close(code, reason);
    this.shutdown();
  }
}
