/**
 * Finds Vietnamese personal data in a message and replaces it with typed placeholders, so the
 * LLM still understands the sentence ("CCCD của tôi là [CCCD]") while the number itself is never
 * stored, logged or sent on (OWASP LLM02; Decree 13/2023, Law 91/2025 on personal data).
 *
 * Numbers are found by one scanner rather than a pile of overlapping regexes: the text is cut
 * into atoms (runs of letters, digits and `+ . - / _`); atoms with letters or slashes are codes
 * (`2.002189.000.00.00.H26`, `123/2015/NĐ-CP`, `TK1-TS`, dates) and are never touched; digit
 * atoms next to each other (`0912 345 678`) are joined when the join has the shape of an ID or
 * phone number; each candidate is classified by digit count, prefix and the cue words before it
 * ("sđt", "mã số thuế", "stk", "mã hồ sơ"…).
 */
import type { Redaction } from '../pipeline/answer-context.js';
import { fold } from '../text/vietnamese.js';

export type PersonalDataKind = Redaction['kind'];

/** The placeholder each kind of personal data is replaced with. */
export const PLACEHOLDERS: Readonly<Record<PersonalDataKind, string>> = {
  cccd: '[CCCD]',
  cmnd: '[CMND]',
  phone: '[SĐT]',
  email: '[EMAIL]',
  tax_code: '[MST]',
  bank_account: '[STK]',
  address: '[ĐỊA CHỈ]',
};
/** Social insurance numbers have no kind of their own yet; they are counted with tax codes. */
const SOCIAL_INSURANCE_PLACEHOLDER = '[MÃ BHXH]';

export interface RedactionResult {
  /** The message with each piece of personal data replaced by its placeholder. */
  text: string;
  /** What was replaced, in order of appearance (kinds and placeholders only, never the data). */
  redactions: Redaction[];
}

interface Span {
  start: number;
  end: number;
  kind: PersonalDataKind;
  placeholder: string;
}

// ---------------------------------------------------------------------------------------------
// Word patterns that accept the word with its diacritics or without any ("số" or "so", "Số",
// "SO"), but not with other diacritics: "tờ" is not "tổ", "sổ" is not "số".

function foldedLetter(c: string): string {
  return c.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** "số nhà" → a pattern for "số nhà", "so nha", "Số Nhà"… Case-insensitive by construction (with `iu`, `\p{Lu}` would match lower case too). */
function loose(words: string): string {
  return words
    .split(' ')
    .map((w) =>
      [...w]
        .map((c) => {
          if (!/\p{L}/u.test(c)) return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
          const forms = new Set([c, c.toUpperCase(), foldedLetter(c), foldedLetter(c).toUpperCase()]);
          return `[${[...forms].join('')}]`;
        })
        .join(''),
    )
    .join('\\s+');
}

function looseAlt(words: readonly string[]): string {
  return words.map(loose).join('|');
}

const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}])';

// ---------------------------------------------------------------------------------------------
// E-mail

const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63})*\.\p{L}{2,24}(?![\p{L}\p{N}])/gu;

// ---------------------------------------------------------------------------------------------
// House-number addresses. The house number and the alley chain (ngõ, ngách, hẻm, kiệt, tổ,
// xóm…) are masked; the street, ward and district names stay, since they route the citizen to
// the right office and identify no one.

/** 12, 12A, 12/3, 5B/14/2. */
const HOUSE_NUMBER = '\\d{1,4}[a-zA-Z]?(?:[/-]\\d{1,4}[a-zA-Z]?){0,3}(?![\\p{L}\\p{N}/])';
const HOUSE_NUMBER_WITH_SLASH = '\\d{1,4}[a-zA-Z]?(?:/\\d{1,4}[a-zA-Z]?){1,3}(?![\\p{L}\\p{N}/])';
const CHAIN_UNITS = looseAlt(['ngõ', 'ngách', 'hẻm', 'kiệt', 'tổ dân phố', 'tổ', 'khu phố', 'kp', 'xóm', 'lô', 'số', 'phòng', 'căn hộ', 'tầng']);
const CHAIN = `(?:\\s*,?\\s+(?:${CHAIN_UNITS})\\s+${HOUSE_NUMBER})`;
const STREET_WORDS = looseAlt([
  'đường', 'phố', 'ngõ', 'ngách', 'hẻm', 'kiệt', 'thôn', 'xóm', 'ấp', 'khu phố', 'tổ dân phố', 'tổ', 'khu tập thể', 'ktt',
  'tòa', 'toà', 'chung cư', 'lô', 'khu đô thị', 'kđt', 'tdp', 'quốc lộ', 'tỉnh lộ',
]);
const STREET_AHEAD = `(?=\\s*,?\\s+(?:${STREET_WORDS})${NOT_BEFORE_WORD})`;
const LOCATION_CUES = looseAlt([
  'ở', 'tại', 'địa chỉ', 'đc', 'đ/c', 'trú tại', 'cư trú tại', 'thường trú', 'tạm trú', 'sống tại', 'sống ở', 'nhà ở', 'address',
]);

