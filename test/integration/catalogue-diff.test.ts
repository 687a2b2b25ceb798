import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as ingestCli } from '../../ingest/ingest-cli.js';
import { diffRuns } from '../../src/catalogue/catalogue-diff.js';
import { vietnamDay } from '../../src/catalogue/effective-dates.js';
import { openCatalogueStore, type SqliteCatalogueStore } from '../../src/catalogue/sqlite-catalogue-store.js';
import { runDiffCommand } from '../../src/commands/diff-command.js';
import { runIngestRunsCommand } from '../../src/commands/ingest-runs-command.js';
import { tthc } from '../unit/ingest/shared-data.js';

/**
 * Two real ingests of a slice of the national catalogue (read in place, written to a temp
 * folder, never into the repository): the second one edits a fee, a document and a name, drops
 * a record (which is then withdrawn) and adds one. The diff must list exactly those.
 */
const SLICE = 300;
const tmp = mkdtempSync(path.join(tmpdir(), 'catalogue-diff-'));
const dataDir = path.join(tmp, 'data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Row = { id: string; name: string; channel_details: Array<{ channel: string; fee: string | null }>; documents: Array<{ name: string }> };

async function firstRows(n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const stream = createReadStream(tthc('procedures.jsonl'));
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim()) rows.push(JSON.parse(line) as Row);
    if (rows.length === n) break;
  }
  lines.close();
  stream.destroy();
  return rows;
}

async function ingest(file: string): Promise<string> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await ingestCli([file, '--data-dir', dataDir], {})).toBe(0);
    return out.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    out.mockRestore();
  }
}

describe('diff between two real ingests', () => {
  let store: SqliteCatalogueStore;
  const edit = { fee: '', document: '', name: '', dropped: '', added: '' };
  let feeField = '';
  let printed: string[];

  beforeAll(async () => {
    const rows = await firstRows(SLICE + 1);
    const extra = rows.pop()!;
    const v1 = path.join(tmp, 'v1.jsonl');
    writeFileSync(v1, rows.map((r) => JSON.stringify(r)).join('\n'));
    printed = [await ingest(v1)];

    // Pick distinct records that have what each edit needs.
    const used = new Set<string>();
    const pick = (ok: (r: Row) => boolean): Row => {
      const r = rows.find((x) => !used.has(x.id) && ok(x))!;
      used.add(r.id);
      return r;
    };
    store = openCatalogueStore(dataDir);
    const feeRow = pick((r) => r.channel_details.length > 0);
    const stored = (await store.get(feeRow.id))!;
    const channel = stored.channels[0]!;
    feeField = `channels.${channel.kind}.fee`;
    const docRow = pick((r) => r.documents.length > 0);
    const nameRow = pick(() => true);
    const droppedRow = pick(() => true);
    Object.assign(edit, { fee: feeRow.id, document: docRow.id, name: nameRow.id, dropped: droppedRow.id, added: extra.id });

    const v2rows = rows.filter((r) => r.id !== droppedRow.id).map((r) => structuredClone(r));
    const find = (id: string) => v2rows.find((r) => r.id === id)!;
    for (const c of find(feeRow.id).channel_details) if (c.channel === channel.label) c.fee = 'Lệ phí: 50.000 đồng';
    find(docRow.id).documents[0]!.name += ' (bản sao có chứng thực)';
    find(nameRow.id).name += ' (sửa đổi)';
    v2rows.push(extra);
    const v2 = path.join(tmp, 'v2.jsonl');
    writeFileSync(v2, v2rows.map((r) => JSON.stringify(r)).join('\n'));
    await store.close();
    printed.push(await ingest(v2));

    store = openCatalogueStore(dataDir);
    await store.withdraw(droppedRow.id, new Date(), 2);
  }, 30_000);
  afterAll(() => store?.close());

  it('prints each run id from the ingest CLI', () => {
    expect(printed[0]).toMatch(/Lần nạp số 1\b/u);
    expect(printed[1]).toMatch(/Lần nạp số 2\b/u);
  });

  it('lists exactly the edited codes and fields', async () => {
    const diff = await diffRuns(store, 1, 2);
    expect(diff.added.map((a) => a.id)).toEqual([edit.added]);
    expect(diff.changed.map((c) => [c.id, c.changes.map((x) => x.field)])).toEqual(
      [
        [edit.fee, [feeField]],
        [edit.document, ['documents']],
        [edit.name, ['name']],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(diff.removed).toEqual([expect.objectContaining({ id: edit.dropped, reason: 'withdrawn' })]);
    expect(diff.unchanged).toBe(SLICE - 4);
    // Dates and timestamps name the same runs.
    expect((await diffRuns(store, 1, vietnamDay(new Date()))).to.id).toBe(2);
  });

  it('serves the withdrawn code no longer, and records both runs', async () => {
    let inForce = 0;
    for await (const p of store.allAsOf(new Date())) {
      expect(p.id).not.toBe(edit.dropped);
      inForce++;
    }
    expect(inForce).toBe(SLICE);
    expect(await store.count()).toBe(SLICE + 1);
    const runs = await store.runs();
    expect(runs.map((r) => [r.id, r.kind, r.added, r.changed, r.removed, r.unchanged])).toEqual([
      [1, 'ingest', SLICE, 0, 0, 0],
      [2, 'ingest', 1, 3, 1, SLICE - 4],
    ]);
  });

  it('reports through the diff and runs commands', async () => {
    const lines: string[] = [];
    expect(await runDiffCommand(['1', 'latest'], { store, out: (l) => lines.push(l) })).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain(`Thêm mới: 1 · Thay đổi: 3 · Gỡ bỏ: 1 · Không đổi: ${SLICE - 4}`);
    expect(text).toContain(`  + ${edit.added}  `);
    expect(text).toMatch(new RegExp(`~ ${edit.fee.replace('.', '\\.')} .*\\[${feeField.replace(/\./gu, '\\.')}\\]`, 'u'));
    expect(text).toContain(`${feeField}: `);
    expect(text).toContain('→ "Lệ phí: 50.000 đồng"');
    expect(text).toMatch(new RegExp(`- ${edit.dropped.replace('.', '\\.')} .*đã rút khỏi danh mục`, 'u'));

    lines.length = 0;
    expect(await runDiffCommand(['--json'], { store, out: (l) => lines.push(l) })).toBe(0);
    const json = JSON.parse(lines.join('\n')) as { added: Array<{ id: string }>; removed: Array<{ id: string }> };
    expect(json.added.map((a) => a.id)).toEqual([edit.added]);
    expect(json.removed.map((r) => r.id)).toEqual([edit.dropped]);

    lines.length = 0;
    expect(await runIngestRunsCommand([], { store, out: (l) => lines.push(l) })).toBe(0);
    expect(lines.filter((l) => l.startsWith('#')).map((l) => l.split(' ')[0])).toEqual(['#2', '#1']);
  });
});
