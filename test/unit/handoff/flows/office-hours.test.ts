import { afterEach, describe, expect, it } from 'vitest';
import { OfficeHours, OfficeHoursError, hanoiParts, parseOfficeHours } from '../../../../src/handoff/flows/office-hours.js';

const DEFAULT = 'Mon-Fri 08:00-12:00,13:00-17:00';
/** A Hanoi wall-clock time as an instant (UTC+7). 2025-06-02 is a Monday. */
const hanoi = (isoLocal: string) => new Date(`${isoLocal}+07:00`);

describe('parseOfficeHours', () => {
  it('reads day ranges, single days and several windows a day', () => {
    const days = parseOfficeHours('Mon-Fri 08:00-12:00,13:00-17:00; Sat 08:00-12:00');
    expect(days[0]).toEqual([{ start: 480, end: 720 }, { start: 780, end: 1020 }]);
    expect(days[4]).toEqual(days[0]);
    expect(days[5]).toEqual([{ start: 480, end: 720 }]);
    expect(days[6]).toEqual([]);
  });

  it('accepts lists, case, wrapping ranges and 24:00 as an end', () => {
    const days = parseOfficeHours('mon,WED 7:30-11:30 ; Sat-Sun 00:00-24:00');
    expect(days[0]).toEqual([{ start: 450, end: 690 }]);
    expect(days[1]).toEqual([]);
    expect(days[2]).toEqual([{ start: 450, end: 690 }]);
    expect(days[6]).toEqual([{ start: 0, end: 1440 }]);
    expect(parseOfficeHours('Fri-Mon 08:00-09:00').map((d) => d.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
  });

  it.each([
    ['', /empty/],
    ['Mon-Fry 08:00-12:00', /unknown day "Fry"/],
    ['Mon-Fri', /expected "<days> <HH:MM-HH:MM>/],
    ['Mon-Fri 8-12', /"8-12" is not a time range/],
    ['Mon 12:00-08:00', /ends before it starts/],
    ['Mon 08:00-25:00', /invalid time/],
    ['Mon 08:60-09:00', /invalid time/],
    ['Mon 08:00-12:00,11:00-13:00', /overlaps 8:00-12:00 on mon/],
    ['Mon-Fri 08:00-12:00; Fri 10:00-11:00', /overlaps/],
    ['Mon-Tue-Wed 08:00-12:00', /not a day or a day range/],
  ])('rejects %j with a clear error', (spec, message) => {
    expect(() => parseOfficeHours(spec)).toThrow(OfficeHoursError);
    expect(() => parseOfficeHours(spec)).toThrow(message);
    expect(() => parseOfficeHours(spec)).toThrow(/^OFFICE_HOURS: /);
  });
});

describe('OfficeHours in Hanoi time', () => {
  const hours = OfficeHours.parse(DEFAULT);
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('is open inside the windows and closed at lunch, after hours and at the weekend', () => {
    expect(hours.isOpen(hanoi('2025-06-02T08:00:00'))).toBe(true);
    expect(hours.isOpen(hanoi('2025-06-02T07:59:59'))).toBe(false);
    expect(hours.isOpen(hanoi('2025-06-02T12:00:00'))).toBe(false);
    expect(hours.isOpen(hanoi('2025-06-02T16:59:00'))).toBe(true);
    expect(hours.isOpen(hanoi('2025-06-02T17:00:00'))).toBe(false);
    expect(hours.isOpen(hanoi('2025-06-07T09:00:00'))).toBe(false);
  });

  it('uses Hanoi time whatever the server zone: 09:00 Hanoi is 02:00 UTC', () => {
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Ho_Chi_Minh', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      expect(hours.isOpen(new Date('2025-06-02T02:00:00Z'))).toBe(true);
      // 20:00 UTC on Monday is 03:00 on Tuesday in Hanoi.
      expect(hours.isOpen(new Date('2025-06-02T20:00:00Z'))).toBe(false);
      expect(hanoiParts(new Date('2025-06-02T20:00:00Z'))).toEqual({ date: '2025-06-03', weekday: 1, minute: 180 });
    }
  });

  it('the next opening: now when open, after lunch, next morning, over the weekend', () => {
    const open = hanoi('2025-06-02T09:00:00');
    expect(hours.nextOpening(open)).toEqual(open);
    expect(hours.nextOpening(hanoi('2025-06-02T12:30:00'))).toEqual(hanoi('2025-06-02T13:00:00'));
    expect(hours.nextOpening(hanoi('2025-06-02T23:59:30'))).toEqual(hanoi('2025-06-03T08:00:00'));
    expect(hours.nextOpening(hanoi('2025-06-03T00:00:00'))).toEqual(hanoi('2025-06-03T08:00:00'));
    expect(hours.nextOpening(hanoi('2025-06-06T17:30:00'))).toEqual(hanoi('2025-06-09T08:00:00'));
    expect(hours.nextOpening(hanoi('2025-06-08T23:59:59'))).toEqual(hanoi('2025-06-09T08:00:00'));
  });

  it('closed dates (holidays) are skipped when given as a list', () => {
    const withHoliday = OfficeHours.parse(DEFAULT, { closedDates: ['2025-09-01', '2025-09-02'] });
    expect(withHoliday.isOpen(hanoi('2025-09-01T09:00:00'))).toBe(false);
    expect(withHoliday.nextOpening(hanoi('2025-08-29T17:30:00'))).toEqual(hanoi('2025-09-03T08:00:00'));
    expect(() => OfficeHours.parse(DEFAULT, { closedDates: ['1/9/2025'] })).toThrow(/YYYY-MM-DD/);
  });

  it('renders the hours in Vietnamese and English', () => {
    expect(hours.describe()).toBe('thứ Hai đến thứ Sáu, 8:00–12:00 và 13:00–17:00');
    expect(hours.describe('en')).toBe('Monday to Friday, 8:00–12:00 and 13:00–17:00');
    const week = OfficeHours.parse('Mon-Fri 08:00-12:00,13:00-17:00; Sat 08:00-12:00');
    expect(week.describe()).toBe('thứ Hai đến thứ Sáu, 8:00–12:00 và 13:00–17:00; thứ Bảy, 8:00–12:00');
    expect(OfficeHours.parse('Sat-Sun 07:30-11:30; Wed 13:00-17:00').describe()).toBe('thứ Tư, 13:00–17:00; thứ Bảy, Chủ nhật, 7:30–11:30');
  });

  it('renders a moment relative to now: today, tomorrow, a later day', () => {
    const now = hanoi('2025-06-02T23:59:30');
    expect(hours.describeMoment(hanoi('2025-06-03T08:00:00'), now)).toBe('8:00 ngày mai, thứ Ba');
    expect(hours.describeMoment(hanoi('2025-06-03T08:00:00'), hanoi('2025-06-03T00:00:10'))).toBe('8:00 hôm nay');
    expect(hours.describeMoment(hanoi('2025-06-09T08:00:00'), hanoi('2025-06-06T18:00:00'))).toBe('8:00 thứ Hai, 09/06');
    expect(hours.describeMoment(hanoi('2025-06-09T08:00:00'), hanoi('2025-06-06T18:00:00'), 'en')).toBe('8:00 on Monday 09/06');
    expect(hours.describeMoment(hanoi('2025-06-03T13:00:00'), now, 'en')).toBe('13:00 tomorrow, Tuesday');
  });
});
