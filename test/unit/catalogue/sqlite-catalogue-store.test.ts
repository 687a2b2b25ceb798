import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/catalogue/content-hash.js';
import { openCatalogueStore, SqliteCatalogueStore } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { SQLITE_MIGRATIONS } from '../../../src/catalogue/sqlite-migrations.js';
import { rec, src } from './fixtures.js';

const stores: SqliteCatalogueStore[] = [];
const memory = () => {
  const s = new SqliteCatalogueStore(':memory:');
  stores.push(s);
  return s;
};
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('SqliteCatalogueStore', () => {
  it('adds, skips unchanged, and versions changes keeping the old version', async () => {
    const store = memory();
    const source = { kind: 'portal_raw' as const, file: 'a.json', repo: null, commit: null };
    expect(await store.upsertMany([rec('portal_raw', { steps: 'v1' })], source)).toEqual({ added: ['1.001193'], changed: [], unchanged: [] });
    const first = await store.get('1.001193');
    expect(await store.upsertMany([rec('portal_raw', { steps: 'v1' })], source)).toEqual({ added: [], changed: [], unchanged: ['1.001193'] });
    expect(await store.get('1.001193')).toEqual(first);
    expect(await store.upsertMany([rec('portal_raw', { steps: 'v2' })], source)).toEqual({ added: [], changed: ['1.001193'], unchanged: [] });

    const versions = await store.versions('1.001193');
    expect(versions.map((v) => [v.version, v.current])).toEqual([[1, false], [2, true]]);
    expect(versions[0]!.contentHash).toBe(first!.contentHash);
    expect((await store.get('1.001193'))!.steps).toBe('v2');
    expect(await store.count()).toBe(1);
  });

  it('keeps each source kind as its own contribution and serves the merge', async () => {
    const store = memory();
    await store.upsertMany([rec('portal_list', { name: 'Tên danh sách', agency: 'Sở Tư pháp', ministry: 'Bộ Tư pháp' })], src('portal_list', 'l.xlsx'));
    expect((await store.get('1.001193'))!.completeness).toBe('list');
    const report = await store.upsertMany([rec('portal_raw', { name: 'Thủ tục đăng ký khai sinh', steps: 'Bước 1' })], src('portal_raw', 'r.json'));
    expect(report.changed).toEqual(['1.001193']);
    const merged = (await store.get('1.001193'))!;
    expect(merged).toMatchObject({ name: 'Thủ tục đăng ký khai sinh', agency: 'Sở Tư pháp', ministry: 'Bộ Tư pháp', steps: 'Bước 1', completeness: 'detailed' });
    expect(merged.sources.map((s) => s.kind).sort()).toEqual(['portal_list', 'portal_raw']);
    expect(merged.contentHash).toBe(contentHash(merged));
  });

  it('takes several sources in one step as one version', async () => {
    const store = memory();
    const r = await store.upsertSources([
      { source: src('portal_list', 'l.xlsx'), records: [rec('portal_list')] },
      { source: src('portal_raw', 'r.json'), records: [rec('portal_raw')] },
    ]);
    expect(r.added).toEqual(['1.001193']);
    expect(await store.versions('1.001193')).toHaveLength(1);
  });

  it('writes nothing from a call with an invalid record', async () => {
    const store = memory();
    const bad = { ...rec('portal_raw', { id: '1.000002' }), name: '' };
    await expect(store.upsertMany([rec('portal_raw'), bad], src('portal_raw', 'x'))).rejects.toThrow();
    expect(await store.count()).toBe(0);
  });

  it('lists current records ordered by id, across pages', async () => {
    const store = memory();
    const ids = Array.from({ length: 1203 }, (_, i) => `2.${String(999999 - i * 7).padStart(6, '0')}`);
    await store.upsertMany(ids.map((id) => rec('portal_list', { id })), src('portal_list', 'l'));
    const seen: string[] = [];
    for await (const p of store.all()) seen.push(p.id);
    expect(seen).toEqual([...ids].sort());
  });

  it('creates the data dir, uses WAL and applies migrations once', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cat-')), 'nested', 'data');
    try {
      const a = openCatalogueStore(dir);
      await a.upsertMany([rec('portal_raw')], src('portal_raw', 'r'));
      await a.close();
      const b = openCatalogueStore(dir);
      expect(await b.count()).toBe(1);
      await b.close();
      expect(existsSync(path.join(dir, 'catalogue.sqlite'))).toBe(true);
      const db = new Database(path.join(dir, 'catalogue.sqlite'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      // Every shipped migration, each recorded once.
      expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
      db.close();
    } finally {
      rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
    }
  });
});

describe('contentHash', () => {
  it('ignores sources, hash and time but not content or key order', () => {
    const a = rec('portal_raw', { steps: 'x' });
    const b = { ...rec('portal_raw', { steps: 'x' }, 'elsewhere.json'), ingestedAt: 'later', contentHash: 'zzz' };
    expect(contentHash(a)).toBe(contentHash(b));
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(contentHash(reordered)).toBe(contentHash(a));
    expect(contentHash(rec('portal_raw', { steps: 'y' }))).not.toBe(contentHash(a));
  });
});
