/**
 * `npm run ingest -- <file-or-folder>... [--data-dir DIR] [--json]`
 * Exit codes: 0 ran (even with rejected records), 1 usage error, 2 nothing could be read.
 */
import { resolve } from 'node:path';
import { openCatalogueStore } from '../src/catalogue/sqlite-catalogue-store.js';
import { runIngest, type IngestProgress, type IngestReport } from './run-ingest.js';

const USAGE = `Cách dùng: npm run ingest -- <tệp-hoặc-thư-mục>... [--data-dir THƯ_MỤC] [--json]
  --data-dir  nơi lưu catalogue.sqlite (mặc định: biến DATA_DIR hoặc ./data)
  --json      in báo cáo đầy đủ dạng JSON ra stdout`;

/** Rejections printed per reason before "… and N more"; --json has them all. */
const PRINT_CAP = 10;

interface Args {
  paths: string[];
  dataDir: string;
  json: boolean;
}

export function parseArgs(argv: string[], env: { DATA_DIR?: string | undefined }): Args | string {
  const paths: string[] = [];
  let dataDir = env.DATA_DIR || './data';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--data-dir') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) return 'Thiếu giá trị cho --data-dir';
      dataDir = v;
    } else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '--help' || a === '-h') return '';
    else if (a.startsWith('--')) return `Tuỳ chọn không hợp lệ: ${a}`;
    else paths.push(a);
  }
  if (paths.length === 0) return 'Cần ít nhất một tệp hoặc thư mục để nạp';
  return { paths, dataDir, json };
}

/** A one-line bar redrawn with `\r`; only when a person is watching stderr. */
function progressBar(stream: NodeJS.WriteStream): ((p: IngestProgress) => void) & { end(): void } {
  let last = 0;
  let drawn = false;
  const draw = (p: IngestProgress): void => {
    const now = Date.now();
    if (p.done < p.total && now - last < 100) return;
    last = now;
    const width = 30;
    const ratio = p.total === 0 ? 1 : p.done / p.total;
    const filled = Math.round(ratio * width);
    const label = p.phase === 'read' ? 'Đọc tệp' : 'Lưu    ';
    const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}`;
    stream.write(`\r${line.padEnd(Math.min(stream.columns ?? 80, 100) - 1)}`);
    drawn = true;
  };
  return Object.assign(draw, {
    end: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  });
}

const REASON_TITLES: Record<string, string> = {
  code_mismatch: 'Trang của thủ tục khác (mã trong tệp khác tên tệp)',
  invalid_record: 'Bản ghi không hợp lệ',
  invalid_json: 'JSON hỏng',
  line_too_long: 'Dòng quá dài',
  empty_file: 'Tệp rỗng',
  binary_file: 'Tệp nhị phân',
  unknown_format: 'Định dạng không nhận ra',
  invalid_xlsx: 'Tệp Excel hỏng',
  read_error: 'Không đọc được',
};

export function formatReport(r: IngestReport): string {
  const lines: string[] = [];
  const kinds = Object.entries(r.recordsByKind).map(([k, n]) => `${k} ${n}`).join(', ');
  if (r.runId !== undefined) lines.push(`Lần nạp số ${r.runId} (xem: npm run cli -- runs; so sánh: npm run cli -- diff)`);
  lines.push(`Tệp: ${r.filesRead}/${r.filesSeen} đọc được`);
  lines.push(`Bản ghi đọc: ${r.recordsRead}${kinds ? ` (${kinds})` : ''} → ${r.codes} mã thủ tục`);
  lines.push(`Thêm mới: ${r.added.length} · Thay đổi: ${r.changed.length} · Không đổi: ${r.unchanged.length} · Bị loại: ${r.rejected.length}`);
  const groups = new Map<string, typeof r.rejected>();
  for (const x of r.rejected) {
    const g = groups.get(x.code);
    if (g) g.push(x);
    else groups.set(x.code, [x]);
  }
  for (const [code, items] of groups) {
    lines.push(`  ${REASON_TITLES[code] ?? code}: ${items.length}`);
    for (const x of items.slice(0, PRINT_CAP)) lines.push(`    - ${x.file}${x.line ? `:${x.line}` : ''} — ${x.reason}`);
    if (items.length > PRINT_CAP) lines.push(`    … và ${items.length - PRINT_CAP} mục khác (xem --json)`);
  }
  if (r.duplicates.length > 0) {
    lines.push(`Mã trùng trong cùng loại nguồn (đã gộp, tệp sau được ưu tiên): ${r.duplicates.length}`);
    for (const d of r.duplicates.slice(0, PRINT_CAP)) lines.push(`    - ${d.id} (${d.kind}): ${d.files.join(', ')}`);
    if (r.duplicates.length > PRINT_CAP) lines.push(`    … và ${r.duplicates.length - PRINT_CAP} mã khác (xem --json)`);
  }
  lines.push(`Thời gian: ${(r.elapsedMs / 1000).toFixed(1)} giây`);
  return lines.join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = parseArgs(argv, env);
  if (typeof args === 'string') {
    process.stderr.write(`${args ? `${args}\n` : ''}${USAGE}\n`);
    return args ? 1 : 0;
  }
  const store = openCatalogueStore(resolve(args.dataDir));
  const bar = process.stderr.isTTY ? progressBar(process.stderr) : undefined;
  try {
    const report = await runIngest(args.paths, store, bar ? { onProgress: bar } : {});
    bar?.end();
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatReport(report)}\n`);
    return report.recordsRead === 0 ? 2 : 0;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('ingest-cli.ts')) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`Lỗi: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
