import type Database from 'better-sqlite3';
import { openSqliteDatabase, type SqliteLocation } from '../sqlite/open-sqlite-database.js';
import { Procedure, type SourceRef } from '../domain/procedure.js';
import type {
  CatalogueStore, IngestRun, ProcedureVersion, RecentChange, RunKind, RunReport, SourceBatch, UpsertReport,
  VersionHead, WriteOptions,
} from './catalogue-store.js';
import { contentHash } from './content-hash.js';
import { dayBefore, effectiveDay, startOfVietnamDay, vietnamDay } from './effective-dates.js';
import { changedFields } from './field-changes.js';
import { mergeProcedure } from './merge-procedure.js';
import { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';

export type { SqliteLocation } from '../sqlite/open-sqlite-database.js';

interface SourceRow {
  source_file: string;
  content_hash: string;
}
interface VersionRow {
  id: string;
  version: number;
  content_hash: string;
  ingested_at: string;
  current: number;
  run_id: number | null;
  withdrawn: number;
}
interface HeadRow {
  id: string;
  version: number;
  content_hash: string;
  run_id: number | null;
  ingested_at: string;
  effective_from: string | null;
  effective_to: string | null;
  withdrawn: number;
}
interface RunRow {
  id: number;
  kind: RunKind;
  started_at: string;
  finished_at: string | null;
  paths_json: string;
  added: number;
  changed: number;
  removed: number;
  unchanged: number | null;
  rejected: number | null;
  error: string | null;
}
type Outcome = 'added' | 'changed' | 'unchanged';

/** Rows fetched per page by `all()`; keeps memory flat and the connection free between pages. */
const PAGE_SIZE = 500;

export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = SQLITE_MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied: number[] = [];
  // IMMEDIATE takes the write lock first, so two processes opening a fresh file cannot both
  // decide that version 1 is missing.
  db.transaction(() => {
    const done = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
    );
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      applied.push(m.version);
    }
  }).immediate();
  return applied;
}

/**
 * The version of each code in force on a day (`@day`, YYYY-MM-DD), as SQL over the
 * `effective_from` / `effective_to` columns.
 *
 * ## Rule
 *
 * 1. Take the newest version whose effective-from is null or ≤ the day: a newer version that
 *    takes effect later does not replace the one in force.
 * 2. Serve it unless it, or any newer version, has an effective-to before the day (both bounds
 *    are inclusive days, see effective-dates.ts). Checking the newer versions too matters: a
 *    withdrawal written on top of a not-yet-effective amendment must still end the procedure,
 *    and an older version must never come back because the newest one expired. So this
 *    deliberately differs from "the newest version whose own dates cover the day".
 * 3. Codes with no version served are left out.
 */
const IN_FORCE = `
  WITH applicable AS (
    SELECT id, MAX(version) AS version FROM procedure_versions
    WHERE (effective_from IS NULL OR effective_from <= @day) AND id > @after
    GROUP BY id
  )
  SELECT v.id, v.version, v.content_hash, v.run_id, v.ingested_at, v.effective_from, v.effective_to, v.withdrawn,
    COLUMNS
  FROM applicable a JOIN procedure_versions v ON v.id = a.id AND v.version = a.version
  WHERE NOT EXISTS (
    SELECT 1 FROM procedure_versions w WHERE w.id = a.id AND w.version >= a.version AND w.effective_to < @day
  )
  ORDER BY a.id`;

