/**
 * Receipt codes (mã hồ sơ / số biên nhận) as citizens type them. Hanoi's one-stop system prints
 * codes such as `000.00.18.H26-250115-0001` (agency code, province H26, yymmdd, sequence) and
 * shorter `H26.99-250101-0002`; other systems print plain alphanumerics. The two printed shapes
 * are recognised anywhere; a plain token only when the citizen said it is a receipt code ("mã
 * hồ sơ", "số biên nhận") or was just asked for one.
 *
 * Codes are read from the raw message, not from the redacted text: redaction may have replaced
 * a digit-only code that happens to look like a phone or ID number.
 */
import { fold } from '../text/vietnamese.js';

export interface ReceiptCodeMatch {
  /** Normalised: upper case, unified dashes, no spaces. */
  code: string;
  /** True for the printed shapes, which need no cue. */
  strict: boolean;
}

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;
/** "H26 - 250115 - 0001", "000. 00.18": spaces typed around separators after a digit ("hồ sơ - H26" keeps its dash apart). */
const SPACED_SEPARATOR = /(?<=\d) *([.-]) *(?=[A-Za-z0-9])/g;

/** `000.00.18.H26-250115-0001`: agency code groups, province letter + 2 digits, date, sequence. */
const NATIONAL = /(?<![\p{L}\p{N}.-])(?:\d{2,3}\.){1,4}[A-Za-z]\d{2}-\d{6}-\d{3,6}(?![\p{L}\p{N}]|[.-][\p{L}\p{N}])/gu;
/** `H26.99-250101-0002`: province first, optional unit groups, date, sequence. */
const SHORT = /(?<![\p{L}\p{N}.-])[A-Za-z]\d{2}(?:\.\d{1,3}){0,4}-\d{6}-\d{3,6}(?![\p{L}\p{N}]|[.-][\p{L}\p{N}])/gu;
/** Any run of ASCII letters, digits, dots and dashes standing as a word of its own. */
const TOKEN = /(?<![\p{L}\p{N}])[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?![\p{L}\p{N}])/gu;

/** Procedure codes `1.001193`, `2.002189.000.00.00.H26`: never a receipt. */
const PROCEDURE_CODE = /^\d\.\d{6}(?:\.[A-Za-z0-9]+)*$/;
/** 15.01.2025, 15-1-25. */
const DATE = /^\d{1,2}[.-]\d{1,2}[.-](?:\d{4}|\d{2})$/;
/** 1.500.000: an amount. */
const THOUSANDS = /^[1-9]\d{0,2}(?:\.\d{3})+$/;

/** Words that say the next (or a nearby) token is a receipt code; folded. */
const CUE = /(?<![a-z0-9])(?:ma ho so|so ho so|ho so so|ma so ho so|ma bien nhan|so bien nhan|bien nhan so|giay bien nhan|ma tra cuu|ma hs|so hs|ma phieu hen|so phieu hen|phieu tiep nhan|giay tiep nhan|receipt)(?![a-z0-9])/;

/** Cleans what a citizen typed before looking for a code: NFC, no invisible characters, one kind of dash, no spaces around separators. */
export function cleanForCodes(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(DASHES, '-').replace(SPACED_SEPARATOR, '$1');
}

/** The form codes are compared and sent to backends in: upper case, ASCII dashes, no spaces. */
export function normaliseReceiptCode(raw: string): string {
  return raw.normalize('NFC').replace(INVISIBLE, '').replace(DASHES, '-').replace(/\s+/g, '').toUpperCase();
}

/** True when the citizen says a receipt code is in the message ("mã hồ sơ là …"). */
export function hasReceiptCodeCue(text: string): boolean {
  return CUE.test(fold(text));
}

/** True for a token that may be a receipt code when the context says one is expected. */
export function isPlainReceiptCode(token: string): boolean {
  if (token.length < 8 || token.length > 20) return false;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(token)) return false;
  if (/[.-]{2}/.test(token)) return false;
  const digits = token.replace(/\D/g, '').length;
  if (digits < 4) return false;
  return !PROCEDURE_CODE.test(token) && !DATE.test(token) && !THOUSANDS.test(token);
}

/**
 * The first receipt code in the message: a printed shape anywhere; with `lenient`, else the
 * first plain token that may be one.
 */
export function findReceiptCode(text: string, options: { lenient?: boolean } = {}): ReceiptCodeMatch | null {
  const clean = cleanForCodes(text);
  let first: { index: number; raw: string } | null = null;
  for (const pattern of [NATIONAL, SHORT]) {
    pattern.lastIndex = 0;
    const m = pattern.exec(clean);
    if (m && (!first || m.index < first.index)) first = { index: m.index, raw: m[0] };
  }
  if (first) return { code: normaliseReceiptCode(first.raw), strict: true };
  if (!options.lenient) return null;
  for (const m of clean.matchAll(TOKEN)) {
    if (isPlainReceiptCode(m[0])) return { code: normaliseReceiptCode(m[0]), strict: false };
  }
  return null;
}

/** Letters and digits only, upper case: how two spellings of one code are compared. */
function skeleton(text: string): string {
  return normaliseReceiptCode(text).replace(/[^A-Z0-9]/g, '');
}

/** True when the text still holds the code, however it is spaced or punctuated. */
export function containsReceiptCode(text: string, code: string): boolean {
  const s = skeleton(code);
  return s.length > 0 && skeleton(text).includes(s);
}

export const RECEIPT_CODE_PLACEHOLDER = '[mã hồ sơ]';

/**
 * The text with every spelling of `code` replaced by `[mã hồ sơ]`: upper or lower case, spaces
 * around its separators, any dash.
 */
export function maskReceiptCode(text: string, code: string): string {
  const parts = [...normaliseReceiptCode(code)].map((c) => {
    if (c === '.' || c === '-') return `\\s*[.\\-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D]\\s*`;
    return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  });
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${parts.join('[\\p{Cf}]*')}(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(pattern, RECEIPT_CODE_PLACEHOLDER);
}

/** The last four letters or digits of a code, to name it in a reply without repeating it. */
export function receiptCodeTail(code: string): string {
  return skeleton(code).slice(-4);
}
