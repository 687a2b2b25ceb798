/**
 * Calendar arithmetic in Asia/Ho_Chi_Minh (statistics, review weeks, gaps ranges). Vietnam has kept UTC+7 without
 * daylight saving since 1975, so a fixed offset is exact for every date the log can hold.
 *
 * Rollup tables key rows by a *day number*: the Hanoi calendar date as whole days since
 * 1970-01-01 (an INTEGER is smaller and faster to range-scan than a 'YYYY-MM-DD' string).
 */

const HANOI_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The Hanoi day number of an instant (an ISO string or a Date). */
export function hanoiDayNumber(at: string | Date): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return Math.floor((ms + HANOI_OFFSET_MS) / DAY_MS);
}

/** 'YYYY-MM-DD' → day number, or null when the text is not a real calendar date. */
export function parseDay(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = Math.floor(ms / DAY_MS);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  return dayString(day) === text ? day : null;
}

/** Day number → 'YYYY-MM-DD'. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The first UTC instant of a Hanoi day, as the ISO text the stores write (`toISOString`). */
export function dayStartIso(day: number): string {
  return new Date(day * DAY_MS - HANOI_OFFSET_MS).toISOString();
}

/** Month key yyyymm (202611) of a day number: the monthly rollups' key. */
export function monthKey(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

/** The first day number of a month key. */
export function monthStart(key: number): number {
  return Math.floor(Date.UTC(Math.floor(key / 100), (key % 100) - 1, 1) / DAY_MS);
}

/** The month key after `key`. */
export function nextMonth(key: number): number {
  return key % 100 === 12 ? (Math.floor(key / 100) + 1) * 100 + 1 : key + 1;
}

/** '2026-11' for a day number. */
export function monthLabel(day: number): string {
  return dayString(day).slice(0, 7);
}

/** Monday = 0 … Sunday = 6. 1970-01-01 (day 0) was a Thursday. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** ISO 8601 week label, '2026-W48': weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeekLabel(day: number): string {
  const thursday = day - weekday(day) + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const jan1 = Math.floor(Date.UTC(year, 0, 1) / DAY_MS);
  const week = Math.floor((thursday - jan1) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Today's Hanoi day number. */
export function hanoiToday(now: Date = new Date()): number {
  return hanoiDayNumber(now);
}

/** The instant a Hanoi calendar day ('YYYY-MM-DD') starts, as the ISO text the stores write; throws for a non-date. */
export function hanoiDayStart(day: string): string {
  const n = parseDay(day);
  if (n === null) throw new RangeError(`"${day}" is not a date like 2026-11-29`);
  return dayStartIso(n);
}

/** The calendar day after 'YYYY-MM-DD'; throws for a non-date. */
export function nextDay(day: string): string {
  const n = parseDay(day);
  if (n === null) throw new RangeError(`"${day}" is not a date like 2026-11-29`);
  return dayString(n + 1);
}
