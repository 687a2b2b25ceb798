/**
 * `speakable(text)`: the words a Vietnamese TTS voice should be given for an answer written for
 * the screen. Voices misread digits, codes, abbreviations, URLs and markdown ("UBND", "1.001193",
 * "50.000đ/thẻ", "**"), so everything a caller hears is turned into plain Vietnamese words first.
 *
 * Conventions (pinned by test/unit/text/speakable.test.ts):
 * - Quantities through `read-vietnamese-number`, Northern reading: 105 → "một trăm linh năm",
 *   "tỷ", decimals with "phẩy" ("0,5" → "không phẩy năm"). "." groups thousands, "," marks
 *   decimals; the catalogue's English grouping ("250,000 VNĐ") is recognised before a currency.
 * - Dates: "01/7/2025" → "ngày một tháng bảy năm hai nghìn không trăm hai mươi lăm"; April is
 *   "tháng tư". Times: "8h30" → "tám giờ ba mươi phút".
 * - Legal references: "Nghị định 123/2015/NĐ-CP" → "Nghị định số một trăm hai mươi ba năm hai
 *   nghìn không trăm mười lăm của Chính phủ" — number, year, then the issuer; the document type is
 *   said once (added when the text does not name it), "số" likewise. "…/QH14" → "của Quốc hội khóa
 *   mười bốn".
 * - Procedure codes ("1.001193"), phone numbers, hotlines, ID numbers and receipt codes are read
 *   digit by digit in comma-separated groups so the voice pauses: 0912345678 → 4-3-3,
 *   19001009 → 4-4, 12-digit CCCD → 4-4-4, receipt codes by their own "."/"-" groups.
 * - Abbreviations from `spoken-abbreviations.ts`; unknown initialisms are spelled with Vietnamese
 *   letter names; upper-case Vietnamese words (titles typed in capitals) are lower-cased.
 * - URLs: known portals by name, others as "trang <host>" (see `spoken-urls.ts`).
 *
 * Pure and fast: a fixed sequence of linear regex passes (no nested quantifiers over the same
 * characters), about 0.1 ms for a three-sentence answer.
 */
import { knownPrefix, SPOKEN_ABBREVIATIONS, spellOut } from './spoken-abbreviations.js';
import { digitsByDigit, groupedDigits, readMonth, readNumber, readOrdinal, readWrittenNumber } from './spoken-numbers.js';
import { speakAddresses } from './spoken-urls.js';

/** Text just before `offset`, for context rules ("ngày" before a date, "thứ" before an ordinal). */
function before(s: string, offset: number, width = 32): string {
  return s.slice(Math.max(0, offset - width), offset);
}

// ---------------------------------------------------------------------------------------------
// Markdown and layout

