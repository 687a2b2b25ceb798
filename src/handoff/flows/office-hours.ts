import type { Language } from '../../domain/answer.js';

/**
 * When the Center's officers answer, from `OFFICE_HOURS`, always in Hanoi time (UTC+7, no
 * daylight saving), whatever the server's own zone: a container in UTC must not open the
 * console at 01:00 Hanoi time.
 *
 * Format: groups separated by `;`, each `<days> <windows>`: days `Mon`..`Sun` (case-insensitive),
 * single or ranges, comma-separated (`Mon-Fri`, `Mon,Wed,Fri`, `Fri-Mon` wraps); windows
 * `HH:MM-HH:MM`, comma-separated, end after start, `24:00` allowed as an end. Example:
 * `Mon-Fri 08:00-12:00,13:00-17:00; Sat 08:00-12:00`.
 *
 * Public holidays: not in `OFFICE_HOURS`. A list of closed Hanoi dates (`YYYY-MM-DD`) can be
 * passed as `closedDates`; nothing reads one from the configuration yet.
 */

const HANOI_OFFSET_MS = 7 * 60 * 60_000;
const MINUTES_PER_DAY = 24 * 60;
const DAY_CODES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Day names for rendering, Monday first. */
const DAY_NAMES: Record<Language, readonly string[]> = {
  vi: ['thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
};
const WORDS: Record<Language, { to: string; and: string; today: string; tomorrow: string }> = {
  vi: { to: 'đến', and: 'và', today: 'hôm nay', tomorrow: 'ngày mai' },
  en: { to: 'to', and: 'and', today: 'today', tomorrow: 'tomorrow' },
};

/** A window within one day, in minutes after Hanoi midnight: [start, end). */
export interface OfficeWindow {
  start: number;
  end: number;
}

export class OfficeHoursError extends Error {
  constructor(message: string) {
    super(`OFFICE_HOURS: ${message}`);
    this.name = 'OfficeHoursError';
  }
}

export class OfficeHours {
  /** Windows per day, Monday = 0 … Sunday = 6, sorted, not overlapping. */
  readonly days: readonly (readonly OfficeWindow[])[];
  private readonly closed: ReadonlySet<string>;

  constructor(days: readonly (readonly OfficeWindow[])[], options: { closedDates?: readonly string[] } = {}) {
    if (days.length !== 7) throw new OfficeHoursError('seven days expected');
    this.days = days.map((w) => [...w].sort((a, b) => a.start - b.start));
    for (const date of options.closedDates ?? []) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new OfficeHoursError(`closed date "${date}" is not YYYY-MM-DD`);
    }
    this.closed = new Set(options.closedDates ?? []);
  }

  static parse(spec: string, options: { closedDates?: readonly string[] } = {}): OfficeHours {
    return new OfficeHours(parseOfficeHours(spec), options);
  }

  /** True when officers are at work at `now` (Hanoi time). */
  isOpen(now: Date): boolean {
    const local = hanoiParts(now);
    if (this.closed.has(local.date)) return false;
    return (this.days[local.weekday] ?? []).some((w) => local.minute >= w.start && local.minute < w.end);
  }

  /** When officers are next at work: `now` itself while open, else the start of the next window; null if never. */
  nextOpening(now: Date): Date | null {
    if (this.isOpen(now)) return now;
    const local = hanoiParts(now);
    const midnight = now.getTime() - local.minute * 60_000 - (now.getTime() % 60_000);
    // Up to two weeks ahead: a week of windows plus a run of closed dates.
    for (let d = 0; d < 15; d++) {
      const dayStart = midnight + d * MINUTES_PER_DAY * 60_000;
      const day = hanoiParts(new Date(dayStart));
      if (this.closed.has(day.date)) continue;
      for (const w of this.days[day.weekday] ?? []) {
        const at = dayStart + w.start * 60_000;
        if (at > now.getTime()) return new Date(at);
      }
    }
    return null;
  }

  /** "thứ Hai đến thứ Sáu, 8:00–12:00 và 13:00–17:00; thứ Bảy, 8:00–12:00". */
  describe(language: Language = 'vi'): string {
    const groups: Array<{ from: number; to: number; windows: string }> = [];
    this.days.forEach((windows, day) => {
      if (windows.length === 0) return;
      const text = windows.map((w) => `${clock(w.start)}–${clock(w.end)}`).join(` ${WORDS[language].and} `);
      const last = groups.at(-1);
      if (last && last.to === day - 1 && last.windows === text) last.to = day;
      else groups.push({ from: day, to: day, windows: text });
    });
    const names = DAY_NAMES[language];
    return groups
      .map((g) => {
        const days =
          g.from === g.to
            ? names[g.from]
            : g.to === g.from + 1
              ? `${names[g.from]}, ${names[g.to]}`
              : `${names[g.from]} ${WORDS[language].to} ${names[g.to]}`;
        return `${days}, ${g.windows}`;
      })
      .join('; ');
  }

  /** A moment relative to `now`, in Hanoi time: "8:00 hôm nay", "8:00 ngày mai, thứ Ba", "8:00 thứ Hai, 12/05". */
  describeMoment(at: Date, now: Date, language: Language = 'vi'): string {
    const a = hanoiParts(at);
    const n = hanoiParts(now);
    const time = clock(a.minute);
    const words = WORDS[language];
    const dayName = DAY_NAMES[language][a.weekday] ?? '';
    if (a.date === n.date) return `${time} ${words.today}`;
    const tomorrow = hanoiParts(new Date(now.getTime() + MINUTES_PER_DAY * 60_000)).date;
    if (a.date === tomorrow) return `${time} ${words.tomorrow}, ${dayName}`;
    const [, month, day] = a.date.split('-');
    return language === 'en' ? `${time} on ${dayName} ${day}/${month}` : `${time} ${dayName}, ${day}/${month}`;
  }
}

