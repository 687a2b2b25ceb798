import { afterEach, describe, expect, it } from 'vitest';
import { diffRuns, resolveRun, RunSelectorError } from '../../../src/catalogue/catalogue-diff.js';
import type { IngestRun } from '../../../src/catalogue/catalogue-store.js';
import { dayBefore, vietnamDay } from '../../../src/catalogue/effective-dates.js';
import { SqliteCatalogueStore } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { runDiffCommand } from '../../../src/commands/diff-command.js';
import { runIngestRunsCommand } from '../../../src/commands/ingest-runs-command.js';
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

const run = (id: number, finishedAt: string | null): IngestRun => ({
  id, kind: 'ingest', startedAt: finishedAt ?? '2025-06-20T00:00:00.000Z', finishedAt, paths: [],
  added: 0, changed: 0, removed: 0, unchanged: 0, rejected: 0, error: null,
});

describe('resolveRun', () => {
  const runs = [run(1, '2025-06-01T10:00:00.000Z'), run(2, '2025-06-10T16:30:00.000Z'), run(3, null)];

  it('takes ids, latest, and the last run finished by a time', () => {
    expect(resolveRun(2, runs).id).toBe(2);
    expect(resolveRun('1', runs).id).toBe(1);
    expect(resolveRun('latest', runs).id).toBe(3);
    expect(resolveRun('2025-06-10T16:30:00.000Z', runs).id).toBe(2);
    expect(resolveRun('2025-06-10T16:29:59.999Z', runs).id).toBe(1);
    // A date alone is the whole Vietnamese day: 16:30 UTC on 10 June is 23:30 there.
    expect(resolveRun('2025-06-10', runs).id).toBe(2);
    expect(resolveRun('2025-06-09', runs).id).toBe(1);
  });

  it('treats 0 as the empty catalogue when there is no legacy run, and refuses the rest', () => {
    expect(resolveRun(0, runs)).toMatchObject({ id: 0 });
    expect(resolveRun(0, runs).run).toBeUndefined();
    expect(() => resolveRun(7, runs)).toThrow(RunSelectorError);
    expect(() => resolveRun('2025-05-01', runs)).toThrow(/Không có lần nạp nào xong trước/u);
    expect(() => resolveRun('2025-13-45T00:00', runs)).toThrow(/không hợp lệ/u);
    expect(() => resolveRun('hôm qua', runs)).toThrow(RunSelectorError);
    expect(() => resolveRun('latest', [])).toThrow(/Chưa có lần nạp/u);
  });
});

async function twoRuns() {
  const store = memory();
  const raw = src('portal_raw', 'raw.json');
  const channel = { kind: 'in_person' as const, label: 'Trực tiếp', processingTime: '5 ngày', fee: 'Miễn phí', description: null };
  const first = await store.beginRun(['v1']);
  await store.upsertMany([
    rec('portal_raw', { id: '1.000001', name: 'A', channels: [channel] }),
    rec('portal_raw', { id: '1.000002', name: 'B' }),
    rec('portal_raw', { id: '1.000003', name: 'C' }),
    rec('portal_raw', { id: '1.000004', name: 'D' }),
    rec('portal_raw', { id: '1.000005', name: 'E' }),
  ], raw, { runId: first });
  await store.finishRun(first, { rejected: 0 });
  const today = vietnamDay(new Date());
  const second = await store.beginRun(['v2']);
  await store.upsertMany([
    rec('portal_raw', { id: '1.000001', name: 'A mới', channels: [{ ...channel, fee: '8.000 đồng' }] }),
    rec('portal_raw', { id: '1.000003', name: 'C', effectiveTo: dayBefore(today) }),
    rec('portal_raw', { id: '1.000005', name: 'E', effectiveTo: '2999-12-31' }),
    rec('portal_raw', { id: '1.000006', name: 'F' }),
  ], raw, { runId: second });
  await store.withdraw('1.000004', today, second);
  await store.finishRun(second, { rejected: 0 });
  return { store, first, second };
}

