import { statusFamily, type AnswerStatus } from '../domain/answer.js';
import { periodsOf } from './stats-periods.js';
import { resolveStatsQuery } from './stats-query.js';
import type { StatsFigures, StatsQuery, StatsReport } from './stats-report.js';
import type { SpanCounts, StatsSource } from './stats-source.js';
import { isRefused, isUnanswered } from './status-groups.js';
import { statsSummary } from './stats-summary.js';

export interface StatsServiceDeps {
  source: StatsSource;
  /** A procedure's name by id (the knowledge's procedures), null when unknown. */
  procedureName?: (id: string) => string | null;
  /** How many procedures `topProcedures` lists (default 10). */
  topProcedures?: number;
}

/**
 * The statistics report: one model across chat and voice, computed from a StatsSource.
 *
 * Definitions (the source says where each count comes from):
 * - users = distinct chat users + distinct callers; a user is a hashed key within its channel.
 * - conversations = chat sessions counted on the day of their first turn + calls.
 * - containment.conversations = chat conversations without a handoff (conversations − handoffs,
 *   never below 0) / chat conversations; containment.calls = calls not transferred / calls that
 *   reached the bot (an outcome other than `abandoned`; calls still running have none).
 * - handoffs = chat conversations queued for an officer + calls transferred to an operator.
 * - Periods are clipped to the range, so the series' sums of additive figures equal the totals
 *   (users are distinct per period, so they do not add up).
 */
export class StatsService {
  constructor(private readonly deps: StatsServiceDeps) {}

  /** Throws StatsQueryError for an invalid query. */
  async report(input: StatsQuery): Promise<StatsReport> {
    const { query, from, to } = resolveStatsQuery(input);
    const whole = { from, to };
    const periods = periodsOf(from, to, query.groupBy);
    const [figures, statusRows, procedureRows, aspectRows] = await Promise.all([
      this.deps.source.figures({ span: whole, periods, ...(query.channel !== undefined ? { channel: query.channel } : {}) }),
      this.deps.source.keyCounts('status', whole, query.channel),
      this.deps.source.keyCounts('procedure', whole, query.channel, this.deps.topProcedures ?? 10),
      this.deps.source.keyCounts('aspect', whole, query.channel),
    ]);
    const totals = figuresOf(figures.totals);
    const name = this.deps.procedureName ?? (() => null);
    return {
      query,
      timeZone: 'Asia/Ho_Chi_Minh',
      totals,
      byChannel: figures.byChannel.map((c) => ({ channel: c.channel, ...figuresOf(c.counts) })),
      series: periods.map((p, i) => ({ period: p.period, ...figuresOf(figures.periods[i]!) })),
      handoffReasons: figures.handoffReasons,
      statuses: statusRows
        .filter((r) => isUnanswered(r.key) || isRefused(r.key))
        .map((r) => ({ status: r.key, family: statusFamily(r.key as AnswerStatus), count: r.count })),
      topProcedures: procedureRows.map((r) => ({ id: r.key, name: name(r.key), count: r.count })),
      topAspects: aspectRows.map((r) => ({ aspect: r.key, count: r.count })),
      summary: statsSummary(totals),
    };
  }
}

/** The reported figures of one span's counts. */
export function figuresOf(c: SpanCounts): StatsFigures {
  const conversations = c.chatConversations + c.calls;
  return {
    users: c.chatUsers + c.callers,
    conversations,
    turns: c.turns,
    calls: c.calls,
    talkSeconds: c.talkSeconds,
    avgTurnsPerConversation: conversations > 0 ? c.turns / conversations : null,
    handoffs: c.chatHandoffs + c.callsTransferred,
    containment: {
      conversations: c.chatConversations > 0 ? Math.max(0, c.chatConversations - c.chatHandoffs) / c.chatConversations : null,
      calls: c.callsReachedBot > 0 ? (c.callsReachedBot - c.callsTransferred) / c.callsReachedBot : null,
    },
    unanswered: c.unanswered,
    refused: c.refused,
    ratings: {
      count: c.ratings,
      positiveShare: c.ratings > 0 ? c.ratingsPositive / c.ratings : null,
      meanScore: c.scoreCount > 0 ? c.scoreSum / c.scoreCount : null,
    },
  };
}
