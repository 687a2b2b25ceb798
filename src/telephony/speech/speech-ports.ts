import type { SpeechToText } from './speech-to-text.js';
import type { TextToSpeech } from './text-to-speech.js';

/** The Media Streams mode's ears and voice; `stt` null means the caller can only use the keypad. */
export interface SpeechPorts {
  stt: SpeechToText | null;
  tts: TextToSpeech;
}
