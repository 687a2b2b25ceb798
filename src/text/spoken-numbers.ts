/**
 * Numbers as a Vietnamese TTS voice should say them. Whole numbers and decimals go through
 * `read-vietnamese-number` (2.3.1, pinned: its argument order and its separator handling changed
 * between versions — `thousandSign` is used as a RegExp source, so "." would remove every
 * character; we therefore strip separators ourselves and hand it bare digits with "." as point).
 * Codes, phone numbers and ID numbers are read digit by digit here, in comma-separated groups so
 * the voice pauses between them.
 */
import { doReadNumber, ReadingConfig } from 'read-vietnamese-number';

const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** Northern reading: "linh" for an empty tens place (105 → "một trăm linh năm"), "tỷ", "phẩy". */
const CONFIG = (() => {
  const c = new ReadingConfig();
  c.unit = [];
  c.oddText = 'linh';
  c.units = [[], ['nghìn'], ['triệu'], ['tỷ']];
  c.pointText = 'phẩy';
  return c;
})();

/** Longer digit runs are identifiers, not quantities: nobody says "một trăm tỷ tỷ". */
const MAX_QUANTITY_DIGITS = 15;

/** "0912" → "không chín một hai". Non-digits are ignored. */
export function digitsByDigit(digits: string): string {
  const out: string[] = [];
  for (const ch of digits) {
    const d = ch.charCodeAt(0) - 48;
    if (d >= 0 && d <= 9) out.push(DIGIT_WORDS[d]!);
  }
  return out.join(' ');
}

/** Digit-by-digit reading in groups of the given sizes, comma-separated: a pause per group. */
export function groupedDigits(digits: string, sizes: readonly number[]): string {
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= digits.length) break;
    groups.push(digitsByDigit(digits.slice(at, at + size)));
    at += size;
  }
  if (at < digits.length) groups.push(digitsByDigit(digits.slice(at)));
  return groups.join(', ');
}

/**
 * A whole number or decimal given as bare digits with an optional "." decimal point
 * ("50000", "0.5", "007"): "năm mươi nghìn", "không phẩy năm", "bảy".
 */
export function readNumber(plain: string): string {
  const [int = '', frac] = plain.split('.');
  if (int.replace(/^0+/, '').length > MAX_QUANTITY_DIGITS) return digitsByDigit(plain);
  try {
    return doReadNumber(frac === undefined || frac === '' ? int || '0' : `${int || '0'}.${frac}`, CONFIG);
  } catch {
    return digitsByDigit(plain);
  }
}

/** Numbers said differently as ordinals after "thứ": 1 → "nhất", 4 → "tư" ("thứ tư", "lần thứ nhất"). */
export function readOrdinal(plain: string): string {
  const n = Number(plain);
  if (n === 1) return 'nhất';
  if (n === 4) return 'tư';
  return readNumber(plain);
}

/** Month names: "tháng tư", not "tháng bốn"; "tháng một" for January (the usual reading on the phone). */
export function readMonth(plain: string): string {
  return Number(plain) === 4 ? 'tư' : readNumber(plain);
}

/**
 * A written number token → words. "1.500.000" and (with `thousandsByComma`) "1,500,000" are
 * thousands-grouped; "0,5" is a decimal; "1.2.3" (a clause number) is read part by part with "chấm".
 */
export function readWrittenNumber(token: string, thousandsByComma = false): string {
  if (/^\d{1,3}(?:\.\d{3})+$/.test(token)) return readNumber(token.replace(/\./g, ''));
  if (/^\d{1,3}(?:,\d{3}){2,}$/.test(token) || (thousandsByComma && /^\d{1,3}(?:,\d{3})+$/.test(token))) return readNumber(token.replace(/,/g, ''));
  if (/^\d{1,3}(?:,\d{3})+,\d+$/.test(token)) return readNumber(token.replace(/,(?=\d+,)/g, '').replace(',', '.'));
  if (/^\d+,\d+$/.test(token)) return readNumber(token.replace(',', '.'));
  if (/^\d{1,3}(?:\.\d{3})+,\d+$/.test(token)) return readNumber(token.replace(/\./g, '').replace(',', '.'));
  if (/^\d+$/.test(token)) return readNumber(token);
  return token
    .split(/[.,]/)
    .filter(Boolean)
    .map((part) => readNumber(part))
    .join(' chấm ');
}
