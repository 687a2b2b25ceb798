import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { frameText, twilioSocketGuard } from '../twilio-socket-guard.js';
import type { TelephonyConfig, VoiceDialog } from '../voice-turn.js';
import { RelayCall, type RelayLog, type RelayTiming } from './relay-call.js';

/** Where `<ConversationRelay url>` points (as `socketUrl(publicBaseUrl, RELAY_PATH)`). */
export const RELAY_PATH = '/telephony/relay';

export interface RelaySocketDeps {
  config: Pick<TelephonyConfig, 'publicBaseUrl' | 'authToken'>;
  dialog: VoiceDialog;
  log: RelayLog;
  /** Tests shorten the pacing and timers; production uses `DEFAULT_RELAY_TIMING`. */
  timing?: Partial<RelayTiming>;
}


/**
 * `GET /telephony/relay`: the ConversationRelay WebSocket. The upgrade must carry Twilio's signature
 * over the `wss://` URL (checked in `preValidation`, so a forged upgrade gets 403 and no socket).
 * Needs `@fastify/websocket` registered on `app` first.
 */
export function registerRelaySocket(app: FastifyInstance, deps: RelaySocketDeps): void {
  app.get(
    RELAY_PATH,
    {
      websocket: true,
      preValidation: twilioSocketGuard(deps.config, deps.log, 'ConversationRelay'),
    },
    (socket) => {
      const call = new RelayCall({
        dialog: deps.dialog,
        log: deps.log,
        timing: deps.timing,
        send: (message) => {
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
        },
        close: (code, reason) => socket.close(code, reason),
      });
      // Listeners attached synchronously: Twilio sends `setup` as soon as the socket opens.
      socket.on('message', (data, isBinary) => {
        if (isBinary) call.receiveBinary();
        else call.receive(frameText(data));
      });
      socket.on('close', () => call.shutdown());
      socket.on('error', (err) => deps.log.warn({ err }, 'ConversationRelay socket error'));
    },
  );
}
