import type { FastifyInstance } from 'fastify';
import { hanoiIsoWeek, isIsoWeek, lastWeeksRange } from '../../review/hanoi-week.js';
import { REVIEW_VERDICTS, type ReviewItem, type ReviewVerdict } from '../../review/review-item.js';
import { MAX_REVIEW_COMMENT_CHARS, type ReviewQueue } from '../../review/review-queue.js';
import type { StaffStore } from '../../staff/staff-store.js';
import { ErrorResponseSchema, errorRef } from '../errors.js';
import { staffGuard } from '../staff-guard.js';

export interface ReviewApiDeps {
  review: Pick<ReviewQueue, 'ensureWeek' | 'items' | 'weeks' | 'mark' | 'get' | 'progress' | 'reviewedAccuracy'>;
  staff: Pick<StaffStore, 'findSession'>;
  /** Names for the cited procedure codes (the served catalogue); codes alone without it. */
  procedures?: { get(id: string): { name: string } | undefined };
  /** The clock that decides the current week (tests fix it). */
  now?: () => Date;
}

const TAGS = ['review'];
const errors = { 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef } as const;
const WEEK_PATTERN = '^\\d{4}-W\\d{2}$';
const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

const progressSchema = { type: 'object', properties: { week: { type: 'string' }, total: { type: 'integer' }, reviewed: { type: 'integer' } } } as const;
const itemSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    week: { type: 'string' },
    at: { type: 'string' },
    channel: { type: 'string' },
    status: { type: 'string' },
    statusFamily: { type: 'string' },
    question: { type: 'string', description: 'Redacted' },
    answer: { type: 'string' },
    citations: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] } } } },
    verdict: { type: ['string', 'null'], enum: [...REVIEW_VERDICTS, null] },
    comment: { type: ['string', 'null'] },
    reviewer: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    reviewedAt: { type: ['string', 'null'] },
  },
} as const;

/**
 * The staff review queue: the week's sampled live answers (drawn on first opening), an officer's
 * mark on each (correct / incorrect / incomplete, with a comment; a mark can be changed), and the
 * reviewed accuracy over a range of Hanoi days. Staff only; the mark also needs the CSRF header.
 */
export function registerReviewApi(app: FastifyInstance, deps: ReviewApiDeps): void {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponseSchema);
  const { requireStaff, requireCsrf, me, fail } = staffGuard(deps.staff);
  const now = deps.now ?? (() => new Date());
  const view = (item: ReviewItem) => ({
    id: item.id,
    week: item.week,
    at: item.at,
    channel: item.channel,
    status: item.status,
    statusFamily: item.statusFamily,
    question: item.question,
    answer: item.answer,
    citations: item.procedureIds.map((id) => ({ id, name: deps.procedures?.get(id)?.name ?? null })),
    verdict: item.verdict,
    comment: item.comment,
    reviewer: item.reviewer,
    reviewedAt: item.reviewedAt,
  });

  app.get<{ Querystring: { week?: string; status?: 'pending' | 'done' } }>(
    '/api/v1/review/items',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: "A week's review sample (drawn when first opened), all, pending or done",
        querystring: {
          type: 'object',
          properties: { week: { type: 'string', pattern: WEEK_PATTERN, description: 'ISO week in Hanoi, default this week' }, status: { type: 'string', enum: ['pending', 'done'] } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              week: { type: 'string' },
              currentWeek: { type: 'string' },
              progress: progressSchema,
              weeks: { type: 'array', items: progressSchema },
              items: { type: 'array', items: itemSchema },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const currentWeek = hanoiIsoWeek(now());
      const week = request.query.week ?? currentWeek;
      if (!isIsoWeek(week)) return fail(reply, 400, 'bad_request', `Invalid querystring field "week": ${week} is not an ISO week`);
      const progress = deps.review.ensureWeek(week);
      const weeks = deps.review.weeks();
      if (!weeks.some((w) => w.week === currentWeek)) weeks.unshift(deps.review.progress(currentWeek));
      return {
        week,
        currentWeek,
        progress: { week, total: progress.total, reviewed: progress.reviewed },
        weeks,
        items: deps.review.items(week, request.query.status).map(view),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { verdict: ReviewVerdict; comment?: string | null } }>(
    '/api/v1/review/items/:id/mark',
    {
      onRequest: [requireStaff, requireCsrf],
      schema: {
        tags: TAGS,
        summary: 'Marks (or re-marks) a sampled answer correct, incorrect or incomplete',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        body: {
          type: 'object',
          required: ['verdict'],
          additionalProperties: false,
          properties: { verdict: { type: 'string', enum: [...REVIEW_VERDICTS] }, comment: { type: ['string', 'null'], maxLength: MAX_REVIEW_COMMENT_CHARS } },
        },
        response: { 200: { type: 'object', properties: { item: itemSchema, progress: progressSchema } }, ...errors },
      },
    },
    async (request, reply) => {
      const { staff } = me(request);
      const item = deps.review.mark(request.params.id, { verdict: request.body.verdict, comment: request.body.comment ?? null, reviewer: { id: staff.id, name: staff.displayName } });
      if (!item) return fail(reply, 404, 'not_found', `No review item ${request.params.id}`);
      return { item: view(item), progress: deps.review.progress(item.week) };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/api/v1/review/summary',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Reviewed accuracy and comments for answers asked between two Hanoi days (default: the last 4 weeks)',
        querystring: { type: 'object', properties: { from: { type: 'string', pattern: DAY_PATTERN }, to: { type: 'string', pattern: DAY_PATTERN } } },
        response: {
          200: {
            type: 'object',
            properties: {
              from: { type: 'string' },
              to: { type: 'string' },
              reviewed: { type: 'integer' },
              correct: { type: 'integer' },
              incorrect: { type: 'integer' },
              incomplete: { type: 'integer' },
              accuracy: { type: ['number', 'null'] },
              comments: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { itemId: { type: 'string' }, week: { type: 'string' }, verdict: { type: 'string' }, comment: { type: 'string' }, reviewer: { type: 'string' }, reviewedAt: { type: 'string' }, question: { type: 'string' } },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const fallback = lastWeeksRange(now(), 4);
      const from = request.query.from ?? fallback.from;
      const to = request.query.to ?? fallback.to;
      if ([from, to].some((d) => Number.isNaN(Date.parse(`${d}T00:00:00Z`)))) return fail(reply, 400, 'bad_request', 'Invalid querystring field "from"/"to": not a calendar date');
      if (from > to) return fail(reply, 400, 'bad_request', 'Invalid querystring: "from" is after "to"');
      return deps.review.reviewedAccuracy({ from, to });
    },
  );
}
