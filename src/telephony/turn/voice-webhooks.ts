import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { twilioRequestIsValid } from '../twilio-signature.js';
import type { CallerInput, TelephonyConfig, TransferOutcome, VoiceDialog } from '../voice-turn.js';
import {
  renderApologyTwiml,
  renderConnectingTwiml,
  renderHoldKeyTwiml,
  renderHoldTwiml,
  renderOperatorTwiml,
  renderWhisperTwiml,
} from './queue-twiml.js';
import { renderConnectTwiml, renderTwiml, VOICE_PATHS } from './render-twiml.js';

export interface VoiceWebhooksLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface VoiceWebhooksDeps {
  config: TelephonyConfig;
  dialog: VoiceDialog;
  log: VoiceWebhooksLog;
}

type Params = Record<string, string>;

/** Twilio posts form fields; a repeated field (never sent by Twilio's voice webhooks) keeps its first value. */
function formParams(body: unknown): Params {
  const params: Params = {};
  if (body === null || typeof body !== 'object') return params;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== null) params[key] = String(first);
  }
  return params;
}

/**
 * What the caller did, from a `<Gather>` result. Keys win over speech when both arrive: a key press
 * is deliberate and exact. Twilio sometimes sends `Confidence=0.0` when the recogniser gives none,
 * so a confidence of 0 (or anything unparsable) is treated as unknown rather than as "certainly
 * wrong", which would make the dialog ask again for every such answer.
 */
export function callerInputFrom(params: Params): CallerInput {
  const digits = params.Digits?.trim() ?? '';
  if (digits) return { kind: 'digits', digits };
  const text = params.SpeechResult?.normalize('NFC').trim() ?? '';
  if (!text) return { kind: 'silence' };
  const confidence = Number(params.Confidence);
  return Number.isFinite(confidence) && confidence > 0 && confidence <= 1 ? { kind: 'speech', text, confidence } : { kind: 'speech', text };
}

const QUEUE_OUTCOMES: Record<string, TransferOutcome> = { bridged: 'answered', leave: 'left_queue' };
const FINAL_CALL_STATUSES = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * The turn-mode webhooks under `/telephony/voice/*` (integrations.md §6.1, §6.3, §6.4), in an
 * encapsulated plugin with its own form parser. Every request is checked against
 * `X-Twilio-Signature` (URL rebuilt from `publicBaseUrl`) before anything is read: a bad one gets
 * 403 with an empty body. Every answer to Twilio is TwiML, even when the dialog fails: the caller
 * hears an apology and is passed to an operator instead of Twilio's own error message.
 */
