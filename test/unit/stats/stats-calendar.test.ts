import { describe, expect, it } from 'vitest';
import { dayStartIso, dayString, hanoiDayNumber, isoWeekLabel, parseDay } from '../../../src/domain/hanoi-calendar.js';
import { periodsOf } from '../../../src/stats/stats-periods.js';
import { resolveStatsQuery, StatsQueryError } from '../../../src/stats/stats-query.js';
import { formatCount, statsSummary } from '../../../src/stats/stats-summary.js';

const day = (text: string) => parseDay(text)!;

describe('Hanoi calendar', () => {
  it('puts 16:59:59Z on the Hanoi day and 17:00:00Z on the next', () => {
    expect(dayString(hanoiDayNumber('2026-11-28T16:59:59.999Z'))).toBe('2026-11-28');
    expect(dayString(hanoiDayNumber('2026-11-28T17:00:00.000Z'))).toBe('2026-11-29');
    expect(dayStartIso(day('2026-11-29'))).toBe('2026-11-28T17:00:00.000Z');
  });

  it('parses real dates only', () => {
    expect(parseDay('2026-11-29')).toBe(20786);
    expect(parseDay('2026-02-29')).toBeNull();
    expect(parseDay('2028-02-29')).not.toBeNull();
    expect(parseDay('29/11/2026')).toBeNull();
  });

  it('labels ISO weeks, Monday first, across year ends', () => {
    expect(isoWeekLabel(day('2026-11-29'))).toBe('2026-W48');
    expect(isoWeekLabel(day('2026-11-30'))).toBe('2026-W49');
    expect(isoWeekLabel(day('2027-01-03'))).toBe('2026-W53');
    expect(isoWeekLabel(day('2027-01-04'))).toBe('2027-W01');
    expect(isoWeekLabel(day('2024-12-30'))).toBe('2025-W01');
    expect(isoWeekLabel(day('2021-01-03'))).toBe('2020-W53');
  });

  it('lists every period of a range, clipped to it', () => {
    expect(periodsOf(day('2026-12-30'), day('2027-01-05'), 'week').map((p) => [p.period, dayString(p.from), dayString(p.to)])).toEqual([
      ['2026-W53', '2026-12-30', '2027-01-03'],
      ['2027-W01', '2027-01-04', '2027-01-05'],
    ]);
    expect(periodsOf(day('2026-01-15'), day('2026-03-02'), 'month').map((p) => [p.period, dayString(p.from), dayString(p.to)])).toEqual([
      ['2026-01', '2026-01-15', '2026-01-31'],
      ['2026-02', '2026-02-01', '2026-02-28'],
      ['2026-03', '2026-03-01', '2026-03-02'],
    ]);
    expect(periodsOf(day('2026-12-31'), day('2027-01-01'), 'day').map((p) => p.period)).toEqual(['2026-12-31', '2027-01-01']);
  });
});

describe('stats query', () => {
  const now = new Date('2026-11-28T17:30:00.000Z'); // 00:30 on 2026-11-29 in Hanoi

  it('defaults to the last 30 Hanoi days grouped by day', () => {
    expect(resolveStatsQuery({}, now).query).toEqual({ from: '2026-10-31', to: '2026-11-29', groupBy: 'day' });
  });

  it('refuses bad dates, from after to, and ranges too long for the grouping', () => {
    const bad = (input: Parameters<typeof resolveStatsQuery>[0]) => () => resolveStatsQuery(input, now);
    expect(bad({ from: '2026-13-01' })).toThrow(StatsQueryError);
    expect(bad({ to: 'hôm nay' })).toThrow(/to must be a date/);
    expect(bad({ from: '2026-11-30', to: '2026-11-29' })).toThrow(/from must not be after to/);
    expect(bad({ from: '2024-01-01', to: '2024-12-31' })).not.toThrow(); // 366 days of a leap year
    expect(bad({ from: '2024-01-01', to: '2025-01-01' })).toThrow(/at most 366 days/);
    expect(bad({ groupBy: 'year' })).toThrow(/group_by/);
    expect(bad({ channel: 'Web; DROP' })).toThrow(/channel/);
  });
});

describe('summary', () => {
  it('groups thousands with dots', () => {
    expect([0, 999, 1000, 73568, 564549, 1234567].map(formatCount)).toEqual(['0', '999', '1.000', '73.568', '564.549', '1.234.567']);
  });

  it('is the seed sentence, with talk hours rounded down', () => {
    expect(statsSummary({ users: 73568, turns: 564549, calls: 9021, talkSeconds: 204 * 3600 + 3599 })).toBe(
      '73.568 lượt người dùng, 564.549 lượt hỏi đáp, 9.021 cuộc gọi, 204 giờ thoại',
    );
    expect(statsSummary({ users: 1, turns: 1, calls: 1, talkSeconds: 3599 })).toBe('1 lượt người dùng, 1 lượt hỏi đáp, 1 cuộc gọi, 0 giờ thoại');
  });
});
