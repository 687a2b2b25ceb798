import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { OfficeHours } from '../handoff/flows/office-hours.js';
import type { TicketStore } from '../handoff/ticket-store.js';
import type { AnswerService } from '../pipeline/answer-service.js';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import type { SqliteLocation } from '../sqlite/open-sqlite-database.js';
import { CallDialog } from './call-dialog.js';
import type { CallStore } from './call-store.js';
import { registerMediaStreamSocket } from './media/media-stream-socket.js';
import type { RelayTiming } from './relay/relay-call.js';
import { registerRelaySocket } from './relay/relay-socket.js';
import { createSpeechPorts } from './speech/create-speech-ports.js';
import type { SpeechPorts } from './speech/speech-ports.js';
import { SqliteCallStore } from './sqlite-call-store.js';
import { registerVoiceWebhooks } from './turn/voice-webhooks.js';
import type { TelephonyConfig, VoiceDialog } from './voice-turn.js';

export interface Telephony {
  config: TelephonyConfig;
  dialog: VoiceDialog;
  calls: CallStore;
  /** Mounts `/telephony/voice/*`, `/telephony/relay` and `/telephony/media` on the app. */
  register(app: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

export interface CreateTelephonyDeps {
  config: Config;
  location: SqliteLocation;
  answers: Pick<AnswerService, 'handle'>;
  tickets: Pick<TicketStore, 'create'>;
  qaLog: Pick<QaLogStore, 'recordRating'>;
  hours: OfficeHours;
  hints: () => readonly string[];
  overrides?: TelephonyOverrides;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** Parts tests and benches put in place of the configured ones. */
export interface TelephonyOverrides {
  /** Media Streams mode: these speech ports instead of the configured providers. */
  speech?: SpeechPorts;
  /** ConversationRelay pacing (tests shorten it). */
  relayTiming?: Partial<RelayTiming>;
}

/** The callbot, when TWILIO_AUTH_TOKEN is set; null otherwise (nothing under /telephony is mounted). */
export function createTelephony(d: CreateTelephonyDeps): Telephony | null {
  const { config } = d;
  if (!config.TWILIO_AUTH_TOKEN || !config.PUBLIC_BASE_URL) return null;
  const telephonyConfig: TelephonyConfig = {
    publicBaseUrl: config.PUBLIC_BASE_URL,
    authToken: config.TWILIO_AUTH_TOKEN,
    mode: config.VOICE_MODE,
    voice: config.VOICE_TWILIO_VOICE,
    transfer: config.VOICE_TRANSFER_NUMBER
      ? { kind: 'dial', number: config.VOICE_TRANSFER_NUMBER, timeoutS: config.VOICE_DIAL_TIMEOUT_S }
      : { kind: 'queue', queueName: config.VOICE_QUEUE_NAME },
  };
  const calls = new SqliteCallStore(d.location);
  const dialog = new CallDialog({
    answers: d.answers,
    calls,
    tickets: d.tickets,
    qaLog: d.qaLog,
    hours: d.hours,
    hints: d.hints,
    lowConfidence: config.VOICE_LOW_CONFIDENCE,
    satisfaction: config.VOICE_SATISFACTION,
    mediaHearsSpeech: d.overrides?.speech ? d.overrides.speech.stt !== null : config.VOICE_STT !== 'none',
    log: d.log,
  });
  return {
    config: telephonyConfig,
    dialog,
    calls,
    async register(app) {
      await app.register(websocket);
      await registerVoiceWebhooks(app, { config: telephonyConfig, dialog, log: d.log });
      registerRelaySocket(app, { config: telephonyConfig, dialog, log: d.log, ...(d.overrides?.relayTiming ? { timing: d.overrides.relayTiming } : {}) });
      // The speech providers of the Media Streams mode are loaded only when that mode is used.
      if (config.VOICE_MODE === 'media') {
        const ports =
          d.overrides?.speech ??
          (await createSpeechPorts({
            stt: config.VOICE_STT === 'google' ? 'google' : null,
            tts: config.VOICE_TTS,
            googleVoice: config.VOICE_GOOGLE_VOICE,
          }));
        registerMediaStreamSocket(app, { config: telephonyConfig, dialog, stt: ports.stt, tts: ports.tts, log: d.log, hints: d.hints() });
      }
    },
    close: () => calls.close(),
  };
}
