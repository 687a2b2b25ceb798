import { describe, expect, it } from 'vitest';
import { formatCount, formatDay, formatDecimal, formatHours, formatPeriod, formatScore, formatShare } from '../../../web/dashboard/dashboard-format.js';

describe('dashboard number formatting (vi-VN)', () => {
  it('writes counts with dots between thousands, as the Center does', () => {
    expect(formatCount(73568)).toBe('73.568');
    expect(formatCount(564549)).toBe('564.549');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1.234.567');
  });

  it('writes decimals with a comma and at most one digit', () => {
    expect(formatDecimal(2.5)).toBe('2,5');
    expect(formatDecimal(3)).toBe('3');
    expect(formatDecimal(2.25)).toMatch(/^2,[23]$/);
    expect(formatDecimal(null)).toBe('—');
  });

  it('writes shares as percentages, a dash when there is none', () => {
    expect(formatShare(0.853)).toBe('85,3%');
    expect(formatShare(1)).toBe('100%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(null)).toBe('—');
  });

  it('writes talk time in hours', () => {
    expect(formatHours(204 * 3600)).toBe('204');
    expect(formatHours(5400)).toBe('1,5');
    expect(formatHours(0)).toBe('0');
    expect(formatHours(734_400)).toBe('204');
  });

  it('writes a mean score out of five', () => {
    expect(formatScore(4.25)).toMatch(/^4,[23]\/5$/);
    expect(formatScore(5)).toBe('5/5');
    expect(formatScore(null)).toBe('—');
  });

  it('writes days and periods the Vietnamese way', () => {
    expect(formatDay('2026-11-29')).toBe('29/11/2026');
    expect(formatPeriod('2026-11-29', 'day')).toBe('29/11/2026');
    expect(formatPeriod('2026-W48', 'week')).toBe('Tuần 48/2026');
    expect(formatPeriod('2026-W01', 'week')).toBe('Tuần 1/2026');
    expect(formatPeriod('2026-11', 'month')).toBe('Tháng 11/2026');
    expect(formatPeriod('unexpected', 'month')).toBe('unexpected');
  });
});
