import type { Duplex } from 'node:stream';
import type { SpeechClient } from '@google-cloud/speech';
import type {
  RecognitionEvents,
  SpeechRecognitionStream,
  SpeechToText,
  SpeechToTextOptions,
} from './speech-to-text.js';

/** Options of the SDK client (apiEndpoint, port, credentials, sslCreds…); credentials default to ADC. */
export type GoogleSpeechClientOptions = NonNullable<ConstructorParameters<typeof SpeechClient>[0]>;

/** The v1 `StreamingRecognitionConfig` this adapter sends (the subset it uses). */
export interface StreamingRecognitionConfig {
  config: {
    encoding: 'MULAW';
    sampleRateHertz: 8000;
    languageCode: string;
    enableAutomaticPunctuation: boolean;
    model?: string;
    speechContexts?: Array<{ phrases: string[] }>;
  };
  interimResults: boolean;
}

/** What one streaming response carries (v1 `StreamingRecognizeResponse`, the fields read here). */
interface StreamingRecognizeResponse {
  results?: Array<{
    alternatives?: Array<{ transcript?: string | null; confidence?: number | null }> | null;
    isFinal?: boolean | null;
  }> | null;
}

/**
 * The SDK's helper `SpeechClient.streamingRecognize(config)` (added at runtime by
 * `@google-cloud/speech`, absent from its typings): a duplex taking raw audio Buffers and
 * emitting responses; it sends `config` as the first request itself.
 */
export interface StreamingRecognizeClient {
  streamingRecognize(config: StreamingRecognitionConfig): Duplex;
  close(): Promise<void>;
}

export interface GoogleSpeechToTextOptions {
  clientOptions?: GoogleSpeechClientOptions;
  /** An already-built client (tests); by default the SDK is imported on the first `open()`. */
  client?: StreamingRecognizeClient;
  /** v1 model (e.g. `latest_short`); omitted → Google's default for vi-VN (no telephony model for vi-VN). */
  model?: string;
  /**
   * Audio on one recognize stream after which the adapter moves to a new stream at the next final
   * result — an utterance boundary, so no word is split. Default 45 s.
   */
  rotateAfterMs?: number;
  /** Audio on one stream after which it moves at once, mid-utterance if need be. Default 55 s. */
  maxStreamMs?: number;
}

/**
 * Google Cloud Speech-to-Text v1 streaming for the Media Streams mode: Twilio's 8 kHz µ-law goes
 * straight in (no resampling), interim results drive barge-in, finals drive the answer pipeline.
 * A recognize stream has a maximum duration, so each call's recognition moves to a fresh stream
 * before it (as Twilio's realtime-transcriptions sample does), preferably between utterances.
 * The SDK is loaded with `import()` on first use so deployments without Google never load it.
 */
export class GoogleSpeechToText implements SpeechToText {
  private client: Promise<StreamingRecognizeClient> | null;
  readonly rotateAfterMs: number;
  readonly maxStreamMs: number;

  constructor(private readonly options: GoogleSpeechToTextOptions = {}) {
    this.client = options.client ? Promise.resolve(options.client) : null;
    this.rotateAfterMs = options.rotateAfterMs ?? 45_000;
    this.maxStreamMs = options.maxStreamMs ?? 55_000;
    if (!(this.rotateAfterMs > 0 && this.maxStreamMs >= this.rotateAfterMs)) {
      throw new RangeError('need 0 < rotateAfterMs ≤ maxStreamMs');
    }
  }

  open(options: SpeechToTextOptions): SpeechRecognitionStream {
    const hints = (options.hints ?? []).filter((h) => h.trim() !== '');
    const config: StreamingRecognitionConfig = {
      config: {
        encoding: 'MULAW',
        sampleRateHertz: 8000,
        languageCode: options.languageCode,
        enableAutomaticPunctuation: true,
        ...(this.options.model ? { model: this.options.model } : {}),
        ...(hints.length > 0 ? { speechContexts: [{ phrases: hints }] } : {}),
      },
      interimResults: true,
    };
    return new GoogleRecognitionStream(this.getClient(), config, this.rotateAfterMs, this.maxStreamMs);
  }

  /** Releases the gRPC channel (on shutdown). */
  async close(): Promise<void> {
    if (this.client) await (await this.client).close();
  }

  private getClient(): Promise<StreamingRecognizeClient> {
    this.client ??= import('@google-cloud/speech').then(
      (sdk) => new sdk.SpeechClient(this.options.clientOptions ?? {}) as unknown as StreamingRecognizeClient,
      (err: unknown) => {
        this.client = null; // a later call may retry the import
        throw err;
      },
    );
    return this.client;
  }
}

/** gRPC status code 11. */
const GRPC_OUT_OF_RANGE = 11;

/** How long a rotated-away or closed stream may take to deliver its last results. */
const RETIRED_STREAM_GRACE_MS = 10_000;

