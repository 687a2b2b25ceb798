import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { PROCEDURE_CODE } from '../domain/procedure.js';
import { isIsoDate } from './hanoi-date.js';

/**
 * The city's weekly list of procedures accepted only online: citizens who come in person are
 * guided to submit online instead. Kept with dates because the list changes every week and an
 * answer must say what holds on the day it is given. `knowledge/online-only.json`, maintained
 * with `npm run cli -- online-only add|remove <code> --from <date>`.
 */
const isoDate = z.string().refine(isIsoDate, 'a date written YYYY-MM-DD');

export const OnlineOnlyEntry = z
  .object({
    code: z.string().regex(PROCEDURE_CODE, 'official code like 1.001193'),
    /** First day (Hanoi time) the procedure is accepted only online. */
    from: isoDate,
    /** First day it is accepted in person again; null while the rule stands. */
    to: isoDate.nullable().default(null),
    /** Where the rule comes from (the city's decision or weekly notice), for staff. */
    source: z.string().min(1).nullable().default(null),
  })
  .strict()
  .refine((e) => e.to === null || e.to > e.from, { message: '"to" must be after "from"', path: ['to'] });
export type OnlineOnlyEntry = z.infer<typeof OnlineOnlyEntry>;

export const OnlineOnlyFile = z
  .object({
    version: z.literal(1),
    description: z.string().optional(),
    entries: z.array(OnlineOnlyEntry),
  })
  .strict()
  .superRefine((f, ctx) => {
    // Two periods of the same code that overlap would make "since when" ambiguous.
    f.entries.forEach((a, i) => {
      f.entries.forEach((b, j) => {
        if (j <= i || a.code !== b.code) return;
        const overlap = (a.to === null || b.from < a.to) && (b.to === null || a.from < b.to);
        if (overlap) ctx.addIssue({ code: 'custom', path: ['entries', j], message: `overlaps entry ${i} for ${a.code}` });
      });
    });
  });
export type OnlineOnlyFile = z.infer<typeof OnlineOnlyFile>;

export const EMPTY_ONLINE_ONLY: OnlineOnlyFile = {
  version: 1,
  description:
    'Procedures the city accepts only online, with the dates the rule applies (from inclusive, to exclusive, Hanoi dates). Maintained with npm run cli -- online-only add|remove <code> --from <date>.',
  entries: [],
};

/** Parses the file's text; throws naming the file and the first problems. */
export function parseOnlineOnly(json: string, file = 'online-only.json'): OnlineOnlyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = OnlineOnlyFile.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** A missing file is an empty list; a broken one throws. */
export function loadOnlineOnly(file: string): OnlineOnlyFile {
  if (!existsSync(file)) return structuredClone(EMPTY_ONLINE_ONLY);
  return parseOnlineOnly(readFileSync(file, 'utf8'), file);
}

/** Writes through a temporary file and a rename, so a reader never sees half a list. */
export function saveOnlineOnly(file: string, list: OnlineOnlyFile): void {
  const checked = OnlineOnlyFile.parse(list);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, file);
}

/** The rule in force for `code` on `date` (YYYY-MM-DD), if any. */
export function onlineOnlyOn(list: OnlineOnlyFile, code: string, date: string): OnlineOnlyEntry | undefined {
  return list.entries.find((e) => e.code === code && e.from <= date && (e.to === null || date < e.to));
}

export type ListChange = { changed: true; list: OnlineOnlyFile; message: string } | { changed: false; message: string };

/**
 * Online-only from `from` on. An entry already covering that day is left as it is; one that
 * starts later is moved earlier, so adding the same week's list twice changes nothing.
 */
export function addOnlineOnly(list: OnlineOnlyFile, code: string, from: string, source: string | null = null): ListChange {
  if (onlineOnlyOn(list, code, from)) return { changed: false, message: `${code} is already online-only on ${from}` };
  const entries = list.entries.map((e) => ({ ...e }));
  const later = entries.find((e) => e.code === code && e.from > from);
  if (later) {
    later.from = from;
    if (source) later.source = source;
  } else {
    // An open period that ended before `from` stays in the history; the new one starts fresh.
    entries.push({ code, from, to: null, source });
  }
  const merged = mergeAdjacent(entries);
  return { changed: true, list: { ...list, entries: merged }, message: `${code} online-only from ${from}` };
}

/**
 * Accepted in person again from `from` on: the period in force that day ends there, and
 * periods that would only start later are dropped.
 */
export function removeOnlineOnly(list: OnlineOnlyFile, code: string, from: string): ListChange {
  let changed = false;
  const entries: OnlineOnlyEntry[] = [];
  for (const e of list.entries) {
    if (e.code !== code || (e.to !== null && e.to <= from)) {
      entries.push(e);
    } else if (e.from >= from) {
      changed = true; // starts on or after the day it is lifted: never takes effect
    } else {
      changed = true;
      entries.push({ ...e, to: from });
    }
  }
  if (!changed) return { changed: false, message: `${code} is not online-only on or after ${from}` };
  return { changed: true, list: { ...list, entries }, message: `${code} accepted in person again from ${from}` };
}

/** Joins periods of one code that touch, so the file stays short and readable. */
function mergeAdjacent(entries: OnlineOnlyEntry[]): OnlineOnlyEntry[] {
  const sorted = [...entries].sort((a, b) => a.code.localeCompare(b.code) || a.from.localeCompare(b.from));
  const out: OnlineOnlyEntry[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.code === e.code && last.to !== null && last.to >= e.from) {
      last.to = e.to === null || e.to > last.to ? e.to : last.to;
    } else {
      out.push({ ...e });
    }
  }
  return out;
}
