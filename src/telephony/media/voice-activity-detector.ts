import alawmulaw from 'alawmulaw';

/**
 * Energy-based voice activity detection on the caller's 8 kHz µ-law audio, 20 ms at a time.
 * Time is audio time (bytes / 8 ms), never the wall clock: Twilio sends the inbound track
 * continuously, so the audio itself is the call's clock and tests may feed it faster than real time.
 *
 * A frame is "loud" when its level is `marginDb` above an adaptive noise floor (and above an
 * absolute minimum, so digital silence does not make hiss count as speech). Speech starts after
 * `startMs` of loud frames in a row — a click or a single syllable of noise does not — and ends
 * after `hangoverMs` without a loud frame, so the short gaps between Vietnamese syllables do not
 * split an utterance.
 */
export interface VoiceActivityOptions {
  /** Loud audio needed before speech starts (default 80 ms). */
  startMs?: number;
  /** Quiet audio after the last loud frame before speech ends (default 200 ms). */
  hangoverMs?: number;
  /** Level above the noise floor that counts as voice (default 12 dB). */
  marginDb?: number;
  /** A frame quieter than this is never voice, whatever the floor (default −50 dBFS). */
  minVoiceDb?: number;
}

/** What the detector knows after the latest audio. */
export interface VoiceState {
  /** Audio time so far. */
  nowMs: number;
  speaking: boolean;
  /** How long the current speech has lasted (0 when not speaking). */
  speechMs: number;
  /** End of the last loud frame; −Infinity before any. */
  lastVoiceAtMs: number;
}

export type VoiceActivityEvent =
  | { kind: 'speech-start'; atMs: number }
  | { kind: 'speech-end'; atMs: number; startedAtMs: number; durationMs: number };

const FLOOR_MIN_DB = -90;
const FLOOR_MAX_DB = -30;

// Squared linear value of every µ-law byte, so a frame's energy is 160 table look-ups.
const SQUARED = (() => {
  const table = new Float64Array(256);
  for (let b = 0; b < 256; b++) {
    const s = alawmulaw.mulaw.decodeSample(b);
    table[b] = s * s;
  }
  return table;
})();

/** The level of µ-law audio in dBFS (RMS against full scale); −100 for digital silence. */
export function mulawLevelDb(audio: Uint8Array): number {
  if (audio.length === 0) return -100;
  let sum = 0;
  for (let i = 0; i < audio.length; i++) sum += SQUARED[audio[i]!]!;
  const rms = Math.sqrt(sum / audio.length);
  return rms < 1 ? -100 : 20 * Math.log10(rms / 32768);
}

export class VoiceActivityDetector {
  private readonly startMs: number;
  private readonly hangoverMs: number;
  private readonly marginDb: number;
  private readonly minVoiceDb: number;

  private clockMs = 0;
  private floorDb: number | null = null;
  private inSpeech = false;
  /** Start of the current run of loud frames (candidate or confirmed speech). */
  private runStartMs: number | null = null;
  private speechStartMs = 0;
  private lastLoudEndMs = Number.NEGATIVE_INFINITY;

  constructor(options: VoiceActivityOptions = {}) {
    this.startMs = options.startMs ?? 80;
    this.hangoverMs = options.hangoverMs ?? 200;
    this.marginDb = options.marginDb ?? 12;
    this.minVoiceDb = options.minVoiceDb ?? -50;
  }

  /** Audio time so far (end of the last frame pushed). */
  get nowMs(): number {
    return this.clockMs;
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  /** How long the current speech has lasted (0 when not speaking). */
  get speechMs(): number {
    return this.inSpeech ? this.lastLoudEndMs - this.speechStartMs : 0;
  }

  /** End of the last loud frame; −Infinity before any. */
  get lastVoiceAtMs(): number {
    return this.lastLoudEndMs;
  }

  get noiseFloorDb(): number {
    return this.floorDb ?? FLOOR_MIN_DB;
  }

  /** The detector's view now, as the turn-taking reads it. */
  state(): VoiceState {
    return { nowMs: this.clockMs, speaking: this.inSpeech, speechMs: this.speechMs, lastVoiceAtMs: this.lastLoudEndMs };
  }

  /**
   * Time passing without audio (Twilio stopped sending media for a while): counted as quiet, so
   * speech still ends and timeouts still run; the noise floor is left alone.
   */
  idle(ms: number): VoiceActivityEvent | null {
    this.clockMs += Math.max(0, ms);
    if (this.inSpeech && this.clockMs - this.lastLoudEndMs >= this.hangoverMs) {
      this.inSpeech = false;
      this.runStartMs = null;
      return { kind: 'speech-end', atMs: this.lastLoudEndMs, startedAtMs: this.speechStartMs, durationMs: this.lastLoudEndMs - this.speechStartMs };
    }
    if (!this.inSpeech) this.runStartMs = null;
    return null;
  }

  /** Feeds the next stretch of audio (normally one 160-byte frame); returns what changed, if anything. */
  push(frame: Uint8Array): VoiceActivityEvent | null {
    const frameStartMs = this.clockMs;
    this.clockMs += frame.length / 8;
    const level = mulawLevelDb(frame);
    // The line's first frame is the first guess of its noise (calls open with the caller listening).
    const floor = this.floorDb ?? clampFloor(level);
    const loud = level >= this.minVoiceDb && level >= floor + this.marginDb;
    this.floorDb = adaptFloor(floor, level, loud);

    if (loud) {
      this.lastLoudEndMs = this.clockMs;
      if (this.runStartMs === null) this.runStartMs = frameStartMs;
      if (!this.inSpeech && this.clockMs - this.runStartMs >= this.startMs) {
        this.inSpeech = true;
        this.speechStartMs = this.runStartMs;
        return { kind: 'speech-start', atMs: this.speechStartMs };
      }
      return null;
    }

    // A quiet frame breaks a candidate run; confirmed speech survives until the hangover passes.
    if (!this.inSpeech) {
      this.runStartMs = null;
      return null;
    }
    if (this.clockMs - this.lastLoudEndMs >= this.hangoverMs) {
      this.inSpeech = false;
      this.runStartMs = null;
      return { kind: 'speech-end', atMs: this.lastLoudEndMs, startedAtMs: this.speechStartMs, durationMs: this.lastLoudEndMs - this.speechStartMs };
    }
    return null;
  }

}

function clampFloor(level: number): number {
  return Math.min(FLOOR_MAX_DB, Math.max(FLOOR_MIN_DB, level));
}

// The floor falls quickly (the dips between syllables pull it back down even during speech) and
// rises slowly: within a second under the voice threshold, over a few seconds above it — so steady
// noise that starts loud is learnt and stops counting as speech, while one utterance barely moves it.
function adaptFloor(floor: number, level: number, loud: boolean): number {
  const target = clampFloor(level);
  const rate = target < floor ? 0.3 : loud ? 0.01 : 0.05;
  return floor + (target - floor) * rate;
}
