import { describe, expect, it } from 'vitest';
import { hanoiDayStart, hanoiIsoWeek, isIsoWeek, isoWeekBounds, lastWeeksRange } from '../../../src/review/hanoi-week.js';

describe('Hanoi ISO weeks', () => {
  it('puts Sunday 23:59 Hanoi in its week and Monday 00:00 Hanoi in the next', () => {
    expect(hanoiIsoWeek(new Date('2026-11-29T16:59:59.999Z'))).toBe('2026-W48');
    expect(hanoiIsoWeek(new Date('2026-11-29T17:00:00.000Z'))).toBe('2026-W49');
    expect(hanoiIsoWeek(new Date('2026-11-22T17:00:00.000Z'))).toBe('2026-W48');
  });

  it('follows the ISO year at year ends', () => {
    expect(hanoiIsoWeek(new Date('2021-01-01T05:00:00Z'))).toBe('2020-W53');
    expect(hanoiIsoWeek(new Date('2024-12-30T05:00:00Z'))).toBe('2025-W01');
    expect(isIsoWeek('2026-W53')).toBe(true);
    expect(isIsoWeek('2025-W53')).toBe(false);
    expect(isIsoWeek('2026-48')).toBe(false);
  });

  it('gives a week as the UTC instants of Hanoi Monday 00:00 to the next Monday', () => {
    expect(isoWeekBounds('2026-W48')).toEqual({ from: '2026-11-22T17:00:00.000Z', to: '2026-11-29T17:00:00.000Z' });
    expect(isoWeekBounds('2021-W01')).toEqual({ from: '2021-01-03T17:00:00.000Z', to: '2021-01-10T17:00:00.000Z' });
    expect(() => isoWeekBounds('W48')).toThrow(RangeError);
  });

  it('gives Hanoi days and the last weeks up to today', () => {
    expect(hanoiDayStart('2026-11-29')).toBe('2026-11-28T17:00:00.000Z');
    // Sunday 29/11 evening in Hanoi is already Monday 30/11 there: the range starts four Mondays back from 30/11.
    expect(lastWeeksRange(new Date('2026-11-29T18:00:00Z'), 4)).toEqual({ from: '2026-11-09', to: '2026-11-30' });
    expect(lastWeeksRange(new Date('2026-11-29T10:00:00Z'), 1)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });
});
