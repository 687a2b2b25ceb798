import type { FastifyInstance } from 'fastify';
import { ConversationOpenError } from '../../privacy/conversation-eraser.js';
import { ConversationNotFoundError, SESSION_ID_SOURCE, type PrivacyService } from '../../privacy/privacy-service.js';
import type { StaffStore } from '../../staff/staff-store.js';
import { errorRef, ErrorResponseSchema } from '../errors.js';
import { staffGuard } from '../staff-guard.js';

export interface PrivacyApiDeps {
  privacy: Pick<PrivacyService, 'deleteConversation' | 'deletions'>;
  staff: Pick<StaffStore, 'findSession'>;
}

const TAGS = ['privacy'];
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;
const countsSchema = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const deletionSchema = {
  type: 'object',
  required: ['id', 'at', 'staffId', 'sessionHash', 'counts', 'reason'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string' },
    staffId: { type: 'string' },
    sessionHash: { type: 'string', description: 'sha256 of the session id, truncated; never the id itself' },
    counts: countsSchema,
    reason: { type: 'string' },
  },
} as const;

/**
 * Deleting a citizen's conversation on request, and the log of such deletions.
 *
 * Who may do what: any signed-in officer may delete (citizens ask whoever answers them, at the
 * desk, on the phone or in the console, and the officer has the session id in front of them);
 * only supervisors read the log, which is how deletions are overseen. Every deletion is logged
 * with the officer, the reason and the counts per store, under a hash of the session id.
 */
export function registerPrivacyApi(app: FastifyInstance, deps: PrivacyApiDeps): void {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponseSchema);
  const { requireStaff, requireCsrf, me, fail } = staffGuard(deps.staff);

  app.post<{ Body: { sessionId: string; reason: string } }>(
    '/api/v1/privacy/delete-conversation',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: "Deletes a citizen's conversation by session id (staff; x-requested-with: console)",
        body: {
          type: 'object',
          required: ['sessionId', 'reason'],
          additionalProperties: false,
          properties: {
            sessionId: { type: 'string', minLength: 8, maxLength: 128, pattern: SESSION_ID_SOURCE },
            reason: { type: 'string', minLength: 3, maxLength: 500 },
          },
        },
        response: { 200: { type: 'object', required: ['deletion'], properties: { deletion: deletionSchema } }, ...errors },
      },
    },
    async (request, reply) => {
      const { sessionId, reason } = request.body;
      if (reason.trim().length < 3) return fail(reply, 400, 'bad_request', 'reason: say why the conversation is deleted (3 characters or more)');
      try {
        const deletion = await deps.privacy.deleteConversation({ sessionId, reason, staffId: me(request).staff.id });
        request.log.info({ deletion: deletion.id, sessionHash: deletion.sessionHash, staff: deletion.staffId }, 'conversation deleted on request');
        return { deletion };
      } catch (err) {
        if (err instanceof ConversationNotFoundError) return fail(reply, 404, 'not_found', 'No stored conversation has that session id');
        if (err instanceof ConversationOpenError) return fail(reply, 409, 'conflict', 'The conversation is still open in the console: close it first');
        throw err;
      }
    },
  );

  app.get<{ Querystring: { limit?: number; session_id?: string } }>(
    '/api/v1/privacy/deletions',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'The log of conversations deleted on request, newest first (supervisors)',
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            session_id: { type: 'string', minLength: 1, maxLength: 128, description: 'Only the deletions of this session id (matched by its hash)' },
          },
        },
        response: { 200: { type: 'object', required: ['deletions'], properties: { deletions: { type: 'array', items: deletionSchema } } }, ...errors },
      },
    },
    async (request, reply) => {
      if (me(request).staff.role !== 'supervisor') return fail(reply, 403, 'forbidden', 'Only supervisors read the deletions log');
      return { deletions: deps.privacy.deletions({ limit: request.query.limit, sessionId: request.query.session_id }) };
    },
  );
}
