import type { Procedure } from '../domain/procedure.js';
import type { CatalogueStore, IngestRun, VersionHead } from './catalogue-store.js';
import { endedBefore, endOfVietnamDay, vietnamDay } from './effective-dates.js';
import { fieldChanges, type FieldChange } from './field-changes.js';

/**
 * What changed in the catalogue between the state after one ingest run and the state after
 * another.
 *
 * - "The state after run R" is, for each code, the newest version written by R or an earlier
 *   run: the stored merged record, not the one in force on some day (a version that takes
 *   effect next month already counts as a change).
 * - A code is *present* in a state unless its record's effective-to is a day before that
 *   state's day (the run's finish time, in Vietnam). So an explicit withdrawal, or a source that
 *   ends the procedure, shows as *removed*; an end date still to come shows as a change of
 *   `effectiveTo`. A code an ingest merely did not bring is neither (ingests are partial).
 * - Changed codes list every content field that differs (see field-changes.ts).
 *
 * A run is named by its id, by `latest`, or by an ISO date or timestamp: the last run finished
 * at or before that time; a date alone means the end of that day in Vietnam. Run 0 is the
 * versions stored before runs were recorded, or an empty catalogue when there were none.
 */

export type RunSelector = number | string;

export interface ResolvedRun {
  id: number;
  /** The run as recorded; absent for run 0 of a catalogue that never had legacy data. */
  run?: IngestRun;
  /** The day codes are checked for having ended (YYYY-MM-DD, Vietnam). */
  day: string;
}

export interface DiffAdded {
  id: string;
  name: string;
  version: number;
}

export interface DiffChanged {
  id: string;
  name: string;
  fromVersion: number;
  toVersion: number;
  changes: FieldChange[];
}

export interface DiffRemoved {
  id: string;
  name: string;
  /** `withdrawn`: an explicit withdrawal; `expired`: the record's own effective-to passed. */
  reason: 'withdrawn' | 'expired' | 'absent';
  effectiveTo: string | null;
  version: number | null;
}

export interface CatalogueDiff {
  from: ResolvedRun;
  to: ResolvedRun;
  added: DiffAdded[];
  changed: DiffChanged[];
  removed: DiffRemoved[];
  /** Codes present in both states with the same content. */
  unchanged: number;
}

/** A run that cannot be found, or a selector that names none. Message in Vietnamese for users. */
export class RunSelectorError extends Error {}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/u;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T/u;

function requireHistory(store: CatalogueStore): Required<Pick<CatalogueStore, 'runs' | 'headsAfterRun' | 'getVersion'>> {
  const { runs, headsAfterRun, getVersion } = store;
  if (!runs || !headsAfterRun || !getVersion) throw new Error('this catalogue store keeps no run history');
  return { runs: runs.bind(store), headsAfterRun: headsAfterRun.bind(store), getVersion: getVersion.bind(store) };
}

function stateDay(run: IngestRun | undefined): string {
  const at = run?.finishedAt ?? run?.startedAt;
  return vietnamDay(at ? new Date(at) : new Date());
}

/** Finds the run a selector names among `runs` (oldest first). */
export function resolveRun(selector: RunSelector, runs: readonly IngestRun[]): ResolvedRun {
  const text = String(selector).trim();
  let run: IngestRun | undefined;
  if (/^\d+$/u.test(text)) {
    const id = Number(text);
    run = runs.find((r) => r.id === id);
    if (!run && id !== 0) throw new RunSelectorError(`Không có lần nạp số ${id}`);
    return { id, ...(run ? { run } : {}), day: stateDay(run) };
  }
  if (text.toLowerCase() === 'latest') {
    run = runs[runs.length - 1];
    if (!run) throw new RunSelectorError('Chưa có lần nạp nào');
    return { id: run.id, run, day: stateDay(run) };
  }
  if (DATE_ONLY.test(text) || TIMESTAMP.test(text)) {
    const at = DATE_ONLY.test(text) ? endOfVietnamDay(text) : new Date(text);
    if (Number.isNaN(at.getTime())) throw new RunSelectorError(`Ngày giờ không hợp lệ: ${text}`);
    const done = runs.filter((r) => r.finishedAt !== null && new Date(r.finishedAt).getTime() <= at.getTime());
    run = done[done.length - 1];
    if (!run) throw new RunSelectorError(`Không có lần nạp nào xong trước ${text}`);
    return { id: run.id, run, day: stateDay(run) };
  }
  throw new RunSelectorError(`"${text}" không phải số lần nạp, "latest" hay ngày ISO (2025-03-01)`);
}

function present(head: VersionHead | undefined, day: string): boolean {
  return !!head && !endedBefore(head.effectiveTo, day);
}

/** Compares the catalogue after run `from` with the catalogue after run `to`. */
export async function diffRuns(store: CatalogueStore, from: RunSelector, to: RunSelector): Promise<CatalogueDiff> {
  const history = requireHistory(store);
  const runs = await history.runs();
  const a = resolveRun(from, runs);
  const b = resolveRun(to, runs);
  const before = new Map((await history.headsAfterRun(a.id)).map((h) => [h.id, h]));
  const after = new Map((await history.headsAfterRun(b.id)).map((h) => [h.id, h]));
  const load = async (h: VersionHead): Promise<Procedure> => {
    const record = await history.getVersion(h.id, h.version);
    if (!record) throw new Error(`version ${h.version} of ${h.id} is missing`);
    return record;
  };

  const diff: CatalogueDiff = { from: a, to: b, added: [], changed: [], removed: [], unchanged: 0 };
  const codes = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const id of codes) {
    const x = before.get(id);
    const y = after.get(id);
    const wasThere = present(x, a.day);
    const isThere = present(y, b.day);
    if (!wasThere && isThere && y) {
      diff.added.push({ id, name: (await load(y)).name, version: y.version });
    } else if (wasThere && !isThere && x) {
      const last = y ?? x;
      diff.removed.push({
        id,
        name: (await load(last)).name,
        reason: !y ? 'absent' : y.withdrawn ? 'withdrawn' : 'expired',
        effectiveTo: y?.effectiveTo ?? null,
        version: y?.version ?? null,
      });
    } else if (wasThere && isThere && x && y) {
      if (x.contentHash === y.contentHash) {
        diff.unchanged++;
        continue;
      }
      const [old, now] = [await load(x), await load(y)];
      diff.changed.push({ id, name: now.name, fromVersion: x.version, toVersion: y.version, changes: fieldChanges(old, now) });
    }
  }
  return diff;
}
