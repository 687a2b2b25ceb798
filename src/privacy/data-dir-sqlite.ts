import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';

/**
 * Opens `${dataDir}/${file}` only when it exists: retention and deletions must not create the
 * files of stores this installation never used.
 */
export function openExisting(dataDir: string, file: string): Database.Database | null {
  return existsSync(join(dataDir, file)) ? openSqliteDatabase({ dataDir }, file) : null;
}

/** The SQLite files of a DATA_DIR (`*.sqlite`), sorted. */
export function sqliteFiles(dataDir: string): string[] {
  if (!existsSync(dataDir)) return [];
  return readdirSync(dataDir)
    .filter((f) => f.endsWith('.sqlite'))
    .sort();
}

export function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

/** User tables (no sqlite_* internals). */
export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

export function columnsOf(db: Database.Database, table: string): Array<{ name: string; type: string }> {
  return db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as Array<{ name: string; type: string }>;
}

/** SQL identifier quoting, for table and column names read from the schema. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Runs `fn` in one write transaction; with `dryRun` rolls it back, so a dry run reports exactly
 * the rows a real run would change.
 */
export function inTransaction<T>(db: Database.Database, dryRun: boolean, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec(dryRun ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Runs `fn` on `${dataDir}/${file}` when the file exists, closing it after. */
export function withFile(dataDir: string, file: string, fn: (db: Database.Database) => void): void {
  const db = openExisting(dataDir, file);
  if (!db) return;
  try {
    fn(db);
  } finally {
    db.close();
  }
}
