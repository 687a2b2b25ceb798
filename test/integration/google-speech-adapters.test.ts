import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { GoogleTextToSpeech } from '../../src/telephony/speech/google-text-to-speech.js';
import { GoogleSpeechToText } from '../../src/telephony/speech/google-speech-to-text.js';
import type { RecognitionEvents } from '../../src/telephony/speech/speech-to-text.js';
import { FRAME_BYTES, toFrames } from '../../src/telephony/speech/mulaw-frames.js';
import { startFakeGoogleSpeech, type FakeGoogleSpeech, type FakeGoogleSpeechOptions } from '../support/fake-google-speech.js';

/**
 * The real Google SDK clients against local gRPC doubles built from the SDKs' own .proto files.
 * Every TCP connection made in this file is recorded: none may leave 127.0.0.1 (no metadata
 * server, no token endpoint, no googleapis.com).
 */
const connections: string[] = [];
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  // net.connect() hands socket.connect() its already-normalised [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  const host =
    typeof first === 'object' && first !== null
      ? ((first as { host?: string; path?: string }).host ?? (first as { path?: string }).path ?? 'localhost')
      : typeof args[1] === 'string'
        ? args[1]
        : 'localhost';
  connections.push(String(host));
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

let fake: FakeGoogleSpeech | null = null;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake?.close();
  fake = null;
});

async function start(options: FakeGoogleSpeechOptions = {}) {
  fake = await startFakeGoogleSpeech(options);
  const clientOptions = {
    apiEndpoint: '127.0.0.1',
    port: fake.port,
    sslCreds: grpc.credentials.createInsecure(),
    // Named explicitly so the SDK does not ask Application Default Credentials (or a metadata server) for it.
    universeDomain: 'googleapis.com',
  };
  return { fake, clientOptions };
}

