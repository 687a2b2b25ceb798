/**
 * `npm run cli -- diff [FROM] [TO] [--json]`: what changed in the catalogue between two ingest
 * runs. FROM and TO are run ids, `latest`, or ISO dates/timestamps (the last run finished by
 * then). No argument: the run before the latest against the latest; one argument: it against
 * the latest. Exit codes: 0 done, 1 usage error or unknown run.
 */
import { parseArgs } from 'node:util';
import { diffRuns, RunSelectorError, type CatalogueDiff, type ResolvedRun } from '../catalogue/catalogue-diff.js';
import type { CatalogueStore } from '../catalogue/catalogue-store.js';
import type { FieldChange } from '../catalogue/field-changes.js';
import { formatRunTime } from './ingest-runs-command.js';

export interface CatalogueCommandDeps {
  store: CatalogueStore;
  out: (line: string) => void;
  /** Where errors and usage go; `out` when not given. */
  err?: (line: string) => void;
}

export const DIFF_USAGE = `Cách dùng: npm run cli -- diff [TỪ] [ĐẾN] [--json]
  TỪ, ĐẾN   số lần nạp, "latest", hoặc ngày/giờ ISO (2025-03-01, 2025-03-01T08:00:00+07:00):
            lần nạp cuối cùng đã xong trước thời điểm đó. 0 = trước mọi lần nạp được ghi.
            Không có đối số: lần nạp áp chót → lần nạp mới nhất; một đối số: nó → mới nhất.
  --json    in kết quả đầy đủ dạng JSON`;

/** Values shorter than this are shown as before → after; longer ones only by field name. */
const SHOWN_VALUE_CHARS = 80;

function shown(value: unknown): string | undefined {
  if (value === null || value === undefined) return '(trống)';
  if (typeof value === 'string') return value.length <= SHOWN_VALUE_CHARS ? JSON.stringify(value) : undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    const text = JSON.stringify(value);
    return text.length <= SHOWN_VALUE_CHARS ? text : undefined;
  }
  return undefined;
}

function describeChange(c: FieldChange): string {
  if (c.detail) return `${c.field}: ${c.detail}`;
  if (/^channels\.[^.]+$/u.test(c.field)) return `${c.field}: ${c.before === null ? 'thêm kênh nộp' : 'bỏ kênh nộp'}`;
  const [x, y] = [shown(c.before), shown(c.after)];
  return x !== undefined && y !== undefined ? `${c.field}: ${x} → ${y}` : c.field;
}

function runLabel(r: ResolvedRun): string {
  if (!r.run) return `lần nạp ${r.id} (trước mọi lần nạp)`;
  const at = r.run.finishedAt ?? r.run.startedAt;
  return `lần nạp ${r.id} (${formatRunTime(at)})`;
}

const REMOVAL: Record<CatalogueDiff['removed'][number]['reason'], string> = {
  withdrawn: 'đã rút khỏi danh mục',
  expired: 'đã hết hiệu lực',
  absent: 'không có ở lần nạp sau',
};

/** The readable report, one line per entry. */
export function formatDiff(diff: CatalogueDiff): string[] {
  const lines = [
    `So sánh danh mục: ${runLabel(diff.from)} → ${runLabel(diff.to)}`,
    `Thêm mới: ${diff.added.length} · Thay đổi: ${diff.changed.length} · Gỡ bỏ: ${diff.removed.length} · Không đổi: ${diff.unchanged}`,
  ];
  if (diff.added.length > 0) {
    lines.push('', `Thêm mới (${diff.added.length}):`);
    for (const a of diff.added) lines.push(`  + ${a.id}  ${a.name}`);
  }
  if (diff.changed.length > 0) {
    lines.push('', `Thay đổi (${diff.changed.length}):`);
    for (const c of diff.changed) {
      lines.push(`  ~ ${c.id}  ${c.name}  [${c.changes.map((x) => x.field).join(', ')}]`);
      for (const change of c.changes) lines.push(`      ${describeChange(change)}`);
    }
  }
  if (diff.removed.length > 0) {
    lines.push('', `Gỡ bỏ (${diff.removed.length}):`);
    for (const r of diff.removed) {
      const until = r.effectiveTo ? `, hiệu lực đến hết ${r.effectiveTo}` : '';
      lines.push(`  - ${r.id}  ${r.name}  (${REMOVAL[r.reason]}${until})`);
    }
  }
  if (diff.added.length + diff.changed.length + diff.removed.length === 0) lines.push('Không có thay đổi nào.');
  return lines;
}

export async function runDiffCommand(argv: string[], deps: CatalogueCommandDeps): Promise<number> {
  const err = deps.err ?? deps.out;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (e) {
    err(`Lỗi: ${(e as Error).message}`);
    err(DIFF_USAGE);
    return 1;
  }
  if (parsed.values.help) {
    deps.out(DIFF_USAGE);
    return 0;
  }
  if (parsed.positionals.length > 2) {
    err('Lỗi: chỉ nhận tối đa hai lần nạp');
    err(DIFF_USAGE);
    return 1;
  }
  if (!deps.store.runs) {
    err('Lỗi: kho danh mục này không ghi lịch sử lần nạp');
    return 1;
  }
  let [from, to] = parsed.positionals;
  if (from === undefined) {
    const runs = await deps.store.runs();
    const previous = runs[runs.length - 2];
    from = previous ? String(previous.id) : '0';
  }
  try {
    const diff = await diffRuns(deps.store, from, to ?? 'latest');
    if (parsed.values.json) deps.out(JSON.stringify(diff, null, 2));
    else for (const line of formatDiff(diff)) deps.out(line);
    return 0;
  } catch (e) {
    if (!(e instanceof RunSelectorError)) throw e;
    err(`Lỗi: ${e.message}`);
    return 1;
  }
}
