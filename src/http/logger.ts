import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger } from 'pino';

/**
 * Headers that carry credentials or channel signatures. They are replaced at the logger so no code
 * path (request logs, error logs with `req`) can write them out.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["set-cookie"]',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-zevent-signature"]',
];

/**
 * The one pino logger of the process, shared by start-up code (deps) and Fastify so both write the
 * same JSON lines. Pretty printing is left to the reader (`| npx pino-pretty`), not the server.
 */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: stdSerializers.err, req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  /** Present on a Fastify request, absent on an object logged by hand. */
  raw?: unknown;
}

/**
 * Request lines without the query string: `?q=` carries the citizen's own words, which may hold
 * personal data, and logs must never contain message text.
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  const url = typeof req.url === 'string' ? req.url.split('?')[0] : undefined;
  const out: Record<string, unknown> = { method: req.method, url, remoteAddress: req.ip };
  // Headers logged by hand stay, so the redaction paths above still censor their secrets.
  if (req.raw === undefined && req.headers) out.headers = req.headers;
  return out;
}
