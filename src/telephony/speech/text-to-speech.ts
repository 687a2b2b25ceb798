/**
 * Text-to-speech for the Media Streams mode. Audio out is what Twilio plays: 8 kHz mono µ-law,
 * raw (no WAV header).
 */
export interface TextToSpeech {
  /**
   * Speaks one sentence or short passage of already-speakable Vietnamese; resolves to raw
   * 8 kHz µ-law bytes. Rejects on a provider failure or when `signal` aborts (barge-in).
   */
  synthesize(text: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}