const LINK_MD = /\[([^\]\n]{0,300})\]\([^)\s]{0,1000}\)/g;
/** A heading, quote or list marker at a line start: "# ", "> ", "- ", "• ", "1. ", "a) ". */
const LINE_MARKER = /(^|\n+)[ \t]*(?:(#{1,6}|>)|[-*•+▪●◦–]|(\d{1,2})[.)]|[a-zđ][.)])[ \t]+/g;

function stripMarkdown(s: string): string {
  return (
    s
      // List items become one spoken list joined by ";" (a pause, not a new sentence); numbered
      // items keep their number, which a caller may answer with ("số hai").
      .replace(LINE_MARKER, (_m, nl: string, heading: string | undefined, n: string | undefined) => {
        if (heading) return nl ? '\n' : '';
        const number = n ? `số ${readNumber(n)}, ` : '';
        return nl ? `; ${number}` : number;
      })
      .replace(/\*\*|__|~~|[*`|#]/g, ' ')
      .replace(/_/g, ' ')
      .replace(/([.!?:;,])?[ \t]*\n+[ \t]*/g, (_m, p: string | undefined) => (p ? `${p} ` : '. '))
  );
}

// ---------------------------------------------------------------------------------------------
// Codes, legal references, dates, phone numbers

/** "1.001193": a national procedure code, read digit by digit. */
const PROCEDURE_CODE = /(?<![\d.,])([1-3])\.(\d{6})(?![\d]|[.,]\d)/g;
/** "000.00.12.H26-250101-0001": three or more "."/"-" groups of capitals and digits. */
const GROUPED_CODE = /(?<![\p{L}\p{N}.,\-])[A-Z0-9]+(?:[.\-][A-Z0-9]+){2,}(?![\p{L}\p{N}]|[.\-][\p{L}\p{N}])/gu;

function speakGroupedCode(m: string): string {
  if (!/\d/.test(m) || /^\d{1,3}(?:\.\d{3})+$/.test(m) || /^\d{1,2}[-.]\d{1,2}[-.]\d{4}$/.test(m)) return m;
  return ` ${m
    .split(/[.\-]/)
    .map((g) => (/^\d+$/.test(g) ? digitsByDigit(g) : spellOut(g)))
    .join(', ')} `;
}

const DOC_TYPES: ReadonlyMap<string, string> = new Map([
  ['NĐ', 'Nghị định'],
  ['ND', 'Nghị định'],
  ['TT', 'Thông tư'],
  ['TTLT', 'Thông tư liên tịch'],
  ['QĐ', 'Quyết định'],
  ['NQ', 'Nghị quyết'],
  ['CT', 'Chỉ thị'],
  ['PL', 'Pháp lệnh'],
  ['L', 'Lệnh'],
]);
/** The text already names the document type ("Nghị định số "), so the reading does not repeat it. */
const TYPE_BEFORE = /(?:nghị định|thông tư(?: liên tịch)?|quyết định|nghị quyết|chỉ thị|pháp lệnh|luật|lệnh|văn bản|bộ luật|NĐ|TTLT|TT|QĐ|NQ)(?:\s+số)?\s*[:.]?\s*$/iu;
const NUMBER_WORD_BEFORE = /(?:^|[^\p{L}])số\s*[:.]?\s*$/iu;

/** "CP", "BTC-BCA" (joined with "-"): issuers, possibly glued to the next word ("BCALuật"). */
function speakIssuers(run: string): { spoken: string; rest: string } {
  const parts = run.split('-');
  const spoken: string[] = [];
  let rest = '';
  for (const [i, part] of parts.entries()) {
    const term = /^([A-ZĐ]*QH)(\d{2})$/.exec(part);
    if (term && SPOKEN_ABBREVIATIONS.has(term[1]!)) {
      spoken.push(`${SPOKEN_ABBREVIATIONS.get(term[1]!)} khóa ${readNumber(term[2]!)}`);
      continue;
    }
    const known = knownPrefix(part);
    if (known) {
      spoken.push(known.spoken);
      if (known.length < part.length) {
        rest = part.slice(known.length) + (i < parts.length - 1 ? `-${parts.slice(i + 1).join('-')}` : '');
        break;
      }
    } else spoken.push(spellOut(part));
  }
  const joined = spoken.length > 1 ? `${spoken.slice(0, -1).join(', ')} và ${spoken.at(-1)}` : (spoken[0] ?? '');
  return { spoken: joined, rest };
}

/** "123/2015/NĐ-CP", "52/2010/QH12", "5166/QĐ-BQP" (no year). */
const LEGAL_REF = /(\d{1,5})\/(?:(\d{4})\/)?([A-ZĐ]{1,6})(?:(\d{1,2})|-((?:[A-ZĐ]*QH\d{2}|[A-ZĐ]+g?)(?:-(?:[A-ZĐ]*QH\d{2}|[A-ZĐ]+g?))*))?/gu;

function speakLegalRef(s: string, m: string, num: string, year: string | undefined, type: string, term: string | undefined, issuers: string | undefined, offset: number): string {
  // Without a year and without an issuer this is not a document number ("2/QĐ" is not a thing).
  if (!year && !issuers) return m;
  const ctx = before(s, offset);
  const typeKnown = knownPrefix(type);
  let typeCode = type;
  let rest = '';
  if (!DOC_TYPES.has(type) && type !== 'QH' && typeKnown && typeKnown.length < type.length) {
    typeCode = type.slice(0, typeKnown.length);
    rest = type.slice(typeKnown.length);
  }
  const words: string[] = [];
  const typeName = DOC_TYPES.get(typeCode);
  if (typeName && !TYPE_BEFORE.test(ctx)) words.push(typeName);
  if (!NUMBER_WORD_BEFORE.test(ctx) || words.length) words.push('số');
  words.push(readNumber(num));
  if (year) words.push('năm', readNumber(year));
  if (typeCode === 'QH') {
    words.push('của Quốc hội');
    if (term) words.push('khóa', readNumber(term));
  } else if (!typeName) {
    words.push('của', SPOKEN_ABBREVIATIONS.get(typeCode) ?? spellOut(typeCode));
  }
  // "… 209/2025/NĐ-CP của Chính phủ": the text names the issuer itself, say it once.
  const issuerFollows = /^\s*của\s/u.test(s.slice(offset + m.length, offset + m.length + 8));
  if (issuers) {
    const iss = speakIssuers(issuers);
    if (!issuerFollows || iss.rest) words.push('của', iss.spoken);
    rest += iss.rest;
  }
  return ` ${words.join(' ')} ${rest}`;
}

/** "NĐ-CP", "TT-BTC" standing alone: "nghị định của Chính phủ". */
const TYPE_ISSUER = /(?<![\p{L}\p{N}\/])(NĐ|TT|TTLT|QĐ|NQ|CT)-([A-ZĐ]+g?(?:-[A-ZĐ]+g?)*)(?![\p{Ll}\p{N}])/gu;

function validDay(d: string): boolean {
  const n = Number(d);
  return n >= 1 && n <= 31;
}
function validMonth(m: string): boolean {
  const n = Number(m);
  return n >= 1 && n <= 12;
}

const FULL_DATE = /(?<![\d\/.,])(\d{1,2})([\/\-.])(\d{1,2})\2(\d{4})(?![\d\/]|[.,]\d)/g;
const MONTH_YEAR = /(?<![\d\/.,])(\d{1,2})\/(\d{4})(?![\d\/]|[.,]\d)/g;
const DAY_MONTH = /(?<![\d\/.,])(\d{1,2})\/(\d{1,2})(?![\d\/]|[.,]\d)/g;
const DATE_CONTEXT = /(?:ngày|từ|đến|hết|trước|sau|hạn|kể từ)\s*$/iu;

function speakDate(s: string, d: string, m: string, y: string | undefined, offset: number): string {
  const ctx = before(s, offset, 8);
  const day = /ngày\s*$/iu.test(ctx) ? '' : 'ngày ';
  return ` ${day}${readNumber(d)} tháng ${readMonth(m)}${y ? ` năm ${readNumber(y)}` : ''} `;
}

/** "024 3825 1234", "0912.345.678": phone numbers written in groups, read in the same groups. */
const GROUPED_PHONE = /(?<![\d.,])(0\d{2,3})[ .](\d{3,4})[ .](\d{3,4})(?![\d]|[.,]\d)/g;
const HOTLINE = /(?<![\d.,])(1[89]00)[ .]?(\d{4}|\d{3}[ .]\d{3}|\d{6})(?![\d]|[.,]\d)/g;
/** Eight or more bare digits: a phone or ID number unless an amount unit follows. */
const LONG_DIGITS = /(?<![\d.,])\d{8,}(?![\d]|[.,]\d)/g;
const AMOUNT_AFTER = /^\s*(?:đồng|Đồng|đ\b|VNĐ|VND|USD|Việt Nam|nghìn|triệu|tỷ|%)/u;

function speakLongDigits(s: string, m: string, offset: number): string {
  if (!m.startsWith('0') && m.length <= 15 && AMOUNT_AFTER.test(s.slice(offset + m.length, offset + m.length + 12))) return m;
  const sizes = m.length === 8 ? [4, 4] : m.length === 10 ? [4, 3, 3] : m.length === 11 ? [3, 4, 4] : m.length === 12 ? [4, 4, 4] : [3];
  const grouped = sizes.length === 1 ? m.match(/\d{1,3}/g)!.map(digitsByDigit).join(', ') : groupedDigits(m, sizes);
  return ` ${grouped} `;
}

// ---------------------------------------------------------------------------------------------
// Ranges, times, quantities with units

const RANGE = /(\d[\d.,:]*(?:h\d*)?)\s*[-–—]\s*(?=\d)/g;
const WEEKDAY_RANGE = /(\d)\s*[-–—]\s*(?=[Tt]hứ|[Cc]hủ nhật)/g;
const TIME_HM = /(?<![\d.,:\/])(\d{1,2})(?:\s?h\s?(\d{2})?|:(\d{2}))(?:\s*phút)?(?![\p{L}\p{N}])/gu;
const TIME_GIO = /(?<![\d.,:\/])(\d{1,2})\s*giờ\s*(\d{2})(?:\s*phút)?(?![\p{L}\p{N}])/gu;

function speakTime(m: string, h: string, min: string | undefined): string {
  const hour = Number(h);
  const minute = min === undefined ? 0 : Number(min);
  if (hour > 24 || minute > 59) return m;
  return ` ${readNumber(h)} giờ${minute ? ` ${readNumber(min!)} phút` : ''} `;
}

const UNIT_WORDS: ReadonlyMap<string, string> = new Map([
  ['%', 'phần trăm'],
  ['m²', 'mét vuông'],
  ['m2', 'mét vuông'],
  ['m³', 'mét khối'],
  ['m3', 'mét khối'],
  ['km²', 'ki lô mét vuông'],
  ['km2', 'ki lô mét vuông'],
  ['km/h', 'ki lô mét một giờ'],
  ['km', 'ki lô mét'],
  ['kg', 'ki lô gam'],
  ['cm', 'xăng ti mét'],
  ['mm', 'mi li mét'],
  ['ha', 'héc ta'],
  ['m', 'mét'],
  ['g', 'gam'],
  ['đ', 'đồng'],
  ['VNĐ', 'đồng'],
  ['VND', 'đồng'],
  ['vnđ', 'đồng'],
  ['vnd', 'đồng'],
  ['USD', 'đô la Mỹ'],
  ['k', 'nghìn'],
  ['tr', 'triệu'],
]);
const CURRENCY_UNITS = new Set(['đ', 'VNĐ', 'VND', 'vnđ', 'vnd', 'USD']);
const NUMBER_WITH_UNIT =
  /(?<![\p{L}\p{N}])(\d+(?:[.,]\d+)*)(?:(\s?)(%|m²|m2|m³|m3|km²|km2|km\/h|km|kg|cm|mm|ha|m|g|đ|VNĐ|VND|vnđ|vnd|USD|k|tr)(?![\p{L}\p{N}]))?/gu;
const CURRENCY_AFTER = /^\s*(?:đồng|Đồng|Việt Nam Đồng|Việt Nam đồng)/u;
const ORDINAL_BEFORE = /(?:^|[^\p{L}])thứ\s*$/iu;
const MONTH_BEFORE = /(?:^|[^\p{L}])tháng\s*$/iu;

function speakQuantity(s: string, m: string, num: string, unit: string | undefined, offset: number): string {
  const ctx = before(s, offset, 12);
  const currency = (unit !== undefined && CURRENCY_UNITS.has(unit)) || CURRENCY_AFTER.test(s.slice(offset + m.length, offset + m.length + 20));
  let words: string;
  if (!unit && /^\d+$/.test(num) && ORDINAL_BEFORE.test(ctx)) words = readOrdinal(num);
  else if (!unit && /^\d+$/.test(num) && MONTH_BEFORE.test(ctx)) words = readMonth(num);
  else words = readWrittenNumber(num, currency);
  return ` ${words}${unit ? ` ${UNIT_WORDS.get(unit)}` : ''} `;
}

// ---------------------------------------------------------------------------------------------
// Words: abbreviations, capitals, letter-digit codes

const ROMAN_VALUES: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10 };
const ROMAN = /^(?:X{0,3})(?:IX|IV|V?I{0,3})$/;
function romanValue(token: string): number {
  let total = 0;
  for (let i = 0; i < token.length; i++) {
    const v = ROMAN_VALUES[token[i]!]!;
    const next = ROMAN_VALUES[token[i + 1] ?? ''] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}
const SECTION_ROMAN = /(?<![\p{L}])(Mục|mục|Phần|phần|Chương|chương|Phụ lục|phụ lục|Khoản|khoản|Điều|điều|Khóa|khóa|Loại|loại|Hạng|hạng|Nhóm|nhóm|Quý|quý|Đợt|đợt|Cấp|cấp)\s+([IVX]{1,6})(?![\p{L}\p{N}])/gu;

/** A Vietnamese syllable in capitals ("BAN", "GHI"), as opposed to an initialism ("BTC"). */
const CAPS_SYLLABLE = /^(?:NGH|NG|GH|GI|KH|NH|PH|TH|TR|CH|QU|[BCDĐGHKLMNPRSTVX])?[AEIOUY]{1,3}(?:NG|NH|CH|[CMNPTIOUY])?$/;
/** Initialisms a Vietnamese voice says correctly letter by letter, left as written. */
export const SPOKEN_INITIALISMS: ReadonlySet<string> = new Set(['ATM', 'OTP', 'QR', 'SMS']);

const UPPER = /\p{Lu}/gu;
const isUpper = (ch: string) => /^\p{Lu}$/u.test(ch);
const isLower = (ch: string) => /^\p{Ll}$/u.test(ch);

function upperCount(token: string): number {
  return token.match(UPPER)?.length ?? 0;
}
const isAllCaps = (token: string) => token.length >= 2 && /^\p{Lu}+$/u.test(token);
/** Capitals with Vietnamese vowel marks ("HÀNH") are words; initialisms use only A–Z and Đ. */
const hasVowelMark = (token: string) => /[^A-ZĐ]/.test(token);

/** "H26" → "hát hai sáu", "NAM66" → "nam sáu mươi sáu", "Nam66" → "Nam sáu mươi sáu". */
function speakAlnum(token: string): string {
  const parts = token.match(/\p{L}+|\p{N}+/gu) ?? [];
  const out: string[] = [];
  let spelled = false;
  for (const part of parts) {
    if (/^\p{N}+$/u.test(part)) {
      out.push(spelled ? digitsByDigit(part) : readNumber(part));
    } else if (isAllCaps(part) || (part.length === 1 && isUpper(part))) {
      if (part.length >= 3 && (hasVowelMark(part) || CAPS_SYLLABLE.test(part))) {
        out.push(part.toLowerCase());
        spelled = false;
      } else {
        out.push(spellOut(part));
        spelled = true;
      }
    } else {
      out.push(speakWord(part, false));
      spelled = false;
    }
  }
  return out.join(' ');
}

/** One letter-only token that may need speaking; `shouted` when its neighbours are capitals too. */
function speakWord(token: string, shouted: boolean): string {
  if (upperCount(token) < 2) {
    // A lone capital consonant ("hạng B") is said by its letter name.
    return token.length === 1 && /[BCDĐFGHJKLMNPQRSTVWXZ]/.test(token) ? spellOut(token) : token;
  }
  if (isAllCaps(token)) {
    if (hasVowelMark(token)) return token.toLowerCase();
    if (shouted && CAPS_SYLLABLE.test(token)) return token.toLowerCase();
    const known = SPOKEN_ABBREVIATIONS.get(token);
    if (known) return known;
    if (ROMAN.test(token)) return readNumber(String(romanValue(token)));
    if (SPOKEN_INITIALISMS.has(token)) return token;
    if (CAPS_SYLLABLE.test(token)) return token.toLowerCase();
    const prefix = knownPrefix(token);
    if (prefix && prefix.length < token.length) {
      const rest = token.slice(prefix.length);
      return `${prefix.spoken} ${speakWord(rest, shouted)}`;
    }
    return spellOut(token);
  }
  const known = SPOKEN_ABBREVIATIONS.get(token);
  if (known) return known;
  // Glued catalogue text: "CPQuy" (code + next word), "BTCquy", "TTgNghị".
  const prefix = knownPrefix(token);
  if (prefix && prefix.length < token.length) return `${prefix.spoken} ${speakWord(token.slice(prefix.length), shouted)}`;
  const capsRun = /^(\p{Lu}+)(\p{Lu}\p{Ll}.*|\p{Ll}.*)$/u.exec(token);
  if (capsRun && capsRun[1]!.length >= 2) {
    const [, caps, rest] = capsRun;
    const head = capsRun[2]!.length > 0 && isLower(rest![0]!) ? caps!.slice(0, -1) : caps!;
    const tail = token.slice(head.length);
    return `${speakWord(head, shouted)} ${speakWord(tail, shouted)}`;
  }
  return spellOut(token);
}

/** Tokens with a capital or a digit somewhere (lower-case words never need speaking). */
const TOKEN = /(?<![\p{L}\p{N}])[\p{L}\p{N}]*[\p{Lu}\p{N}][\p{L}\p{N}]*/gu;
/** Tokens that may need speaking: with a digit, two capitals, or a lone capital consonant. */
const NEEDS_SPEAKING = /\p{N}|\p{Lu}[^]*\p{Lu}|^[BCDĐFGHJKLMNPQRSTVWXZ]$/u;
const PREVIOUS_WORD = /([\p{L}\p{N}]+)[^\p{L}\p{N}]{1,3}$/u;
const NEXT_WORD = /^[^\p{L}\p{N}]{1,3}([\p{L}\p{N}]+)/u;

/** A Vietnamese word typed in capitals, as in a shouted title ("BAN HÀNH"). */
function isShoutedWord(t: string | undefined): boolean {
  return !!t && isAllCaps(t) && (hasVowelMark(t) || CAPS_SYLLABLE.test(t));
}

function speakToken(token: string, offset: number, whole: string): string {
  if (/\p{N}/u.test(token)) {
    if (/^\p{N}+$/u.test(token)) return token;
    const qh = /^QH(\d{1,2})$/.exec(token);
    return qh ? `Quốc hội khóa ${readNumber(qh[1]!)}` : speakAlnum(token);
  }
  const shouted =
    isAllCaps(token) && (isShoutedWord(PREVIOUS_WORD.exec(whole.slice(Math.max(0, offset - 40), offset))?.[1]) || isShoutedWord(NEXT_WORD.exec(whole.slice(offset + token.length, offset + token.length + 40))?.[1]));
  return speakWord(token, shouted);
}

function speakTokens(s: string): string {
  return s.replace(TOKEN, (token: string, offset: number, whole: string) => (NEEDS_SPEAKING.test(token) ? speakToken(token, offset, whole) : token));
}

// ---------------------------------------------------------------------------------------------
// Symbols and spacing

/** Symbols a voice reads badly or not at all, and what to say instead (a pause by default). */
const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  '(': ', ', ')': ', ', '[': ', ', ']': ', ', '{': ', ', '}': ', ',
  '&': ' và ', '+': ' và ', '=>': ', ', '→': ', ', '⇒': ', ', '≥': ' từ ', '>=': ' từ ', '≤': ' không quá ', '<=': ' không quá ',
  '=': ' bằng ', '~': ' khoảng ', '§': ' mục ', '@': ' a còng ', '%': ' phần trăm ',
};
const SYMBOL = /=>|>=|<=|[“”"«»()[\]{}&+→⇒≥≤=~§@%<>^\\]|''/g;

function tidy(s: string): string {
  let out = s.replace(/…|\.{2,}/g, '.').replace(SYMBOL, (ch) => SYMBOL_WORDS[ch] ?? ' ');
  if (/\p{N}/u.test(out)) out = out.replace(/[\p{No}\p{Nl}]|(?![0-9])\p{Nd}/gu, ' ').replace(/\d+/g, (d) => ` ${digitsByDigit(d)} `);
  if (/[-–—]/.test(out)) out = out.replace(/\s*[-–—]+\s*/g, (m) => (m.length > 1 && /\s$/.test(m) ? ', ' : ' '));
  return (
    out
      // one space, none before punctuation
      .replace(/\s*([,.;:!?])|\s+/g, (_m, p: string | undefined) => p ?? ' ')
      .replace(/(?<![\p{L}])([Nn]gày) ngày(?![\p{L}])/gu, '$1')
      // runs of punctuation left by removed symbols: ", ," → ","; ", ." → "."; ". ," → "."
      .replace(/([.!?])(?:\s*[,;:.])+/g, '$1')
      .replace(/[,;:](?:\s*[,;:])*\s*([.!?])/g, '$1')
      // the strongest of a run of pauses: ":" before a list, ";" between items, else ","
      .replace(/[,;:](?:\s*[,;:])+/g, (m) => (m.includes(':') ? ':' : m.includes(';') ? ';' : ','))
      .replace(/([,.;:!?])(?=\p{L})/gu, '$1 ')
      .replace(/^[\s,.;:!?]+|[\s,;:]+$/g, '')
  );
}

/**
 * The text as words a Vietnamese TTS voice reads correctly: no digits, codes, abbreviations,
 * URLs or markdown left. Never throws; unknown material is spelled rather than dropped.
 */
export function speakable(text: string): string {
  let s = text.normalize('NFC').replace(/\r\n?/g, '\n');
  // Each pass runs only when its trigger character is present: most answers have few digits.
  if (s.includes('](')) s = s.replace(LINK_MD, '$1');
  // Addresses before markdown: "_" and "*" inside a URL are not emphasis.
  if (s.includes('@') || ADDRESS_HINT.test(s)) s = speakAddresses(s);
  if (MARKDOWN_HINT.test(s)) s = stripMarkdown(s);
  if (s.includes('&')) s = s.replace(AMPERSAND_ABBREVIATION, (m: string) => AMPERSAND_WORDS[m] ?? m);
  if (s.includes('.')) s = s.replace(DOTTED_ABBREVIATION, speakDottedAbbreviation);
  if (/\d/.test(s)) s = speakNumerals(s);
  if (s.includes('-')) s = s.replace(TYPE_ISSUER, speakTypeIssuer);
  if (s.includes('/')) s = speakSlashes(s);
  if (/[IVX]/.test(s)) s = s.replace(SECTION_ROMAN, (m: string, word: string, roman: string) => (ROMAN.test(roman) ? `${word} ${readNumber(String(romanValue(roman)))}` : m));
  s = speakTokens(s);
  return tidy(s);
}

/** Ministries written with "&", which the token pass would cut in two. */
const AMPERSAND_WORDS: Readonly<Record<string, string>> = {
  'TT&TT': 'Thông tin và Truyền thông',
  'GD&ĐT': 'Giáo dục và Đào tạo',
  'NN&PTNT': 'Nông nghiệp và Phát triển nông thôn',
  'TN&MT': 'Tài nguyên và Môi trường',
  'KH&ĐT': 'Kế hoạch và Đầu tư',
  'KH&CN': 'Khoa học và Công nghệ',
  'LĐ-TB&XH': 'Lao động, Thương binh và Xã hội',
};
const AMPERSAND_ABBREVIATION = /(?<![\p{L}])(?:TT&TT|GD&ĐT|NN&PTNT|TN&MT|KH&ĐT|KH&CN|LĐ-TB&XH)(?![\p{L}])/gu;

function speakTypeIssuer(_m: string, type: string, issuers: string): string {
  const iss = speakIssuers(issuers);
  return ` ${DOC_TYPES.get(type)!.toLowerCase()} của ${iss.spoken} ${iss.rest}`;
}

/** "đồng/lần" → "đồng mỗi lần", "(/Giấy công nhận)" → "(mỗi Giấy công nhận)", "và/hoặc" → "và hoặc". */
function speakSlashes(s: string): string {
  return s
    .replace(/(\d|đồng|Đồng|đ|VNĐ|VND|USD|%|phần trăm)\s*\/\s*(?=\p{L}|\d{1,3}\s+\p{L})/gu, '$1 mỗi ')
    .replace(/\(\s*\/\s*/g, '(mỗi ')
    .replace(/(?<![\p{L}])và\s*\/\s*hoặc(?![\p{L}])/gu, 'và hoặc')
    // "anh/chị", "ông/bà": one polite address, said "anh chị".
    .replace(/(?<![\p{L}])(anh|ông|cô|chú|bác|em|bạn)\s*\/\s*(?=(?:chị|bà|cô|chú|bác|em|bạn)(?![\p{L}]))/giu, '$1 ')
    .replace(/(\p{L})\s*\/\s*(?=\p{L})/gu, '$1 hoặc ')
    .replace(/\//g, ' ');
}

/** "v.v.", "TP. Hà Nội", "Q.1", "P. Tràng Tiền", "TX. Sơn Tây". */
const DOTTED_ABBREVIATION = /(?<![\p{L}])(?:[vV]\.\s?v\.*(?![\p{L}])|(TP|Tp|TX|Q|P)\.\s*(?=[\p{Lu}\d]))/gu;
function speakDottedAbbreviation(_m: string, a: string | undefined): string {
  switch (a) {
    case undefined:
      return ' vân vân ';
    case 'Q':
      return ' quận ';
    case 'P':
      return ' phường ';
    case 'TX':
      return ' thị xã ';
    default:
      return ' thành phố ';
  }
}
const MARKDOWN_HINT = /[\n*_`|#~•▪●◦>]|^\s*(?:[-+–]|\d{1,2}[.)]|[a-zđ][.)])\s/;
const ADDRESS_HINT = /www\.|:\/\/|\.(?:vn|com|net|org|gov|edu|info|io)(?![\p{L}\p{N}])/iu;

/** Everything with digits, most specific first: codes, legal numbers, dates, phones, times, quantities. */
function speakNumerals(input: string): string {
  let s = input;
  if (/m[23²³]/.test(s)) s = s.replace(/(?<![\p{L}\p{N}])m([2²3³])(?![\p{L}\p{N}])/gu, (_m, p: string) => (p === '2' || p === '²' ? 'mét vuông' : 'mét khối'));
  if (s.includes('.')) s = s.replace(PROCEDURE_CODE, (_m, a: string, b: string) => ` ${digitsByDigit(a)} chấm ${digitsByDigit(b)} `);
  if (/[.\-]/.test(s)) s = s.replace(GROUPED_CODE, speakGroupedCode);
  if (s.includes('/')) {
    s = s.replace(LEGAL_REF, (m: string, num: string, year: string | undefined, type: string, term: string | undefined, issuers: string | undefined, offset: number, whole: string) =>
      speakLegalRef(whole, m, num, year, type, term, issuers, offset),
    );
  }
  if (/\d[\/\-.]\d/.test(s)) {
    s = s.replace(FULL_DATE, (m: string, d: string, _sep: string, mo: string, y: string, offset: number, whole: string) => (validDay(d) && validMonth(mo) ? speakDate(whole, d, mo, y, offset) : m));
  }
  if (s.includes('/')) {
    s = s.replace(MONTH_YEAR, (m: string, mo: string, y: string, offset: number, whole: string) => {
      if (!validMonth(mo)) return m;
      return /tháng\s*$/iu.test(before(whole, offset, 8)) ? ` ${readMonth(mo)} năm ${readNumber(y)} ` : ` tháng ${readMonth(mo)} năm ${readNumber(y)} `;
    });
    s = s.replace(DAY_MONTH, (_m: string, d: string, mo: string, offset: number, whole: string) => {
      if (validDay(d) && validMonth(mo) && DATE_CONTEXT.test(before(whole, offset, 10))) return speakDate(whole, d, mo, undefined, offset);
      return ` ${readNumber(d)} phần ${readNumber(mo)} `;
    });
  }
  if (/\d[ .]\d/.test(s)) {
    s = s.replace(GROUPED_PHONE, (m: string, a: string, b: string, c: string) => {
      const n = a.length + b.length + c.length;
      return n === 10 || n === 11 ? ` ${[a, b, c].map(digitsByDigit).join(', ')} ` : m;
    });
  }
  if (/1[89]00/.test(s)) {
    s = s.replace(HOTLINE, (_m, a: string, b: string) => ` ${[a, ...b.split(/[ .]/)].map((g) => (g.length === 6 ? groupedDigits(g, [3, 3]) : digitsByDigit(g))).join(', ')} `);
  }
  if (/\d{8}/.test(s)) s = s.replace(LONG_DIGITS, (m: string, offset: number, whole: string) => speakLongDigits(whole, m, offset));
  // "50.000đ/tem": the "per" reading before the amount is read (its "/" would end up as "hoặc").
  if (s.includes('/')) s = s.replace(/(\d|đ|VNĐ|VND|USD|%)\s*\/\s*(?=\p{L}|\d{1,3}\s+\p{L})/gu, '$1 mỗi ');
  if (/\d\s?[xX×]\s?\d/.test(s)) s = s.replace(/(\d)\s?[xX×]\s?(?=\d)/g, '$1 nhân ');
  if (s.includes('km/h')) s = s.replace(/(\d\s?)km\/h(?![\p{L}])/gu, '$1 ki lô mét một giờ');
  if (/[-–—]/.test(s)) s = s.replace(WEEKDAY_RANGE, '$1 đến ').replace(RANGE, '$1 đến ');
  if (s.includes('giờ')) s = s.replace(TIME_GIO, (m: string, h: string, min: string) => speakTime(m, h, min));
  if (/\d\s?h|\d:\d/.test(s)) s = s.replace(TIME_HM, (m: string, h: string, a: string | undefined, b: string | undefined) => speakTime(m, h, a ?? b));
  return s.replace(NUMBER_WITH_UNIT, (m: string, num: string, _sp: string | undefined, unit: string | undefined, offset: number, whole: string) => speakQuantity(whole, m, num, unit, offset));
}
