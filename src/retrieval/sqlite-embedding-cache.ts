import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** Where vectors already computed are kept, keyed by (embedder id, sha256 of the text). */
export interface EmbeddingCache {
  getMany(model: string, textHashes: readonly string[]): Map<string, Float32Array>;
  putMany(model: string, entries: readonly (readonly [textHash: string, vector: Float32Array])[]): void;
  close(): void;
}

type Warn = (message: string, data?: Record<string, unknown>) => void;

/** A cache that remembers nothing: what a broken cache degrades to. */
export const NO_CACHE: EmbeddingCache = {
  getMany: () => new Map(),
  putMany: () => {},
  close: () => {},
};

/**
 * Embedding cache in its own SQLite file under DATA_DIR (not the catalogue's database, so that deleting a
 * corrupt cache can never touch anything else). A cache is only an optimisation: every failure — corrupt
 * file, full disk, wrong blob size — is logged and treated as a miss; start-up never fails because of it.
 */
export class SqliteEmbeddingCache implements EmbeddingCache {
  private disabled = false;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly warn: Warn,
  ) {}

  /** Opens (or rebuilds, if unreadable) the cache; falls back to NO_CACHE if even that fails. */
  static async open(file: string, warn: Warn = () => {}): Promise<EmbeddingCache> {
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (err) {
      warn('embedding cache disabled: better-sqlite3 unavailable', { error: String(err) });
      return NO_CACHE;
    }
    try {
      return new SqliteEmbeddingCache(SqliteEmbeddingCache.openDb(Database, file), warn);
    } catch (err) {
      warn('embedding cache unreadable, rebuilding it', { file, error: String(err) });
    }
    try {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
      return new SqliteEmbeddingCache(SqliteEmbeddingCache.openDb(Database, file), warn);
    } catch (err) {
      warn('embedding cache disabled: cannot create it', { file, error: String(err) });
      return NO_CACHE;
    }
  }

  private static openDb(Database: typeof BetterSqlite3, file: string): BetterSqlite3.Database {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec(`CREATE TABLE IF NOT EXISTS embedding_cache (
        model TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
      ) WITHOUT ROWID`);
      // Garbage that still opens as SQLite (a torn page) shows up here rather than mid-query later.
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private fail(what: string, err: unknown): void {
    if (!this.disabled) this.warn(`embedding cache disabled after ${what} failed`, { error: String(err) });
    this.disabled = true;
  }

  getMany(model: string, textHashes: readonly string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    if (this.disabled || textHashes.length === 0) return out;
    try {
      const stmt = this.db.prepare<[string, string], { vector: Buffer }>(
        'SELECT vector FROM embedding_cache WHERE model = ? AND text_hash = ?',
      );
      let dims: number | undefined;
      for (const h of textHashes) {
        const row = stmt.get(model, h);
        if (!row) continue;
        const buf = row.vector;
        // A truncated or foreign blob is a miss, not a wrong vector.
        if (buf.byteLength === 0 || buf.byteLength % 4 !== 0) continue;
        const copy = new Uint8Array(buf.byteLength);
        copy.set(buf);
        const v = new Float32Array(copy.buffer);
        dims ??= v.length;
        if (v.length !== dims) continue;
        out.set(h, v);
      }
    } catch (err) {
      this.fail('reading', err);
      return new Map();
    }
    return out;
  }

  putMany(model: string, entries: readonly (readonly [string, Float32Array])[]): void {
    if (this.disabled || entries.length === 0) return;
    try {
      const stmt = this.db.prepare('INSERT OR REPLACE INTO embedding_cache (model, text_hash, vector) VALUES (?, ?, ?)');
      this.db.transaction(() => {
        for (const [h, v] of entries) stmt.run(model, h, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
      })();
    } catch (err) {
      this.fail('writing', err);
    }
  }

  close(): void {
    try {
      this.db.close();
    } catch {
      // Closing a broken handle has nothing left to protect.
    }
  }
}
