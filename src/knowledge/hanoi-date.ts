/**
 * "Today" for the Center is the calendar day in Hanoi (UTC+7, no daylight saving), whatever
 * time zone the server runs in: an online-only rule "from 01/12" starts at midnight in Hanoi.
 */
const HANOI_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The Hanoi calendar date of `now` as YYYY-MM-DD. */
export function hanoiDate(now: Date): string {
  return new Date(now.getTime() + HANOI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Milliseconds from `now` to the next midnight in Hanoi. */
export function msUntilHanoiMidnight(now: Date): number {
  const local = now.getTime() + HANOI_OFFSET_MS;
  const day = 24 * 60 * 60 * 1000;
  return day - (local % day);
}

/** "2026-12-01" → "01/12/2026", the way dates are written to citizens. */
export function vietnameseDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
