import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CatalogueStore } from '../../../src/catalogue/catalogue-store.js';
import type { Procedure, ProcedureInput } from '../../../src/domain/procedure.js';
import { proceduresAsOf } from '../../../src/catalogue/procedures-as-of.js';
import { SqliteCatalogueStore } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { rec, src } from './fixtures.js';

const stores: SqliteCatalogueStore[] = [];
const memory = () => {
  const s = new SqliteCatalogueStore(':memory:');
  stores.push(s);
  return s;
};
afterEach(async () => {
  vi.useRealTimers();
  for (const s of stores.splice(0)) await s.close();
});

const raw = src('portal_raw', 'raw.json');
const put = (store: SqliteCatalogueStore, over: Partial<ProcedureInput>) => store.upsertMany([rec('portal_raw', over)], raw);

async function served(store: SqliteCatalogueStore, at: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const p of store.allAsOf(new Date(at))) out[p.id] = p.name;
  return out;
}

/** Noon in Vietnam on `day`. */
const noon = (day: string) => `${day}T05:00:00Z`;

describe('allAsOf', () => {
  it('keeps the version in force when a newer one takes effect later', async () => {
    const store = memory();
    await put(store, { id: '1.000001', name: 'Bản đang áp dụng' });
    await put(store, { id: '1.000001', name: 'Bản sửa đổi', effectiveFrom: '2025-07-01' });
    expect(await served(store, noon('2025-06-30'))).toEqual({ '1.000001': 'Bản đang áp dụng' });
    expect(await served(store, noon('2025-07-01'))).toEqual({ '1.000001': 'Bản sửa đổi' });
    // all() is the stored current record, whatever its dates.
    expect((await store.get('1.000001'))!.name).toBe('Bản sửa đổi');
  });

  it('leaves out codes not yet in force and codes whose last day has passed (effective-to inclusive)', async () => {
    const store = memory();
    await put(store, { id: '1.000002', name: 'Sắp có', effectiveFrom: '2025-07-01' });
    await put(store, { id: '1.000003', name: 'Hết hạn', effectiveTo: '2025-06-14' });
    await put(store, { id: '1.000004', name: 'Ngày ghi không đọc được', effectiveTo: 'khi có văn bản thay thế' });
    expect(await served(store, noon('2025-06-14'))).toEqual({ '1.000003': 'Hết hạn', '1.000004': 'Ngày ghi không đọc được' });
    expect(await served(store, noon('2025-06-15'))).toEqual({ '1.000004': 'Ngày ghi không đọc được' });
    // 01:00 on 15 June in Vietnam is still 14 June in UTC: the Vietnamese day counts.
    expect(await served(store, '2025-06-14T18:00:00Z')).toEqual({ '1.000004': 'Ngày ghi không đọc được' });
    expect(await served(store, noon('2025-07-01'))).toEqual({ '1.000002': 'Sắp có', '1.000004': 'Ngày ghi không đọc được' });
  });

  it('never falls back to an older version once the newest applicable one has ended', async () => {
    const store = memory();
    await put(store, { id: '1.000005', name: 'Không hạn' });
    await put(store, { id: '1.000005', name: 'Có hạn', effectiveTo: '2025-06-14' });
    expect(await served(store, noon('2025-06-15'))).toEqual({});
  });

  it('serves the same records as all() when nothing carries dates, in code order, across pages', async () => {
    const store = memory();
    const ids = Array.from({ length: 1203 }, (_, i) => `2.${String(999999 - i * 7).padStart(6, '0')}`);
    await store.upsertMany(ids.map((id) => rec('portal_list', { id })), src('portal_list', 'l'));
    await store.upsertMany(ids.slice(0, 10).map((id) => rec('portal_list', { id, name: 'đổi' })), src('portal_list', 'l'));
    const all: Procedure[] = [];
    for await (const p of store.all()) all.push(p);
    const asOf: Procedure[] = [];
    for await (const p of store.allAsOf(new Date())) asOf.push(p);
    expect(asOf).toEqual(all);
  });

  it('falls back to filtering all() for a store without allAsOf', async () => {
    const store = memory();
    await put(store, { id: '1.000002', name: 'Sắp có', effectiveFrom: '2025-07-01' });
    await put(store, { id: '1.000003', name: 'Đang có' });
    // Only what every store has: all().
    const bare = { all: () => store.all() } as unknown as CatalogueStore;
    const ids: string[] = [];
    for await (const p of proceduresAsOf(bare, new Date(noon('2025-06-15')))) ids.push(p.id);
    expect(ids).toEqual(['1.000003']);
  });
});

