/**
 * `npm run cli -- runs [--limit N] [--json]`: the recorded ingest runs, newest first.
 * Exit codes: 0 done, 1 usage error or a store without run history.
 */
import { parseArgs } from 'node:util';
import type { CatalogueStore, IngestRun, RunKind } from '../catalogue/catalogue-store.js';

export interface IngestRunsCommandDeps {
  store: CatalogueStore;
  out: (line: string) => void;
  err?: (line: string) => void;
}

export const RUNS_USAGE = `Cách dùng: npm run cli -- runs [--limit N] [--json]
  --limit N  chỉ in N lần nạp gần nhất (mặc định 20; 0 = tất cả)
  --json     in dạng JSON`;

const KIND_LABELS: Record<RunKind, string> = {
  ingest: 'nạp',
  withdraw: 'rút',
  direct: 'ghi trực tiếp',
  legacy: 'dữ liệu cũ',
};

const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** `2025-03-01 14:05:09` in Vietnam time, the way the centre's staff read clocks. */
export function formatRunTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Date(t.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function count(n: number | null): string {
  return n === null ? '?' : String(n);
}

export function formatRun(r: IngestRun): string {
  const state = r.error ? `LỖI: ${r.error}` : r.finishedAt ? `xong ${formatRunTime(r.finishedAt)}` : 'chưa xong';
  const paths = r.paths.length > 0 ? `  ${r.paths.join(', ')}` : '';
  return `#${r.id}  ${KIND_LABELS[r.kind] ?? r.kind}  ${formatRunTime(r.startedAt)} → ${state}  `
    + `+${r.added} ~${r.changed} −${r.removed} =${count(r.unchanged)} loại ${count(r.rejected)}${paths}`;
}

export async function runIngestRunsCommand(argv: string[], deps: IngestRunsCommandDeps): Promise<number> {
  const err = deps.err ?? deps.out;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    err(`Lỗi: ${(e as Error).message}`);
    err(RUNS_USAGE);
    return 1;
  }
  if (parsed.values.help) {
    deps.out(RUNS_USAGE);
    return 0;
  }
  const limit = parsed.values.limit === undefined ? 20 : Number(parsed.values.limit);
  if (!Number.isInteger(limit) || limit < 0) {
    err('Lỗi: --limit phải là số nguyên ≥ 0');
    return 1;
  }
  if (!deps.store.runs) {
    err('Lỗi: kho danh mục này không ghi lịch sử lần nạp');
    return 1;
  }
  const all = await deps.store.runs();
  const shown = (limit === 0 ? all : all.slice(-limit)).reverse();
  if (parsed.values.json) {
    deps.out(JSON.stringify(shown, null, 2));
    return 0;
  }
  if (all.length === 0) {
    deps.out('Chưa có lần nạp nào.');
    return 0;
  }
  deps.out(`Lần nạp: ${all.length}${shown.length < all.length ? ` (in ${shown.length} lần gần nhất)` : ''}`);
  deps.out('Cột: +thêm mới ~thay đổi −gỡ bỏ =không đổi, loại = bản ghi bị loại');
  for (const r of shown) deps.out(formatRun(r));
  return 0;
}
