/**
 * The statistics report as the dashboard reads it: a copy of `src/stats/stats-report.ts` (the
 * browser build cannot import from src/). test/unit/web/dashboard-types.test.ts fails to compile
 * when the two drift apart.
 */

export type StatsGroupBy = 'day' | 'week' | 'month';

export interface StatsQuery {
  from: string;
  to: string;
  groupBy: StatsGroupBy;
  channel?: string;
}

export interface StatsFigures {
  users: number;
  conversations: number;
  turns: number;
  calls: number;
  talkSeconds: number;
  avgTurnsPerConversation: number | null;
  handoffs: number;
  containment: { conversations: number | null; calls: number | null };
  unanswered: number;
  refused: number;
  ratings: { count: number; positiveShare: number | null; meanScore: number | null };
}

export interface StatsReport {
  query: StatsQuery;
  timeZone: 'Asia/Ho_Chi_Minh';
  totals: StatsFigures;
  byChannel: Array<{ channel: string } & StatsFigures>;
  series: Array<{ period: string } & StatsFigures>;
  handoffReasons: Array<{ reason: string; channelKind: 'chat' | 'voice'; count: number }>;
  statuses: Array<{ status: string; family: string; count: number }>;
  topProcedures: Array<{ id: string; name: string | null; count: number }>;
  topAspects: Array<{ aspect: string; count: number }>;
  summary: string;
}
