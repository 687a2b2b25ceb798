import type { ProcedureInput } from '../src/domain/procedure.js';
import { reject, textOrNull, validated, type LoadItem } from './load-result.js';
import { readFirstSheet, XlsxError } from './xlsx.js';

/**
 * The portal's "DANH SÁCH THỦ TỤC HÀNH CHÍNH" export: a title block, then a header row
 * (Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh vực), then one row per procedure.
 * These rows become `list` records that a detailed source completes later.
 */
const HEADERS = {
  id: 'mã số',
  name: 'tên',
  ministry: 'cơ quan ban hành',
  agency: 'cơ quan thực hiện',
  field: 'lĩnh vực',
} as const;

const norm = (s: string): string => s.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();

/** Several agencies are listed one per line; the schema holds one text. */
const agencies = (s: string | null): string | null =>
  s ? s.split(/\n+/u).map((x) => x.trim()).filter(Boolean).join('; ') : null;

export async function* loadPortalList(file: string, content: Buffer): AsyncIterable<LoadItem> {
  let rows;
  try {
    rows = readFirstSheet(content);
  } catch (e) {
    const why = e instanceof XlsxError ? e.message : String(e);
    yield reject(file, 'invalid_xlsx', `Tệp Excel hỏng: ${why}`);
    return;
  }
  const headerIndex = rows.findIndex((r) => r.cells.some((c) => norm(c) === HEADERS.id) && r.cells.some((c) => norm(c) === HEADERS.name));
  if (headerIndex < 0) {
    yield reject(file, 'invalid_xlsx', 'Không tìm thấy dòng tiêu đề (Mã số, Tên, Cơ quan ban hành, Cơ quan thực hiện, Lĩnh vực)');
    return;
  }
  const header = rows[headerIndex]!.cells.map(norm);
  const col = Object.fromEntries(Object.entries(HEADERS).map(([k, h]) => [k, header.indexOf(h)])) as Record<keyof typeof HEADERS, number>;
  const cell = (cells: string[], key: keyof typeof HEADERS): string | null => (col[key] >= 0 ? textOrNull(cells[col[key]]) : null);

  for (const { row, cells } of rows.slice(headerIndex + 1)) {
    if (cells.every((c) => c.trim() === '')) continue;
    const id = cell(cells, 'id') ?? '';
    const record: ProcedureInput = {
      id,
      name: cell(cells, 'name') ?? '',
      field: cell(cells, 'field'),
      agency: agencies(col.agency >= 0 ? cells[col.agency]?.trim() || null : null),
      ministry: cell(cells, 'ministry'),
      completeness: 'list',
      sources: [{ kind: 'portal_list', file, repo: null, commit: null }],
    };
    yield validated(file, record, { line: row, ...(id ? { id } : {}) });
  }
}
