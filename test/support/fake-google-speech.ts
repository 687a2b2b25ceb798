import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import wavefile from 'wavefile';

/**
 * Local gRPC doubles of Google Cloud Text-to-Speech v1 and Speech-to-Text v1, loaded from the real
 * `.proto` files shipped inside the SDK packages, so the official clients talk to them over the real
 * wire format (HTTP/2 + protobuf) on 127.0.0.1 with insecure channel credentials.
 *
 *   google.cloud.texttospeech.v1.TextToSpeech/SynthesizeSpeech — answers MULAW 8 kHz wrapped in a WAV
 *     header (as Google does), built with wavefile (with a `fact` chunk, so the header is not 44 bytes).
 *   google.cloud.speech.v1.Speech/StreamingRecognize — checks the first request is a streaming config
 *     (MULAW, 8000 Hz, vi-VN), counts audio bytes per stream and in total, and answers interim and final
 *     results from a script keyed on the milliseconds of audio that stream has received.
 * It is not Google: no recognition, no auth, no quotas.
 */

const require = createRequire(import.meta.url);
const ttsProtos = join(dirname(require.resolve('@google-cloud/text-to-speech/package.json')), 'build', 'protos');
const speechProtos = join(dirname(require.resolve('@google-cloud/speech/package.json')), 'build', 'protos');
// google-gax (the SDKs' transport) ships the common protos (google/api, google/rpc, google/longrunning).
const commonProtos = join(dirname(require.resolve('google-gax')), '..', '..', 'build', 'protos');

export type SttStep =
  | { afterMs: number; partial: string }
  | { afterMs: number; final: string; confidence?: number };

export interface FakeGoogleSpeechOptions {
  /** The µ-law bytes spoken for a text (default: a deterministic pattern, 8 bytes per character). */
  ttsAudio?: (text: string) => Uint8Array;
  /** Answer SynthesizeSpeech after this many ms (a slow provider, for abort tests). */
  ttsDelayMs?: number;
  /** Fail every SynthesizeSpeech with this gRPC status. */
  ttsFailure?: { code: grpc.status; details: string };
  /** Results each recognize stream sends, keyed on the ms of audio received by that stream. */
  sttScript?: (streamIndex: number) => readonly SttStep[];
  /** Fail a recognize stream with this status once it has received `afterMs` of audio. */
  sttFailure?: { afterMs: number; code: grpc.status; details: string; streamIndex?: number };
}

export interface RecordedRecognizeStream {
  config: Record<string, unknown> | null;
  audioBytes: number;
  /** The client half-closed the stream (it ended cleanly rather than being cut). */
  halfClosed: boolean;
  /** A request that was not what Google accepts (e.g. audio first), with the reason. */
  rejected: string | null;
}

export interface FakeGoogleSpeech {
  port: number;
  ttsRequests: Array<{ text: string; voice: Record<string, unknown>; audioConfig: Record<string, unknown> }>;
  recognizeStreams: RecordedRecognizeStream[];
  /** Audio bytes received across every recognize stream. */
  totalAudioBytes(): number;
  /** The WAV body the TTS double returns for a text (to compare with what the adapter extracts). */
  wavFor(text: string): Uint8Array;
  audioFor(text: string): Uint8Array;
  close(): Promise<void>;
}

export function defaultTtsAudio(text: string): Uint8Array {
  return new Uint8Array([...text].length * 8 + 1).map((_, i) => (i * 37 + text.length) % 256);
}

