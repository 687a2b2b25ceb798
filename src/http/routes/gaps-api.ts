import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROCEDURE_CODE } from '../../domain/procedure.js';
import type { GapService } from '../../gaps/gap-service.js';
import { addToOverlay, cleanPhrase, type OverlayField } from '../../gaps/overlay-editor.js';
import type { StaffStore } from '../../staff/staff-store.js';
import { ErrorResponseSchema, errorRef } from '../errors.js';
import { staffGuard } from '../staff-guard.js';

export interface GapsKnowledge {
  /** Rebuilds the knowledge from the files, so the new alias or note is served at once. */
  reload(): Promise<void | { ok: boolean; error?: string }>;
  /** True when the code is a procedure the assistant serves today. */
  isServed(code: string): boolean;
  name(code: string): string | null;
}

export interface GapsApiDeps {
  gaps: GapService;
  staff: Pick<StaffStore, 'findSession'>;
  knowledge: GapsKnowledge;
  /** Where `overlays/<code>.json` are written (KNOWLEDGE_DIR). */
  knowledgeDir: string;
}

/** Alias length bounds: a name citizens use, not a sentence. */
export const ALIAS_MIN = 2;
export const ALIAS_MAX = 120;
export const NOTE_MIN = 5;
export const NOTE_MAX = 300;
const COMMENT_MAX = 500;

const TAGS = ['staff'];
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef, 409: errorRef } as const;
const counted = { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, count: { type: 'integer' } } } } as const;
const markSchema = {
  type: ['object', 'null'],
  properties: {
    key: { type: 'string' },
    label: { type: 'string' },
    comment: { type: ['string', 'null'] },
    by: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    at: { type: 'string' },
  },
} as const;
const groupSchema = {
  type: 'object',
  properties: {
    key: { type: 'string', description: '`w:<hash>` (wording) or `p:<code>` / `p:none` (procedure)' },
    kind: { type: 'string', enum: ['wording', 'procedure'] },
    label: { type: 'string' },
    representative: { type: 'string' },
    count: { type: 'integer' },
    examples: { type: 'array', items: { type: 'string' } },
    statuses: counted,
    reasons: counted,
    channels: counted,
    procedures: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] }, count: { type: 'integer' } } },
    },
    firstSeen: { type: 'string' },
    lastSeen: { type: 'string' },
    outOfScope: markSchema,
  },
} as const;
const pageSchema = {
  type: 'object',
  properties: {
    from: { type: 'string' },
    to: { type: 'string' },
    channel: { type: ['string', 'null'] },
    by: { type: 'string' },
    turns: { type: 'integer' },
    total: { type: 'integer' },
    hidden: { type: 'integer' },
    offset: { type: 'integer' },
    limit: { type: 'integer' },
    truncated: { type: 'boolean' },
    groups: { type: 'array', items: groupSchema },
  },
} as const;
const overlayResult = {
  type: 'object',
  properties: {
    ok: { type: 'boolean' },
    procedureId: { type: 'string' },
    name: { type: ['string', 'null'] },
    created: { type: 'boolean', description: 'True when the overlay file did not exist before' },
    aliases: { type: 'array', items: { type: 'string' } },
    notes: { type: 'array', items: { type: 'string' } },
    reloaded: { type: 'boolean', description: 'False when the knowledge reload failed (the file is written; the previous knowledge is served)' },
  },
} as const;

interface ListQuery {
  from?: string;
  to?: string;
  channel?: string;
  by: 'wording' | 'procedure';
  include_out_of_scope: 0 | 1;
  limit: number;
  offset: number;
}

/**
 * "Chưa trả lời được": the review list of failed turns grouped by wording or by procedure, and
 * what an officer does about a group: add an alias or a note to the procedure's overlay (written,
 * then the knowledge reloaded), or mark the group out of scope. Staff only (session cookie);
 * every change also needs the CSRF header, and is recorded with who and when.
 */
