import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { SourceKind } from '../src/domain/procedure.js';
import { reject, type LoadRejection } from './load-result.js';
import { NORMALISED_KEYS } from './load-normalised-jsonl.js';

export type DetectedFormat = { ok: true; kind: SourceKind; parsed?: unknown } | LoadRejection;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** How much of a JSONL file is read to recognise it; a longer first line is judged by extension. */
const SNIFF_BYTES = 1024 * 1024;

function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 4096);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

function isZip(head: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => head[i] === b);
}

/** Reads the first bytes of a file without loading the whole of it. */
export async function readHead(path: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export function detectJsonShape(file: string, value: unknown): DetectedFormat {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if ('ma_thu_tuc' in o && 'raw_text' in o) return { ok: true, kind: 'portal_raw', parsed: value };
    if ('metadata' in o && 'tables' in o) return { ok: true, kind: 'word_export', parsed: value };
  }
  return reject(
    file,
    'unknown_format',
    'JSON không theo định dạng nào đã biết (trang cổng: ma_thu_tuc + raw_text; bản xuất Word: metadata + tables)',
  );
}

/**
 * Decides a file's format from its extension and its first bytes; `content` is the whole file
 * for formats read whole (.json, .xlsx), and only the head for JSONL, which is streamed later.
 */
export function detectFormat(file: string, head: Uint8Array, wholeFile: boolean): DetectedFormat {
  const ext = extname(file).toLowerCase();
  if (head.length === 0) return reject(file, 'empty_file', 'Tệp rỗng');
  if (ext === '.xlsx') {
    return isZip(head)
      ? { ok: true, kind: 'portal_list' }
      : reject(file, 'invalid_xlsx', 'Tệp .xlsx không phải tệp Excel hợp lệ (không phải định dạng zip)');
  }
  if (isZip(head) || looksBinary(head)) return reject(file, 'binary_file', 'Tệp nhị phân, không đọc được như văn bản hay Excel');
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('utf8');
  if (text.trim() === '') return reject(file, 'empty_file', 'Tệp chỉ có khoảng trắng');

  if (ext === '.jsonl' || ext === '.ndjson') {
    const firstLine = text.split('\n').find((l) => l.trim() !== '');
    const complete = firstLine !== undefined && (text.includes('\n') || wholeFile);
    if (!complete) return { ok: true, kind: 'normalised_jsonl' };
    try {
      const row = JSON.parse(firstLine) as Record<string, unknown>;
      if (row && typeof row === 'object' && NORMALISED_KEYS.every((k) => k in row)) return { ok: true, kind: 'normalised_jsonl' };
      return reject(file, 'unknown_format', `JSONL không phải danh mục thủ tục đã chuẩn hoá (dòng đầu thiếu ${NORMALISED_KEYS.join(', ')})`);
    } catch {
      // A broken first line is that line's problem; the loader reports it and goes on.
      return { ok: true, kind: 'normalised_jsonl' };
    }
  }
  if (ext === '.json' || text.trimStart().startsWith('{')) {
    if (!wholeFile) return { ok: true, kind: 'portal_raw' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return reject(file, 'invalid_json', `JSON hỏng: ${(e as Error).message}`);
    }
    return detectJsonShape(file, parsed);
  }
  return reject(file, 'unknown_format', `Định dạng không được hỗ trợ (${ext || 'không có phần mở rộng'}); nhận .json, .jsonl, .xlsx`);
}
