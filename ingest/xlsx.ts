import { unzipSync } from 'fflate';

/**
 * Just enough of SpreadsheetML to read the first sheet of the portal's list exports as rows of
 * cell text: shared strings, inline strings and plain values. Styles, formulas and dates are
 * not needed for these files.
 */
const decoder = new TextDecoder('utf-8');

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/gu, (_m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]!;
  });
}

/** Text of all `<t>` runs inside one `<si>` or `<is>`, ignoring phonetic hints. */
function runText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/gu, '');
  let out = '';
  for (const m of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/gu)) out += m[1] ?? '';
  return unescapeXml(out);
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/u.exec(ref)?.[0] ?? 'A';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export interface SheetRow {
  /** 1-based row number as in the sheet. */
  row: number;
  cells: string[];
}

export class XlsxError extends Error {}

export function readFirstSheet(bytes: Uint8Array): SheetRow[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => f.name === 'xl/sharedStrings.xml' || f.name.startsWith('xl/worksheets/sheet'),
    });
  } catch (e) {
    throw new XlsxError(`không giải nén được (${(e as Error).message})`);
  }
  const sheetName =
    'xl/worksheets/sheet1.xml' in files
      ? 'xl/worksheets/sheet1.xml'
      : Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/u.test(n)).sort()[0];
  if (!sheetName) throw new XlsxError('không có trang tính nào (xl/worksheets/sheet1.xml)');
  const shared: string[] = [];
  const sst = files['xl/sharedStrings.xml'];
  if (sst) for (const m of decoder.decode(sst).matchAll(/<si>([\s\S]*?)<\/si>/gu)) shared.push(runText(m[1]!));

  const xml = decoder.decode(files[sheetName]!);
  const rows: SheetRow[] = [];
  for (const r of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/gu)) {
    const rowNumber = Number(/\br="(\d+)"/u.exec(r[1]!)?.[1] ?? rows.length + 1);
    const cells: string[] = [];
    for (const c of (r[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/gu)) {
      const attrs = c[1]!;
      const inner = c[2] ?? '';
      const ref = /\br="([A-Z]+\d+)"/u.exec(attrs)?.[1];
      const col = ref ? columnIndex(ref) : cells.length;
      const type = /\bt="(\w+)"/u.exec(attrs)?.[1];
      const v = /<v>([\s\S]*?)<\/v>/u.exec(inner)?.[1];
      let text = '';
      if (type === 's' && v !== undefined) text = shared[Number(v)] ?? '';
      else if (type === 'inlineStr') text = runText(/<is>([\s\S]*?)<\/is>/u.exec(inner)?.[1] ?? '');
      else if (v !== undefined) text = unescapeXml(v);
      cells[col] = text;
    }
    rows.push({ row: rowNumber, cells: Array.from(cells, (x) => x ?? '') });
  }
  return rows;
}