/** "Mẫu số 01", "Điều 5", "Quyết định số 12": numbered documents, not houses. */
const DOCUMENT_WORDS = looseAlt([
  'mẫu', 'biểu mẫu', 'tờ khai', 'điều', 'khoản', 'mục', 'chương', 'phụ lục', 'quyết định', 'nghị định', 'thông tư', 'công văn', 'văn bản',
  'luật', 'giấy', 'biên bản', 'hồ sơ', 'phiếu', 'số', 'bản', 'trang', 'dòng', 'câu', 'bước', 'lần', 'thủ tục', 'tờ', 'thửa', 'bản đồ',
]);
/** Placed right after "số"/"nhà", so it is only evaluated where one was found. */
const SO_NHA_NOT_AFTER_DOCUMENT_WORD = `${NOT_AFTER_WORD}(?:${looseAlt(['số', 'nhà'])})(?<!(?:${DOCUMENT_WORDS})\\s+(?:${looseAlt(['số', 'nhà'])}))`;
const NAMED_STREET_AHEAD = '(?=\\s+\\p{Lu}\\p{Ll}*\\s+\\p{Lu})';

const ADDRESS_PATTERNS: readonly RegExp[] = [
  // "số nhà 12", "nhà số 5 ngách 12/34 ngõ 56": an explicit house number.
  new RegExp(`${NOT_AFTER_WORD}(?:${looseAlt(['số nhà', 'nhà số', 'sn'])})\\s*:?\\s*${HOUSE_NUMBER}${CHAIN}*`, 'gu'),
  // "số 12 ngõ 34 phố X", "nhà 7 xóm 3": a number followed by an alley unit with its number.
  new RegExp(`${SO_NHA_NOT_AFTER_DOCUMENT_WORD}\\s+${HOUSE_NUMBER}${CHAIN}+`, 'gu'),
  // "số 7 thôn Đông", "số 25 đường Láng": a number right before a street or hamlet word.
  new RegExp(`${SO_NHA_NOT_AFTER_DOCUMENT_WORD}\\s+${HOUSE_NUMBER}${STREET_AHEAD}`, 'gu'),
  // "Số 333-335 Nguyễn Trãi": a number before a capitalised two-word street name.
  new RegExp(`${SO_NHA_NOT_AFTER_DOCUMENT_WORD}\\s+${HOUSE_NUMBER}${NAMED_STREET_AHEAD}`, 'gu'),
  // "12/3 đường Y", "45/6/7 hẻm 8": a slashed house number before a street word.
  new RegExp(`${NOT_AFTER_WORD}${HOUSE_NUMBER_WITH_SLASH}${CHAIN}*${STREET_AHEAD}`, 'gu'),
  // "tôi ở số 5 Tràng Thi", "địa chỉ: 12 Nguyễn Trãi", "trú tại 8 ngõ 4 Huế". The cue is matched
  // (a lookbehind would run at every position) and left out of the span by `addressGroup`.
  new RegExp(
    `${NOT_AFTER_WORD}(?:${LOCATION_CUES})\\s*:?\\s+((?:${loose('số')}\\s+)?${HOUSE_NUMBER}${CHAIN}*)(?=\\s*,?\\s+(?:\\p{Lu}|(?:${STREET_WORDS})${NOT_BEFORE_WORD}))`,
    'gu',
  ),
];

// ---------------------------------------------------------------------------------------------
// Number scanner

