/**
 * Speech-to-text for the Media Streams mode: a provider outside Twilio hears the caller.
 * Audio in is what Twilio sends: 8 kHz mono µ-law, in 20 ms (160-byte) frames.
 */
export interface SpeechToText {
  /** Opens one recognition stream for a call; the caller's audio is written to it as it arrives. */
  open(options: SpeechToTextOptions): SpeechRecognitionStream;
}

export interface SpeechToTextOptions {
  /** BCP-47, `vi-VN`. */
  languageCode: string;
  /** Phrases to expect (procedure words from the lexicon). */
  hints?: readonly string[];
}

export interface RecognitionEvents {
  /** An interim transcript of the utterance so far (barge-in and backchannel decisions use it). */
  onPartial(text: string): void;
  /** A final transcript of a stretch of speech; `confidence` 0..1 when the provider gives one. */
  onFinal(text: string, confidence: number | null): void;
  /** The provider failed; the stream is unusable and the call should apologise or transfer. */
  onError(err: Error): void;
}

export interface SpeechRecognitionStream {
  /** Subscribes to results; set once, before the first `write`. */
  listen(events: RecognitionEvents): void;
  /** 8 kHz µ-law bytes, any length (normally 160). */
  write(mulaw: Uint8Array): void;
  /** Ends the stream and frees the provider's resources. Idempotent. */
  close(): void;
}