export class SqliteCatalogueStore implements CatalogueStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(location: SqliteLocation) {
    this.db = openSqliteDatabase(location, 'catalogue.sqlite');
    applyMigrations(this.db);
    this.stmt = {
      getSource: this.db.prepare<[string, string], SourceRow>(
        'SELECT source_file, content_hash FROM procedure_sources WHERE id = ? AND source_kind = ?',
      ),
      putSource: this.db.prepare(
        `INSERT INTO procedure_sources (id, source_kind, source_file, content_hash, record_json, ingested_at)
         VALUES (@id, @kind, @file, @hash, @json, @at)
         ON CONFLICT (id, source_kind) DO UPDATE SET source_file = excluded.source_file,
           content_hash = excluded.content_hash, record_json = excluded.record_json, ingested_at = excluded.ingested_at`,
      ),
      contributions: this.db.prepare<[string], { record_json: string }>(
        // Ordered by time written so the latest contribution of a kind is last, as merge expects.
        'SELECT record_json FROM procedure_sources WHERE id = ? ORDER BY ingested_at, source_kind',
      ),
      current: this.db.prepare<[string], { version: number; content_hash: string; record_json: string }>(
        'SELECT version, content_hash, record_json FROM procedure_versions WHERE id = ? AND current = 1',
      ),
      retire: this.db.prepare('UPDATE procedure_versions SET current = 0 WHERE id = ? AND current = 1'),
      insertVersion: this.db.prepare(
        `INSERT INTO procedure_versions
           (id, version, content_hash, record_json, ingested_at, current, run_id, effective_from, effective_to, withdrawn)
         VALUES (@id, @version, @hash, @json, @at, 1, @run, @from, @to, @withdrawn)`,
      ),
      page: this.db.prepare<[string, number], { record_json: string; id: string }>(
        'SELECT id, record_json FROM procedure_versions WHERE current = 1 AND id > ? ORDER BY id LIMIT ?',
      ),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM procedure_versions WHERE current = 1'),
      codes: this.db.prepare<[], { id: string }>('SELECT id FROM procedure_versions WHERE current = 1'),
      versions: this.db.prepare<[string], VersionRow>(
        `SELECT id, version, content_hash, ingested_at, current, run_id, withdrawn
         FROM procedure_versions WHERE id = ? ORDER BY version`,
      ),
      version: this.db.prepare<[string, number], { record_json: string }>(
        'SELECT record_json FROM procedure_versions WHERE id = ? AND version = ?',
      ),
      inForcePage: this.db.prepare<{ day: string; after: string; limit: number }, HeadRow & { record_json: string }>(
        `${IN_FORCE.replace('COLUMNS', 'v.record_json')} LIMIT @limit`,
      ),
      inForceHeads: this.db.prepare<{ day: string; after: string }, HeadRow>(IN_FORCE.replace(',\n    COLUMNS', '')),
      headsAfterRun: this.db.prepare<[number], HeadRow>(
        `SELECT v.id, v.version, v.content_hash, v.run_id, v.ingested_at, v.effective_from, v.effective_to, v.withdrawn
         FROM procedure_versions v
         JOIN (SELECT id, MAX(version) AS version FROM procedure_versions WHERE COALESCE(run_id, 0) <= ? GROUP BY id) m
           ON m.id = v.id AND m.version = v.version
         ORDER BY v.id`,
      ),
      beginRun: this.db.prepare('INSERT INTO ingest_runs (kind, started_at, paths_json) VALUES (?, ?, ?)'),
      runExists: this.db.prepare<[number], { id: number }>('SELECT id FROM ingest_runs WHERE id = ?'),
      tally: this.db.prepare(
        `UPDATE ingest_runs SET added = added + @added, changed = changed + @changed, removed = removed + @removed,
           unchanged = COALESCE(unchanged, 0) + @unchanged WHERE id = @id`,
      ),
      finishRun: this.db.prepare(
        'UPDATE ingest_runs SET finished_at = @at, rejected = @rejected, error = @error WHERE id = @id',
      ),
      runs: this.db.prepare<[], RunRow>('SELECT * FROM ingest_runs ORDER BY id'),
      withdrawal: this.db.prepare<[string], { effective_to: string }>(
        'SELECT effective_to FROM procedure_withdrawals WHERE id = ?',
      ),
      putWithdrawal: this.db.prepare(
        `INSERT INTO procedure_withdrawals (id, effective_to, run_id, withdrawn_at) VALUES (@id, @to, @run, @at)
         ON CONFLICT (id) DO UPDATE SET effective_to = excluded.effective_to, run_id = excluded.run_id,
           withdrawn_at = excluded.withdrawn_at`,
      ),
      dropWithdrawal: this.db.prepare('DELETE FROM procedure_withdrawals WHERE id = ?'),
    };
  }

  async get(id: string): Promise<Procedure | undefined> {
    const row = this.stmt.current.get(id);
    return row ? (JSON.parse(row.record_json) as Procedure) : undefined;
  }

  async upsertMany(records: Procedure[], source: SourceRef, options: WriteOptions = {}): Promise<UpsertReport> {
    return this.upsertSources([{ source, records }], options);
  }

  async upsertSources(batches: SourceBatch[], options: WriteOptions = {}): Promise<UpsertReport> {
    // Validate before the transaction so a bad record cannot leave half a batch written.
    const prepared = batches.map((b) => ({
      source: b.source,
      records: b.records.map((r) => asContribution(Procedure.parse(r), b.source)),
    }));
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const runId = this.runFor(options.runId, 'direct', now);
      const touched: string[] = [];
      const seen = new Set<string>();
      for (const { source, records } of prepared) {
        for (const record of records) {
          if (!seen.has(record.id)) {
            seen.add(record.id);
            touched.push(record.id);
          }
          const hash = contentHash(record);
          const file = record.sources[0]!.file;
          const existing = this.stmt.getSource.get(record.id, source.kind);
          if (existing && existing.content_hash === hash && existing.source_file === file) continue;
          this.stmt.putSource.run({
            id: record.id, kind: source.kind, file, hash, json: JSON.stringify(record), at: now,
          });
        }
      }
      const report: UpsertReport = { added: [], changed: [], unchanged: [] };
      for (const id of touched) report[this.storeMerge(id, now, runId)].push(id);
      this.tally(runId, { added: report.added.length, changed: report.changed.length, unchanged: report.unchanged.length });
      if (options.runId === undefined) this.stmt.finishRun.run({ id: runId, at: now, rejected: 0, error: null });
      return report;
    })();
  }

  /**
   * Merges the code's contributions, applies a standing withdrawal, and writes a version when
   * the result differs from the current one.
   */
  private storeMerge(id: string, now: string, runId: number): Outcome {
    const contributions = this.stmt.contributions.all(id).map((r) => JSON.parse(r.record_json) as Procedure);
    let merged = mergeProcedure(contributions);
    const withdrawal = this.stmt.withdrawal.get(id);
    if (withdrawal) {
      const own = effectiveDay(merged.effectiveTo);
      // A source may end the procedure even earlier than the withdrawal; the earlier end wins.
      if (own === null || own > withdrawal.effective_to) merged = { ...merged, effectiveTo: withdrawal.effective_to };
    }
    const hash = contentHash(merged);
    const current = this.stmt.current.get(id);
    if (current && current.content_hash === hash) return 'unchanged';
    this.writeVersion({ ...merged, contentHash: hash, ingestedAt: now }, (current?.version ?? 0) + 1, runId, !!withdrawal);
    return current ? 'changed' : 'added';
  }

  private writeVersion(record: Procedure, version: number, runId: number, withdrawn: boolean): void {
    if (version > 1) this.stmt.retire.run(record.id);
    this.stmt.insertVersion.run({
      id: record.id,
      version,
      hash: record.contentHash,
      json: JSON.stringify(record),
      at: record.ingestedAt,
      run: runId,
      from: effectiveDay(record.effectiveFrom),
      to: effectiveDay(record.effectiveTo),
      withdrawn: withdrawn ? 1 : 0,
    });
  }

  /** The given run, or a new run of `kind` for a write made outside any run. */
  private runFor(runId: number | undefined, kind: RunKind, now: string, paths: string[] = []): number {
    if (runId === undefined) return Number(this.stmt.beginRun.run(kind, now, JSON.stringify(paths)).lastInsertRowid);
    if (!this.stmt.runExists.get(runId)) throw new Error(`unknown ingest run ${runId}`);
    return runId;
  }

  private tally(runId: number, n: { added?: number; changed?: number; removed?: number; unchanged?: number }): void {
    this.stmt.tally.run({ id: runId, added: n.added ?? 0, changed: n.changed ?? 0, removed: n.removed ?? 0, unchanged: n.unchanged ?? 0 });
  }

  async *all(): AsyncIterable<Procedure> {
    let after = '';
    for (;;) {
      const rows = this.stmt.page.all(after, PAGE_SIZE);
      for (const row of rows) yield JSON.parse(row.record_json) as Procedure;
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  async *allAsOf(date: Date): AsyncIterable<Procedure> {
    const day = vietnamDay(date);
    let after = '';
    for (;;) {
      const rows = this.stmt.inForcePage.all({ day, after, limit: PAGE_SIZE });
      for (const row of rows) yield JSON.parse(row.record_json) as Procedure;
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * `changedAt` is when the change reached the catalogue (the version's ingest time), except
   * when the record's effective-from day is later than that and already reached: a change
   * published ahead of time is news to citizens on the day it takes effect, not the day we
   * stored it. Such a day is given as the start of that day in Vietnam.
   */
  async recentChanges(since: Date, now: Date = new Date()): Promise<RecentChange[]> {
    const day = vietnamDay(now);
    const out: RecentChange[] = [];
    for (const head of this.stmt.inForceHeads.all({ day, after: '' })) {
      if (head.version < 2) continue;
      const ingested = new Date(head.ingested_at);
      const from = head.effective_from;
      const changedAt = from !== null && from > vietnamDay(ingested) && from <= day ? startOfVietnamDay(from) : ingested;
      if (changedAt.getTime() < since.getTime()) continue;
      const before = this.stmt.version.get(head.id, head.version - 1);
      const after = this.stmt.version.get(head.id, head.version);
      const fields = before && after
        ? changedFields(JSON.parse(before.record_json) as Procedure, JSON.parse(after.record_json) as Procedure)
        : [];
      out.push({ id: head.id, changedAt: changedAt.toISOString(), version: head.version, fields });
    }
    return out.sort((a, b) => (a.changedAt < b.changedAt ? 1 : a.changedAt > b.changedAt ? -1 : a.id < b.id ? -1 : 1));
  }

  async count(): Promise<number> {
    return this.stmt.count.get()!.n;
  }

  async codes(): Promise<string[]> {
    return this.stmt.codes.all().map((r) => r.id);
  }

  async versions(id: string): Promise<ProcedureVersion[]> {
    return this.stmt.versions.all(id).map((r) => ({
      id: r.id,
      version: r.version,
      contentHash: r.content_hash,
      ingestedAt: r.ingested_at,
      current: r.current === 1,
      runId: r.run_id ?? 0,
      withdrawn: r.withdrawn === 1,
    }));
  }

  async getVersion(id: string, version: number): Promise<Procedure | undefined> {
    const row = this.stmt.version.get(id, version);
    return row ? (JSON.parse(row.record_json) as Procedure) : undefined;
  }

  async headsAfterRun(runId: number): Promise<VersionHead[]> {
    return this.stmt.headsAfterRun.all(runId).map((r) => ({
      id: r.id,
      version: r.version,
      contentHash: r.content_hash,
      runId: r.run_id ?? 0,
      ingestedAt: r.ingested_at,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      withdrawn: r.withdrawn === 1,
    }));
  }

  async beginRun(paths: string[], kind: RunKind = 'ingest'): Promise<number> {
    return Number(this.stmt.beginRun.run(kind, new Date().toISOString(), JSON.stringify(paths)).lastInsertRowid);
  }

  async finishRun(id: number, report: RunReport): Promise<void> {
    const r = this.stmt.finishRun.run({ id, at: new Date().toISOString(), rejected: report.rejected, error: report.error ?? null });
    if (r.changes === 0) throw new Error(`unknown ingest run ${id}`);
  }

  async runs(): Promise<IngestRun[]> {
    return this.stmt.runs.all().map((r) => ({
      id: r.id,
      kind: r.kind,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      paths: JSON.parse(r.paths_json) as string[],
      added: r.added,
      changed: r.changed,
      removed: r.removed,
      unchanged: r.unchanged,
      rejected: r.rejected,
      error: r.error,
    }));
  }

  async withdraw(id: string, date: string | Date, runId?: number): Promise<ProcedureVersion | undefined> {
    const from = typeof date === 'string' ? effectiveDay(date) : vietnamDay(date);
    if (!from) throw new Error(`not a date: ${String(date)}`);
    const lastDay = dayBefore(from);
    const written = this.db.transaction((): number | undefined => {
      const current = this.stmt.current.get(id);
      if (!current) throw new Error(`unknown procedure code ${id}`);
      const now = new Date().toISOString();
      const run = this.runFor(runId, 'withdraw', now);
      this.stmt.putWithdrawal.run({ id, to: lastDay, run, at: now });
      const record = JSON.parse(current.record_json) as Procedure;
      const own = effectiveDay(record.effectiveTo);
      let version: number | undefined;
      if (own === null || own > lastDay) {
        const next: Procedure = { ...record, effectiveTo: lastDay, ingestedAt: now };
        next.contentHash = contentHash(next);
        version = current.version + 1;
        this.writeVersion(next, version, run, true);
        this.tally(run, { removed: 1 });
      }
      if (runId === undefined) this.stmt.finishRun.run({ id: run, at: now, rejected: 0, error: null });
      return version;
    })();
    return written === undefined ? undefined : (await this.versions(id)).find((v) => v.version === written);
  }

  async reinstate(id: string, runId?: number): Promise<ProcedureVersion | undefined> {
    const outcome = this.db.transaction((): Outcome | undefined => {
      if (!this.stmt.withdrawal.get(id)) return undefined;
      const now = new Date().toISOString();
      const run = this.runFor(runId, 'direct', now);
      this.stmt.dropWithdrawal.run(id);
      const result = this.stmt.contributions.all(id).length > 0 ? this.storeMerge(id, now, run) : 'unchanged';
      this.tally(run, result === 'changed' ? { changed: 1 } : { unchanged: 1 });
      if (runId === undefined) this.stmt.finishRun.run({ id: run, at: now, rejected: 0, error: null });
      return result;
    })();
    if (outcome !== 'changed') return undefined;
    return (await this.versions(id)).find((v) => v.current);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * The stored contribution speaks for exactly one kind of source: its refs of that kind come
 * first (the merge reads the kind from the first ref), and a record that names none gets the
 * batch's ref.
 */
function asContribution(record: Procedure, source: SourceRef): Procedure {
  const own = record.sources.filter((s) => s.kind === source.kind);
  return { ...record, sources: own.length > 0 ? own : [source], contentHash: '', ingestedAt: '' };
}

/** The default embedded catalogue: `${dataDir}/catalogue.sqlite`. */
export function openCatalogueStore(dataDir: string): SqliteCatalogueStore {
  return new SqliteCatalogueStore({ dataDir });
}
