import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../../ingest/run-ingest.js';
import type { CatalogueStore } from '../../../src/catalogue/catalogue-store.js';
import { applyMigrations, openCatalogueStore, SqliteCatalogueStore } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { SQLITE_MIGRATIONS } from '../../../src/catalogue/sqlite-migrations.js';
import type { Procedure } from '../../../src/domain/procedure.js';
import { rec, src } from './fixtures.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'runs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const stores: SqliteCatalogueStore[] = [];
const memory = () => {
  const s = new SqliteCatalogueStore(':memory:');
  stores.push(s);
  return s;
};
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const raw = src('portal_raw', 'raw.json');

function jsonl(name: string, rows: Array<{ id: string; name: unknown }>): string {
  const file = path.join(tmp, name);
  writeFileSync(file, rows.map((r) => JSON.stringify({ ...r, level: 'Cấp tỉnh', decision_no: '1/QĐ-X', channel_details: [], documents: [], source: {} })).join('\n'));
  return file;
}

describe('ingest runs', () => {
  it('records a run with its paths, counts and finish, and tags its versions', async () => {
    const store = memory();
    const id = await store.beginRun(['a', 'b']);
    expect(id).toBe(1);
    await store.upsertMany([rec('portal_raw', { id: '1.000001' }), rec('portal_raw', { id: '1.000002' })], raw, { runId: id });
    expect((await store.runs())[0]).toMatchObject({ id: 1, kind: 'ingest', finishedAt: null, added: 2 });
    await store.finishRun(id, { rejected: 3 });

    const second = await store.beginRun(['a']);
    await store.upsertMany([rec('portal_raw', { id: '1.000001', steps: 'mới' }), rec('portal_raw', { id: '1.000002' })], raw, { runId: second });
    await store.finishRun(second, { rejected: 0, error: 'hỏng giữa chừng' });

    const runs = await store.runs();
    expect(runs.map((r) => [r.id, r.paths, r.added, r.changed, r.removed, r.unchanged, r.rejected, r.error])).toEqual([
      [1, ['a', 'b'], 2, 0, 0, 0, 3, null],
      [2, ['a'], 0, 1, 0, 1, 0, 'hỏng giữa chừng'],
    ]);
    expect(runs[0]!.finishedAt! >= runs[0]!.startedAt).toBe(true);
    expect((await store.versions('1.000001')).map((v) => [v.version, v.runId])).toEqual([[1, 1], [2, 2]]);
    expect((await store.headsAfterRun(1)).map((h) => [h.id, h.version])).toEqual([['1.000001', 1], ['1.000002', 1]]);
    expect((await store.headsAfterRun(2)).map((h) => [h.id, h.version])).toEqual([['1.000001', 2], ['1.000002', 1]]);
  });

  it('gives a write or a withdrawal made outside a run a finished run of its own', async () => {
    const store = memory();
    await store.upsertMany([rec('portal_raw')], raw);
    await store.withdraw('1.001193', '2025-01-01');
    expect((await store.runs()).map((r) => [r.id, r.kind, r.added, r.removed, r.finishedAt !== null])).toEqual([
      [1, 'direct', 1, 0, true],
      [2, 'withdraw', 0, 1, true],
    ]);
    await expect(store.upsertMany([rec('portal_raw')], raw, { runId: 99 })).rejects.toThrow(/unknown ingest run 99/u);
    await expect(store.finishRun(99, { rejected: 0 })).rejects.toThrow(/unknown ingest run/u);
  });

  it('puts versions stored before runs existed into run 0', async () => {
    const dir = path.join(tmp, 'legacy');
    mkdirSync(dir);
    // The file as the previous release left it: only migration 1, one version.
    const db = new Database(path.join(dir, 'catalogue.sqlite'));
    applyMigrations(db, SQLITE_MIGRATIONS.slice(0, 1));
    const old: Procedure = { ...rec('portal_raw', { effectiveTo: '31/12/2024' }), contentHash: 'h', ingestedAt: '2024-05-01T00:00:00.000Z' };
    db.prepare('INSERT INTO procedure_versions VALUES (?, 1, ?, ?, ?, 1)').run(old.id, 'h', JSON.stringify(old), old.ingestedAt);
    db.close();

    const store = openCatalogueStore(dir);
    stores.push(store);
    expect(await store.runs()).toEqual([expect.objectContaining({ id: 0, kind: 'legacy', added: 1, startedAt: old.ingestedAt, finishedAt: old.ingestedAt })]);
    expect((await store.versions(old.id))[0]).toMatchObject({ runId: 0, withdrawn: false });
    expect((await store.headsAfterRun(0))[0]).toMatchObject({ id: old.id, effectiveTo: '2024-12-31' });
    expect(await store.beginRun([])).toBe(1);
  });
});

describe('runIngest and runs', () => {
  it('records one run per ingest and returns its id', async () => {
    const store = memory();
    const file = jsonl('one.jsonl', [{ id: '1.000001', name: 'A' }, { id: '1.000002', name: 12 }]);
    const report = await runIngest([file], store, { baseDir: tmp });
    expect(report.runId).toBe(1);
    expect(await store.runs()).toEqual([
      expect.objectContaining({ id: 1, kind: 'ingest', paths: [file], added: 1, changed: 0, unchanged: 0, rejected: 1, error: null }),
    ]);
    expect((await runIngest([file], store, { baseDir: tmp })).runId).toBe(2);
    expect((await store.runs())[1]).toMatchObject({ added: 0, unchanged: 1 });
  });

  it('keeps the run and its error when the store fails part way', async () => {
    const store = memory();
    const failing = Object.create(store) as SqliteCatalogueStore;
    failing.upsertSources = () => Promise.reject(new Error('đĩa đầy'));
    await expect(runIngest([jsonl('two.jsonl', [{ id: '1.000003', name: 'C' }])], failing)).rejects.toThrow('đĩa đầy');
    expect((await store.runs())[0]).toMatchObject({ error: 'đĩa đầy' });
    expect((await store.runs())[0]!.finishedAt).not.toBeNull();
  });

  it('still works with a store that records no runs', async () => {
    const records = new Map<string, Procedure>();
    const bare: CatalogueStore = {
      get: async (id) => records.get(id),
      upsertMany: async (list) => {
        for (const r of list) records.set(r.id, r);
        return { added: list.map((r) => r.id), changed: [], unchanged: [] };
      },
      async *all() {
        yield* records.values();
      },
      count: async () => records.size,
      versions: async () => [],
      close: async () => undefined,
    };
    const report = await runIngest([jsonl('three.jsonl', [{ id: '1.000004', name: 'D' }])], bare);
    expect(report.runId).toBeUndefined();
    expect(report.added).toEqual(['1.000004']);
  });
});