describe('diffRuns', () => {
  it('lists added, changed (with fields) and removed codes; a code the ingest did not bring is not removed', async () => {
    const { store, first, second } = await twoRuns();
    const diff = await diffRuns(store, first, second);
    expect(diff.added).toEqual([{ id: '1.000006', name: 'F', version: 1 }]);
    expect(diff.changed.map((c) => [c.id, c.changes.map((x) => x.field)])).toEqual([
      ['1.000001', ['name', 'channels.in_person.fee']],
      ['1.000005', ['effectiveTo']],
    ]);
    expect(diff.changed[0]!.changes[1]).toMatchObject({ before: 'Miễn phí', after: '8.000 đồng' });
    expect(diff.removed.map((r) => [r.id, r.reason])).toEqual([['1.000003', 'expired'], ['1.000004', 'withdrawn']]);
    expect(diff.unchanged).toBe(1); // B: not in the second ingest, still there

    const back = await diffRuns(store, second, first);
    expect(back.added.map((a) => a.id)).toEqual(['1.000003', '1.000004']);
    expect(back.removed).toEqual([expect.objectContaining({ id: '1.000006', reason: 'absent' })]);
    expect((await diffRuns(store, 0, 'latest')).added).toHaveLength(4);
    expect(await diffRuns(store, 'latest', second)).toMatchObject({ added: [], changed: [], removed: [], unchanged: 4 });
  });

  it('prints a readable report and JSON through the command', async () => {
    const { store } = await twoRuns();
    const lines: string[] = [];
    expect(await runDiffCommand([], { store, out: (l) => lines.push(l) })).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/lần nạp 1 .* → lần nạp 2/u);
    expect(text).toContain('Thêm mới: 1 · Thay đổi: 2 · Gỡ bỏ: 2 · Không đổi: 1');
    expect(text).toContain('  + 1.000006  F');
    expect(text).toContain('  ~ 1.000001  A mới  [name, channels.in_person.fee]');
    expect(text).toContain('      channels.in_person.fee: "Miễn phí" → "8.000 đồng"');
    expect(text).toMatch(/ {2}- 1\.000004 {2}D {2}\(đã rút khỏi danh mục, hiệu lực đến hết \d{4}-\d{2}-\d{2}\)/u);

    lines.length = 0;
    expect(await runDiffCommand(['1', 'latest', '--json'], { store, out: (l) => lines.push(l) })).toBe(0);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ from: { id: 1 }, to: { id: 2 }, unchanged: 1 });

    const errors: string[] = [];
    expect(await runDiffCommand(['9'], { store, out: () => undefined, err: (l) => errors.push(l) })).toBe(1);
    expect(errors[0]).toBe('Lỗi: Không có lần nạp số 9');
    expect(await runDiffCommand(['1', '2', '3'], { store, out: () => undefined, err: () => undefined })).toBe(1);
    expect(await runDiffCommand(['--bogus'], { store, out: () => undefined, err: () => undefined })).toBe(1);
  });

  it('lists runs newest first', async () => {
    const { store } = await twoRuns();
    const lines: string[] = [];
    expect(await runIngestRunsCommand([], { store, out: (l) => lines.push(l) })).toBe(0);
    expect(lines[0]).toBe('Lần nạp: 2');
    expect(lines[2]).toMatch(/^#2 {2}nạp .* \+1 ~3 −1 =0 loại 0 {2}v2$/u);
    expect(lines[3]).toMatch(/^#1 {2}nạp .* \+5 ~0 −0 =0 loại 0 {2}v1$/u);
    lines.length = 0;
    expect(await runIngestRunsCommand(['--limit', '1', '--json'], { store, out: (l) => lines.push(l) })).toBe(0);
    expect((JSON.parse(lines.join('')) as IngestRun[]).map((r) => r.id)).toEqual([2]);
    expect(await runIngestRunsCommand(['--limit', '-1'], { store, out: () => undefined })).toBe(1);
  });
});
