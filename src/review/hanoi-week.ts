/**
 * ISO weeks (`2026-W48`, Monday to Sunday) of Hanoi calendar days, on the shared Hanoi calendar
 * (src/domain/hanoi-calendar.ts: UTC+7 all year, no daylight saving).
 */
import { dayStartIso, dayString, hanoiDayNumber, isoWeekLabel, weekday } from '../domain/hanoi-calendar.js';

export { hanoiDayStart, nextDay } from '../domain/hanoi-calendar.js';

export const ISO_WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

const DAY_MS = 86_400_000;

/** The ISO week of the Hanoi calendar day of `at`, e.g. `2026-W48`. */
export function hanoiIsoWeek(at: Date): string {
  return isoWeekLabel(hanoiDayNumber(at));
}

/** The Monday (a Hanoi day number) of an ISO week: 4 January is always in week 1. */
function weekStartDay(year: number, week: number): number {
  const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS);
  return jan4 - weekday(jan4) + (week - 1) * 7;
}

/** Whether `week` names a real ISO week (W53 only in years that have one). */
export function isIsoWeek(week: string): boolean {
  const m = ISO_WEEK.exec(week);
  if (!m) return false;
  return isoWeekLabel(weekStartDay(Number(m[1]), Number(m[2]))) === week;
}

/** The instants a Hanoi ISO week covers: `[from, to)`, as ISO UTC strings comparable with stored `at`. */
export function isoWeekBounds(week: string): { from: string; to: string } {
  const m = ISO_WEEK.exec(week);
  if (!m) throw new RangeError(`"${week}" is not an ISO week like 2026-W48`);
  const monday = weekStartDay(Number(m[1]), Number(m[2]));
  return { from: dayStartIso(monday), to: dayStartIso(monday + 7) };
}

/** The Hanoi days of the last `weeks` ISO weeks up to `now` (this week included): Monday … today. */
export function lastWeeksRange(now: Date, weeks: number): { from: string; to: string } {
  const today = hanoiDayNumber(now);
  const monday = today - weekday(today) - (weeks - 1) * 7;
  return { from: dayString(monday), to: dayString(today) };
}
