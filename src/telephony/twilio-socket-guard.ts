import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RawData } from 'ws';
import { twilioUpgradeIsValid } from './twilio-signature.js';
import type { TelephonyConfig } from './voice-turn.js';

/**
 * The `preValidation` hook of a Twilio WebSocket route (ConversationRelay, Media Streams): the
 * upgrade must carry Twilio's signature over the `wss://` URL with no parameters (integrations.md
 * §6.2); a forged or unsigned request gets 403 and is never upgraded.
 */
export function twilioSocketGuard(
  config: Pick<TelephonyConfig, 'publicBaseUrl' | 'authToken'>,
  log: { warn(obj: object, msg: string): void },
  what: string,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['x-twilio-signature'];
    const signature = Array.isArray(header) ? header[0] : header;
    const valid = twilioUpgradeIsValid({ authToken: config.authToken, publicBaseUrl: config.publicBaseUrl, pathAndQuery: request.url, signature });
    if (!valid) {
      log.warn({ path: request.url.split('?')[0], signed: Boolean(signature) }, `${what} upgrade refused: bad Twilio signature`);
      return reply.code(403).send({ error: 'invalid signature' });
    }
  };
}

/** A WebSocket message as text, whatever `ws` delivered it as. */
export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
