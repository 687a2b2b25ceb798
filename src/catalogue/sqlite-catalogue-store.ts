import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Procedure, type SourceRef } from '../domain/procedure.js';
import type { CatalogueStore, ProcedureVersion, SourceBatch, UpsertReport } from './catalogue-store.js';
import { contentHash } from './content-hash.js';
import { mergeProcedure } from './merge-procedure.js';
import { SQLITE_MIGRATIONS, type Migration } from './sqlite-migrations.js';

export type SqliteLocation = ':memory:' | { dataDir: string };

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
}

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

export class SqliteCatalogueStore implements CatalogueStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(location: SqliteLocation) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      mkdirSync(location.dataDir, { recursive: true });
      this.db = new Database(join(location.dataDir, 'catalogue.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('busy_timeout = 5000');
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
        `INSERT INTO procedure_versions (id, version, content_hash, record_json, ingested_at, current)
         VALUES (?, ?, ?, ?, ?, 1)`,
      ),
      page: this.db.prepare<[string, number], { record_json: string; id: string }>(
        'SELECT id, record_json FROM procedure_versions WHERE current = 1 AND id > ? ORDER BY id LIMIT ?',
      ),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM procedure_versions WHERE current = 1'),
      versions: this.db.prepare<[string], VersionRow>(
        'SELECT id, version, content_hash, ingested_at, current FROM procedure_versions WHERE id = ? ORDER BY version',
      ),
    };
  }

  async get(id: string): Promise<Procedure | undefined> {
    const row = this.stmt.current.get(id);
    return row ? (JSON.parse(row.record_json) as Procedure) : undefined;
  }

  async upsertMany(records: Procedure[], source: SourceRef): Promise<UpsertReport> {
    return this.upsertSources([{ source, records }]);
  }

  async upsertSources(batches: SourceBatch[]): Promise<UpsertReport> {
    // Validate before the transaction so a bad record cannot leave half a batch written.
    const prepared = batches.map((b) => ({
      source: b.source,
      records: b.records.map((r) => asContribution(Procedure.parse(r), b.source)),
    }));
    return this.db.transaction(() => {
      const now = new Date().toISOString();
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
      for (const id of touched) {
        const contributions = this.stmt.contributions.all(id).map((r) => JSON.parse(r.record_json) as Procedure);
        const merged = mergeProcedure(contributions);
        const hash = contentHash(merged);
        const current = this.stmt.current.get(id);
        if (current && current.content_hash === hash) {
          report.unchanged.push(id);
          continue;
        }
        const stored: Procedure = { ...merged, contentHash: hash, ingestedAt: now };
        if (current) this.stmt.retire.run(id);
        this.stmt.insertVersion.run(id, (current?.version ?? 0) + 1, hash, JSON.stringify(stored), now);
        (current ? report.changed : report.added).push(id);
      }
      return report;
    })();
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

  async count(): Promise<number> {
    return this.stmt.count.get()!.n;
  }

  async versions(id: string): Promise<ProcedureVersion[]> {
    return this.stmt.versions.all(id).map((r) => ({
      id: r.id,
      version: r.version,
      contentHash: r.content_hash,
      ingestedAt: r.ingested_at,
      current: r.current === 1,
    }));
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
