/**
 * ISO weeks (`2026-W48`, Monday to Sunday) of Hanoi calendar days. Asia/Ho_Chi_Minh is UTC+7 all
 * year (no daylight saving), so a fixed offset is exact and needs no time-zone database.
 */
const HANOI_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const ISO_WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC midnight of the Hanoi calendar day of `at` (a date-only value, for week arithmetic). */
function hanoiDay(at: Date): number {
  const local = at.getTime() + HANOI_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Monday (0) … Sunday (6) of a date-only value. */
const weekday = (day: number) => (new Date(day).getUTCDay() + 6) % 7;

/** The ISO week of the Hanoi calendar day of `at`, e.g. `2026-W48`. */
export function hanoiIsoWeek(at: Date): string {
  const day = hanoiDay(at);
  // The ISO year is the year of the week's Thursday.
  const thursday = day + (3 - weekday(day)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Whether `week` names a real ISO week (W53 only in years that have one). */
export function isIsoWeek(week: string): boolean {
  const m = ISO_WEEK.exec(week);
  if (!m) return false;
  return hanoiIsoWeek(new Date(weekStartUtc(Number(m[1]), Number(m[2])))) === week;
}

function weekStartUtc(year: number, week: number): number {
  // 4 January is always in week 1.
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - weekday(jan4) * DAY_MS + (week - 1) * 7 * DAY_MS;
  return monday - HANOI_OFFSET_MS;
}

/** The instants a Hanoi ISO week covers: `[from, to)`, as ISO UTC strings comparable with stored `at`. */
export function isoWeekBounds(week: string): { from: string; to: string } {
  const m = ISO_WEEK.exec(week);
  if (!m) throw new RangeError(`"${week}" is not an ISO week like 2026-W48`);
  const start = weekStartUtc(Number(m[1]), Number(m[2]));
  return { from: new Date(start).toISOString(), to: new Date(start + 7 * DAY_MS).toISOString() };
}

/** The instant a Hanoi calendar day (`YYYY-MM-DD`) starts, as an ISO UTC string. */
export function hanoiDayStart(day: string): string {
  if (!ISO_DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`"${day}" is not a date like 2026-11-29`);
  return new Date(Date.parse(`${day}T00:00:00Z`) - HANOI_OFFSET_MS).toISOString();
}

/** The Hanoi calendar day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The Hanoi days of the last `weeks` ISO weeks up to `now` (this week included): Monday … today. */
export function lastWeeksRange(now: Date, weeks: number): { from: string; to: string } {
  const today = hanoiDay(now);
  const monday = today - weekday(today) * DAY_MS - (weeks - 1) * 7 * DAY_MS;
  return { from: new Date(monday).toISOString().slice(0, 10), to: new Date(today).toISOString().slice(0, 10) };
}
