import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { socketUrl } from '../twilio-signature.js';
import type { TelephonyConfig, VoiceAction, VoiceTurn } from '../voice-turn.js';

/** The webhook paths TwiML points Twilio at (relative: Twilio resolves them against the request URL). */
export const VOICE_PATHS = {
  incoming: '/telephony/voice/incoming',
  gather: '/telephony/voice/gather',
  noInput: '/telephony/voice/no-input',
  connectEnded: '/telephony/voice/connect-ended',
  hold: '/telephony/voice/hold',
  holdKey: '/telephony/voice/hold-key',
  queueResult: '/telephony/voice/queue-result',
  dialResult: '/telephony/voice/dial-result',
  whisper: '/telephony/voice/whisper',
  operator: '/telephony/voice/operator',
  connecting: '/telephony/voice/connecting',
  status: '/telephony/voice/status',
} as const;

/** The sockets the streaming modes connect to (served by the relay and media-stream routes). */
export const SOCKET_PATHS = { relay: '/telephony/relay', media: '/telephony/media' } as const;

type SayParent = Pick<VoiceResponse, 'say'> | Pick<VoiceResponse.Gather, 'say'>;

/** Every `<Say>` speaks Vietnamese with the configured voice; the helper escapes the text. */
export function sayVi(parent: SayParent, text: string, config: Pick<TelephonyConfig, 'voice'>): void {
  // The helper types `voice` as a closed list of names; the configured one is validated upstream.
  parent.say({ language: 'vi-VN', voice: config.voice as VoiceResponse.SayAttributes['voice'] }, text);
}

/** The whisper URL of a transfer: what the operator hears before being connected to `callSid`. */
export function whisperPath(callSid: string): string {
  return `${VOICE_PATHS.whisper}?call=${encodeURIComponent(callSid)}`;
}

/**
 * Turn mode: one `VoiceTurn` as TwiML. The `say`s before a `listen` go inside the `<Gather>`, so a
 * key or speech cuts them short; a transfer or a hang-up follows the `say`s. A turn must end with
 * exactly one listen, transfer or hangup (the contract): anything else throws, and the webhook
 * answers with its apology instead of TwiML that would leave the caller in silence.
 */
export function renderTwiml(turn: VoiceTurn, ctx: { config: TelephonyConfig; callSid: string }): string {
  const { config } = ctx;
  const response = new twilio.twiml.VoiceResponse();
  const last = turn.actions.at(-1);
  if (!last || last.kind === 'say') throw new Error('VoiceTurn must end with listen, transfer or hangup');
  const says: string[] = [];
  for (const action of turn.actions.slice(0, -1)) {
    if (action.kind !== 'say') throw new Error(`VoiceTurn has "${action.kind}" before its last action`);
    says.push(action.text);
  }
  renderLast(response, last, says, ctx.callSid, config);
  return response.toString();
}

function renderLast(response: VoiceResponse, last: Exclude<VoiceAction, { kind: 'say' }>, says: string[], callSid: string, config: TelephonyConfig): void {
  switch (last.kind) {
    case 'listen': {
      const { listen } = last;
      const gather = response.gather({
        input: ['speech', 'dtmf'],
        language: 'vi-VN',
        action: VOICE_PATHS.gather,
        method: 'POST',
        actionOnEmptyResult: true,
        speechTimeout: 'auto',
        timeout: listen.timeoutS,
        ...(listen.hints.length > 0 ? { hints: listen.hints.join(', ') } : {}),
        // A menu choice is one key; a number typed on the keypad ends with # (Twilio's default finishOnKey).
        ...(listen.digits === 'one' ? { numDigits: 1 } : { finishOnKey: '#' }),
      });
      for (const text of says) sayVi(gather, text, config);
      // Reached only if Twilio does not post the empty result (e.g. a Gather error): same as silence.
      response.redirect({ method: 'POST' }, VOICE_PATHS.noInput);
      return;
    }
    case 'transfer':
      for (const text of says) sayVi(response, text, config);
      renderTransfer(response, callSid, config);
      return;
    case 'hangup':
      for (const text of says) sayVi(response, text, config);
      response.hangup();
      return;
  }
}

/** `<Enqueue>` into the operators' queue, or `<Dial>` the operators' number with the whisper first. */
export function renderTransfer(response: VoiceResponse, callSid: string, config: TelephonyConfig): void {
  const { transfer } = config;
  if (transfer.kind === 'queue') {
    response.enqueue(
      { waitUrl: VOICE_PATHS.hold, waitUrlMethod: 'POST', action: VOICE_PATHS.queueResult, method: 'POST' },
      transfer.queueName,
    );
    return;
  }
  const dial = response.dial({ timeout: transfer.timeoutS, action: VOICE_PATHS.dialResult, method: 'POST' });
  // `<Number url>` plays to the operator before the legs are joined: the one-sentence summary.
  dial.number({ url: whisperPath(callSid), method: 'POST' }, transfer.number);
}

/**
 * `/incoming` in the streaming modes: Twilio opens our socket and the socket starts the dialog.
 * When the stream ends, Twilio posts to the `<Connect action>`, which asks the dialog what next.
 */
export function renderConnectTwiml(config: TelephonyConfig, call: { from: string; to: string }): string {
  const response = new twilio.twiml.VoiceResponse();
  const connect = response.connect({ action: VOICE_PATHS.connectEnded, method: 'POST' });
  if (config.mode === 'relay') {
    connect.conversationRelay({
      url: socketUrl(config.publicBaseUrl, SOCKET_PATHS.relay),
      language: 'vi-VN',
      ttsProvider: 'Google',
      // ConversationRelay names Google voices without the `Google.` prefix `<Say>` uses.
      voice: config.voice.replace(/^Google\./, ''),
      transcriptionProvider: 'Google',
      dtmfDetection: true,
      interruptible: 'any',
    });
  } else {
    // `<Stream url>` takes no query string: call data travels as `<Parameter>`s (start.customParameters).
    const stream = connect.stream({ url: socketUrl(config.publicBaseUrl, SOCKET_PATHS.media) });
    stream.parameter({ name: 'from', value: call.from });
    stream.parameter({ name: 'to', value: call.to });
  }
  return response.toString();
}