async function until(check: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function recorder() {
  const log: string[] = [];
  const errors: Error[] = [];
  const events: RecognitionEvents = {
    onPartial: (t) => log.push(`partial:${t}`),
    // Confidence travels as a protobuf float: compare it at two decimals.
    onFinal: (t, c) => log.push(`final:${t}:${c === null ? null : c.toFixed(2)}`),
    onError: (e) => errors.push(e),
  };
  return { log, errors, events };
}

/** `ms` of audio as 20 ms frames (a recognisable byte pattern, not silence). */
function audioFrames(ms: number): Uint8Array[] {
  return toFrames(new Uint8Array(ms * 8).map((_, i) => i % 251));
}

describe('GoogleTextToSpeech (SDK → local gRPC double)', () => {
  it('asks for vi-VN MULAW at 8 kHz and returns the WAV data chunk without its header', async () => {
    const { fake, clientOptions } = await start();
    const tts = new GoogleTextToSpeech({ clientOptions, voiceName: 'vi-VN-Neural2-A' });
    closers.push(() => tts.close());
    const text = 'Dạ, hồ sơ làm căn cước gồm tờ khai và giấy tờ tuỳ thân.';
    const audio = await tts.synthesize(text);

    expect(Array.from(audio)).toEqual(Array.from(fake.audioFor(text)));
    const wav = fake.wavFor(text);
    expect(Buffer.from(wav.subarray(0, 4)).toString('latin1')).toBe('RIFF');
    expect(wav.length - audio.length).not.toBe(44); // the header is not the classic 44 bytes: parsing matters
    expect(fake.ttsRequests).toHaveLength(1);
    expect(fake.ttsRequests[0]).toMatchObject({
      text,
      voice: { languageCode: 'vi-VN', name: 'vi-VN-Neural2-A' },
      audioConfig: { audioEncoding: 'MULAW', sampleRateHertz: 8000 },
    });
  });

  it('rejects with the provider error when synthesis fails', async () => {
    const { clientOptions } = await start({ ttsFailure: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'quota exceeded' } });
    const tts = new GoogleTextToSpeech({ clientOptions });
    closers.push(() => tts.close());
    await expect(tts.synthesize('Xin chào')).rejects.toThrow(/quota exceeded/);
  });

  it('an abort (barge-in) rejects at once while the provider is still working', async () => {
    const { fake, clientOptions } = await start({ ttsDelayMs: 5000 });
    const tts = new GoogleTextToSpeech({ clientOptions });
    closers.push(() => tts.close());
    const controller = new AbortController();
    const pending = tts.synthesize('Xin chào', { signal: controller.signal });
    await until(() => fake.ttsRequests.length === 1, 'the request to reach the double');
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('GoogleSpeechToText (SDK → local gRPC double)', () => {
  it('streams audio written before the SDK loaded, then partials and finals in order', async () => {
    const { fake, clientOptions } = await start({
      sttScript: () => [
        { afterMs: 300, partial: 'cho tôi' },
        { afterMs: 600, partial: 'cho tôi hỏi' },
        { afterMs: 1000, final: 'Cho tôi hỏi làm căn cước.', confidence: 0.92 },
        { afterMs: 1400, partial: 'mất bao' },
        { afterMs: 1800, final: 'Mất bao lâu?' },
      ],
    });
    const stt = new GoogleSpeechToText({ clientOptions });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'vi-VN', hints: ['căn cước', 'khai sinh', ' '] });
    const { log, errors, events } = recorder();
    stream.listen(events);
    // Written synchronously right after open(): the SDK is still being imported, so this is buffered.
    const frames = audioFrames(2000);
    for (const frame of frames) stream.write(frame);

    await until(() => log.length === 5, 'five results');
    expect(log).toEqual([
      'partial:cho tôi',
      'partial:cho tôi hỏi',
      'final:Cho tôi hỏi làm căn cước.:0.92',
      'partial:mất bao',
      'final:Mất bao lâu?:null',
    ]);
    expect(errors).toEqual([]);
    await until(() => fake.totalAudioBytes() === frames.length * FRAME_BYTES, 'all audio to arrive');
    expect(fake.recognizeStreams).toHaveLength(1);
    expect(fake.recognizeStreams[0]!.config).toMatchObject({
      config: {
        encoding: 'MULAW',
        sampleRateHertz: 8000,
        languageCode: 'vi-VN',
        enableAutomaticPunctuation: true,
        speechContexts: [{ phrases: ['căn cước', 'khai sinh'] }],
      },
      interimResults: true,
    });

    stream.close();
    await until(() => fake.recognizeStreams[0]!.halfClosed, 'the stream to be half-closed');
  });

  it('moves to a new stream at the first final after rotateAfterMs, losing no audio', async () => {
    const { fake, clientOptions } = await start({
      sttScript: (index) => (index === 0 ? [{ afterMs: 600, final: 'Làm hộ chiếu.' }] : [{ afterMs: 400, final: 'Ở đâu?' }]),
    });
    const stt = new GoogleSpeechToText({ clientOptions, rotateAfterMs: 500, maxStreamMs: 5000 });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'vi-VN' });
    const { log, errors, events } = recorder();
    stream.listen(events);

    for (const frame of audioFrames(700)) stream.write(frame);
    await until(() => log.length === 1, 'the first final');
    // The final arrived after 500 ms of audio on that stream: the next audio opens a new stream.
    for (const frame of audioFrames(700)) stream.write(frame);
    await until(() => log.length === 2, 'the second final');

    expect(log).toEqual(['final:Làm hộ chiếu.:null', 'final:Ở đâu?:null']);
    expect(errors).toEqual([]);
    await until(() => fake.totalAudioBytes() === 1400 * 8, 'every byte across both streams');
    expect(fake.recognizeStreams.map((s) => s.audioBytes)).toEqual([700 * 8, 700 * 8]);
    expect(fake.recognizeStreams[0]!.halfClosed).toBe(true);
    expect(fake.recognizeStreams.every((s) => s.rejected === null)).toBe(true);
  });

  it('moves at maxStreamMs even mid-utterance, losing no audio', async () => {
    const { fake, clientOptions } = await start();
    const stt = new GoogleSpeechToText({ clientOptions, rotateAfterMs: 400, maxStreamMs: 1000 });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'vi-VN' });
    const { errors, events } = recorder();
    stream.listen(events);
    for (const frame of audioFrames(2500)) stream.write(frame);

    await until(() => fake.totalAudioBytes() === 2500 * 8, 'all audio across streams');
    expect(fake.recognizeStreams.map((s) => s.audioBytes)).toEqual([8000, 8000, 4000]);
    expect(fake.recognizeStreams.every((s) => s.config !== null && s.rejected === null)).toBe(true);
    await until(() => fake.recognizeStreams.slice(0, 2).every((s) => s.halfClosed), 'the old streams to be half-closed');
    expect(errors).toEqual([]);
    stream.close();
  });

  it('a provider error reaches onError once and stops the stream', async () => {
    const { fake, clientOptions } = await start({
      sttScript: () => [{ afterMs: 100, partial: 'xin' }],
      sttFailure: { afterMs: 200, code: grpc.status.UNAVAILABLE, details: 'recognizer overloaded', streamIndex: 0 },
    });
    const stt = new GoogleSpeechToText({ clientOptions });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'vi-VN' });
    const { log, errors, events } = recorder();
    stream.listen(events);
    for (const frame of audioFrames(400)) stream.write(frame);
    await until(() => errors.length === 1, 'the error');
    expect(errors[0]!.message).toMatch(/recognizer overloaded/);
    expect(log).toEqual(['partial:xin']);

    // Later audio is dropped: no new stream is opened for a failed recognition.
    for (const frame of audioFrames(400)) stream.write(frame);
    // A second call on the same channel makes a full round trip; by then a stray second error would have come.
    const second = stt.open({ languageCode: 'vi-VN' });
    const other = recorder();
    second.listen(other.events);
    for (const frame of audioFrames(200)) second.write(frame);
    await until(() => other.log.length === 1, 'the second call to hear a partial');
    expect(errors).toHaveLength(1);
    expect(fake.recognizeStreams).toHaveLength(2);
    second.close();
    stream.close();
  });

  it("Google's own stream-duration error (OUT_OF_RANGE) moves on to a new stream instead of failing the call", async () => {
    const { fake, clientOptions } = await start({
      sttScript: (index) => (index === 1 ? [{ afterMs: 100, final: 'Còn đây.' }] : []),
      sttFailure: { afterMs: 300, code: grpc.status.OUT_OF_RANGE, details: 'Exceeded maximum allowed stream duration', streamIndex: 0 },
    });
    const stt = new GoogleSpeechToText({ clientOptions });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'vi-VN' });
    const { log, errors, events } = recorder();
    stream.listen(events);
    for (const frame of audioFrames(300)) stream.write(frame);
    await until(() => fake.recognizeStreams[0]?.rejected !== null && fake.recognizeStreams[0]?.rejected !== undefined, 'the limit');
    // The client learns of the error asynchronously; keep talking until a new stream carries a final.
    const deadline = Date.now() + 5000;
    while (log.length === 0 && Date.now() < deadline) {
      stream.write(audioFrames(20)[0]!);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(log).toEqual(['final:Còn đây.:null']);
    expect(errors).toEqual([]);
    expect(fake.recognizeStreams.length).toBeGreaterThanOrEqual(2);
    stream.close();
  });

  it('a config Google would refuse is reported as an error, not silence', async () => {
    const { fake, clientOptions } = await start();
    const stt = new GoogleSpeechToText({ clientOptions });
    closers.push(() => stt.close());
    const stream = stt.open({ languageCode: 'en-US' });
    const { errors, events } = recorder();
    stream.listen(events);
    for (const frame of audioFrames(100)) stream.write(frame);
    await until(() => errors.length === 1, 'the refusal');
    expect(fake.recognizeStreams[0]!.rejected).toMatch(/unexpected config/);
    expect(errors[0]!.message).toMatch(/unexpected config/);
  });
});

describe('network', () => {
  it('every connection the SDKs made stayed on 127.0.0.1', () => {
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.filter((h) => h !== '127.0.0.1')).toEqual([]);
  });
});
