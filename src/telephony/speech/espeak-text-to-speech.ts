import { spawn, type ChildProcess } from 'node:child_process';
import type { TextToSpeech } from './text-to-speech.js';

export interface EspeakTextToSpeechOptions {
  /** espeak-ng voice name; `vi` is the Vietnamese voice shipped with espeak-ng-data. */
  voice?: string;
  /** Speaking rate in words per minute (espeak-ng `-s`; its default is 175). */
  speed?: number;
  /** Path or name of the espeak-ng binary (looked up on PATH by default). */
  espeakPath?: string;
  /** Path or name of the sox binary (looked up on PATH by default). */
  soxPath?: string;
  /**
   * How many recent phrases to keep in memory. The greeting and menu are said on every call, so a
   * small cache saves two process spawns per call. 0 disables it.
   */
  cacheEntries?: number;
  /** Upper bound on the cached audio in bytes (≈ 8 kB per second of speech). */
  cacheMaxBytes?: number;
}

/** Thrown when a binary is missing, exits non-zero, or produces no audio. */
export class EspeakSynthesisError extends Error {
  override name = 'EspeakSynthesisError';
}

/**
 * Local, offline TTS: `espeak-ng -v vi --stdout` (16-bit WAV at 22 050 Hz) piped into
 * `sox … -r 8000 -e mu-law` to get the raw 8 kHz µ-law that Twilio plays. The text goes on stdin,
 * never argv, so a caller-controlled string can neither inject options nor hit the argv size limit.
 * Robotic but free and deterministic — the default voice for development, CI and tests.
 */
export class EspeakTextToSpeech implements TextToSpeech {
  private readonly voice: string;
  private readonly speed: number | undefined;
  private readonly espeakPath: string;
  private readonly soxPath: string;
  private readonly cache: BoundedAudioCache;

  constructor(options: EspeakTextToSpeechOptions = {}) {
    this.voice = options.voice ?? 'vi';
    this.speed = options.speed;
    this.espeakPath = options.espeakPath ?? 'espeak-ng';
    this.soxPath = options.soxPath ?? 'sox';
    this.cache = new BoundedAudioCache(options.cacheEntries ?? 32, options.cacheMaxBytes ?? 4 * 1024 * 1024);
    if (this.speed !== undefined && !(Number.isInteger(this.speed) && this.speed >= 80 && this.speed <= 450)) {
      throw new RangeError(`espeak-ng speed must be an integer 80..450 words/min, got ${this.speed}`);
    }
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const signal = options.signal;
    signal?.throwIfAborted();
    const phrase = text.normalize('NFC').trim();
    if (phrase === '') return new Uint8Array(0);
    const cached = this.cache.get(phrase);
    if (cached) return cached.slice();
    const audio = await this.run(phrase, signal);
    this.cache.set(phrase, audio);
    return audio.slice();
  }

  private run(phrase: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const espeakArgs = ['-v', this.voice, '--stdout'];
    if (this.speed !== undefined) espeakArgs.push('-s', String(this.speed));
    // `-V1` keeps sox quiet about espeak's streaming WAV header (its length field is 0x7fffffff).
    const soxArgs = ['-V1', '-t', 'wav', '-', '-t', 'raw', '-r', '8000', '-e', 'mu-law', '-b', '8', '-c', '1', '-'];

    return new Promise<Uint8Array>((resolve, reject) => {
      const espeak = spawn(this.espeakPath, espeakArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
      const sox = spawn(this.soxPath, soxArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      const stderr = { espeak: '', sox: '' };
      const exits: { espeak?: number | null; sox?: number | null } = {};
      let settled = false;

      const killBoth = () => {
        for (const child of [espeak, sox]) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      };
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        killBoth();
        reject(err);
      };
      const onAbort = () => fail(abortError(signal));
      signal?.addEventListener('abort', onAbort, { once: true });

      const spawnFailure = (binary: string, err: NodeJS.ErrnoException) =>
        new EspeakSynthesisError(
          err.code === 'ENOENT'
            ? `${binary} not found (install espeak-ng and sox, or set the binary path): ${err.message}`
            : `${binary} could not be started: ${err.message}`,
        );
      espeak.on('error', (err) => fail(spawnFailure(this.espeakPath, err)));
      sox.on('error', (err) => fail(spawnFailure(this.soxPath, err)));
      // EPIPE when the other end died first; the exit code or 'error' above explains why.
      for (const stream of [espeak.stdin, sox.stdin, espeak.stdout]) stream.on('error', () => undefined);

      collectTail(espeak, (s) => (stderr.espeak = s));
      collectTail(sox, (s) => (stderr.sox = s));
      espeak.stdout.pipe(sox.stdin);
      sox.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));

      const maybeFinish = () => {
        if (settled || !('espeak' in exits) || !('sox' in exits)) return;
        if (exits.espeak !== 0) {
          return fail(new EspeakSynthesisError(`${this.espeakPath} exited with ${exits.espeak}: ${stderr.espeak.trim() || 'no message'}`));
        }
        if (exits.sox !== 0) {
          return fail(new EspeakSynthesisError(`${this.soxPath} exited with ${exits.sox}: ${stderr.sox.trim() || 'no message'}`));
        }
        const audio = new Uint8Array(Buffer.concat(chunks));
        if (audio.length === 0) return fail(new EspeakSynthesisError(`espeak-ng produced no audio for voice '${this.voice}'`));
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(audio);
      };
      // 'close' (not 'exit') so every byte of stdout/stderr has been read before we judge.
      espeak.on('close', (code) => { exits.espeak = code; maybeFinish(); });
      sox.on('close', (code) => { exits.sox = code; maybeFinish(); });

      espeak.stdin.end(phrase + '\n', 'utf8');
    });
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('speech synthesis aborted');
  err.name = 'AbortError';
  return err;
}

/** Keeps the last ~2 kB of a child's stderr for the error message. */
function collectTail(child: ChildProcess, set: (tail: string) => void): void {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    tail = (tail + s).slice(-2048);
    set(tail);
  });
}

/** LRU over a Map (insertion order = recency), bounded by entry count and total bytes. */
class BoundedAudioCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly maxEntries: number, private readonly maxBytes: number) {}

  get(key: string): Uint8Array | undefined {
    const value = this.entries.get(key);
    if (value) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Uint8Array): void {
    if (this.maxEntries <= 0 || value.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += value.length;
    for (const [oldest, audio] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= audio.length;
    }
  }
}
