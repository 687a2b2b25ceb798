import type { StatsGroupBy } from './stats-types.js';

/**
 * The dashboard's filters and their place in the URL (`?from=&to=&group_by=&channel=`), so a view
 * can be reloaded or shared. Pure: no DOM, unit-tested in Node.
 */
export interface DashboardFilters {
  /** First Hanoi day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last Hanoi day, `YYYY-MM-DD`, inclusive. */
  to: string;
  groupBy: StatsGroupBy;
  /** One channel, or '' for all. */
  channel: string;
}

export const GROUP_BY_OPTIONS: ReadonlyArray<{ value: StatsGroupBy; label: string }> = [
  { value: 'day', label: 'Ngày' },
  { value: 'week', label: 'Tuần' },
  { value: 'month', label: 'Tháng' },
];

export const CHANNEL_OPTIONS: ReadonlyArray<{ value: string; label: string }> = [
  { value: '', label: 'Tất cả kênh' },
  { value: 'web', label: 'Trang web' },
  { value: 'messenger', label: 'Messenger' },
  { value: 'zalo', label: 'Zalo OA' },
  { value: 'mini_app', label: 'iHanoi (mini app)' },
  { value: 'voice', label: 'Tổng đài (thoại)' },
];

/** The CSV tables of `GET /api/v1/stats.csv?table=…`. */
export type CsvTable = 'totals' | 'channels' | 'series' | 'reasons' | 'statuses' | 'procedures' | 'aspects';

/** Default view: the last 30 Hanoi days, today included, by day, all channels. */
export const DEFAULT_DAYS = 30;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HANOI_OFFSET_MS = 7 * 3_600_000;

/** The Hanoi calendar day of an instant (Vietnam keeps UTC+7 all year, no daylight saving). */
export function hanoiDay(instant: Date): string {
  return new Date(instant.getTime() + HANOI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A real calendar day in `YYYY-MM-DD` (not 2026-02-30). */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !DAY.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === value;
}

export function defaultFilters(now: Date): DashboardFilters {
  const to = hanoiDay(now);
  return { from: addDays(to, -(DEFAULT_DAYS - 1)), to, groupBy: 'day', channel: '' };
}

/**
 * The filters of a URL query; anything missing or malformed falls back to the default, and a
 * range given backwards is turned round (a hand-edited link still shows something sensible).
 */
export function filtersFromQuery(search: string, now: Date): DashboardFilters {
  const params = new URLSearchParams(search);
  const fallback = defaultFilters(now);
  let from = params.get('from');
  let to = params.get('to');
  if (!isDay(to)) to = isDay(from) ? (from > fallback.to ? from : fallback.to) : fallback.to;
  if (!isDay(from)) from = addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) [from, to] = [to, from];
  const group = params.get('group_by');
  const groupBy = GROUP_BY_OPTIONS.some((o) => o.value === group) ? (group as StatsGroupBy) : fallback.groupBy;
  const channel = params.get('channel') ?? '';
  return { from, to, groupBy, channel: CHANNEL_OPTIONS.some((o) => o.value === channel) ? channel : '' };
}

/** The query of the statistics API and of the page's own URL: `from=…&to=…&group_by=…[&channel=…]`. */
export function filtersToQuery(filters: DashboardFilters): string {
  const params = new URLSearchParams({ from: filters.from, to: filters.to, group_by: filters.groupBy });
  if (filters.channel) params.set('channel', filters.channel);
  return params.toString();
}

/** The "Tải CSV" link of one table, with the filters on screen. */
export function csvHref(table: CsvTable, filters: DashboardFilters): string {
  return `/api/v1/stats.csv?table=${table}&${filtersToQuery(filters)}`;
}

/** The longest range the statistics API draws per grouping, in days (its MAX_RANGE_DAYS). */
export const MAX_RANGE_DAYS: Readonly<Record<StatsGroupBy, number>> = { day: 366, week: 1100, month: 3660 };

/** Days from `from` to `to`, both included. */
export function rangeDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * What is wrong with a range typed into the form, in Vietnamese; null when it is fine. Checked
 * before asking the server, which refuses the same ranges with 400.
 */
export function rangeProblem(from: string, to: string, groupBy: StatsGroupBy, today: string): string | null {
  if (!isDay(from)) return 'Vui lòng chọn ngày bắt đầu (từ ngày).';
  if (!isDay(to)) return 'Vui lòng chọn ngày kết thúc (đến ngày).';
  if (from > to) return '"Từ ngày" phải trước hoặc trùng "đến ngày".';
  if (from > today) return '"Từ ngày" không được sau hôm nay.';
  const max = MAX_RANGE_DAYS[groupBy];
  if (rangeDays(from, to) > max) {
    const unit = GROUP_BY_OPTIONS.find((o) => o.value === groupBy)?.label.toLowerCase() ?? groupBy;
    return `Khoảng thời gian quá dài: tối đa ${max} ngày khi nhóm theo ${unit}. Hãy chọn khoảng ngắn hơn hoặc nhóm theo ${groupBy === 'day' ? 'tuần hoặc tháng' : 'tháng'}.`;
  }
  return null;
}
