import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { SpeechToText } from '../speech/speech-to-text.js';
import type { TextToSpeech } from '../speech/text-to-speech.js';
import { frameText, twilioSocketGuard } from '../twilio-socket-guard.js';
import type { TelephonyConfig, VoiceDialog } from '../voice-turn.js';
import { MediaCall, type MediaLog, type MediaTiming, type MediaTraceEvent } from './media-call.js';

/** Where `<Connect><Stream url>` points (as `socketUrl(publicBaseUrl, MEDIA_PATH)`). */
export const MEDIA_PATH = '/telephony/media';

export interface MediaStreamSocketDeps {
  config: Pick<TelephonyConfig, 'publicBaseUrl' | 'authToken'>;
  dialog: VoiceDialog;
  /** null when no recogniser is configured: the call works with the keypad only. */
  stt: SpeechToText | null;
  tts: TextToSpeech;
  log: MediaLog;
  /** Phrases the recogniser should expect (procedure words). */
  hints?: readonly string[];
  /** Tests and the bench shorten or observe; production uses `DEFAULT_MEDIA_TIMING`. */
  timing?: Partial<MediaTiming>;
  trace?: (event: MediaTraceEvent) => void;
}


/**
 * `GET /telephony/media`: the bidirectional Media Streams WebSocket. The upgrade must carry
 * Twilio's signature over the `wss://` URL with no parameters (integrations.md §6.2), checked in
 * `preValidation` so a forged request gets 403 and is never upgraded. Needs `@fastify/websocket`
 * registered on `app` first.
 */
export function registerMediaStreamSocket(app: FastifyInstance, deps: MediaStreamSocketDeps): void {
  app.get(
    MEDIA_PATH,
    {
      websocket: true,
      preValidation: twilioSocketGuard(deps.config, deps.log, 'media stream'),
    },
    (socket) => {
      const call = new MediaCall({
        dialog: deps.dialog,
        stt: deps.stt,
        tts: deps.tts,
        log: deps.log,
        hints: deps.hints,
        timing: deps.timing,
        trace: deps.trace,
        send: (message) => {
          if (socket.readyState === socket.OPEN) socket.send(message);
        },
        close: (code, reason) => socket.close(code, reason),
      });
      // Listeners attached synchronously: Twilio sends `connected` and `start` as soon as the socket opens.
      socket.on('message', (data, isBinary) => {
        if (isBinary) call.receiveBinary();
        else call.receive(frameText(data));
      });
      socket.on('close', () => call.shutdown());
      socket.on('error', (err) => deps.log.warn({ err }, 'media stream socket error'));
    },
  );
}
