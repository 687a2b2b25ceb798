/**
 * Parsers for the portal page's tables, which the crawler flattened by concatenating cells
 * without separators ("Trực tiếp60 Ngày làm việcMiễn phí…"). Each parser leans on what a cell
 * must look like (a channel label, a time, a fee, a quantity, a legal code) to find the joins.
 */
import type { ProcedureDocument, SubmissionChannel } from '../src/domain/procedure.js';
import { channelKind, findLegalCodes, textOrNull } from './load-result.js';

const NO_INFO = 'Không có thông tin';

// ---------------------------------------------------------------------------------------------
// Cách thức thực hiện: Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả

const CHANNEL_HEADER = 'Hình thức nộpThời gianPhí, lệ phíMô tả';
/**
 * A row starts with a label glued to a time ("Trực tiếp60…", "Trực tuyếnKhông quy định…").
 * Descriptions mention labels too ("+ Trực tiếp: nộp hồ sơ…"), but with a colon or a space
 * after them, so the lookahead keeps those inside the description.
 */
const ROW_START = /(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|Không)/gu;
const TIME_UNITS = 'Ngày làm việc|Ngày|Giờ|Tháng|Năm|Tuần|Phút';
const TIME = new RegExp(`^(\\d+(?:[.,]\\d+)?)(?:\\s*(${TIME_UNITS}))?`, 'u');
const CURRENCY = 'Việt Nam Đồng|VNĐ|Đồng|đồng|USD|EUR';
const AMOUNT = new RegExp(`^\\d[\\d.,]*\\s*(?:${CURRENCY})`, 'u');
const LABELLED_FEE = new RegExp(`^(?:Lệ phí|Phí)\\s*:\\s*[\\d.,]+\\s*(?:${CURRENCY})`, 'u');

/** Length of a parenthesised remark at the start of `s`, with nested parentheses; 0 if none. */
function parenthesisedLength(s: string): number {
  if (!s.startsWith('(')) return 0;
  let depth = 0;
  let lastClose = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      if (--depth === 0) return i + 1;
      // Remember where a remark could end if the page never balances it.
      if (/^\)(?:[+\-\p{Lu}]|$)/u.test(s.slice(i, i + 2))) lastClose = i + 1;
    }
  }
  return lastClose;
}

/**
 * A bare number glued to an amount ("1100 VNĐ(Phí công bố…: 100.000 đồng") hides where the
 * time ends. The remark usually repeats the amount, so the split that leaves a fee whose
 * digits the remark starts with wins; otherwise the time is taken to be the first digit,
 * since times without a unit are small counts of days.
 */
function splitGluedTimeAndAmount(digits: string, rest: string): [string, string] | undefined {
  const m = /^(\d+)\s*(?:VNĐ|Việt Nam Đồng|Đồng|đồng|USD)/u.exec(digits + rest);
  if (!m || digits.length < 2) return undefined;
  const remark = /\(([^)]*)/u.exec(rest.slice(rest.search(/\(/u)))?.[1]?.replace(/[.,\s]/g, '') ?? '';
  for (let cut = 1; cut < digits.length; cut++) {
    const fee = digits.slice(cut);
    if (remark.includes(fee) && !fee.startsWith('0')) return [digits.slice(0, cut), fee];
  }
  return [digits.slice(0, 1), digits.slice(1)];
}

export function parseChannelTable(section: string | null): SubmissionChannel[] {
  const text = textOrNull(section);
  if (!text) return [];
  const body = text.startsWith(CHANNEL_HEADER) ? text.slice(CHANNEL_HEADER.length) : text;
  const starts = [...body.matchAll(ROW_START)];
  const channels: SubmissionChannel[] = [];
  starts.forEach((m, i) => {
    const label = m[1]!;
    const end = i + 1 < starts.length ? starts[i + 1]!.index : body.length;
    let rest = body.slice(m.index + label.length, end);
    let processingTime: string | null = null;
    const t = TIME.exec(rest);
    if (rest.startsWith(NO_INFO)) {
      rest = rest.slice(NO_INFO.length);
    } else if (t) {
      let number = t[1]!;
      let after = rest.slice(t[0].length);
      if (!t[2] && /^\s*(?:VNĐ|Việt Nam Đồng|Đồng|USD)/u.test(after)) {
        const split = splitGluedTimeAndAmount(number, after);
        if (split) {
          number = split[0];
          after = split[1] + after;
        }
      }
      processingTime = t[2] ? `${number} ${t[2]}` : number;
      rest = after;
    } else {
      // "Không quy định", "Không phải trả kết quả…": a worded time that runs until the fee.
      const stop = rest.search(/Miễn phí|Không có thông tin|\d/u);
      processingTime = textOrNull(stop > 0 ? rest.slice(0, stop) : rest);
      rest = stop > 0 ? rest.slice(stop) : '';
    }

    let fee: string | null = null;
    const feeMatch = /^Miễn phí/u.exec(rest) ?? AMOUNT.exec(rest) ?? LABELLED_FEE.exec(rest);
    if (rest.startsWith(NO_INFO)) {
      rest = rest.slice(NO_INFO.length);
    } else if (feeMatch) {
      let feeText = feeMatch[0];
      rest = rest.slice(feeText.length);
      const remark = parenthesisedLength(rest);
      if (remark > 0) {
        feeText += ` ${rest.slice(0, remark)}`;
        rest = rest.slice(remark);
      }
      fee = textOrNull(feeText);
    }
    const kind = channelKind(label)!;
    channels.push({ kind, label, processingTime, fee, description: textOrNull(rest) });
  });
  return channels;
}

// ---------------------------------------------------------------------------------------------
// Thành phần hồ sơ: Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng, possibly several tables with a
// case heading before each ("* Giấy tờ phải nộp:", "1. Đối với học viên tuyển mới:").

const DOCUMENT_HEADER = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';
const QUANTITY = /\d+\s*bản\s*(?:chính|sao)(?:\s*,\s*\d+\s*bản\s*(?:chính|sao))*/gu;
/** A quantity inside a name ("(01 bản sao công chứng)") goes on with a word or a bracket. */
const NOT_A_QUANTITY_CELL = /^(?:\s+\p{Ll}|\p{Ll}{2}|\s*\))/u;
const FORM_EXT = /\.(?:docx?|xlsx?|pdf|rar|zip|odt)$/iu;
/** One file name each, longest extension first so ".docx" is not cut after ".doc". */
const FORM_NAME = /.+?\.(?:docx|doc|xlsx|xls|pdf|rar|zip|odt|DOCX|DOC|XLSX|XLS|PDF|RAR|ZIP|ODT)(?![a-z])/gu;

