import type { StatsGroupBy } from './stats-types.js';

/** Numbers, shares and periods as the Center writes them (vi-VN: "73.568", "85,3%"). Pure. */

const NONE = '—';

const counts = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 });

/** "73.568". */
export function formatCount(n: number): string {
  return counts.format(n);
}

/** "2,5"; "—" when there is nothing to divide. */
export function formatDecimal(n: number | null): string {
  return n === null || !Number.isFinite(n) ? NONE : oneDecimal.format(n);
}

/** A share 0..1 as "85,3%"; "—" when there is none (no conversations, no ratings). */
export function formatShare(share: number | null): string {
  return share === null || !Number.isFinite(share) ? NONE : percent.format(share);
}

/** Talk time in hours, the Center's unit ("204", "1,5"). */
export function formatHours(seconds: number): string {
  return oneDecimal.format(seconds / 3600);
}

/** A mean 1–5 score: "4,2/5". */
export function formatScore(mean: number | null): string {
  return mean === null || !Number.isFinite(mean) ? NONE : `${oneDecimal.format(mean)}/5`;
}

/** "2026-11-29" → "29/11/2026". */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return y && m && d ? `${d}/${m}/${y}` : day;
}

/** A series period as a label: "29/11/2026", "Tuần 48/2026", "Tháng 11/2026". */
export function formatPeriod(period: string, groupBy: StatsGroupBy): string {
  if (groupBy === 'week') {
    const m = /^(\d{4})-W(\d{2})$/.exec(period);
    return m ? `Tuần ${Number(m[2])}/${m[1]}` : period;
  }
  if (groupBy === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    return m ? `Tháng ${Number(m[2])}/${m[1]}` : period;
  }
  return /^\d{4}-\d{2}-\d{2}$/.test(period) ? formatDay(period) : period;
}