/** Runs of letters, digits and the characters codes are written with. */
const ATOM = /[\p{L}\p{N}+._/-]+/gu;
/** What may stand between two digit groups of one number: "0912 345 678", "(024) 3825…". */
const JOINING_GAP = /^(?: |\t| ?[()] ?| - | \. )$/;
const DIGIT_ATOM = /^\+?\d+(?:[.-]\d+)*$/;
/** "sđt0912345678": a cue glued to the number. */
const GLUED_CUE = /^(\p{L}{2,5})(\+?\d[\d.-]*\d)$/u;
const GLUED_CUES = new Set(['sdt', 'dt', 'tel', 'cccd', 'cmnd', 'cmt', 'mst', 'stk', 'tk', 'so']);
/** Procedure codes "1.000894", "2.002189.000.00.00". */
const PROCEDURE_CODE = /^\d\.\d{6}(?:\.\d+)*$/;
/** 12.05.2024, 12-5-24. */
const DATE = /^\d{1,2}[.-]\d{1,2}[.-](?:\d{4}|\d{2})$/;
/** 150.000.000, 1.500.000: an amount written with thousands separators. */
const THOUSANDS = /^[1-9]\d{0,2}(?:\.\d{3})+$/;
/** 0101234567-001: a branch tax code. */
const BRANCH_TAX_CODE = /^\d{10}-\d{3}$/;

/** Units after a number (folded text): a currency makes it an amount, others a count or duration. */
const CURRENCY_AFTER = /^\s*(?:dong|d|vnd|trieu|tr|nghin|ngan(?!\s*hang)|k|ty|usd|\$|%)(?![a-z0-9])/;
const UNIT_AFTER = /^\s*(?:ngay|thang|nam|gio|phut|giay|lan|luot|ban|bo|trang|nguoi|m2|m|km|kg|tuoi|cai|chiec|to|quyen|ho so)(?![a-z0-9])/;

type CueKind = 'cccd' | 'cmnd' | 'phone' | 'tax' | 'bank' | 'social_insurance' | 'protect';

/** Cue words on folded text; the nearest one before a number decides what it is. */
const CUES: ReadonlyArray<readonly [CueKind, string]> = [
  ['cccd', 'cccd|can cuoc|cong dan|dinh danh|so id|id card|citizen id|national id|vneid'],
  ['cmnd', 'cmnd|cmtnd|cmt|chung minh(?: nhan dan| thu)?|id number'],
  ['tax', 'mst|ma so thue|ma thue|so thue|tax(?: code| id| number)?|tin code'],
  ['social_insurance', 'bhxh|bhyt|bao hiem xa hoi|bao hiem y te|so bao hiem|the bao hiem'],
  [
    'bank',
    'stk|so tk|tk|tai khoan|account|acct|bank|ngan hang|atm|so the|the tin dung|card|vietcombank|vcb|techcombank|tcb|agribank|bidv|vietinbank|mb bank|mbbank|tpbank|acb|vpbank|sacombank|momo',
  ],
  ['phone', 'sdt|dt|so dien thoai|dien thoai|phone|tel|mobile|hotline|zalo|lien he|goi|call|di dong|dd|fax'],
  [
    'protect',
    'ma ho so|so ho so|ho so so|ma so ho so|ma bien nhan|so bien nhan|bien nhan so|giay bien nhan|ma tra cuu|ma thu tuc|thu tuc so|ma tthc|so van ban|quyet dinh so|nghi dinh so|thong tu so|cong van so|so hieu|mau so|ma giao dich|ma don|don so|so seri|ma vach|ma bien lai|so bien lai|bien lai so',
  ],
];
const CUE_PATTERN = new RegExp(`(?<![a-z0-9])(?:${CUES.map(([kind, words]) => `(?<${kind}>${words})`).join('|')})(?![a-z0-9])`, 'g');
const CUE_WINDOW_BEFORE = 48;
const CUE_WINDOW_AFTER = 28;

/** Province codes that start a 12-digit citizen ID (Circular 07/2016/TT-BCA, after mergers kept as issued). */
const PROVINCE_CODES = new Set(
  '001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096'.split(
    ' ',
  ),
);

/**
 * National mobile 0[35789] + 8 digits, landline 02x + 8 digits, either after 84, and the
 * 11-digit mobile numbers (01[2689]…) renumbered in 2018 that people still write.
 */
const PHONE = /^(?:(?:0|84|840)(?:[35789]\d{8}|2\d{9})|01[2689]\d{8})$/;