export function registerGapsApi(app: FastifyInstance, deps: GapsApiDeps): void {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponseSchema);
  const { requireStaff, requireCsrf, me, fail } = staffGuard(deps.staff);
  const actor = (request: Parameters<typeof me>[0]) => {
    const { staff } = me(request);
    return { id: staff.id, name: staff.displayName };
  };

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/gaps',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Turns the assistant did not answer well (unanswered, refused, handed off, rated negatively), grouped',
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', format: 'date', description: 'First Hanoi day (default: 29 days before `to`)' },
            to: { type: 'string', format: 'date', description: 'Last Hanoi day (default: today)' },
            channel: { type: 'string', minLength: 1, maxLength: 40 },
            by: { type: 'string', enum: ['wording', 'procedure'], default: 'wording' },
            include_out_of_scope: { type: 'integer', enum: [0, 1], default: 0 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: pageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      try {
        return deps.gaps.list(
          {
            ...(q.from ? { from: q.from } : {}),
            ...(q.to ? { to: q.to } : {}),
            ...(q.channel ? { channel: q.channel } : {}),
            by: q.by,
            includeOutOfScope: q.include_out_of_scope === 1,
            limit: q.limit,
            offset: q.offset,
          },
          deps.knowledge.name,
        );
      } catch (err) {
        if (err instanceof RangeError) return fail(reply, 400, 'bad_request', err.message);
        throw err;
      }
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/v1/gaps/actions',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Actions taken from the review list, newest first (who, when, what)',
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: {
          200: {
            type: 'object',
            properties: {
              actions: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    seq: { type: 'integer' },
                    at: { type: 'string' },
                    by: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
                    action: { type: 'string', enum: ['alias', 'note', 'out_of_scope', 'in_scope'] },
                    groupKey: { type: ['string', 'null'] },
                    procedureId: { type: ['string', 'null'] },
                    text: { type: ['string', 'null'] },
                    comment: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          401: errorRef,
        },
      },
    },
    async (request) => ({ actions: deps.gaps.actions(request.query.limit) }),
  );

  const overlayBody = (field: 'alias' | 'note', min: number, max: number) =>
    ({
      type: 'object',
      required: ['procedureId', field],
      properties: {
        procedureId: { type: 'string', pattern: PROCEDURE_CODE.source },
        [field]: { type: 'string', minLength: 1, maxLength: max * 2 },
        groupKey: { type: 'string', maxLength: 200 },
      },
      description: `${field} of ${min}–${max} characters after trimming`,
    }) as const;

  const addPhrase = async (
    reply: FastifyReply,
    who: { id: string; name: string },
    input: { procedureId: string; text: string; groupKey?: string | undefined },
    field: OverlayField,
    bounds: [number, number],
  ) => {
    const text = cleanPhrase(input.text);
    const kind = field === 'aliases' ? 'alias' : 'note';
    if (text.length < bounds[0] || text.length > bounds[1]) {
      return fail(reply, 400, 'bad_request', `${kind} must be ${bounds[0]}–${bounds[1]} characters`);
    }
    if (!deps.knowledge.isServed(input.procedureId)) {
      return fail(reply, 404, 'not_found', `Procedure ${input.procedureId} is not served`);
    }
    const result = addToOverlay(deps.knowledgeDir, input.procedureId, field, text);
    if (!result.ok) {
      return fail(reply, result.error === 'invalid' ? 400 : 409, result.error, result.message);
    }
    deps.gaps.recordAction({ by: who, action: kind, groupKey: input.groupKey ?? null, procedureId: input.procedureId, text, comment: null });
    const report = await deps.knowledge.reload();
    return {
      ok: true,
      procedureId: input.procedureId,
      name: deps.knowledge.name(input.procedureId),
      created: result.created,
      aliases: result.overlay.aliases,
      notes: result.overlay.notes,
      reloaded: !(report && report.ok === false),
    };
  };

  app.post<{ Body: { procedureId: string; alias: string; groupKey?: string } }>(
    '/api/v1/gaps/alias',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: "Add a name citizens use to a procedure's overlay (knowledge/overlays/<code>.json), then reload the knowledge",
        body: overlayBody('alias', ALIAS_MIN, ALIAS_MAX),
        response: { 200: overlayResult, ...errors },
      },
    },
    async (request, reply) =>
      addPhrase(reply, actor(request), { procedureId: request.body.procedureId, text: request.body.alias, groupKey: request.body.groupKey }, 'aliases', [ALIAS_MIN, ALIAS_MAX]),
  );

  app.post<{ Body: { procedureId: string; note: string; groupKey?: string } }>(
    '/api/v1/gaps/note',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: "Add a Hanoi note (shown after answers) to a procedure's overlay, then reload the knowledge",
        body: overlayBody('note', NOTE_MIN, NOTE_MAX),
        response: { 200: overlayResult, ...errors },
      },
    },
    async (request, reply) =>
      addPhrase(reply, actor(request), { procedureId: request.body.procedureId, text: request.body.note, groupKey: request.body.groupKey }, 'notes', [NOTE_MIN, NOTE_MAX]),
  );

  app.post<{ Body: { key: string; label?: string; comment?: string } }>(
    '/api/v1/gaps/out-of-scope',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Mark a group out of scope: hidden from the list unless include_out_of_scope=1',
        body: {
          type: 'object',
          required: ['key'],
          properties: {
            key: { type: 'string', pattern: '^(w:[0-9a-f]{16}|p:.{1,40})$' },
            label: { type: 'string', maxLength: 300 },
            comment: { type: 'string', maxLength: COMMENT_MAX },
          },
        },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, mark: markSchema } }, ...errors },
      },
    },
    async (request) => {
      const comment = request.body.comment ? cleanPhrase(request.body.comment) : '';
      const mark = deps.gaps.markOutOfScope({
        key: request.body.key,
        label: cleanPhrase(request.body.label ?? '') || request.body.key,
        comment: comment || null,
        by: actor(request),
      });
      return { ok: true, mark };
    },
  );

  app.delete<{ Params: { key: string } }>(
    '/api/v1/gaps/out-of-scope/:key',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Put a group marked out of scope back on the list',
        params: { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 3, maxLength: 60 } } },
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, ...errors },
      },
    },
    async (request, reply) => {
      if (!deps.gaps.unmarkOutOfScope(request.params.key, actor(request))) {
        return fail(reply, 404, 'not_found', `Group ${request.params.key} is not marked out of scope`);
      }
      return { ok: true };
    },
  );
}
