/**
 * The statistics the Center reports, one model across chat and voice (the JSON of
 * `GET /api/v1/stats`, which the dashboard draws). Days are calendar days in Asia/Ho_Chi_Minh.
 */

export type StatsGroupBy = 'day' | 'week' | 'month';

export interface StatsQuery {
  /** First Hanoi day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last Hanoi day, `YYYY-MM-DD`, inclusive. */
  to: string;
  groupBy: StatsGroupBy;
  /** One channel (`web`, `messenger`, `zalo`, `mini_app`, `voice`, …), or all. */
  channel?: string;
}

/** The same figures for the whole range, per channel and per period. */
export interface StatsFigures {
  /** Distinct hashed users: chat users and callers (a caller's hash is the same in every call). */
  users: number;
  /** Chat conversations (sessions with at least one turn) plus calls. */
  conversations: number;
  /** Questions answered or attempted (Q&A turns), chat and voice. */
  turns: number;
  calls: number;
  /** Sum of the calls' durations. */
  talkSeconds: number;
  /** turns / conversations; null without conversations. */
  avgTurnsPerConversation: number | null;
  /** Chat conversations put in the officers' queue plus calls transferred to an operator. */
  handoffs: number;
  /** Shares 0..1 finished without a person: conversations without a handoff; calls not transferred (of calls that reached the bot). */
  containment: { conversations: number | null; calls: number | null };
  /** Turns whose status family is `unanswerable` or `error`. */
  unanswered: number;
  /** Turns whose status family is `guardrail` (injection, personal data, abuse, answer check). */
  refused: number;
  /** Ratings: positive = useful, or a score of 4–5; mean of the 1–5 scores. */
  ratings: { count: number; positiveShare: number | null; meanScore: number | null };
}

export interface StatsReport {
  query: StatsQuery;
  timeZone: 'Asia/Ho_Chi_Minh';
  totals: StatsFigures;
  byChannel: Array<{ channel: string } & StatsFigures>;
  /** One row per period in the range, empty periods included: `2026-11-29`, `2026-W48` (ISO week), `2026-11`. */
  series: Array<{ period: string } & StatsFigures>;
  /** Why conversations and calls went to a person (chat: citizen_request, complaint, …; voice: caller_request, …). */
  handoffReasons: Array<{ reason: string; channelKind: 'chat' | 'voice'; count: number }>;
  /** Unanswered and refused turns by status. */
  statuses: Array<{ status: string; family: string; count: number }>;
  topProcedures: Array<{ id: string; name: string | null; count: number }>;
  /** What was asked about a procedure (fee, time, documents, …). */
  topAspects: Array<{ aspect: string; count: number }>;
  /** The Center's own form: "73.568 lượt người dùng, 564.549 lượt hỏi đáp, 9.021 cuộc gọi, 204 giờ thoại". */
  summary: string;
}
