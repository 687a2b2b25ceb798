/**
 * Ordered schema migrations. Never edit a shipped entry: append a new one, since a database
 * that already applied version N will not run it again.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'procedure sources and versions',
    sql: `
      -- One row per (code, kind of source): what that source last said about the code.
      CREATE TABLE procedure_sources (
        id           TEXT NOT NULL,
        source_kind  TEXT NOT NULL,
        source_file  TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        record_json  TEXT NOT NULL,
        ingested_at  TEXT NOT NULL,
        PRIMARY KEY (id, source_kind)
      ) WITHOUT ROWID;

      -- Every merged record ever current; old versions stay for audit and rollback.
      CREATE TABLE procedure_versions (
        id           TEXT NOT NULL,
        version      INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        record_json  TEXT NOT NULL,
        ingested_at  TEXT NOT NULL,
        current      INTEGER NOT NULL CHECK (current IN (0, 1)),
        PRIMARY KEY (id, version)
      );

      -- At most one current version per code, and a fast ordered scan of current records.
      CREATE UNIQUE INDEX procedure_versions_current ON procedure_versions (id) WHERE current = 1;
    `,
  },
  {
    version: 2,
    name: 'ingest runs, version run and effective days, withdrawals',
    sql: `
      -- One row per ingest run (or per withdrawal / direct store call made outside a run).
      -- The store counts added/changed/removed/unchanged as it writes; the caller reports
      -- rejected records and errors when it finishes the run.
      CREATE TABLE ingest_runs (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        paths_json   TEXT NOT NULL,
        added        INTEGER NOT NULL DEFAULT 0,
        changed      INTEGER NOT NULL DEFAULT 0,
        removed      INTEGER NOT NULL DEFAULT 0,
        unchanged    INTEGER,
        rejected     INTEGER,
        error        TEXT
      );

      ALTER TABLE procedure_versions ADD COLUMN run_id INTEGER;
      -- Effective bounds as YYYY-MM-DD, copied out of record_json so "in force on a day" is a
      -- plain column comparison; NULL when the record has none or it cannot be read.
      ALTER TABLE procedure_versions ADD COLUMN effective_from TEXT;
      ALTER TABLE procedure_versions ADD COLUMN effective_to TEXT;
      -- 1 when the version was written by an explicit withdrawal.
      ALTER TABLE procedure_versions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;

      -- Versions stored before runs were recorded belong to a synthetic run 0.
      INSERT INTO ingest_runs (id, kind, started_at, finished_at, paths_json, added, changed)
        SELECT 0, 'legacy', MIN(ingested_at), MAX(ingested_at), '[]',
          SUM(version = 1), SUM(version > 1) FROM procedure_versions HAVING COUNT(*) > 0;
      UPDATE procedure_versions SET run_id = 0;
      UPDATE procedure_versions SET
        effective_from = (SELECT CASE
          WHEN x GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(x, 1, 10)
          WHEN x GLOB '[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]*' THEN substr(x, 7, 4) || '-' || substr(x, 4, 2) || '-' || substr(x, 1, 2)
          END FROM (SELECT trim(json_extract(record_json, '$.effectiveFrom')) AS x)),
        effective_to = (SELECT CASE
          WHEN x GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN substr(x, 1, 10)
          WHEN x GLOB '[0-9][0-9]/[0-9][0-9]/[0-9][0-9][0-9][0-9]*' THEN substr(x, 7, 4) || '-' || substr(x, 4, 2) || '-' || substr(x, 1, 2)
          END FROM (SELECT trim(json_extract(record_json, '$.effectiveTo')) AS x));

      CREATE INDEX procedure_versions_run ON procedure_versions (run_id);

      -- An explicit withdrawal outlives later ingests: a source that still lists the code
      -- (stale copies, partial re-crawls) does not bring it back; only reinstate() does.
      CREATE TABLE procedure_withdrawals (
        id            TEXT PRIMARY KEY,
        effective_to  TEXT NOT NULL,
        run_id        INTEGER NOT NULL,
        withdrawn_at  TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];