export async function registerVoiceWebhooks(app: FastifyInstance, deps: VoiceWebhooksDeps): Promise<void> {
  const { config, dialog, log } = deps;

  await app.register(async (scope) => {
    await scope.register(formbody);

    scope.addHook('preHandler', async (request, reply) => {
      const signature = request.headers['x-twilio-signature'];
      const valid = twilioRequestIsValid({
        authToken: config.authToken,
        publicBaseUrl: config.publicBaseUrl,
        pathAndQuery: request.url,
        signature: typeof signature === 'string' ? signature : undefined,
        params: formParams(request.body),
      });
      if (!valid) {
        log.warn({ channel: 'voice', path: request.routeOptions.url }, 'twilio voice webhook signature rejected');
        return reply.code(403).send();
      }
      if (!formParams(request.body).CallSid) return reply.code(400).type('text/plain; charset=utf-8').send('Missing CallSid');
      return undefined;
    });

    const xml = (reply: FastifyReply, twiml: string) => reply.type('text/xml; charset=utf-8').send(twiml);

    /**
     * A route whose TwiML comes from the dialog: a dialog failure is logged and answered with the
     * apology (and a transfer, or a hang-up once a transfer has already ended).
     */
    const dialogRoute = (path: string, onFailure: 'transfer' | 'hangup', handle: (params: Params, request: FastifyRequest) => Promise<string>) => {
      scope.post(path, async (request, reply) => {
        const params = formParams(request.body);
        const callSid = params.CallSid as string;
        let twiml: string;
        try {
          twiml = await handle(params, request);
        } catch (err) {
          log.error({ channel: 'voice', callSid, path, err }, 'voice dialog failed; caller hears the apology');
          twiml = renderApologyTwiml(config, callSid, onFailure);
        }
        return xml(reply, twiml);
      });
    };

    dialogRoute(VOICE_PATHS.incoming, 'transfer', async (p) => {
      const from = p.From ?? '';
      const to = p.To ?? '';
      if (config.mode !== 'turn') return renderConnectTwiml(config, { from, to });
      const callSid = p.CallSid as string;
      return renderTwiml(await dialog.start({ callSid, from, to, mode: 'turn' }), { config, callSid });
    });

    dialogRoute(VOICE_PATHS.gather, 'transfer', async (p) => {
      const callSid = p.CallSid as string;
      return renderTwiml(await dialog.input(callSid, callerInputFrom(p)), { config, callSid });
    });

    dialogRoute(VOICE_PATHS.noInput, 'transfer', async (p) => {
      const callSid = p.CallSid as string;
      return renderTwiml(await dialog.input(callSid, { kind: 'silence' }), { config, callSid });
    });

    // ConversationRelay also posts its `HandoffData` here; the dialog already recorded what it decided.
    dialogRoute(VOICE_PATHS.connectEnded, 'transfer', async (p) => {
      const callSid = p.CallSid as string;
      return renderTwiml(await dialog.afterStream(callSid), { config, callSid });
    });

    dialogRoute(VOICE_PATHS.queueResult, 'hangup', async (p) => {
      const callSid = p.CallSid as string;
      const outcome = QUEUE_OUTCOMES[p.QueueResult ?? ''] ?? 'unanswered';
      return renderTwiml(await dialog.transferEnded(callSid, outcome), { config, callSid });
    });

    dialogRoute(VOICE_PATHS.dialResult, 'hangup', async (p) => {
      const callSid = p.CallSid as string;
      const outcome: TransferOutcome = p.DialCallStatus === 'completed' ? 'answered' : 'unanswered';
      return renderTwiml(await dialog.transferEnded(callSid, outcome), { config, callSid });
    });

    scope.post(VOICE_PATHS.hold, async (request, reply) => {
      const p = formParams(request.body);
      return xml(reply, renderHoldTwiml(config, { ...(p.QueuePosition !== undefined ? { position: p.QueuePosition } : {}), ...(p.QueueTime !== undefined ? { queueTimeS: p.QueueTime } : {}) }));
    });

    scope.post(VOICE_PATHS.holdKey, async (request, reply) => xml(reply, renderHoldKeyTwiml(config, formParams(request.body).Digits)));

    // The operator's leg: `call` (in the query, so inside the signed URL) names the caller's call.
    scope.post(VOICE_PATHS.whisper, async (request, reply) => {
      const call = (request.query as Record<string, unknown>).call;
      let summary: string | null = null;
      try {
        summary = typeof call === 'string' && call ? await dialog.summary(call) : null;
      } catch (err) {
        log.error({ channel: 'voice', callSid: call, err }, 'voice whisper summary failed');
      }
      return xml(reply, renderWhisperTwiml(config, summary));
    });

    scope.post(VOICE_PATHS.operator, async (_request, reply) => {
      let summary: string | null = null;
      try {
        summary = await dialog.queuedSummary();
      } catch (err) {
        // The operator is still connected to the queue; only the summary is missing.
        log.error({ channel: 'voice', err }, 'voice queued summary failed');
        summary = 'Có cuộc gọi đang chờ, chưa có tóm tắt.';
      }
      return xml(reply, renderOperatorTwiml(config, summary));
    });

    scope.post(VOICE_PATHS.connecting, async (_request, reply) => xml(reply, renderConnectingTwiml(config)));

    scope.post(VOICE_PATHS.status, async (request, reply) => {
      const p = formParams(request.body);
      const duration = p.CallDuration !== undefined && p.CallDuration.trim() !== '' ? Number(p.CallDuration) : NaN;
      // With StatusCallbackEvent set, Twilio also reports initiated/ringing/answered: only a final status ends the call.
      if (!FINAL_CALL_STATUSES.has(p.CallStatus ?? '')) return reply.code(204).send();
      try {
        await dialog.ended(p.CallSid as string, { durationS: Number.isFinite(duration) ? duration : null, status: p.CallStatus ?? 'unknown' });
      } catch (err) {
        // Twilio does not act on the answer; a failure here is ours to see in the logs.
        log.error({ channel: 'voice', callSid: p.CallSid, err }, 'voice call end not recorded');
      }
      return reply.code(204).send();
    });
  });
}