/** Hanoi wall-clock parts of an instant. */
export function hanoiParts(at: Date): { date: string; weekday: number; minute: number } {
  const local = new Date(at.getTime() + HANOI_OFFSET_MS);
  return {
    date: local.toISOString().slice(0, 10),
    // getUTCDay: Sunday = 0; here Monday = 0.
    weekday: (local.getUTCDay() + 6) % 7,
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

function clock(minute: number): string {
  return `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}`;
}

/** Parses the `OFFICE_HOURS` format (see the file comment) into windows per day; throws `OfficeHoursError`. */
export function parseOfficeHours(spec: string): OfficeWindow[][] {
  const days: OfficeWindow[][] = DAY_CODES.map(() => []);
  const groups = spec.split(';').map((g) => g.trim()).filter((g) => g !== '');
  if (groups.length === 0) throw new OfficeHoursError('empty; expected e.g. "Mon-Fri 08:00-12:00,13:00-17:00"');
  for (const group of groups) {
    const match = /^(\S+)\s+(.+)$/.exec(group);
    if (!match) throw new OfficeHoursError(`"${group}": expected "<days> <HH:MM-HH:MM>[,…]", e.g. "Mon-Fri 08:00-17:00"`);
    const dayList = parseDays(match[1]!, group);
    const windows = match[2]!.split(',').map((w) => parseWindow(w.trim(), group));
    for (const day of dayList) {
      for (const w of windows) {
        const clash = days[day]!.find((o) => w.start < o.end && o.start < w.end);
        if (clash) {
          throw new OfficeHoursError(`"${group}": ${clock(w.start)}-${clock(w.end)} overlaps ${clock(clash.start)}-${clock(clash.end)} on ${DAY_CODES[day]}`);
        }
        days[day]!.push(w);
      }
    }
  }
  for (const d of days) d.sort((a, b) => a.start - b.start);
  return days;
}

function parseDays(text: string, group: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, extra] = part.split('-');
    if (extra !== undefined || !from) throw new OfficeHoursError(`"${group}": "${part}" is not a day or a day range like Mon-Fri`);
    const a = dayIndex(from, group);
    const b = to === undefined ? a : dayIndex(to, group);
    // Fri-Mon wraps over the weekend.
    for (let d = a; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === b) break;
    }
  }
  return [...out];
}

function dayIndex(code: string, group: string): number {
  const i = DAY_CODES.indexOf(code.trim().toLowerCase() as (typeof DAY_CODES)[number]);
  if (i < 0) throw new OfficeHoursError(`"${group}": unknown day "${code}" (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
  return i;
}

function parseWindow(text: string, group: string): OfficeWindow {
  const m = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) throw new OfficeHoursError(`"${group}": "${text}" is not a time range like 08:00-12:00`);
  const start = minuteOf(m[1]!, m[2]!, group, text, false);
  const end = minuteOf(m[3]!, m[4]!, group, text, true);
  if (end <= start) throw new OfficeHoursError(`"${group}": "${text}" ends before it starts (windows cannot cross midnight)`);
  return { start, end };
}

function minuteOf(h: string, m: string, group: string, text: string, isEnd: boolean): number {
  const hours = Number(h);
  const minutes = Number(m);
  const value = hours * 60 + minutes;
  if (minutes > 59 || hours > 24 || value > MINUTES_PER_DAY || (!isEnd && value === MINUTES_PER_DAY)) {
    throw new OfficeHoursError(`"${group}": "${text}" has an invalid time`);
  }
  return value;
}