const isLower = (c: string | undefined): boolean => !!c && /\p{Ll}/u.test(c);
const isUpper = (c: string | undefined): boolean => !!c && /\p{Lu}/u.test(c);
const isDigit = (c: string | undefined): boolean => !!c && /\d/.test(c);
const isLetter = (c: string | undefined): boolean => isLower(c) || isUpper(c);

/**
 * Where the form file name starts in a name cell glued to its form cell. The strongest sign
 * is punctuation glued to the next word ("(NA20).Mau NA20-BCA.docx", "theo mẫu;Mau 6.6.docx");
 * after it, or when there is none, a change of case or digit without a space
 * ("khoáng sảnMau 09…", "15/5/2024Mus02.docx", "nhóm IVMau 36…").
 */
function formStart(row: string, blockEnd: number): number {
  let strong = -1;
  for (let p = 1; p < blockEnd; p++) {
    const prev = row[p - 1];
    const c = row[p];
    if (prev === ';' && (isLetter(c) || isDigit(c))) strong = p;
    else if (prev === ')' && (isLetter(c) || isDigit(c))) strong = p;
    else if (prev === '.' && p >= 2) {
      // A sentence end, not a decimal point or a version inside a file name ("36.2025.TT").
      const before = row[p - 2];
      if (isLetter(c) && (isLetter(before) || before === ')')) strong = p;
      else if (isDigit(c) && (isLower(before) || before === ')')) strong = p;
      // "…ngày 30/6/2023.NA5.doc": a sentence ending in a date.
      else if (isUpper(c) && /\d{1,2}\/\d{1,2}\/\d{4}$/u.test(row.slice(Math.max(0, p - 12), p - 1))) strong = p;
    }
  }
  const from = Math.max(strong, 1);
  for (let p = from; p < blockEnd; p++) {
    const prev = row[p - 1];
    const c = row[p];
    const lowerToUpper = isLower(prev) && isUpper(c);
    const acronymToWord = isUpper(prev) && isUpper(c) && isLower(row[p + 1]) && p >= 2 && isUpper(row[p - 2]);
    // After a punctuation boundary, a case change only counts if a phrase (with a space) sits
    // between them; otherwise it is inside a camel-cased file name ("Mau;MauDanhsach.docx").
    if ((lowerToUpper || acronymToWord) && (strong === -1 || /\s/u.test(row.slice(strong, p)))) return p;
    if (strong === -1 && ((isLower(prev) && isDigit(c)) || (isDigit(prev) && isUpper(c)))) return p;
  }
  return strong;
}

function splitNameAndForms(cell: string): { name: string; forms: string[] } {
  const row = cell.trim();
  if (!FORM_EXT.test(row)) return { name: row, forms: [] };
  // The form block may hold several files glued together; find where the first one ends.
  const firstExt = row.search(/\.(?:docx?|xlsx?|pdf|rar|zip|odt)(?=\S|$)/iu);
  const start = formStart(row, firstExt);
  if (start <= 0) return { name: row, forms: [] };
  const name = row.slice(0, start).trim();
  const forms = (row.slice(start).match(FORM_NAME) ?? []).map((f) => f.trim()).filter(Boolean);
  return name ? { name, forms } : { name: row, forms };
}

