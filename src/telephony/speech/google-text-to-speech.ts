import type { TextToSpeechClient } from '@google-cloud/text-to-speech';
import wavefile from 'wavefile';
import type { TextToSpeech } from './text-to-speech.js';

/** Options of the SDK client (apiEndpoint, port, credentials, sslCreds…); credentials default to ADC. */
export type GoogleTextToSpeechClientOptions = NonNullable<ConstructorParameters<typeof TextToSpeechClient>[0]>;

/** The part of the SDK client this adapter calls; a test may inject its own. */
export type SynthesizeSpeechClient = Pick<TextToSpeechClient, 'synthesizeSpeech' | 'close'>;

export interface GoogleTextToSpeechOptions {
  /** Voice name, e.g. `vi-VN-Wavenet-A`, `vi-VN-Neural2-A`, `vi-VN-Standard-A`. */
  voiceName?: string;
  languageCode?: string;
  /** 0.25..4, 1 = normal. */
  speakingRate?: number;
  /** Per-request deadline in ms; a phrase that takes longer is better replaced by an apology. */
  timeoutMs?: number;
  clientOptions?: GoogleTextToSpeechClientOptions;
  /** An already-built client (tests); by default the SDK is imported on first use. */
  client?: SynthesizeSpeechClient;
}

/** WAVE format tag for ITU-T G.711 µ-law. */
const WAVE_FORMAT_MULAW = 7;

/**
 * Google Cloud Text-to-Speech v1, asked for 8 kHz µ-law so nothing needs resampling. Google wraps
 * MULAW audio in a WAV header (integrations.md §9), so the data chunk is parsed out with wavefile
 * rather than by slicing a fixed 44 bytes (the header carries a `fact` chunk and may carry more).
 * The SDK (gRPC, protobufs, auth) is loaded with `import()` on the first synthesis, so a deployment
 * using espeak-ng never loads it.
 */
export class GoogleTextToSpeech implements TextToSpeech {
  private client: Promise<SynthesizeSpeechClient> | null;
  private readonly voiceName: string;
  private readonly languageCode: string;

  constructor(private readonly options: GoogleTextToSpeechOptions = {}) {
    this.client = options.client ? Promise.resolve(options.client) : null;
    this.voiceName = options.voiceName ?? 'vi-VN-Wavenet-A';
    this.languageCode = options.languageCode ?? 'vi-VN';
  }

  async synthesize(text: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const signal = options.signal;
    signal?.throwIfAborted();
    if (text.trim() === '') return new Uint8Array(0);
    const client = await this.getClient();
    signal?.throwIfAborted();

    const call = client.synthesizeSpeech(
      {
        input: { text: text.normalize('NFC') },
        voice: { languageCode: this.languageCode, name: this.voiceName },
        audioConfig: {
          audioEncoding: 'MULAW',
          sampleRateHertz: 8000,
          ...(this.options.speakingRate !== undefined ? { speakingRate: this.options.speakingRate } : {}),
        },
      },
      this.options.timeoutMs !== undefined ? { timeout: this.options.timeoutMs } : {},
    );
    const [response] = await abortable(call, signal);
    const audio = response.audioContent;
    if (audio === null || audio === undefined || audio.length === 0) {
      throw new Error('Google TTS returned no audio');
    }
    const bytes = typeof audio === 'string' ? Buffer.from(audio, 'base64') : audio;
    return mulawDataChunk(bytes);
  }

  /** Releases the gRPC channel (on shutdown). */
  async close(): Promise<void> {
    if (this.client) await (await this.client).close();
  }

  private getClient(): Promise<SynthesizeSpeechClient> {
    this.client ??= import('@google-cloud/text-to-speech').then(
      (sdk) => new sdk.TextToSpeechClient(this.options.clientOptions ?? {}),
      (err: unknown) => {
        this.client = null; // let a later call retry the import
        throw err;
      },
    );
    return this.client;
  }
}

/** The µ-law samples inside Google's WAV; raw bytes pass through (some endpoints omit the header). */
export function mulawDataChunk(body: Uint8Array): Uint8Array {
  if (Buffer.from(body.subarray(0, 4)).toString('latin1') !== 'RIFF') return new Uint8Array(body);
  const wav = new wavefile.WaveFile(body);
  const fmt = wav.fmt as { audioFormat: number; sampleRate: number; numChannels: number };
  if (fmt.audioFormat !== WAVE_FORMAT_MULAW || fmt.sampleRate !== 8000 || fmt.numChannels !== 1) {
    throw new Error(
      `Google TTS returned format ${fmt.audioFormat} at ${fmt.sampleRate} Hz × ${fmt.numChannels}; expected µ-law (7) at 8000 Hz mono`,
    );
  }
  return new Uint8Array((wav.data as { samples: Uint8Array }).samples);
}

/**
 * Races the call against the signal so a barge-in never waits for the provider. The RPC itself runs
 * to completion and its reply is dropped: the SDK's promise (and callback) API exposes no per-call
 * cancel (checked on text-to-speech 6.4), and a sentence costs the same once Google has started it.
 */
function abortable<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const reason: unknown = signal.reason;
      reject(reason instanceof Error ? reason : Object.assign(new Error('speech synthesis aborted'), { name: 'AbortError' }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
