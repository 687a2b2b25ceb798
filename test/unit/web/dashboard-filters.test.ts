import { describe, expect, it } from 'vitest';
import { addDays, csvHref, defaultFilters, filtersFromQuery, filtersToQuery, hanoiDay, isDay, MAX_RANGE_DAYS, rangeDays, rangeProblem } from '../../../web/dashboard/dashboard-filters.js';

// 2026-11-29 23:30 in Hanoi is 16:30 UTC; 00:30 on the 30th is 17:30 UTC.
const LATE_EVENING = new Date('2026-11-29T16:30:00Z');
const AFTER_MIDNIGHT = new Date('2026-11-29T17:30:00Z');

describe('dashboard filters', () => {
  it('takes the Hanoi day of an instant, on both sides of midnight', () => {
    expect(hanoiDay(LATE_EVENING)).toBe('2026-11-29');
    expect(hanoiDay(AFTER_MIDNIGHT)).toBe('2026-11-30');
    expect(hanoiDay(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });

  it('moves days across months and leap years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('accepts only real calendar days', () => {
    expect(isDay('2026-11-29')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('29/11/2026')).toBe(false);
    expect(isDay('')).toBe(false);
    expect(isDay(null)).toBe(false);
  });

  it('defaults to the last 30 Hanoi days, today included, by day, all channels', () => {
    expect(defaultFilters(AFTER_MIDNIGHT)).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day', channel: '' });
    expect(filtersFromQuery('', LATE_EVENING)).toEqual({ from: '2026-10-31', to: '2026-11-29', groupBy: 'day', channel: '' });
  });

  it('reads a shared URL back into the same filters', () => {
    const f = { from: '2026-01-01', to: '2026-03-31', groupBy: 'month' as const, channel: 'zalo' };
    expect(filtersToQuery(f)).toBe('from=2026-01-01&to=2026-03-31&group_by=month&channel=zalo');
    expect(filtersFromQuery(`?${filtersToQuery(f)}`, LATE_EVENING)).toEqual(f);
  });

  it('leaves the channel out of the query for all channels', () => {
    expect(filtersToQuery({ from: '2026-11-01', to: '2026-11-29', groupBy: 'week', channel: '' })).toBe('from=2026-11-01&to=2026-11-29&group_by=week');
  });

  it('repairs a hand-edited URL: bad values fall back, a backwards range is turned round', () => {
    expect(filtersFromQuery('?from=2026-11-20&to=2026-11-10&group_by=year&channel=fax', LATE_EVENING)).toEqual({
      from: '2026-11-10',
      to: '2026-11-20',
      groupBy: 'day',
      channel: '',
    });
    expect(filtersFromQuery('?from=2026-02-30&to=2026-11-15', LATE_EVENING)).toEqual({ from: '2026-10-17', to: '2026-11-15', groupBy: 'day', channel: '' });
    expect(filtersFromQuery('?from=2026-11-01', LATE_EVENING)).toMatchObject({ from: '2026-11-01', to: '2026-11-29' });
    expect(filtersFromQuery('?channel=voice&group_by=week', LATE_EVENING)).toMatchObject({ channel: 'voice', groupBy: 'week' });
  });

  it('builds each table\'s CSV link with the filters on screen', () => {
    expect(csvHref('procedures', { from: '2026-11-01', to: '2026-11-29', groupBy: 'week', channel: 'mini_app' })).toBe(
      '/api/v1/stats.csv?table=procedures&from=2026-11-01&to=2026-11-29&group_by=week&channel=mini_app',
    );
    expect(csvHref('totals', { from: '2026-11-01', to: '2026-11-29', groupBy: 'day', channel: '' })).toBe(
      '/api/v1/stats.csv?table=totals&from=2026-11-01&to=2026-11-29&group_by=day',
    );
  });

  it('explains a bad range in Vietnamese', () => {
    expect(rangeProblem('2026-11-01', '2026-11-29', 'day', '2026-11-29')).toBeNull();
    expect(rangeProblem('2026-11-29', '2026-11-29', 'day', '2026-11-29')).toBeNull();
    expect(rangeProblem('', '2026-11-29', 'day', '2026-11-29')).toContain('ngày bắt đầu');
    expect(rangeProblem('2026-11-01', '', 'day', '2026-11-29')).toContain('ngày kết thúc');
    expect(rangeProblem('2026-11-20', '2026-11-10', 'day', '2026-11-29')).toContain('phải trước');
    expect(rangeProblem('2026-12-01', '2026-12-05', 'day', '2026-11-29')).toContain('hôm nay');
  });

  it('refuses the ranges the API refuses: at most 366 days by day, 1100 by week, 3660 by month', async () => {
    const { MAX_RANGE_DAYS: API_MAX } = await import('../../../src/stats/stats-query.js');
    expect(MAX_RANGE_DAYS).toEqual(API_MAX);
    expect(rangeDays('2026-11-29', '2026-11-29')).toBe(1);
    expect(rangeDays('2025-11-29', '2026-11-29')).toBe(366);
    expect(rangeProblem('2025-11-29', '2026-11-29', 'day', '2026-11-29')).toBeNull();
    expect(rangeProblem('2025-11-28', '2026-11-29', 'day', '2026-11-29')).toBe(
      'Khoảng thời gian quá dài: tối đa 366 ngày khi nhóm theo ngày. Hãy chọn khoảng ngắn hơn hoặc nhóm theo tuần hoặc tháng.',
    );
    expect(rangeProblem('2025-11-28', '2026-11-29', 'week', '2026-11-29')).toBeNull();
    expect(rangeProblem('2020-01-01', '2026-11-29', 'week', '2026-11-29')).toContain('tối đa 1100 ngày khi nhóm theo tuần');
    expect(rangeProblem('2020-01-01', '2026-11-29', 'month', '2026-11-29')).toBeNull();
  });
});
