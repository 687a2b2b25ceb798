import type { SpeechPorts } from './speech-ports.js';
import type { SpeechToText } from './speech-to-text.js';
import type { TextToSpeech } from './text-to-speech.js';

export interface SpeechPortsConfig {
  /** `google` for the Media Streams mode; `null` when the Gather mode (Twilio hears the caller) is used. */
  stt: 'google' | null;
  tts: 'espeak' | 'google';
  /** Google voice name, e.g. `vi-VN-Wavenet-A`. */
  googleVoice?: string;
  /** espeak-ng voice, default `vi`. */
  espeakVoice?: string;
  /** espeak-ng speed in words per minute. */
  espeakSpeed?: number;
  /** Overrides Google's endpoint (regional endpoint, private service connect, a local double). */
  googleApiEndpoint?: string;
}

/**
 * Builds the configured speech adapters. Each adapter module is imported only when chosen, and
 * the Google adapters import their SDK only on first use, so the default (espeak, no STT) start
 * loads nothing from Google. Google credentials come from Application Default Credentials.
 */
export async function createSpeechPorts(config: SpeechPortsConfig): Promise<SpeechPorts> {
  const clientOptions = config.googleApiEndpoint ? { apiEndpoint: config.googleApiEndpoint } : {};

  let tts: TextToSpeech;
  if (config.tts === 'google') {
    const { GoogleTextToSpeech } = await import('./google-text-to-speech.js');
    tts = new GoogleTextToSpeech({ clientOptions, ...(config.googleVoice ? { voiceName: config.googleVoice } : {}) });
  } else {
    const { EspeakTextToSpeech } = await import('./espeak-text-to-speech.js');
    tts = new EspeakTextToSpeech({
      ...(config.espeakVoice ? { voice: config.espeakVoice } : {}),
      ...(config.espeakSpeed !== undefined ? { speed: config.espeakSpeed } : {}),
    });
  }

  let stt: SpeechToText | null = null;
  if (config.stt === 'google') {
    const { GoogleSpeechToText } = await import('./google-speech-to-text.js');
    stt = new GoogleSpeechToText({ clientOptions });
  }
  return { stt, tts };
}
