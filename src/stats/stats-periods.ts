import type { StatsGroupBy } from './stats-report.js';
import { dayString, isoWeekLabel, monthKey, monthLabel, monthStart, nextMonth, weekday } from '../domain/hanoi-calendar.js';
import type { DaySpan } from './stats-source.js';

export interface Period extends DaySpan {
  period: string;
}

/**
 * Every period of [from, to], empty ones included: days (`2026-11-29`), ISO weeks (`2026-W48`,
 * Monday first; the week of 2026-12-31 may be `2026-W53` or `2027-W01`) or months (`2026-11`).
 * The first and last periods are clipped to the range, so a series adds up to the totals.
 */
export function periodsOf(from: number, to: number, groupBy: StatsGroupBy): Period[] {
  const out: Period[] = [];
  let start = from;
  while (start <= to) {
    let end: number;
    let label: string;
    if (groupBy === 'day') {
      end = start;
      label = dayString(start);
    } else if (groupBy === 'week') {
      end = start - weekday(start) + 6;
      label = isoWeekLabel(start);
    } else {
      end = monthStart(nextMonth(monthKey(start))) - 1;
      label = monthLabel(start);
    }
    end = Math.min(end, to);
    out.push({ period: label, from: start, to: end });
    start = end + 1;
  }
  return out;
}
