import { describe, expect, it } from 'vitest';
import { dayBefore, effectiveDay, endedBefore, endOfVietnamDay, inForceOn, startOfVietnamDay, vietnamDay } from '../../../src/catalogue/effective-dates.js';

describe('effective dates', () => {
  it('reads ISO and Vietnamese dates as days, and nothing else', () => {
    expect(effectiveDay('2025-03-01')).toBe('2025-03-01');
    expect(effectiveDay('2025-03-01T23:30:00+07:00')).toBe('2025-03-01');
    expect(effectiveDay('1/3/2025')).toBe('2025-03-01');
    expect(effectiveDay('01/03/2025')).toBe('2025-03-01');
    expect(effectiveDay('2025-02-30')).toBeNull();
    expect(effectiveDay('từ ngày ký')).toBeNull();
    expect(effectiveDay(null)).toBeNull();
  });

  it('counts days in Vietnam time', () => {
    expect(vietnamDay(new Date('2025-06-14T16:59:59.999Z'))).toBe('2025-06-14');
    expect(vietnamDay(new Date('2025-06-14T17:00:00Z'))).toBe('2025-06-15');
    expect(startOfVietnamDay('2025-06-15').toISOString()).toBe('2025-06-14T17:00:00.000Z');
    expect(endOfVietnamDay('2025-06-15').toISOString()).toBe('2025-06-15T16:59:59.999Z');
    expect(dayBefore('2025-03-01')).toBe('2025-02-28');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
  });

  it('treats both bounds as inclusive days', () => {
    const r = { effectiveFrom: '2025-06-01', effectiveTo: '2025-06-30' };
    expect(inForceOn(r, '2025-05-31')).toBe(false);
    expect(inForceOn(r, '2025-06-01')).toBe(true);
    expect(inForceOn(r, '2025-06-30')).toBe(true);
    expect(inForceOn(r, '2025-07-01')).toBe(false);
    expect(inForceOn({ effectiveFrom: null, effectiveTo: 'không rõ' }, '2030-01-01')).toBe(true);
    expect(endedBefore('2025-06-30', '2025-06-30')).toBe(false);
    expect(endedBefore('2025-06-29', '2025-06-30')).toBe(true);
    expect(endedBefore(null, '2025-06-30')).toBe(false);
  });
});