interface Atom {
  start: number;
  end: number;
  text: string;
  /** Digit run with its `.`/`-` separators, or null for words and codes. */
  digits: string | null;
  /** The cue glued to the front, folded ("sdt" in "sđt0912…"). */
  gluedCue: CueKind | null;
  /** Procedure codes and dates: never personal data, and they end a run of digit groups. */
  protectedCode: boolean;
  /** How many digits the atom has (0 for words and codes). */
  digitCount: number;
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function atomsOf(text: string): Atom[] {
  const atoms: Atom[] = [];
  for (const m of text.matchAll(ATOM)) {
    let start = m.index;
    let raw = m[0];
    // Words matter only as what separates numbers, and the gap test sees them there.
    if (countDigits(raw) === 0) continue;
    // Sentence punctuation is not part of a number: "gọi 0912345678." / "-0912…".
    const lead = /^[._/-]+/.exec(raw)?.[0].length ?? 0;
    const trail = /[._/-]+$/.exec(raw)?.[0].length ?? 0;
    if (lead + trail >= raw.length) continue;
    raw = raw.slice(lead, raw.length - trail);
    start += lead;
    const end = start + raw.length;
    if (DIGIT_ATOM.test(raw)) {
      const protectedCode = PROCEDURE_CODE.test(raw) || DATE.test(raw);
      atoms.push({ start, end, text: raw, digits: raw, gluedCue: null, protectedCode, digitCount: countDigits(raw) });
      continue;
    }
    const glued = GLUED_CUE.exec(raw);
    if (glued && GLUED_CUES.has(fold(glued[1]!))) {
      const digitsStart = start + glued[1]!.length;
      const cue = cueKindOf(fold(glued[1]!));
      atoms.push({ start: digitsStart, end, text: glued[2]!, digits: glued[2]!, gluedCue: cue, protectedCode: false, digitCount: countDigits(glued[2]!) });
      continue;
    }
    atoms.push({ start, end, text: raw, digits: null, gluedCue: null, protectedCode: /\d/.test(raw), digitCount: 0 });
  }
  return atoms;
}

function cueKindOf(foldedWords: string): CueKind | null {
  CUE_PATTERN.lastIndex = 0;
  const m = CUE_PATTERN.exec(foldedWords);
  return m ? groupKind(m) : null;
}

function groupKind(m: RegExpExecArray | RegExpMatchArray): CueKind | null {
  for (const [kind] of CUES) if (m.groups?.[kind] !== undefined) return kind;
  return null;
}

/** The cue nearest before `start` (or, failing that, just after `end`), on folded text. */
function cueAround(text: string, start: number, end: number): CueKind | null {
  const before = fold(text.slice(Math.max(0, start - CUE_WINDOW_BEFORE), start));
  let last: CueKind | null = null;
  for (const m of before.matchAll(CUE_PATTERN)) last = groupKind(m) ?? last;
  if (last) return last;
  // "0912345678 là sđt của tôi": only a cue right after, with nothing but a few words between.
  const after = fold(text.slice(end, end + CUE_WINDOW_AFTER));
  const m = /^\s*(?:la|:|-)?\s*(?:so\s+)?(\S+(?:\s+\S+){0,3})/.exec(after);
  if (!m) return null;
  const kind = cueKindOf(m[1]!);
  return kind === 'protect' ? null : kind;
}

interface Candidate {
  /** Digits only, without `+` or separators. */
  digits: string;
  /** The atoms' text joined by the gaps between them. */
  raw: string;
  joined: boolean;
  cue: CueKind | null;
  /** A unit right after the number: a currency makes it an amount whatever the cue says. */
  unit: 'currency' | 'other' | null;
}

function classify(c: Candidate): { kind: PersonalDataKind; placeholder?: string } | null {
  const { digits, cue } = c;
  const n = digits.length;
  if (cue === 'protect') return null;
  // Phone numbers and province-coded citizen IDs have shapes no amount or count has.
  if (PHONE.test(digits) && cue !== 'bank' && cue !== 'tax') return { kind: 'phone' };
  if (n === 12 && digits.startsWith('0') && PROVINCE_CODES.has(digits.slice(0, 3)) && (cue === null || cue === 'cccd')) return { kind: 'cccd' };
  // "150.000.000 đồng", "tài khoản có 2000000 đồng", "500000 lượt": amounts and counts.
  if (c.unit === 'currency') return null;
  if (THOUSANDS.test(c.raw) && (cue === null || cue === 'bank')) return null;
  if (c.unit === 'other' && cue === null) return null;
  switch (cue) {
    case 'cccd':
      if (n === 12) return { kind: 'cccd' };
      if (n === 9) return { kind: 'cmnd' };
      break;
    case 'cmnd':
      if (n === 9 || n === 12) return { kind: 'cmnd' };
      break;
    case 'tax':
      if (n === 10 || n === 13) return { kind: 'tax_code' };
      break;
    case 'social_insurance':
      if (n === 10 || n === 15) return { kind: 'tax_code', placeholder: SOCIAL_INSURANCE_PLACEHOLDER };
      break;
    case 'bank':
      if (n >= 8 && n <= 19) return { kind: 'bank_account' };
      break;
    case 'phone':
      if (n === 9 && /^[35789]/.test(digits)) return { kind: 'phone' };
      break;
    default:
      break;
  }
  if (PHONE.test(digits)) return { kind: 'phone' };
  if (n === 12 && digits.startsWith('0') && (PROVINCE_CODES.has(digits.slice(0, 3)) || !c.joined)) return { kind: 'cccd' };
  // Beyond phones and citizen IDs, digit groups are joined only when a cue says what they are:
  // "các năm 2021 2022 2023" must not become a card number.
  if (c.joined) return null;
  if (BRANCH_TAX_CODE.test(c.raw)) return { kind: 'tax_code' };
  if (n === 9) return { kind: 'cmnd' };
  if (n === 10 && digits.startsWith('0')) return { kind: 'tax_code' };
  if (n >= 13 && n <= 19) return { kind: 'bank_account' };
  return null;
}

const MAX_JOINED_ATOMS = 6;
const MIN_PERSONAL_DIGITS = 8;

function numberSpans(text: string, taken: readonly Span[]): Span[] {
  const overlapsTaken = (a: Atom): boolean => taken.some((s) => a.start < s.end && s.start < a.end);
  const atoms = atomsOf(text).filter((a) => !overlapsTaken(a));
  const spans: Span[] = [];
  let i = 0;
  while (i < atoms.length) {
    const first = atoms[i]!;
    if (first.digits === null || first.protectedCode) {
      i++;
      continue;
    }
    // The run of digit atoms starting here that could be one number written in groups.
    let last = i;
    while (
      last + 1 < atoms.length &&
      last - i + 1 < MAX_JOINED_ATOMS &&
      atoms[last + 1]!.digits !== null &&
      !atoms[last + 1]!.protectedCode &&
      atoms[last + 1]!.gluedCue === null &&
      JOINING_GAP.test(text.slice(atoms[last]!.end, atoms[last + 1]!.start))
    ) {
      last++;
    }
    let runDigits = 0;
    for (let k = i; k <= last; k++) runDigits += atoms[k]!.digitCount;
    // The shortest personal number (a bank account) has 8 digits: most numbers stop here.
    if (runDigits < MIN_PERSONAL_DIGITS) {
      i = last + 1;
      continue;
    }
    const cue = first.gluedCue ?? cueAround(text, first.start, atoms[last]!.end);
    let matched = false;
    // Longest join first: "0912 345 678" is one phone number, not three small numbers.
    for (let j = last; j >= i; j--, runDigits -= atoms[j + 1]?.digitCount ?? 0) {
      if (runDigits < MIN_PERSONAL_DIGITS) break;
      if (runDigits > 19) continue;
      const end = atoms[j]!.end;
      const raw = text.slice(first.start, end);
      const digits = raw.replace(/\D/g, '');
      const joined = j > i;
      if (joined && !(cue || /^(?:\+|0|84)/.test(first.text))) continue;
      const next = fold(text.slice(end, end + 12));
      const unit = CURRENCY_AFTER.test(next) ? 'currency' : UNIT_AFTER.test(next) ? 'other' : null;
      const found = classify({ digits, raw, joined, cue, unit });
      if (found) {
        // "(024) 3825 1234": the opening bracket goes with the number it belongs to.
        const start = raw.includes(')') && text[first.start - 1] === '(' ? first.start - 1 : first.start;
        spans.push({ start, end, kind: found.kind, placeholder: found.placeholder ?? PLACEHOLDERS[found.kind] });
        i = j + 1;
        matched = true;
        break;
      }
    }
    if (!matched) i++;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------

function regexSpans(text: string, pattern: RegExp, kind: PersonalDataKind, taken: readonly Span[]): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(pattern)) {
    // A pattern with a group matches context before the data; the group, last in the match, is the data.
    const end = m.index + m[0].length;
    const start = m[1] === undefined ? m.index : end - m[1].length;
    if (end === start) continue;
    if (taken.some((s) => start < s.end && s.start < end) || spans.some((s) => start < s.end && s.start < end)) continue;
    spans.push({ start, end, kind, placeholder: PLACEHOLDERS[kind] });
  }
  return spans;
}

/**
 * Replaces e-mail addresses, house-number addresses, citizen ID (CCCD) and old ID (CMND) numbers,
 * phone numbers, tax codes and bank account numbers with typed placeholders. Procedure codes,
 * dossier and receipt codes, legal document numbers, amounts, durations, years, dates and form
 * codes are left as they are.
 */
export function redactPersonalData(text: string): RedactionResult {
  // Cheap exit: no digit and no @ means no number, address or e-mail to find.
  if (!/[\d@]/.test(text)) return { text, redactions: [] };
  const spans: Span[] = [];
  if (text.includes('@')) spans.push(...regexSpans(text, EMAIL, 'email', spans));
  for (const pattern of ADDRESS_PATTERNS) spans.push(...regexSpans(text, pattern, 'address', spans));
  spans.push(...numberSpans(text, spans));
  if (spans.length === 0) return { text, redactions: [] };

  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start);
    // "sđt0912345678" → "sđt [SĐT]": keep the placeholder a word of its own.
    if (/[\p{L}\p{N}]$/u.test(out)) out += ' ';
    out += s.placeholder;
    at = s.end;
  }
  out += text.slice(at);
  return { text: out, redactions: spans.map((s) => ({ kind: s.kind, placeholder: s.placeholder })) };
}