function loadService(protoRoot: string, file: string, pkg: string[]): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(join(protoRoot, file), {
    includeDirs: [protoRoot, commonProtos],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  let node: unknown = grpc.loadPackageDefinition(definition);
  for (const part of pkg) node = (node as Record<string, unknown>)[part];
  return (node as { service: grpc.ServiceDefinition }).service;
}

export async function startFakeGoogleSpeech(options: FakeGoogleSpeechOptions = {}): Promise<FakeGoogleSpeech> {
  const ttsAudio = options.ttsAudio ?? defaultTtsAudio;
  const wavFor = (text: string): Uint8Array => {
    const wav = new wavefile.WaveFile();
    wav.fromScratch(1, 8000, '8m', ttsAudio(text));
    return wav.toBuffer();
  };
  const ttsRequests: FakeGoogleSpeech['ttsRequests'] = [];
  const recognizeStreams: RecordedRecognizeStream[] = [];
  const server = new grpc.Server();

  server.addService(loadService(ttsProtos, 'google/cloud/texttospeech/v1/cloud_tts.proto', ['google', 'cloud', 'texttospeech', 'v1', 'TextToSpeech']), {
    synthesizeSpeech(call: grpc.ServerUnaryCall<Record<string, any>, unknown>, callback: grpc.sendUnaryData<unknown>) {
      const { input, voice, audioConfig } = call.request;
      ttsRequests.push({ text: input?.text ?? '', voice, audioConfig });
      if (options.ttsFailure) return callback({ code: options.ttsFailure.code, details: options.ttsFailure.details });
      if (audioConfig?.audioEncoding !== 'MULAW' || audioConfig?.sampleRateHertz !== 8000) {
        return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'this double only speaks MULAW at 8000 Hz' });
      }
      const answer = () => callback(null, { audioContent: Buffer.from(wavFor(input.text)) });
      if (!options.ttsDelayMs) return answer();
      setTimeout(answer, options.ttsDelayMs).unref();
    },
  });

  server.addService(loadService(speechProtos, 'google/cloud/speech/v1/cloud_speech.proto', ['google', 'cloud', 'speech', 'v1', 'Speech']), {
    streamingRecognize(call: grpc.ServerDuplexStream<Record<string, any>, unknown>) {
      const index = recognizeStreams.length;
      const record: RecordedRecognizeStream = { config: null, audioBytes: 0, halfClosed: false, rejected: null };
      recognizeStreams.push(record);
      const pending = [...(options.sttScript?.(index) ?? [])].sort((a, b) => a.afterMs - b.afterMs);
      const failure = options.sttFailure && (options.sttFailure.streamIndex ?? index) === index ? options.sttFailure : undefined;
      let done = false;
      const reject = (code: grpc.status, details: string) => {
        record.rejected = details;
        done = true;
        call.emit('error', { code, details });
      };
      call.on('data', (request: Record<string, any>) => {
        if (done) return;
        if (record.config === null) {
          if (request.streamingRequest !== 'streamingConfig') return reject(grpc.status.INVALID_ARGUMENT, 'the first request must be a streaming config');
          const config = request.streamingConfig?.config ?? {};
          record.config = request.streamingConfig;
          if (config.encoding !== 'MULAW' || config.sampleRateHertz !== 8000 || config.languageCode !== 'vi-VN') {
            return reject(grpc.status.INVALID_ARGUMENT, `unexpected config ${JSON.stringify(config)}`);
          }
          return;
        }
        if (request.streamingRequest !== 'audioContent') return reject(grpc.status.INVALID_ARGUMENT, 'config sent twice');
        record.audioBytes += (request.audioContent as Buffer).length;
        const ms = record.audioBytes / 8;
        while (pending.length > 0 && pending[0]!.afterMs <= ms) {
          const step = pending.shift()!;
          const isFinal = 'final' in step;
          call.write({
            results: [
              {
                alternatives: [{ transcript: isFinal ? step.final : step.partial, confidence: isFinal ? (step.confidence ?? 0) : 0 }],
                isFinal,
                stability: isFinal ? 0 : 0.5,
              },
            ],
          });
        }
        if (failure && ms >= failure.afterMs) reject(failure.code, failure.details);
      });
      call.on('end', () => {
        record.halfClosed = true;
        if (!done) {
          done = true;
          call.end();
        }
      });
      call.on('error', () => undefined); // a client cancel arrives here; nothing to do
    },
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );

  return {
    port,
    ttsRequests,
    recognizeStreams,
    totalAudioBytes: () => recognizeStreams.reduce((n, s) => n + s.audioBytes, 0),
    wavFor,
    audioFor: ttsAudio,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 250).unref(); // a delayed reply must not hold the test up
      }),
  };
}
