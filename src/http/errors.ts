import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The body of every non-2xx API response. */
export interface ErrorBody {
  error: string;
  /** English, for developers; names the offending parameter. */
  message: string;
  /** Vietnamese, safe to show to a citizen. */
  hint?: string;
}

export const ErrorResponseSchema = {
  $id: 'ErrorResponse',
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Machine-readable code: bad_request, not_found, internal, …' },
    message: { type: 'string' },
    hint: { type: 'string', description: 'Vietnamese hint for the end user' },
  },
} as const;

export const errorRef = { $ref: 'ErrorResponse#' } as const;

/** Vietnamese hints per parameter, so the widget can show something a citizen understands. */
export type ParameterHints = Record<string, string>;

/** A 400 raised from a handler after checks JSON Schema cannot express (e.g. length after trim). */
export class BadRequestError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * One error shape for the whole app. Validation failures say which parameter is wrong; 5xx
 * details are logged and never sent, because stack traces and SQL errors tell an attacker more
 * than they help a caller.
 */
export function registerErrorHandling(app: FastifyInstance, hints: ParameterHints): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const first = err.validation[0];
      const param = parameterName(first);
      const where = err.validationContext === 'params' ? 'path parameter' : err.validationContext === 'body' ? 'body field' : 'query parameter';
      const message =
        first?.keyword === 'required'
          ? `Missing required ${where} "${param}"`
          : `Invalid ${where} "${param}": ${first?.message ?? 'invalid value'}`;
      const body: ErrorBody = { error: 'bad_request', message };
      const hint = hints[param];
      if (hint) body.hint = hint;
      return reply.code(400).send(body);
    }
    if (err instanceof BadRequestError) {
      const body: ErrorBody = { error: 'bad_request', message: err.message };
      if (err.hint) body.hint = err.hint;
      return reply.code(400).send(body);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err, method: request.method, url: request.routeOptions.url }, 'request failed');
      return reply.code(status).send({
        error: 'internal',
        message: 'Internal server error',
        hint: 'Hệ thống đang gặp sự cố, vui lòng thử lại sau.',
      } satisfies ErrorBody);
    }
    const body: ErrorBody = { error: CODES[status] ?? 'client_error', message: err.message };
    // Plugins (the rate limiter) may attach a citizen-facing hint to the error they throw.
    const hint = (err as { hint?: unknown }).hint;
    if (typeof hint === 'string') body.hint = hint;
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: 'not_found',
      message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
    } satisfies ErrorBody);
  });
}

function parameterName(v: { instancePath?: string; params?: Record<string, unknown> } | undefined): string {
  if (!v) return 'request';
  if (typeof v.params?.missingProperty === 'string') return v.params.missingProperty;
  const path = v.instancePath?.replace(/^\//, '') ?? '';
  return path.split('/')[0] || 'request';
}