/** Words that carry no question: greetings, pronouns, particles and the names of the data itself. */
const FILLER_WORDS = new Set(
  (
    'chao xin hi hello helo alo a da vang u uh um ok oke okay nhe nha nhen nhe ne day do kia nay ' +
    'em anh chi toi minh tao ban co ong ba chu bac cau chung ta ho ho ten ten la cua va voi o tai ' +
    'so sdt dt dien thoai di dong email mail gmail dia chi nha cccd cmnd cmt can cuoc cong dan dinh danh ' +
    'mst ma thue stk tk tai khoan ngan hang bhxh bao hiem xa hoi the ' +
    'cam on thanks thank you my is and the number phone id address account here it this please pls ' +
    'gui lien he goi cho ve e r roi nhu sau thong tin ca nhan'
  ).split(' '),
);

/**
 * True when the redacted message still asks something: a word other than greetings, pronouns,
 * particles and the names of the redacted data ("số điện thoại của tôi là [SĐT]" asks nothing).
 */
export function hasTopicalContent(redactedText: string): boolean {
  const withoutPlaceholders = redactedText.replace(/\[[^\]\n]{1,16}\]/g, ' ');
  const words = fold(withoutPlaceholders).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.some((w) => !FILLER_WORDS.has(w) && !/^\d+$/.test(w));
}

