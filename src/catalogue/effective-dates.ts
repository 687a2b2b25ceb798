/**
 * Calendar days for `effectiveFrom` / `effectiveTo`.
 *
 * ## Rule (what "in force on day D" means)
 *
 * Both bounds are calendar days and both are INCLUSIVE: a record is in force on D when
 * `effectiveFrom` is null or ≤ D, and `effectiveTo` is null or ≥ D. `effectiveTo` is therefore
 * the last day the procedure applies: one whose effective-to is yesterday is not served today,
 * one whose effective-to is today still is.
 *
 * "Today" is the calendar day in Vietnam (UTC+7, no daylight saving), because that is where the
 * procedures apply; a server clock in UTC would otherwise switch days at 07:00 local time.
 *
 * Sources write dates as ISO (`2025-03-01`, `2025-03-01T00:00:00+07:00`) or Vietnamese style
 * (`01/03/2025`); both become `YYYY-MM-DD`. Anything else cannot be compared and counts as
 * "no bound" (null): an unreadable date never hides a procedure.
 */

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/u;
const VN_DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/u;

/** The calendar day (YYYY-MM-DD) in Vietnam at instant `date`. */
export function vietnamDay(date: Date): string {
  return new Date(date.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Vietnamese calendar day starts. */
export function startOfVietnamDay(day: string): Date {
  return new Date(`${day}T00:00:00.000+07:00`);
}

/** The last millisecond of a Vietnamese calendar day. */
export function endOfVietnamDay(day: string): Date {
  return new Date(startOfVietnamDay(day).getTime() + 24 * 60 * 60 * 1000 - 1);
}

/** A source's date as `YYYY-MM-DD`, or null when absent or unreadable. */
export function effectiveDay(value: string | null | undefined): string | null {
  if (!value) return null;
  const text = value.trim();
  const iso = ISO_DAY.exec(text);
  if (iso) return validDay(iso[1]!, iso[2]!, iso[3]!);
  const vn = VN_DAY.exec(text);
  if (vn) return validDay(vn[3]!, vn[2]!.padStart(2, '0'), vn[1]!.padStart(2, '0'));
  return null;
}

function validDay(y: string, m: string, d: string): string | null {
  const day = `${y}-${m}-${d}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day ? day : null;
}

/** The day before `day` (YYYY-MM-DD). */
export function dayBefore(day: string): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** True when a record with these bounds is in force on `day` (both bounds inclusive). */
export function inForceOn(bounds: { effectiveFrom: string | null; effectiveTo: string | null }, day: string): boolean {
  const from = effectiveDay(bounds.effectiveFrom);
  const to = effectiveDay(bounds.effectiveTo);
  return (from === null || from <= day) && (to === null || to >= day);
}

/** True when the record has ended before `day` (its effective-to is an earlier day). */
export function endedBefore(effectiveTo: string | null, day: string): boolean {
  const to = effectiveDay(effectiveTo);
  return to !== null && to < day;
}
