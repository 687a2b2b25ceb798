import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../ingest/ingest-cli.js';
import { runIngest } from '../../ingest/run-ingest.js';
import { SqliteCatalogueStore } from '../../src/catalogue/sqlite-catalogue-store.js';
import { tthc } from '../unit/ingest/shared-data.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dir(name: string): string {
  const d = path.join(tmp, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function jsonlLine(id: string, name: unknown = `Thủ tục ${id}`): string {
  return JSON.stringify({ id, name, level: 'Cấp tỉnh', decision_no: '1/QĐ-X', channel_details: [], documents: [], source: {} });
}

describe('full ingest of the shared data', () => {
  const store = new SqliteCatalogueStore(':memory:');
  let first: Awaited<ReturnType<typeof runIngest>>;
  beforeAll(async () => {
    first = await runIngest([tthc()], store);
  }, 120_000);
  afterAll(() => store.close());

  it('reads every format and stores one record per code', () => {
    expect(first.recordsByKind).toEqual({ portal_list: 2642, portal_raw: 2625, word_export: 207, normalised_jsonl: 2832 });
    expect(first.codes).toBe(2849);
    expect(first.added).toHaveLength(2849);
    const mismatched = first.rejected.filter((r) => r.code === 'code_mismatch');
    expect(mismatched).toHaveLength(17);
    // The other rejections are the eval and FAQ files that are not catalogue data.
    expect(first.rejected.filter((r) => r.code !== 'code_mismatch').every((r) => /eval|SOURCES\.md/u.test(r.file))).toBe(true);
  });

  it('merges sources per code', async () => {
    const birth = (await store.get('1.001193'))!;
    expect(birth.completeness).toBe('detailed');
    expect(birth.ministry).toBe('Bộ Tư pháp');
    expect(birth.channels.map((c) => c.fee)).toEqual(['Miễn phí', 'Miễn phí', 'Miễn phí']);
    expect(birth.sources.map((s) => s.kind).sort()).toEqual(['normalised_jsonl', 'portal_list', 'portal_raw']);
    // Rejected page: only the list row is left, waiting for a detailed record.
    expect((await store.get('1.014208'))!.completeness).toBe('list');
  });

  it('reads all current records well under a second', async () => {
    const t0 = performance.now();
    let n = 0;
    for await (const _ of store.all()) n++;
    expect(n).toBe(2849);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reports everything unchanged on a second run', async () => {
    const again = await runIngest([tthc()], store);
    expect(again.added).toEqual([]);
    expect(again.changed).toEqual([]);
    expect(again.unchanged).toHaveLength(2849);
    expect(await store.versions('1.001193')).toHaveLength(1);
  }, 120_000);
});

describe('versioning and completion', () => {
  it('completes a list entry with a later detailed record, then versions a change', async () => {
    const store = new SqliteCatalogueStore(':memory:');
    const list = await runIngest([tthc('chatbot-tthc/lists/danh-sach-tthc-BoTuPhap.xlsx')], store);
    expect(list.added).toContain('1.001193');
    expect((await store.get('1.001193'))!.completeness).toBe('list');

    const d = dir('versions/bo-tu-phap');
    const file = path.join(d, '1.001193.json');
    copyFileSync(tthc('chatbot-tthc/raw/bo-tu-phap/1.001193.json'), file);
    const detailed = await runIngest([file], store);
    expect(detailed.changed).toEqual(['1.001193']);
    const v2 = (await store.get('1.001193'))!;
    expect(v2).toMatchObject({ completeness: 'detailed', ministry: 'Bộ Tư pháp', field: 'Hộ tịch' });

    const page = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    page.raw_text = page.raw_text!.replace('Trực tuyến1Miễn phí', 'Trực tuyến1Lệ phí : 8.000 Đồng');
    writeFileSync(file, JSON.stringify(page));
    const changed = await runIngest([file], store);
    expect(changed.changed).toEqual(['1.001193']);
    expect((await store.get('1.001193'))!.channels[0]!.fee).toBe('Lệ phí : 8.000 Đồng');
    const versions = await store.versions('1.001193');
    expect(versions.map((v) => [v.version, v.current])).toEqual([[1, false], [2, false], [3, true]]);

    expect((await runIngest([file], store)).unchanged).toEqual(['1.001193']);
    expect(await store.versions('1.001193')).toHaveLength(3);
    await store.close();
  });
});

describe('broken inputs', () => {
  it('reports each one, keeps going, and leaves earlier records untouched', async () => {
    const store = new SqliteCatalogueStore(':memory:');
    const before = dir('before');
    writeFileSync(path.join(before, 'seed.jsonl'), `${jsonlLine('1.000001', 'Thủ tục đã có')}\n`);
    await runIngest([before], store);
    const seeded = await store.get('1.000001');

    const d = dir('broken');
    writeFileSync(path.join(d, 'truncated.json'), readFileSync(tthc('chatbot-tthc/raw/bo-tu-phap/1.001193.json'), 'utf8').slice(0, 500));
    writeFileSync(path.join(d, 'empty.json'), '');
    writeFileSync(path.join(d, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1, 2]));
    writeFileSync(path.join(d, 'wrong-types.jsonl'), `${jsonlLine('1.000002', 12345)}\n${jsonlLine('1.000003')}\n`);
    const big = `${jsonlLine('1.000004')}\n{"id":"1.000005","name":"${'x'.repeat(20 * 1024 * 1024)}"}\n${jsonlLine('1.000006')}\n`;
    writeFileSync(path.join(d, 'huge-line.jsonl'), big);
    writeFileSync(path.join(d, 'dup-a.jsonl'), `${jsonlLine('1.000007', 'Tên cũ')}\n`);
    writeFileSync(path.join(d, 'dup-b.jsonl'), `${jsonlLine('1.000007', 'Tên mới')}\n`);
    writeFileSync(path.join(d, 'seed-overwrite.jsonl'), `${jsonlLine('1.000001', 12)}\n`);

    const report = await runIngest([d], store, { baseDir: tmp });
    const byFile = Object.fromEntries(report.rejected.map((r) => [path.basename(r.file), r]));
    expect(byFile['truncated.json']).toMatchObject({ code: 'invalid_json' });
    expect(byFile['empty.json']).toMatchObject({ code: 'empty_file' });
    expect(byFile['image.png']).toMatchObject({ code: 'binary_file' });
    expect(byFile['wrong-types.jsonl']).toMatchObject({ code: 'invalid_record', line: 1, id: '1.000002' });
    expect(byFile['wrong-types.jsonl']!.reason).toMatch(/name/u);
    expect(byFile['huge-line.jsonl']).toMatchObject({ code: 'line_too_long', line: 2 });
    expect(byFile['huge-line.jsonl']!.reason).toMatch(/line too long/u);
    expect(byFile['seed-overwrite.jsonl']).toMatchObject({ code: 'invalid_record', id: '1.000001' });
    expect(report.rejected[0]!.file).toBe(path.join('broken', path.basename(report.rejected[0]!.file)));

    expect(report.added.sort()).toEqual(['1.000003', '1.000004', '1.000006', '1.000007']);
    expect(report.duplicates).toEqual([
      { id: '1.000007', kind: 'normalised_jsonl', files: [path.join('broken', 'dup-a.jsonl'), path.join('broken', 'dup-b.jsonl')] },
    ]);
    expect((await store.get('1.000007'))!.name).toBe('Tên mới');
    expect(await store.get('1.000001')).toEqual(seeded);
    expect(await store.versions('1.000001')).toHaveLength(1);
    await store.close();
  }, 60_000);
});

describe('ingest CLI', () => {
  it('exits 1 on usage errors, 2 when nothing can be read, 0 otherwise', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const dataDir = dir('cli-data');
      expect(await main([], {})).toBe(1);
      expect(await main(['x', '--bogus'], {})).toBe(1);
      const empty = dir('cli-empty');
      writeFileSync(path.join(empty, 'nothing.json'), '');
      expect(await main([empty, '--data-dir', dataDir], {})).toBe(2);
      const good = dir('cli-good');
      writeFileSync(path.join(good, 'one.jsonl'), `${jsonlLine('1.000010')}\n`);
      out.mockClear();
      expect(await main([good, '--json'], { DATA_DIR: dataDir })).toBe(0);
      const printed = out.mock.calls.map((c) => String(c[0])).join('');
      expect(JSON.parse(printed)).toMatchObject({ added: ['1.000010'], recordsRead: 1 });
      expect(await main([good], { DATA_DIR: dataDir })).toBe(0);
      expect(out.mock.calls.map((c) => String(c[0])).join('')).toMatch(/Không đổi: 1/u);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});
