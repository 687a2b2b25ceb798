import type { Procedure, SourceRef } from '../domain/procedure.js';

/** What one upsert did to the catalogue. */
export interface UpsertReport {
  added: string[];
  changed: string[];
  unchanged: string[];
}

/** One source's records, for stores that can take several sources in one step. */
export interface SourceBatch {
  source: SourceRef;
  records: Procedure[];
}

/** One stored version of a procedure; the newest has `current: true`. */
export interface ProcedureVersion {
  id: string;
  version: number;
  contentHash: string;
  ingestedAt: string;
  current: boolean;
  /** The run that wrote it; 0 for versions stored before runs were recorded. */
  runId?: number;
  /** True when written by an explicit withdrawal. */
  withdrawn?: boolean;
}

/**
 * What wrote a run's versions: an ingest (`runIngest`), a withdrawal or a direct store call
 * made outside any run (each such call gets a run of its own), or `legacy` (run 0: versions
 * stored before runs were recorded).
 */
export type RunKind = 'ingest' | 'withdraw' | 'direct' | 'legacy';

/** One recorded run. Run ids increase; runs are assumed not to overlap. */
export interface IngestRun {
  id: number;
  kind: RunKind;
  startedAt: string;
  /** Null while the run is going on, or when it died before finishing. */
  finishedAt: string | null;
  paths: string[];
  /** Codes that got their first version in this run. */
  added: number;
  /** Codes that got a new version (other than a withdrawal) in this run. */
  changed: number;
  /** Codes withdrawn in this run. */
  removed: number;
  /** Codes this run brought whose merged record did not change. */
  unchanged: number | null;
  /** As reported by the caller at finish; null when it did not say. */
  rejected: number | null;
  error: string | null;
}

/**
 * What the caller knows at the end of a run that the store cannot count itself (the store
 * counts added, changed, unchanged and removed codes as it writes them).
 */
export interface RunReport {
  /** Records or files the caller refused before they reached the store. */
  rejected: number;
  /** Set when the run failed part way; versions written before the failure stay. */
  error?: string;
}

export interface WriteOptions {
  /** The run this write belongs to; without it the store records a run for this call alone. */
  runId?: number;
}

/** A version's bookkeeping without its record; cheap to list for every code. */
export interface VersionHead {
  id: string;
  version: number;
  contentHash: string;
  runId: number;
  ingestedAt: string;
  /** YYYY-MM-DD or null (see effective-dates.ts). */
  effectiveFrom: string | null;
  effectiveTo: string | null;
  withdrawn: boolean;
}

/** A code whose version in force is a change (not the first version), for "vừa được cập nhật". */
export interface RecentChange {
  id: string;
  /** The version's ingest time, or its effective-from day when that is later and already reached. */
  changedAt: string;
  version: number;
  /** Fields that differ from the previous version (see field-changes.ts). */
  fields: string[];
}

/**
 * The procedure catalogue. SQLite by default; a PostgreSQL store implements the same port.
 * A record arrives as one source's contribution; the store keeps each source's contribution
 * and the merged current record, and a new version only when the merged content changed.
 *
 * The methods marked optional are implemented by the SQLite store; callers check for them so a
 * minimal store (a test fake, a read-only mirror) keeps working without runs or history.
 *
 * ## How a procedure leaves the catalogue
 *
 * Never because an ingest no longer brings its code: ingests are often partial (one ministry's
 * folder, one list), so absence proves nothing. A procedure stops being served when
 * - its merged record carries an `effectiveTo` that has passed (a source said so), or
 * - it is withdrawn explicitly with `withdraw(id, date)`: a new version whose `effectiveTo` is
 *   the day before `date`. The withdrawal is remembered apart from the sources, so a later
 *   ingest that still lists the code does not bring it back; `reinstate(id)` does.
 * Old versions are never deleted.
 */
export interface CatalogueStore {
  get(id: string): Promise<Procedure | undefined>;
  /** Stores each record as `source`'s contribution to that code. */
  upsertMany(records: Procedure[], source: SourceRef, options?: WriteOptions): Promise<UpsertReport>;
  /**
   * Optional: several sources' contributions in one step, so a code that several sources bring
   * in the same run gets one new version, not one per source. Callers fall back to
   * `upsertMany` per source when a store lacks it.
   */
  upsertSources?(batches: SourceBatch[], options?: WriteOptions): Promise<UpsertReport>;
  /** Every current record (the newest version of each code, whatever its effective dates). */
  all(): AsyncIterable<Procedure>;
  count(): Promise<number>;
  versions(id: string): Promise<ProcedureVersion[]>;
  close(): Promise<void>;

  /** Optional: starts recording a run and returns its id. */
  beginRun?(paths: string[], kind?: RunKind): Promise<number>;
  /** Optional: marks the run finished with what only the caller knows. */
  finishRun?(id: number, report: RunReport): Promise<void>;
  /** Optional: every recorded run, oldest first. */
  runs?(): Promise<IngestRun[]>;
  /**
   * Optional: withdraws a code from `date` on (the first day it is no longer in force; a Date
   * is read as its Vietnamese calendar day). Returns the version written, or undefined when the
   * record already ended before that day. Throws for an unknown code.
   */
  withdraw?(id: string, date: string | Date, runId?: number): Promise<ProcedureVersion | undefined>;
  /** Optional: forgets a withdrawal and stores the sources' merge again. */
  reinstate?(id: string, runId?: number): Promise<ProcedureVersion | undefined>;
  /** Optional: for each code, the newest version written by run `runId` or an earlier one. */
  headsAfterRun?(runId: number): Promise<VersionHead[]>;
  /** Optional: one stored version's record. */
  getVersion?(id: string, version: number): Promise<Procedure | undefined>;
  /**
   * Optional: the records in force on `date`'s Vietnamese calendar day, one per code, ordered
   * by code. See `inForceVersion` in sqlite-catalogue-store.ts for the rule.
   */
  allAsOf?(date: Date): AsyncIterable<Procedure>;
  /** Optional: every code the catalogue holds (in force or not), without reading the records. */
  codes?(): Promise<string[]>;
  /** Optional: codes whose version in force at `now` is a change made at or after `since`. */
  recentChanges?(since: Date, now?: Date): Promise<RecentChange[]>;
}
