/** Hanoi days as day numbers (see hanoi-calendar.ts), both inclusive. */
export interface DaySpan {
  from: number;
  to: number;
}

/** One span's figures for one channel (or all), before ratios: what the stores count. */
export interface SpanCounts {
  /** Distinct chat users (hashed key within a channel); callers are counted by `callers`. */
  chatUsers: number;
  /** Chat sessions whose first turn falls in the span. */
  chatConversations: number;
  /** Q&A turns, chat and voice. */
  turns: number;
  unanswered: number;
  refused: number;
  ratings: number;
  ratingsPositive: number;
  scoreSum: number;
  scoreCount: number;
  calls: number;
  /** Distinct callers' hashes. */
  callers: number;
  talkSeconds: number;
  callsTransferred: number;
  /** Calls that reached the bot: ended with an outcome other than `abandoned`. */
  callsReachedBot: number;
  /** Chat conversations put in the officers' queue. */
  chatHandoffs: number;
}

export interface FiguresRequest {
  /** The whole range. */
  span: DaySpan;
  /** The series' periods, inside the range, in order. */
  periods: readonly DaySpan[];
  /** One channel, or all when absent. */
  channel?: string;
}

export interface FiguresResult {
  totals: SpanCounts;
  /** Channels with a turn, a rating, a call or a handoff in the range (only the requested one when filtered), sorted. */
  byChannel: Array<{ channel: string; counts: SpanCounts }>;
  /** One entry per requested period. */
  periods: SpanCounts[];
  /** Why conversations (chat: the queue's reason) and calls (voice: the transfer reason) went to a person, in the range. */
  handoffReasons: Array<{ reason: string; channelKind: 'chat' | 'voice'; count: number }>;
}

export type KeyKind = 'status' | 'procedure' | 'aspect';

/**
 * Where the statistics come from. The SQLite implementation reads the rollups of `qa-log.sqlite`,
 * `calls.sqlite` and `handoff.sqlite`, each once per request; the service only combines what this
 * returns.
 */
export interface StatsSource {
  figures(request: FiguresRequest): Promise<FiguresResult>;
  /** Turns by status, procedure or aspect, most first (ties by key); `limit` keys at most. */
  keyCounts(kind: KeyKind, span: DaySpan, channel?: string, limit?: number): Promise<Array<{ key: string; count: number }>>;
  close(): Promise<void>;
}

export function zeroCounts(): SpanCounts {
  return {
    chatUsers: 0,
    chatConversations: 0,
    turns: 0,
    unanswered: 0,
    refused: 0,
    ratings: 0,
    ratingsPositive: 0,
    scoreSum: 0,
    scoreCount: 0,
    calls: 0,
    callers: 0,
    talkSeconds: 0,
    callsTransferred: 0,
    callsReachedBot: 0,
    chatHandoffs: 0,
  };
}

/** The channel name calls and voice turns carry. */
export const VOICE_CHANNEL = 'voice';
