/**
 * Dates as the city's systems write them and as a citizen reads them. Hanoi is UTC+7 all year,
 * so a date without a zone is Vietnamese local time and calendar days are counted there.
 */

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `15/01/2025`, `15/01/2025 14:30`, `15-01-2025 14:30:05` (day first, as Vietnamese forms write it). */
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** `2025-01-15`, `2025-01-15T14:30`, `2025-01-15 14:30:05`, with no zone. */
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/**
 * A backend date: ISO with a zone, ISO or day-first without one (read as Hanoi time), or epoch
 * milliseconds. A date without a time is the end of that day when `endOfDay` (a due date is due
 * all day), else its start. Null when unreadable.
 */
export function parseBackendDate(value: unknown, options: { endOfDay?: boolean } = {}): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  let parts: string[] | null = null;
  const dayFirst = DAY_FIRST.exec(s);
  if (dayFirst) parts = [dayFirst[3]!, dayFirst[2]!, dayFirst[1]!, dayFirst[4] ?? '', dayFirst[5] ?? '', dayFirst[6] ?? ''];
  const iso = ISO_LOCAL.exec(s);
  if (iso) parts = [iso[1]!, iso[2]!, iso[3]!, iso[4] ?? '', iso[5] ?? '', iso[6] ?? ''];
  if (parts) {
    const [y, mo, d, h, mi, se] = parts.map((p) => (p === '' ? null : Number(p))) as (number | null)[];
    if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31) return null;
    const dateOnly = h === null;
    const utc = Date.UTC(y!, mo! - 1, d!, dateOnly ? (options.endOfDay ? 23 : 0) : h!, dateOnly ? (options.endOfDay ? 59 : 0) : mi!, dateOnly ? (options.endOfDay ? 59 : 0) : (se ?? 0));
    const date = new Date(utc - VN_OFFSET_MS);
    // 31/02 rolls over in Date.UTC: refuse it rather than show another day.
    if (new Date(utc).getUTCDate() !== d) return null;
    return date;
  }
  // Anything else must carry its own zone (`Z`, `+07:00`) to be trusted.
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/.test(s)) return null;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The calendar day in Hanoi, as a day number, for counting days between dates. */
function hanoiDay(date: Date): number {
  return Math.floor((date.getTime() + VN_OFFSET_MS) / DAY_MS);
}

/** `15/01/2025` in Hanoi time. */
export function formatDateVi(date: Date): string {
  const local = new Date(date.getTime() + VN_OFFSET_MS);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${local.getUTCFullYear()}`;
}

/** `ngày 15 tháng 1 năm 2025`, for speech. */
export function speakDateVi(date: Date): string {
  const local = new Date(date.getTime() + VN_OFFSET_MS);
  return `ngày ${local.getUTCDate()} tháng ${local.getUTCMonth() + 1} năm ${local.getUTCFullYear()}`;
}

/** Whole calendar days (Hanoi) from `from` to `to`; 0 on the same day. */
export function calendarDaysBetween(from: Date, to: Date): number {
  return hanoiDay(to) - hanoiDay(from);
}
