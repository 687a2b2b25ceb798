import { Procedure, type ChannelKind, type ProcedureInput, type SourceRef } from '../src/domain/procedure.js';

/** Why a file or a record was not taken; `code` groups the report, `reason` is for people. */
export type RejectCode =
  | 'empty_file'
  | 'binary_file'
  | 'unknown_format'
  | 'invalid_json'
  | 'line_too_long'
  | 'invalid_record'
  | 'code_mismatch'
  | 'invalid_xlsx'
  | 'read_error';

export interface LoadRejection {
  ok: false;
  file: string;
  code: RejectCode;
  reason: string;
  /** The procedure code, when it could be read. */
  id?: string;
  /** 1-based line of a JSONL file or row of a sheet. */
  line?: number;
}

export interface LoadAccepted {
  ok: true;
  record: Procedure;
  source: SourceRef;
}

export type LoadItem = LoadAccepted | LoadRejection;

export function reject(file: string, code: RejectCode, reason: string, extra: Partial<LoadRejection> = {}): LoadRejection {
  return { ok: false, file, code, reason, ...extra };
}

/** Validates a mapped record; a failure names the first few zod issues by path. */
export function validated(file: string, input: ProcedureInput, extra: Partial<LoadRejection> = {}): LoadItem {
  const parsed = Procedure.safeParse(input);
  if (parsed.success) return { ok: true, record: parsed.data, source: parsed.data.sources[0]! };
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(bản ghi)'}: ${i.message}`)
    .join('; ');
  const id = typeof input.id === 'string' ? input.id : undefined;
  return reject(file, 'invalid_record', `Bản ghi không hợp lệ — ${issues}`, { ...(id ? { id } : {}), ...extra });
}

const NO_INFO = /^(không có thông tin|không có|chưa có thông tin)\.?$/i;

/** Trimmed text, or null when the source says nothing ("Không có thông tin", empty). */
export function textOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.normalize('NFC').replace(/[ \t\u00a0]+/g, ' ').trim();
  if (t === '' || t === '--' || NO_INFO.test(t)) return null;
  return t;
}

const CHANNEL_KINDS: Record<string, ChannelKind> = {
  'trực tiếp': 'in_person',
  'trực tuyến': 'online',
  'dịch vụ bưu chính': 'post',
  'bưu chính': 'post',
  'bưu chính công ích': 'post',
  in_person: 'in_person',
  online: 'online',
  post: 'post',
};

export function channelKind(label: string): ChannelKind | undefined {
  return CHANNEL_KINDS[label.normalize('NFC').trim().toLowerCase()];
}

/** "Cấp bộ, Cấp Tỉnh" → ["Cấp bộ", "Cấp tỉnh"]; sources disagree on capitals, filters must not. */
export function splitLevels(value: unknown): string[] {
  const t = textOrNull(value);
  if (!t) return [];
  const levels = t
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.replace(/^(Cấp) (\p{L}+)/u, (_, c: string, w: string) => `${c} ${w.toLowerCase()}`));
  return [...new Set(levels)];
}

/**
 * Official legal codes such as 85/2019/TT-BTC, 123/2015/NĐ-CP, 60/2014/QH13, 66.7/2025/NQ-CP,
 * 12/2021/QĐ-TTg. Only National Assembly codes end in digits ("QH13", at most two) so that
 * "Luật 60/2014/QH1360/2014/QH13" (name and code cells glued) yields two codes.
 */
const LEGAL_CODE_PATTERN = /\d+(?:\.\d+)?\/\d{4}\/(?:TTg|[A-ZĐ]*QH\d{1,2}|[A-ZĐ]+)(?:\s?-\s?(?:TTg|[A-ZĐ]+))*/gu;

export interface CodeMatch {
  code: string;
  index: number;
  end: number;
}

/** Legal codes in text, repaired for the crawler's glued cells. */
export function findLegalCodes(text: string): CodeMatch[] {
  const found: CodeMatch[] = [];
  for (const m of text.matchAll(LEGAL_CODE_PATTERN)) {
    let code = m[0];
    let index = m.index;
    let end = index + code.length;
    // The capital starting the next cell was swallowed: "TT-BTCNghị định" → "TT-BTC".
    if (/\p{Ll}/u.test(text[end] ?? '') && /\p{Lu}/u.test(code[code.length - 1]!)) {
      code = code.slice(0, -1);
      end -= 1;
    }
    // A year ending the name cell was glued to the number: "Luật … năm 201102/2011/QH13".
    const number = /^\d+/.exec(code)![0];
    if (number.length > 4 && /^(19|20)\d\d/.test(number)) {
      code = code.slice(4);
      index += 4;
    }
    found.push({ code: code.replace(/\s/g, ''), index, end });
  }
  return found;
}

export function legalCodesIn(text: string): string[] {
  return [...new Set(findLegalCodes(text.normalize('NFC')).map((m) => m.code))];
}

export function uniqueStrings(values: Iterable<string>): string[] {
  return [...new Set([...values].map((v) => v.trim()).filter(Boolean))];
}

/**
 * Parses a file that must hold one JSON object, or returns the rejection that says why it does
 * not (`notObject` names what the loader expected).
 */
export function parseJsonObject(file: string, content: Buffer | string, notObject: string): { ok: true; value: object } | { ok: false; rejection: LoadRejection } {
  let value: unknown;
  try {
    value = JSON.parse(typeof content === 'string' ? content : content.toString('utf8'));
  } catch (e) {
    return { ok: false, rejection: reject(file, 'invalid_json', `JSON hỏng: ${(e as Error).message}`) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, rejection: reject(file, 'unknown_format', notObject) };
  return { ok: true, value };
}
