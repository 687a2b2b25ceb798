import alawmulaw from 'alawmulaw';
import { describe, expect, it } from 'vitest';
import { toFrames } from '../../../../src/telephony/speech/mulaw-frames.js';
import { mulawLevelDb, VoiceActivityDetector, type VoiceActivityEvent } from '../../../../src/telephony/media/voice-activity-detector.js';
import { concatAudio, silenceMs, speakToMulaw } from '../../../support/spoken-audio.js';
import { audioToolsAvailability } from '../../../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

/** Deterministic white noise at roughly `db` dBFS RMS, as 8 kHz µ-law. */
function noise(ms: number, db: number, seed = 1): Uint8Array {
  const amplitude = 32768 * 10 ** (db / 20) * Math.sqrt(3); // uniform noise: RMS = A/√3
  const samples = new Int16Array(ms * 8);
  let s = seed;
  for (let i = 0; i < samples.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    samples[i] = Math.round((s / 2147483648 - 0.5) * 2 * amplitude);
  }
  return alawmulaw.mulaw.encode(samples);
}

/** Adds two µ-law signals sample by sample (speech over line noise). */
function mix(a: Uint8Array, b: Uint8Array): Uint8Array {
  const x = alawmulaw.mulaw.decode(a);
  const y = alawmulaw.mulaw.decode(b);
  const out = new Int16Array(Math.max(x.length, y.length));
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, (x[i] ?? 0) + (y[i] ?? 0)));
  return alawmulaw.mulaw.encode(out);
}

function run(audio: Uint8Array, vad = new VoiceActivityDetector()): VoiceActivityEvent[] {
  const events: VoiceActivityEvent[] = [];
  for (const frame of toFrames(audio)) {
    const e = vad.push(frame);
    if (e) events.push(e);
  }
  return events;
}

describe.skipIf(audio.skip)('VoiceActivityDetector', () => {
  it('measures µ-law levels in dBFS', () => {
    expect(mulawLevelDb(silenceMs(20))).toBe(-100);
    expect(mulawLevelDb(noise(20, -30))).toBeGreaterThan(-33);
    expect(mulawLevelDb(noise(20, -30))).toBeLessThan(-27);
  });

  it('finds one utterance in real Vietnamese speech between silences, with its timing', async () => {
    const speech = await speakToMulaw('Tôi muốn làm căn cước công dân', { leadingSilenceMs: 500, trailingSilenceMs: 600 });
    const events = run(speech);
    expect(events.map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
    const [start, end] = events as [VoiceActivityEvent, Extract<VoiceActivityEvent, { kind: 'speech-end' }>];
    // espeak's own leading silence is short: speech starts within ~100 ms of our 500 ms of silence.
    expect(start.atMs).toBeGreaterThanOrEqual(500);
    expect(start.atMs).toBeLessThan(650);
    expect(end.durationMs).toBeGreaterThan(1000);
    expect(end.atMs).toBeLessThan(speech.length / 8 - 400);
  });

  it('hears nothing in silence or in steady line noise, and speech over that noise', async () => {
    expect(run(silenceMs(3000))).toEqual([]);
    expect(run(noise(3000, -45))).toEqual([]);
    const vad = new VoiceActivityDetector();
    const line = noise(4000, -45, 7);
    const speech = concatAudio(silenceMs(1000), await speakToMulaw('Xin cho hỏi thủ tục khai sinh'), silenceMs(3000));
    const events = run(mix(line, speech.subarray(0, line.length)), vad);
    expect(events.map((e) => e.kind)).toEqual(['speech-start', 'speech-end']);
    expect(vad.noiseFloorDb).toBeGreaterThan(-50);
    expect(vad.noiseFloorDb).toBeLessThan(-40);
  });

  it('learns noise that is there from the first frame, and noise that starts later', () => {
    const vad = new VoiceActivityDetector();
    const events = run(concatAudio(silenceMs(1000), noise(6000, -40)), vad);
    // A sudden loud hiss first looks like speech, but the floor rises to it within a few seconds.
    expect(events.filter((e) => e.kind === 'speech-end').length).toBeLessThanOrEqual(1);
    expect(vad.speaking).toBe(false);
    expect(vad.noiseFloorDb).toBeGreaterThan(-46);
  });

  it('keeps an utterance whole across the short gaps between words, splits it on a real pause', async () => {
    const a = await speakToMulaw('không chín một hai');
    const b = await speakToMulaw('ba bốn năm');
    const whole = await speakToMulaw('không chín một hai ba bốn năm', { leadingSilenceMs: 300, trailingSilenceMs: 500 });
    expect(run(whole).filter((e) => e.kind === 'speech-start')).toHaveLength(1);
    expect(run(concatAudio(silenceMs(300), a, silenceMs(800), b, silenceMs(500))).filter((e) => e.kind === 'speech-start')).toHaveLength(2);
  });

  it('does not start on a click shorter than the start time', () => {
    const click = noise(40, -10);
    expect(run(concatAudio(silenceMs(500), click, silenceMs(500)))).toEqual([]);
  });

  it('reports how long the current speech has lasted, in audio time', async () => {
    const vad = new VoiceActivityDetector();
    const speech = await speakToMulaw('dạ', { leadingSilenceMs: 200 });
    let longest = 0;
    for (const frame of toFrames(speech)) {
      vad.push(frame);
      longest = Math.max(longest, vad.speechMs);
    }
    // A backchannel is a short burst: well under the 500 ms that interrupts the bot.
    expect(longest).toBeGreaterThan(150);
    expect(longest).toBeLessThan(500);
    expect(vad.nowMs).toBe(toFrames(speech).length * 20);
  });
});