describe('withdraw', () => {
  it('ends the procedure the day before, sticks through later ingests, and can be undone', async () => {
    const store = memory();
    await put(store, { id: '1.000006', name: 'Sẽ bị rút', steps: 'v1' });
    const v = await store.withdraw('1.000006', '2025-06-15');
    expect(v).toMatchObject({ version: 2, withdrawn: true, current: true });
    expect((await store.get('1.000006'))!.effectiveTo).toBe('2025-06-14');
    expect(await served(store, noon('2025-06-14'))).toEqual({ '1.000006': 'Sẽ bị rút' });
    expect(await served(store, noon('2025-06-15'))).toEqual({});

    // A source that still lists the code does not bring it back…
    expect((await put(store, { id: '1.000006', name: 'Sẽ bị rút', steps: 'v1' })).unchanged).toEqual(['1.000006']);
    // …and a changed one is stored, still withdrawn.
    expect((await put(store, { id: '1.000006', name: 'Sẽ bị rút', steps: 'v2' })).changed).toEqual(['1.000006']);
    expect(await store.get('1.000006')).toMatchObject({ steps: 'v2', effectiveTo: '2025-06-14' });
    expect(await served(store, noon('2025-06-15'))).toEqual({});

    expect(await store.reinstate('1.000006')).toMatchObject({ version: 4, withdrawn: false });
    expect(await served(store, noon('2025-06-15'))).toEqual({ '1.000006': 'Sẽ bị rút' });
    expect(await store.reinstate('1.000006')).toBeUndefined();
  });

  it('also ends a procedure whose newest version takes effect later', async () => {
    const store = memory();
    await put(store, { id: '1.000007', name: 'Bản cũ' });
    await put(store, { id: '1.000007', name: 'Bản sửa đổi', effectiveFrom: '2025-07-01' });
    await store.withdraw('1.000007', '2025-06-10');
    expect(await served(store, noon('2025-06-09'))).toEqual({ '1.000007': 'Bản cũ' });
    expect(await served(store, noon('2025-06-15'))).toEqual({});
  });

  it('writes nothing when the record already ends earlier, and refuses unknown codes and bad dates', async () => {
    const store = memory();
    await put(store, { id: '1.000008', effectiveTo: '2025-01-31' });
    expect(await store.withdraw('1.000008', '2025-06-15')).toBeUndefined();
    expect(await store.versions('1.000008')).toHaveLength(1);
    await expect(store.withdraw('9.999999', '2025-06-15')).rejects.toThrow(/unknown procedure code/u);
    await expect(store.withdraw('1.000008', 'mai')).rejects.toThrow(/not a date/u);
  });

  it('reads a Date as its Vietnamese day', async () => {
    const store = memory();
    await put(store, { id: '1.000009' });
    await store.withdraw('1.000009', new Date('2025-06-14T18:00:00Z'));
    expect((await store.get('1.000009'))!.effectiveTo).toBe('2025-06-14');
  });
});

describe('recentChanges', () => {
  it('lists in-force changes made at or after `since`, with the fields that changed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memory();
    vi.setSystemTime(new Date('2025-06-01T00:00:00Z'));
    await put(store, { id: '1.000001', name: 'A', steps: 'v1' });
    await put(store, { id: '1.000002', name: 'B' });
    await put(store, { id: '1.000003', name: 'C' });
    const changed = new Date('2025-06-10T03:00:00Z');
    vi.setSystemTime(changed);
    await put(store, { id: '1.000001', name: 'A', steps: 'v2' });
    await store.withdraw('1.000003', '2025-06-10');
    await put(store, { id: '1.000004', name: 'D mới' });
    const now = new Date('2025-06-15T05:00:00Z');

    expect(await store.recentChanges(changed, now)).toEqual([
      { id: '1.000001', changedAt: changed.toISOString(), version: 2, fields: ['steps'] },
    ]);
    expect(await store.recentChanges(new Date(changed.getTime() + 1), now)).toEqual([]);
  });

  it('dates a change published ahead of time by the day it takes effect', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = memory();
    vi.setSystemTime(new Date('2025-06-01T00:00:00Z'));
    await put(store, { id: '1.000001', name: 'A' });
    vi.setSystemTime(new Date('2025-06-10T03:00:00Z'));
    await put(store, { id: '1.000001', name: 'A', conditions: 'Điều kiện mới', effectiveFrom: '2025-06-20' });

    const since = new Date('2025-06-05T00:00:00Z');
    // Not in force yet: nothing to flag.
    expect(await store.recentChanges(since, new Date('2025-06-19T16:00:00Z'))).toEqual([]);
    const takesEffect = '2025-06-19T17:00:00.000Z'; // 00:00 on 20 June in Vietnam
    expect(await store.recentChanges(since, new Date('2025-06-20T01:00:00Z'))).toEqual([
      { id: '1.000001', changedAt: takesEffect, version: 2, fields: ['conditions', 'effectiveFrom'] },
    ]);
    expect(await store.recentChanges(new Date(takesEffect), new Date('2025-06-20T01:00:00Z'))).toHaveLength(1);
    expect(await store.recentChanges(new Date(Date.parse(takesEffect) + 1), new Date('2025-06-20T01:00:00Z'))).toEqual([]);
  });
});