interface ActiveStream {
  duplex: Duplex;
  /** Audio bytes written to this recognize stream (8 per ms). */
  bytes: number;
}

/** One call's recognition, spread over successive recognize streams. */
class GoogleRecognitionStream implements SpeechRecognitionStream {
  private events: RecognitionEvents | null = null;
  private client: StreamingRecognizeClient | null = null;
  private current: ActiveStream | null = null;
  /** Streams ended by rotation that may still deliver their last results. */
  private readonly retired = new Set<Duplex>();
  /** Audio written before the SDK finished loading; sent, in order, once it has. */
  private pending: Buffer[] = [];
  private closed = false;
  private failed = false;
  /** A failure before anyone listened, delivered by `listen`. */
  private unheardError: Error | null = null;

  constructor(
    client: Promise<StreamingRecognizeClient>,
    private readonly config: StreamingRecognitionConfig,
    private readonly rotateAfterMs: number,
    private readonly maxStreamMs: number,
  ) {
    client.then(
      (ready) => {
        if (this.closed || this.failed) return;
        this.client = ready;
        const buffered = this.pending;
        this.pending = [];
        for (const chunk of buffered) this.send(chunk);
      },
      (err: unknown) => this.fail(new Error(`Google Speech-to-Text could not be loaded: ${String(err)}`, { cause: err })),
    );
  }

  listen(events: RecognitionEvents): void {
    this.events = events;
    if (this.unheardError) events.onError(this.unheardError);
    this.unheardError = null;
  }

  write(mulaw: Uint8Array): void {
    if (this.closed || this.failed || mulaw.length === 0) return;
    const chunk = Buffer.from(mulaw); // a copy: Twilio frame buffers are reused by callers
    if (!this.client) this.pending.push(chunk);
    else this.send(chunk);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    if (this.current) this.retire(this.current.duplex);
    this.current = null;
  }

  private send(chunk: Buffer): void {
    const active = (this.current ??= this.startStream());
    active.duplex.write(chunk);
    active.bytes += chunk.length;
    if (active.bytes / 8 >= this.maxStreamMs) this.rotate();
  }

  private startStream(): ActiveStream {
    const duplex = this.client!.streamingRecognize(this.config);
    const active: ActiveStream = { duplex, bytes: 0 };
    duplex.on('data', (response: StreamingRecognizeResponse) => this.onResponse(active, response));
    duplex.on('error', (err: Error & { code?: unknown }) => {
      // A stream we already moved away from (or closed) may end with an error (cancel, duration
      // limit); its audio was handed over, so only the live stream's failure ends recognition.
      if (this.current !== active) return;
      // OUT_OF_RANGE is Google's "maximum stream duration exceeded": the provider's own limit came
      // first (e.g. it is shorter than configured). Not a failure of the call: carry on on a new stream.
      if (err.code === GRPC_OUT_OF_RANGE) {
        this.current = null;
        return;
      }
      this.fail(err);
    });
    const ended = () => {
      this.retired.delete(duplex);
      // The provider ended the live stream on its own: the next write opens a new one.
      if (this.current === active) this.current = null;
    };
    duplex.on('end', ended);
    duplex.on('close', ended);
    return active;
  }

  /** Ends the live stream (its pending results still arrive) and sends further audio to a new one. */
  private rotate(): void {
    if (!this.current) return;
    this.retire(this.current.duplex);
    this.current = null; // opened lazily by the next write, so no empty stream is ever left open
  }

  private retire(duplex: Duplex): void {
    if (duplex.destroyed) return;
    this.retired.add(duplex);
    duplex.end();
    // A provider that never answers the half-close must not keep the call's channel open for ever.
    setTimeout(() => {
      if (!duplex.destroyed) duplex.destroy();
    }, RETIRED_STREAM_GRACE_MS).unref();
  }

  private onResponse(source: ActiveStream, response: StreamingRecognizeResponse): void {
    if (this.closed || this.failed || !this.events) return;
    const results = response.results ?? [];
    const final = results.find((r) => r.isFinal);
    if (final) {
      const alternative = final.alternatives?.[0];
      const text = (alternative?.transcript ?? '').trim();
      if (text !== '') this.events.onFinal(text, alternative?.confidence ? alternative.confidence : null);
      // An utterance just ended: the cleanest moment to move to a fresh stream.
      if (this.current === source && source.bytes / 8 >= this.rotateAfterMs) this.rotate();
      return;
    }
    // Interim: results[0] is the stable part, later ones the still-changing tail.
    const partial = results
      .map((r) => r.alternatives?.[0]?.transcript ?? '')
      .join('')
      .trim();
    if (partial !== '') this.events.onPartial(partial);
  }

  private fail(err: Error): void {
    if (this.closed || this.failed) return;
    this.failed = true;
    this.pending = [];
    if (this.current) this.retire(this.current.duplex);
    this.current = null;
    if (this.events) this.events.onError(err);
    else this.unheardError = err;
  }
}
