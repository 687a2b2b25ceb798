import { describe, expect, it } from 'vitest';
import { mulaw } from 'alawmulaw';
import { ScriptedSpeechToText } from '../../support/scripted-speech-to-text.js';
import { SilentTextToSpeech } from '../../support/silent-text-to-speech.js';
import { concatAudio, silenceMs, speakToMulaw } from '../../support/spoken-audio.js';
import { FRAME_BYTES, toFrames } from '../../../src/telephony/speech/mulaw-frames.js';
import { audioToolsAvailability } from '../../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

function recorder() {
  const log: string[] = [];
  return {
    log,
    events: {
      onPartial: (t: string) => log.push(`partial:${t}`),
      onFinal: (t: string, c: number | null) => log.push(`final:${t}:${c}`),
      onError: (e: Error) => log.push(`error:${e.message}`),
    },
  };
}

describe('ScriptedSpeechToText', () => {
  const script = [
    { afterMs: 600, partial: 'cho tôi hỏi' },
    { afterMs: 1400, final: 'cho tôi hỏi làm căn cước', confidence: 0.92 },
  ];

  it('emits each result inside the write that crosses its threshold (bytes / 8 = ms)', () => {
    const stt = new ScriptedSpeechToText(script);
    const stream = stt.open({ languageCode: 'vi-VN' });
    const { log, events } = recorder();
    stream.listen(events);
    const frame = new Uint8Array(FRAME_BYTES); // 20 ms
    for (let i = 0; i < 29; i++) stream.write(frame); // 580 ms
    expect(log).toEqual([]);
    stream.write(frame); // 600 ms
    expect(log).toEqual(['partial:cho tôi hỏi']);
    for (let i = 0; i < 39; i++) stream.write(frame); // 1380 ms
    expect(log).toHaveLength(1);
    stream.write(frame); // 1400 ms
    expect(log).toEqual(['partial:cho tôi hỏi', 'final:cho tôi hỏi làm căn cước:0.92']);
    expect(stream.bytesWritten).toBe(70 * FRAME_BYTES);
    expect(stream.writtenMs).toBe(1400);
  });

  it('emits several due results in order from one large write, and records closing', () => {
    const stt = new ScriptedSpeechToText(script);
    const stream = stt.open({ languageCode: 'vi-VN', hints: ['căn cước'] });
    const { log, events } = recorder();
    stream.listen(events);
    stream.write(new Uint8Array(8 * 2000));
    expect(log).toEqual(['partial:cho tôi hỏi', 'final:cho tôi hỏi làm căn cước:0.92']);
    stream.close();
    stream.write(new Uint8Array(160));
    expect(stt.lastStream.closed).toBe(true);
    expect(stt.lastStream.writesAfterClose).toBe(1);
    expect(stt.lastStream.options.hints).toEqual(['căn cước']);
  });

  it('gives each stream a fresh script, or a per-open script, and can fail once', () => {
    const stt = new ScriptedSpeechToText((index) =>
      index === 0 ? [{ afterMs: 20, error: 'provider down' }, { afterMs: 40, final: 'never' }] : [{ afterMs: 20, final: 'ok' }],
    );
    const first = recorder();
    const a = stt.open({ languageCode: 'vi-VN' });
    a.listen(first.events);
    a.write(new Uint8Array(FRAME_BYTES * 5));
    expect(first.log).toEqual(['error:provider down']);
    expect(a.failed).toBe(true);

    const second = recorder();
    const b = stt.open({ languageCode: 'vi-VN' });
    b.listen(second.events);
    b.write(new Uint8Array(FRAME_BYTES));
    expect(second.log).toEqual(['final:ok:null']);
    expect(stt.streams).toHaveLength(2);
  });

  it('refuses a write before listen (the port requires listening first)', () => {
    const stream = new ScriptedSpeechToText(script).open({ languageCode: 'vi-VN' });
    expect(() => stream.write(new Uint8Array(160))).toThrow(/before listen/);
  });
});

describe('SilentTextToSpeech', () => {
  it('returns µ-law silence whose length follows the text', async () => {
    const tts = new SilentTextToSpeech({ msPerCharacter: 50, msPerText: 100 });
    const audio = await tts.synthesize('Xin chào'); // 8 characters
    expect(audio.length).toBe((100 + 8 * 50) * 8);
    expect(audio.every((b) => b === 0xff)).toBe(true);
    expect(tts.spoken).toEqual(['Xin chào']);
  });

  it('an abort during the artificial delay rejects and delivers nothing', async () => {
    const tts = new SilentTextToSpeech({ delayMs: 10_000 });
    const controller = new AbortController();
    const pending = tts.synthesize('Dạ', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(tts.spoken).toEqual([]);
    expect(tts.aborted).toBe(1);
  });

  it('can play a dead provider', async () => {
    const tts = new SilentTextToSpeech({ failWith: new Error('quota exceeded') });
    await expect(tts.synthesize('Dạ')).rejects.toThrow('quota exceeded');
  });
});

describe.skipIf(audio.skip)('spoken-audio', () => {
  it('pads real Vietnamese speech with silence, ready to be cut into frames', async () => {
    const audio = await speakToMulaw('Cho tôi hỏi làm căn cước', { leadingSilenceMs: 400, trailingSilenceMs: 800 });
    expect(audio.subarray(0, 400 * 8).every((b) => b === 0xff)).toBe(true);
    expect(audio.subarray(audio.length - 800 * 8).every((b) => b === 0xff)).toBe(true);
    const speech = mulaw.decode(audio.subarray(400 * 8, audio.length - 800 * 8));
    expect(speech.length / 8).toBeGreaterThan(500);
    expect(speech.reduce((m, s) => Math.max(m, Math.abs(s)), 0)).toBeGreaterThan(3000);
    expect(toFrames(audio).length).toBe(Math.ceil(audio.length / FRAME_BYTES));
  });

  it('concatenates parts and builds silence of the asked length', () => {
    const joined = concatAudio(new Uint8Array([1, 2]), silenceMs(1), new Uint8Array([3]));
    expect(Array.from(joined)).toEqual([1, 2, 255, 255, 255, 255, 255, 255, 255, 255, 3]);
    expect(() => silenceMs(-1)).toThrow(RangeError);
  });
});