function cleanCase(text: string): string | null {
  const t = text
    .replace(/^[\s\-–*]+/u, '')
    .replace(/[\s:]+$/u, '')
    .trim();
  return textOrNull(t);
}

function cleanName(text: string): string {
  return text.replace(/^[\s\-–+•\t]+/u, '').replace(/\s+/gu, ' ').trim();
}

export function parseDocumentTable(section: string | null): ProcedureDocument[] {
  const text = textOrNull(section);
  if (!text) return [];
  const parts = text.split(DOCUMENT_HEADER);
  const documents: ProcedureDocument[] = [];
  // Text before the first header is that table's case heading; text after a table's last
  // quantity is the next table's heading.
  let pendingCase = parts.length > 1 ? cleanCase(parts[0]!) : null;
  const bodies = parts.length > 1 ? parts.slice(1) : parts;
  bodies.forEach((body, tableIndex) => {
    const tableCase = pendingCase;
    let cursor = 0;
    for (const q of body.matchAll(QUANTITY)) {
      if (NOT_A_QUANTITY_CELL.test(body.slice(q.index + q[0].length, q.index + q[0].length + 3))) continue;
      const cell = body.slice(cursor, q.index);
      cursor = q.index + q[0].length;
      const { name, forms } = splitNameAndForms(cell);
      const cleaned = cleanName(name);
      if (!cleaned) continue;
      documents.push({ name: cleaned, quantity: q[0].replace(/\s*,\s*/gu, ', '), forms, case: tableCase });
    }
    const leftover = body.slice(cursor);
    if (tableIndex < bodies.length - 1) {
      pendingCase = cleanCase(leftover);
    } else {
      const trailing = cleanName(leftover);
      if (textOrNull(trailing)) {
        const { name, forms } = splitNameAndForms(trailing);
        documents.push({ name: cleanName(name), quantity: null, forms, case: tableCase });
      }
    }
  });
  return documents;
}

// ---------------------------------------------------------------------------------------------
// Căn cứ pháp lý: Tên văn bản pháp lý | Mã văn bản

const LEGAL_HEADER = 'Tên văn bản pháp lýMã văn bản';
export interface LegalTable {
  text: string | null;
  codes: string[];
}

export function parseLegalTable(section: string | null): LegalTable {
  const raw = textOrNull(section);
  if (!raw) return { text: null, codes: [] };
  const body = raw.startsWith(LEGAL_HEADER) ? raw.slice(LEGAL_HEADER.length) : raw;
  const rows: string[] = [];
  const codes: string[] = [];
  let cursor = 0;
  const matches = findLegalCodes(body);
  for (const { code, end } of matches) {
    const next = body[end];
    // A code ends its row when the next row's name starts right after it (no space).
    if (!(next === undefined || isUpper(next) || body.slice(end).trim() === '')) continue;
    const cell = body.slice(cursor, end);
    cursor = end;
    const name = cell.endsWith(code) ? cell.slice(0, -code.length).trim() : cell.trim();
    rows.push(name && name !== code ? `${name} (${code})` : code);
  }
  const trailing = body.slice(cursor).trim();
  if (trailing) rows.push(trailing);
  // Codes cited inside names ("sửa đổi Thông tư số 85/2019/TT-BTC") count as legal basis too.
  for (const m of matches) codes.push(m.code);
  return { text: rows.length > 0 ? rows.join('\n') : null, codes: [...new Set(codes)] };
}

// ---------------------------------------------------------------------------------------------
// Kết quả xử lý: results each followed by "Mã: KQ.…", then "Từ khóa" and "Mô tả".

export interface ResultSection {
  result: string | null;
  keywords: string[];
  description: string | null;
}

const PAGE_TAIL = /Chọn cơ quan thực hiện|Nộp hồ sơ$/u;

export function parseResultSection(result: string | null, keywords: string | null, description: string | null): ResultSection {
  let resultText = textOrNull(result);
  if (resultText) {
    resultText = resultText
      .replace(/\s*Mã\s*:\s*(KQ\.[A-Z0-9.]+)/gu, ' (mã kết quả $1)\n')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .join('\n');
  }
  const kw = textOrNull(keywords);
  const keywordList = kw
    ? [...new Set(kw.split(/[;\n]|,\s+/u).map((s) => s.trim()).filter((s) => s.length > 1))]
    : [];
  const tailAt = description ? description.search(PAGE_TAIL) : -1;
  const desc = textOrNull(tailAt >= 0 ? description!.slice(0, tailAt) : description);
  return { result: textOrNull(resultText), keywords: keywordList, description: desc };
}
