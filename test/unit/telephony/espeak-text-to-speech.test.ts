import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { mulaw } from 'alawmulaw';
import { EspeakSynthesisError, EspeakTextToSpeech } from '../../../src/telephony/speech/espeak-text-to-speech.js';
import { FRAME_BYTES, MULAW_SILENCE, toFrames } from '../../../src/telephony/speech/mulaw-frames.js';
import { audioToolsAvailability } from '../../support/audio-tools.js';

/** Real audio needs espeak-ng and sox (skipped with a printed reason when absent, except under REQUIRE_SERVICES=1). */
const audio = audioToolsAvailability();

const SENTENCE = 'Xin chào, tôi là công chức AI của Trung tâm Phục vụ hành chính công Hà Nội.';
const dir = mkdtempSync(join(tmpdir(), 'espeak-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real espeak-ng behind a wrapper that logs each start (its pid), so tests can see spawns and kills. */
function recordingEspeak(name: string): { path: string; pids: () => number[] } {
  const log = join(dir, `${name}.pids`);
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\necho $$ >> '${log}'\nexec espeak-ng "$@"\n`);
  chmodSync(path, 0o755);
  return {
    path,
    pids: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(Number) : []),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, deadlineMs = 3000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(audio.skip)('EspeakTextToSpeech (real espeak-ng + sox)', () => {
  it('speaks a Vietnamese sentence as raw 8 kHz µ-law of the same duration espeak-ng produces', async () => {
    const audio = await new EspeakTextToSpeech().synthesize(SENTENCE);
    expect(audio.length / 8000).toBeGreaterThan(0.5);
    // No WAV header: raw µ-law starts with sound or silence codes, never "RIFF".
    expect(Buffer.from(audio.subarray(0, 4)).toString('latin1')).not.toBe('RIFF');

    // espeak-ng's own WAV (22 050 Hz) gives the reference duration; 8 kHz µ-law is 8000 bytes/s.
    const wavPath = join(dir, 'reference.wav');
    execFileSync('espeak-ng', ['-v', 'vi', '-w', wavPath], { input: SENTENCE + '\n' });
    const wav = new wavefile.WaveFile(readFileSync(wavPath));
    const fmt = wav.fmt as { sampleRate: number };
    const referenceSeconds = (wav.getSamples(false, Int16Array) as unknown as Int16Array).length / fmt.sampleRate;
    expect(Math.abs(audio.length / 8000 - referenceSeconds)).toBeLessThan(0.02);

    // It is speech, not silence: a loud stretch exists.
    const pcm = mulaw.decode(audio);
    const peak = pcm.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak).toBeGreaterThan(3000);
  });

  it('speaks faster at a higher words-per-minute speed', async () => {
    const slow = await new EspeakTextToSpeech({ speed: 120, cacheEntries: 0 }).synthesize(SENTENCE);
    const fast = await new EspeakTextToSpeech({ speed: 260, cacheEntries: 0 }).synthesize(SENTENCE);
    expect(fast.length).toBeLessThan(slow.length * 0.7);
  });

  it('returns empty audio for blank text without spawning anything', async () => {
    const espeak = recordingEspeak('blank');
    const audio = await new EspeakTextToSpeech({ espeakPath: espeak.path }).synthesize('  \n ');
    expect(audio.length).toBe(0);
    expect(espeak.pids()).toEqual([]);
  });

  it('passes text on stdin, so option-like text is spoken rather than parsed', async () => {
    const audio = await new EspeakTextToSpeech({ cacheEntries: 0 }).synthesize('--version -w /tmp/x.wav');
    expect(audio.length / 8000).toBeGreaterThan(0.5);
    expect(existsSync('/tmp/x.wav')).toBe(false);
  });

  it('caches recent phrases: the second request spawns nothing and gets an independent copy', async () => {
    const espeak = recordingEspeak('cache');
    const tts = new EspeakTextToSpeech({ espeakPath: espeak.path, cacheEntries: 2 });
    const first = await tts.synthesize('Xin chào');
    first.fill(0); // a caller scribbling on its copy must not corrupt the cache
    const second = await tts.synthesize('Xin chào');
    expect(espeak.pids()).toHaveLength(1);
    expect(second.some((b) => b !== 0)).toBe(true);

    await tts.synthesize('Một');
    await tts.synthesize('Hai'); // evicts "Xin chào" (bounded at 2 entries)
    await tts.synthesize('Xin chào');
    expect(espeak.pids()).toHaveLength(4);
  });

  it('abort rejects at once and kills espeak-ng', async () => {
    const espeak = recordingEspeak('abort');
    const tts = new EspeakTextToSpeech({ espeakPath: espeak.path, speed: 80 });
    const controller = new AbortController();
    const long = Array.from({ length: 60 }, () => SENTENCE).join(' ');
    const pending = tts.synthesize(long, { signal: controller.signal });
    await until(() => espeak.pids().length === 1, 'espeak-ng to start');
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(500);
    const pid = espeak.pids()[0]!;
    await until(() => !alive(pid), 'espeak-ng to be killed');
  });

  it('rejects straight away when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new EspeakTextToSpeech().synthesize('Xin chào', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('a missing espeak-ng or sox gives a clear error', async () => {
    await expect(new EspeakTextToSpeech({ espeakPath: join(dir, 'no-espeak') }).synthesize('Xin chào')).rejects.toThrow(
      /no-espeak not found/,
    );
    await expect(new EspeakTextToSpeech({ soxPath: join(dir, 'no-sox') }).synthesize('Xin chào')).rejects.toThrow(
      /no-sox not found/,
    );
  });

  it('an unknown voice is a clear error, not empty audio', async () => {
    const err = await new EspeakTextToSpeech({ voice: 'nosuchvoice' }).synthesize('Xin chào').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EspeakSynthesisError);
    expect(String(err)).toMatch(/espeak-ng exited with 1.*voice does not exist/s);
  });

  it('rejects an out-of-range speed at construction', () => {
    expect(() => new EspeakTextToSpeech({ speed: 5 })).toThrow(RangeError);
  });
});

describe('toFrames', () => {
  it('cuts µ-law into 160-byte frames and pads the last with silence', () => {
    const audio = new Uint8Array(FRAME_BYTES * 2 + 10).map((_, i) => i % 200);
    const frames = toFrames(audio);
    expect(frames.map((f) => f.length)).toEqual([160, 160, 160]);
    expect(Array.from(frames[1]!)).toEqual(Array.from(audio.subarray(160, 320)));
    expect(Array.from(frames[2]!.subarray(0, 10))).toEqual(Array.from(audio.subarray(320)));
    expect(frames[2]!.subarray(10).every((b) => b === MULAW_SILENCE)).toBe(true);
  });

  it('gives exact frames for whole multiples and none for empty audio', () => {
    expect(toFrames(new Uint8Array(320))).toHaveLength(2);
    expect(toFrames(new Uint8Array(0))).toEqual([]);
  });
});
