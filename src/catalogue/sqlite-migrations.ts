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
];
