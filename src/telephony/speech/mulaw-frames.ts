/**
 * Twilio Media Streams carry 8 kHz mono µ-law in 20 ms messages: 8000 samples/s × 0.02 s = 160 bytes.
 * Sending frames of exactly this size keeps Twilio's playback clock and our barge-in timing aligned.
 */
export const FRAME_BYTES = 160;

/** µ-law code for a zero sample (positive zero); what Twilio itself sends during silence. */
export const MULAW_SILENCE = 0xff;

/**
 * Cuts raw µ-law audio into 160-byte frames. The last frame is padded with µ-law silence so every
 * frame is a full 20 ms (a short tail frame would play as a click on some carriers).
 * Frames are copies: the caller may reuse or mutate `audio` afterwards.
 */
export function toFrames(audio: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < audio.length; offset += FRAME_BYTES) {
    const frame = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
    frame.set(audio.subarray(offset, Math.min(offset + FRAME_BYTES, audio.length)));
    frames.push(frame);
  }
  return frames;
}
