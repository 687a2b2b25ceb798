import type {
  RecognitionEvents,
  SpeechRecognitionStream,
  SpeechToText,
  SpeechToTextOptions,
} from '../../src/telephony/speech/speech-to-text.js';

/**
 * One scripted recognition result, due once `afterMs` of audio has been written to the stream
 * (8 kHz µ-law: 8 bytes per millisecond, so a 160-byte frame is 20 ms).
 */
export type ScriptStep =
  | { afterMs: number; partial: string }
  | { afterMs: number; final: string; confidence?: number | null }
  | { afterMs: number; error: string };

/** A script for every stream, or a function choosing one per `open()` (0-based call index). */
export type Script = readonly ScriptStep[] | ((openIndex: number, options: SpeechToTextOptions) => readonly ScriptStep[]);

/**
 * Offline `SpeechToText` for tests and benches (integrations.md §9). Results are keyed on the amount
 * of audio written, not on wall-clock time, and are emitted synchronously inside the `write` that
 * crosses their threshold — so a test feeding frames gets the same events in the same order every run.
 */
export class ScriptedSpeechToText implements SpeechToText {
  /** Every stream opened, in order, for assertions (bytes written, closed, options). */
  readonly streams: ScriptedRecognitionStream[] = [];

  constructor(private readonly script: Script) {}

  open(options: SpeechToTextOptions): ScriptedRecognitionStream {
    const steps = typeof this.script === 'function' ? this.script(this.streams.length, options) : this.script;
    const stream = new ScriptedRecognitionStream(options, steps);
    this.streams.push(stream);
    return stream;
  }

  /** The most recently opened stream (throws when none was opened: the test expected one). */
  get lastStream(): ScriptedRecognitionStream {
    const last = this.streams.at(-1);
    if (!last) throw new Error('ScriptedSpeechToText: no stream was opened');
    return last;
  }
}

export class ScriptedRecognitionStream implements SpeechRecognitionStream {
  bytesWritten = 0;
  writes = 0;
  /** Writes that arrived after `close()` (ignored, as a real provider would). */
  writesAfterClose = 0;
  closed = false;
  /** Set once an `error` step fired; later steps are not emitted. */
  failed = false;
  /** What was emitted, in order, for assertions. */
  readonly emitted: Array<{ kind: 'partial' | 'final' | 'error'; text: string; atMs: number }> = [];
  private events: RecognitionEvents | null = null;
  private readonly pending: ScriptStep[];

  constructor(readonly options: SpeechToTextOptions, steps: readonly ScriptStep[]) {
    this.pending = [...steps].sort((a, b) => a.afterMs - b.afterMs);
  }

  /** Milliseconds of audio written so far. */
  get writtenMs(): number {
    return this.bytesWritten / 8;
  }

  listen(events: RecognitionEvents): void {
    if (this.events) throw new Error('ScriptedRecognitionStream: listen() called twice');
    this.events = events;
    this.emitDue(); // steps at afterMs 0 fire as soon as someone listens
  }

  write(mulaw: Uint8Array): void {
    if (this.closed) {
      this.writesAfterClose += 1;
      return;
    }
    this.writes += 1;
    this.bytesWritten += mulaw.length;
    if (!this.events) throw new Error('ScriptedRecognitionStream: write() before listen()');
    this.emitDue();
  }

  close(): void {
    this.closed = true;
  }

  /** Emits a partial now, outside the script (for tests that drive timing by hand). */
  emitPartial(text: string): void {
    this.emit({ afterMs: this.writtenMs, partial: text });
  }

  /** Emits a final now, outside the script. */
  emitFinal(text: string, confidence: number | null = null): void {
    this.emit({ afterMs: this.writtenMs, final: text, confidence });
  }

  /** Fails the stream now, outside the script. */
  emitError(message: string): void {
    this.emit({ afterMs: this.writtenMs, error: message });
  }

  private emitDue(): void {
    while (this.pending.length > 0 && this.pending[0]!.afterMs <= this.writtenMs && !this.closed && !this.failed) {
      this.emit(this.pending.shift()!);
    }
  }

  private emit(step: ScriptStep): void {
    const events = this.events;
    if (!events) throw new Error('ScriptedRecognitionStream: result due before listen()');
    if (this.closed || this.failed) return;
    const atMs = this.writtenMs;
    if ('partial' in step) {
      this.emitted.push({ kind: 'partial', text: step.partial, atMs });
      events.onPartial(step.partial);
    } else if ('final' in step) {
      this.emitted.push({ kind: 'final', text: step.final, atMs });
      events.onFinal(step.final, step.confidence ?? null);
    } else {
      this.failed = true;
      this.emitted.push({ kind: 'error', text: step.error, atMs });
      events.onError(new Error(step.error));
    }
  }
}
