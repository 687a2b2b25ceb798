import type { FastifyInstance } from 'fastify';
import { STATS_CSV_TABLES, statsCsv, type StatsCsvTable } from '../../stats/stats-csv.js';
import { resolveStatsQuery, StatsQueryError } from '../../stats/stats-query.js';
import type { StatsService } from '../../stats/stats-service.js';
import type { StaffStore } from '../../staff/staff-store.js';
import { BadRequestError, ErrorResponseSchema, errorRef } from '../errors.js';
import { staffGuard } from '../staff-guard.js';

export interface StatsApiDeps {
  stats: Pick<StatsService, 'report'>;
  staff: Pick<StaffStore, 'findSession'>;
  /** Today's date for the default range (tests fix it). */
  now?: () => Date;
}

const TAGS = ['staff'];
const errors = { 400: errorRef, 401: errorRef } as const;
const nullableNumber = { type: ['number', 'null'] } as const;

const figures = {
  users: { type: 'integer' },
  conversations: { type: 'integer' },
  turns: { type: 'integer' },
  calls: { type: 'integer' },
  talkSeconds: { type: 'number' },
  avgTurnsPerConversation: nullableNumber,
  handoffs: { type: 'integer' },
  containment: { type: 'object', properties: { conversations: nullableNumber, calls: nullableNumber } },
  unanswered: { type: 'integer' },
  refused: { type: 'integer' },
  ratings: { type: 'object', properties: { count: { type: 'integer' }, positiveShare: nullableNumber, meanScore: nullableNumber } },
} as const;

const reportSchema = {
  type: 'object',
  properties: {
    query: {
      type: 'object',
      properties: { from: { type: 'string' }, to: { type: 'string' }, groupBy: { type: 'string' }, channel: { type: 'string' } },
    },
    timeZone: { type: 'string' },
    totals: { type: 'object', properties: figures },
    byChannel: { type: 'array', items: { type: 'object', properties: { channel: { type: 'string' }, ...figures } } },
    series: { type: 'array', items: { type: 'object', properties: { period: { type: 'string' }, ...figures } } },
    handoffReasons: {
      type: 'array',
      items: { type: 'object', properties: { reason: { type: 'string' }, channelKind: { type: 'string', enum: ['chat', 'voice'] }, count: { type: 'integer' } } },
    },
    statuses: { type: 'array', items: { type: 'object', properties: { status: { type: 'string' }, family: { type: 'string' }, count: { type: 'integer' } } } },
    topProcedures: {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, name: { type: ['string', 'null'] }, count: { type: 'integer' } } },
    },
    topAspects: { type: 'array', items: { type: 'object', properties: { aspect: { type: 'string' }, count: { type: 'integer' } } } },
    summary: { type: 'string' },
  },
} as const;

const rangeQuery = {
  from: { type: 'string', description: 'First Hanoi day YYYY-MM-DD (default: 29 days before `to`)' },
  to: { type: 'string', description: 'Last Hanoi day YYYY-MM-DD (default: today in Hanoi)' },
  group_by: { type: 'string', enum: ['day', 'week', 'month'], default: 'day' },
  channel: { type: 'string', description: 'One channel (web, messenger, zalo, mini_app, voice, …); all when absent' },
} as const;

interface RangeQuery {
  from?: string;
  to?: string;
  group_by?: string;
  channel?: string;
}

/**
 * `GET /api/v1/stats` (the report as JSON) and `GET /api/v1/stats.csv?table=…` (one table of it
 * for Excel), for signed-in staff only: 401 without the console session. Days are Hanoi days;
 * 400 for a date that is not one, from after to, or a range longer than the grouping allows
 * (366 days by day, 1100 by week, 3660 by month).
 */
export function registerStatsApi(app: FastifyInstance, deps: StatsApiDeps): void {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponseSchema);
  const { requireStaff } = staffGuard(deps.staff);
  const now = deps.now ?? (() => new Date());

  const report = async (q: RangeQuery) => {
    try {
      const { query } = resolveStatsQuery({ from: q.from, to: q.to, groupBy: q.group_by, channel: q.channel }, now());
      return await deps.stats.report(query);
    } catch (err) {
      if (err instanceof StatsQueryError) throw new BadRequestError(err.message, err.hint);
      throw err;
    }
  };

  app.get<{ Querystring: RangeQuery }>(
    '/api/v1/stats',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'Statistics across chat and voice for a range of Hanoi days (staff only)',
        querystring: { type: 'object', properties: rangeQuery },
        response: { 200: reportSchema, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return report(request.query);
    },
  );

  app.get<{ Querystring: RangeQuery & { table: StatsCsvTable } }>(
    '/api/v1/stats.csv',
    {
      onRequest: [requireStaff],
      schema: {
        tags: TAGS,
        summary: 'One table of the statistics as CSV (UTF-8 with BOM, for Excel; staff only)',
        querystring: {
          type: 'object',
          required: ['table'],
          properties: { ...rangeQuery, table: { type: 'string', enum: [...STATS_CSV_TABLES] } },
        },
        response: { 200: { type: 'string' }, ...errors },
      },
    },
    async (request, reply) => {
      const stats = await report(request.query);
      const channel = stats.query.channel ? `-${stats.query.channel}` : '';
      const file = `thong-ke-${request.query.table}-${stats.query.from}-${stats.query.to}${channel}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('cache-control', 'no-store')
        .send(statsCsv(stats, request.query.table));
    },
  );
}