/**
 * A placeholder with the words that introduced it when they only introduce it: "số CCCD của tôi
 * là [CCCD]", "sđt: [SĐT]". A bare "cccd [CCCD] bị mất" keeps "cccd": there it is the topic.
 */
const CUE = String.raw`(?:(?:số|so)\s+)?(?:cccd|cmnd|căn cước(?: công dân)?|can cuoc(?: cong dan)?|chứng minh(?: nhân dân| thư)?|chung minh(?: nhan dan| thu)?|điện thoại|dien thoai|sđt|sdt|đt|dt|email|e-mail|mail|mst|mã số thuế|ma so thue|stk|tài khoản|tai khoan|địa chỉ|dia chi)`;
const INTRODUCER = String.raw`(?:\s*(?:của|cua)\s+(?:tôi|toi|em|mình|minh))?\s*(?:(?:là|la)(?=\s|$)|:)`;
const PLACEHOLDER = String.raw`\[(?:CCCD|CMND|SĐT|EMAIL|MST|STK|ĐỊA CHỈ|MÃ BHXH)\]`;
const PLACEHOLDER_WITH_CUE = new RegExp(String.raw`(?:${CUE}${INTRODUCER}\s*)?${PLACEHOLDER}`, 'giu');

/**
 * The redacted text without its placeholders and the words that introduced them, for deciding
 * what the question is about: "Số CCCD của tôi là [CCCD], cần mang gì?" asks about documents,
 * not about identity cards.
 */
export function withoutPersonalData(redactedText: string): string {
  return redactedText.replace(PLACEHOLDER_WITH_CUE, ' ').replace(/\s+/g, ' ').replace(/^[\s,.;:]+/, '').trim();
}
