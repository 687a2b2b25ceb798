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
}

/**
 * The procedure catalogue. SQLite by default; a PostgreSQL store implements the same port.
 * A record arrives as one source's contribution; the store keeps each source's contribution
 * and the merged current record, and a new version only when the merged content changed.
 */
export interface CatalogueStore {
  get(id: string): Promise<Procedure | undefined>;
  /** Stores each record as `source`'s contribution to that code. */
  upsertMany(records: Procedure[], source: SourceRef): Promise<UpsertReport>;
  /**
   * Optional: several sources' contributions in one step, so a code that several sources bring
   * in the same run gets one new version, not one per source. Callers fall back to
   * `upsertMany` per source when a store lacks it.
   */
  upsertSources?(batches: SourceBatch[]): Promise<UpsertReport>;
  /** Every current record. */
  all(): AsyncIterable<Procedure>;
  count(): Promise<number>;
  versions(id: string): Promise<ProcedureVersion[]>;
  close(): Promise<void>;
}
