import { dayString, hanoiToday, parseDay } from '../domain/hanoi-calendar.js';
import type { StatsGroupBy, StatsQuery } from './stats-report.js';

/** A query the statistics refuse: the message names the parameter (the API answers 400 with it). */
export class StatsQueryError extends RangeError {
  constructor(
    message: string,
    /** Vietnamese, for the dashboard. */
    readonly hint: string,
  ) {
    super(message);
    this.name = 'StatsQueryError';
  }
}

/**
 * The longest range per grouping, in days (inclusive): a leap year of days (366 points is what a
 * chart can still show), about three years of weeks, ten years of months.
 */
export const MAX_RANGE_DAYS: Readonly<Record<StatsGroupBy, number>> = { day: 366, week: 1100, month: 3660 };
/** Without from/to: the last 30 Hanoi days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
const GROUP_BYS: readonly StatsGroupBy[] = ['day', 'week', 'month'];
const CHANNEL = /^[a-z][a-z0-9_]{0,31}$/;

export interface ResolvedStatsQuery {
  query: StatsQuery;
  from: number;
  to: number;
}

/** Checks a query and fills the defaults; throws StatsQueryError. */
export function resolveStatsQuery(
  input: { from?: string | undefined; to?: string | undefined; groupBy?: string | undefined; channel?: string | undefined },
  now: Date = new Date(),
): ResolvedStatsQuery {
  const groupBy = (input.groupBy ?? 'day') as StatsGroupBy;
  if (!GROUP_BYS.includes(groupBy)) throw new StatsQueryError('group_by must be day, week or month', 'Cách nhóm phải là ngày, tuần hoặc tháng.');
  const today = hanoiToday(now);
  const to = input.to === undefined || input.to === '' ? today : parseDay(input.to);
  if (to === null) throw new StatsQueryError('to must be a date YYYY-MM-DD', 'Ngày kết thúc không hợp lệ (định dạng YYYY-MM-DD).');
  const from = input.from === undefined || input.from === '' ? to - (DEFAULT_RANGE_DAYS - 1) : parseDay(input.from);
  if (from === null) throw new StatsQueryError('from must be a date YYYY-MM-DD', 'Ngày bắt đầu không hợp lệ (định dạng YYYY-MM-DD).');
  if (from > to) throw new StatsQueryError('from must not be after to', 'Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.');
  const max = MAX_RANGE_DAYS[groupBy];
  if (to - from + 1 > max) {
    throw new StatsQueryError(`a range grouped by ${groupBy} spans at most ${max} days`, `Khoảng thời gian quá dài: tối đa ${max} ngày khi nhóm theo ${groupBy === 'day' ? 'ngày' : groupBy === 'week' ? 'tuần' : 'tháng'}.`);
  }
  const channel = input.channel === undefined || input.channel === '' ? undefined : input.channel;
  if (channel !== undefined && !CHANNEL.test(channel)) throw new StatsQueryError('channel must be a channel name such as web or voice', 'Kênh không hợp lệ.');
  return { query: { from: dayString(from), to: dayString(to), groupBy, ...(channel ? { channel } : {}) }, from, to };
}
