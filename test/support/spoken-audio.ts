import { EspeakTextToSpeech } from '../../src/telephony/speech/espeak-text-to-speech.js';
import { MULAW_SILENCE } from '../../src/telephony/speech/mulaw-frames.js';

/**
 * Real Vietnamese speech as a caller would send it: 8 kHz µ-law from espeak-ng + sox, with silence
 * around it, for media-stream tests that cut it into 20 ms frames (`toFrames`).
 * One shared engine, so a phrase used by several tests is synthesised once.
 */
const engine = new EspeakTextToSpeech({ cacheEntries: 64 });

export interface SpokenAudioOptions {
  leadingSilenceMs?: number;
  trailingSilenceMs?: number;
}

export async function speakToMulaw(text: string, options: SpokenAudioOptions = {}): Promise<Uint8Array> {
  const speech = await engine.synthesize(text);
  return concatAudio(silenceMs(options.leadingSilenceMs ?? 0), speech, silenceMs(options.trailingSilenceMs ?? 0));
}

/** `ms` milliseconds of µ-law silence (8 bytes per ms). */
export function silenceMs(ms: number): Uint8Array {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`silence must be ≥ 0 ms, got ${ms}`);
  return new Uint8Array(Math.round(ms * 8)).fill(MULAW_SILENCE);
}

export function concatAudio(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Duration in ms of µ-law audio. */
export function durationMs(audio: Uint8Array): number {
  return audio.length / 8;
}
