import type { TextToSpeech } from '../../src/telephony/speech/text-to-speech.js';
import { MULAW_SILENCE } from '../../src/telephony/speech/mulaw-frames.js';

export interface SilentTextToSpeechOptions {
  /** Audio length per character of text (default 60 ms ≈ a Vietnamese syllable every ~4 chars at 4 syl/s). */
  msPerCharacter?: number;
  /** Fixed audio length added per text (default 0). */
  msPerText?: number;
  /** Artificial provider latency before resolving; abortable (default 0 = resolves on the next tick). */
  delayMs?: number;
  /** Byte to fill with (default µ-law silence 0xFF); set another value to tell TTS audio apart in a test. */
  fillByte?: number;
  /** When set, every synthesis rejects with this error (a dead provider). */
  failWith?: Error;
}

/**
 * Offline `TextToSpeech` (integrations.md §9): µ-law silence whose length follows the text, so the
 * media-stream code can be timed and barge-in tested without a speech engine.
 */
export class SilentTextToSpeech implements TextToSpeech {
  /** Every text asked for, in order (including aborted and failed ones). */
  readonly requests: string[] = [];
  /** Texts whose audio was actually delivered. */
  readonly spoken: string[] = [];
  aborted = 0;
  private readonly msPerCharacter: number;
  private readonly msPerText: number;
  private readonly delayMs: number;
  private readonly fillByte: number;
  private readonly failWith: Error | undefined;

  constructor(options: SilentTextToSpeechOptions = {}) {
    this.msPerCharacter = options.msPerCharacter ?? 60;
    this.msPerText = options.msPerText ?? 0;
    this.delayMs = options.delayMs ?? 0;
    this.fillByte = options.fillByte ?? MULAW_SILENCE;
    this.failWith = options.failWith;
  }

  /** Bytes of audio a given text yields (8 bytes per ms). */
  bytesFor(text: string): number {
    return Math.round((this.msPerText + this.msPerCharacter * [...text].length) * 8);
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    this.requests.push(text);
    const signal = options.signal;
    try {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, this.delayMs);
        const onAbort = () => {
          clearTimeout(timer);
          reject(abortError(signal));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } catch (err) {
      this.aborted += 1;
      throw err;
    }
    if (this.failWith) throw this.failWith;
    this.spoken.push(text);
    return new Uint8Array(this.bytesFor(text)).fill(this.fillByte);
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('speech synthesis aborted');
  err.name = 'AbortError';
  return err;
}
