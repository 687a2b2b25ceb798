import type { Language } from '../domain/answer.js';
import { HOTLINE } from '../domain/canned-replies.js';
import type { Procedure } from '../domain/procedure.js';
import type { Aspect } from '../text/aspects.js';
import { fold } from '../text/vietnamese.js';

/**
 * Deterministic check of an LLM answer against the records it was written from (principle 6:
 * never invent a fact). It looks for facts the records do not hold:
 *  - number: an amount, duration, count, date, time of day, percentage or legal document number
 *    that appears in no record (formats normalised: "50.000" = "50,000" = "50000", "05" = "5",
 *    "2 triệu" = "2.000.000"; a number with a unit must appear with the same kind of unit);
 *    "miễn phí" when no record says free;
 *  - link: a URL or domain that is neither a record's URL (or a URL in a record) nor the portal root;
 *  - citation: a procedure code (1.001193) that is not one of the records;
 *  - document: a bullet of a documents list that matches no document name or sentence of the records.
 * The hotline is always allowed. Records are analysed once and cached per object.
 */

export type AnswerProblemKind = 'number' | 'link' | 'citation' | 'document';

export interface AnswerProblem {
  kind: AnswerProblemKind;
  detail: string;
}

export interface AnswerCheckResult {
  ok: boolean;
  problems: AnswerProblem[];
}

export interface AnswerCheckOptions {
  /** The aspect the question asked about; `documents` makes every bullet a document to check. */
  aspect?: Aspect | null;
  /** English answers cannot be matched word for word against Vietnamese document names: the document rule is skipped. */
  language?: Language;
  /** Extra URLs the answer may contain (e.g. the center's own site). */
  allowedUrls?: string[];
  /** Extra trusted text whose numbers and links the answer may repeat (e.g. center opening hours). */
  allowedText?: string[];
  /** Minimum share of a bullet's tokens found in one record sentence. Default 0.6. */
  documentThreshold?: number;
}

export const PORTAL_ROOT = 'https://dichvucong.gov.vn';

// --------------------------------------------------------------------------------------------
// Quantities: everything that looks like a number, normalised, with the kind of unit after it.

type Unit = 'money' | 'day' | 'week' | 'month' | 'year' | 'hour' | 'minute' | 'count' | 'percent';

/** Folded unit words after a number (longest first), mapped to their kind. English for `en` answers. */
const UNIT_WORDS: ReadonlyArray<readonly [string, Unit]> = [
  ['viet nam dong', 'money'], ['vnd', 'money'], ['dong', 'money'], ['d', 'money'],
  ['ngay lam viec', 'day'], ['working days', 'day'], ['working day', 'day'], ['business days', 'day'], ['ngay', 'day'], ['days', 'day'], ['day', 'day'],
  ['tuan', 'week'], ['weeks', 'week'], ['week', 'week'],
  ['thang', 'month'], ['months', 'month'], ['month', 'month'],
  ['nam', 'year'], ['years', 'year'], ['year', 'year'],
  ['gio', 'hour'], ['tieng', 'hour'], ['hours', 'hour'], ['hour', 'hour'], ['h', 'hour'],
  ['phut', 'minute'], ['minutes', 'minute'],
  ['ban', 'count'], ['bo', 'count'], ['to', 'count'], ['anh', 'count'], ['trang', 'count'], ['quyen', 'count'], ['chiec', 'count'],
  ['nguoi', 'count'], ['lan', 'count'], ['copies', 'count'], ['copy', 'count'], ['sets', 'count'], ['set', 'count'], ['photos', 'count'],
  ['%', 'percent'], ['phan tram', 'percent'], ['percent', 'percent'],
];
const UNIT_OF = new Map(UNIT_WORDS);
const SCALE: Record<string, number> = { nghin: 1e3, ngan: 1e3, trieu: 1e6, ty: 1e9, thousand: 1e3, million: 1e6, billion: 1e9 };
/** Words before a number that make it a reference (khoản 2 Điều 14), not a quantity. */
const REFERENCE_BEFORE = /(?:^|[^a-z])(?:khoan|dieu|diem|chuong|muc|so|mau|buoc|phu luc|article|clause|step|form|no\.?)\s*$/;

const NUMBER = new RegExp(
  // No look-behind here (it makes the scan ~10× slower): the character before is checked in code.
  String.raw`(\d+(?:[.,]\d+)*)(?!\d)` +
    String.raw`(?:\s*(nghin|ngan|trieu|ty|thousand|million|billion)(?![a-z]))?` +
    // "tờ" folds to "to": not the English "to" of "5 to 10".
    String.raw`(?:\s*(${UNIT_WORDS.map(([w]) => (w === 'to' ? String.raw`to(?!\s*\d)` : w.replace(/\./g, '\\.'))).join('|')})(?![a-z0-9]))?`,
  'g',
);
const NUMBER_GLUED_TO = /[\p{L}\p{N}/]/u;
const DATE_DMY = /(?<![\d/.])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?![\d/])/g;
const DATE_WORDS_DMY = /ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})(?!\d)/g;
const DATE_WORDS_DM = /ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?!\d)/g;
const DATE_WORDS_MY = /thang\s+(\d{1,2})\s*(?:nam\s+|\/)(\d{4})(?!\d)/g;
const DATE_MY = /(?<![\d/.])(\d{1,2})\/(\d{4})(?![\d/])/g;
const DATE_DM = /(?<![\d/.])(\d{1,2})\/(\d{1,2})(?![\d/])/g;
const TIME_OF_DAY = /(?<![\d.,])(\d{1,2})(?::(\d{2})|\s*(?:h|gio)\s*(\d{2})(?:\s*phut)?)(?!\d)/g;
/** Legal document numbers: 123/2015/NĐ-CP, 60/2014/QH13, 163/QĐ-BTP, 66.7/2025/NQ-CP (folded). */
const LEGAL_NUMBER = /(?<![\p{L}\p{N}/])(\d+(?:\.\d+)?)((?:\/\d{4})?\/[a-z][a-z0-9]*(?:-[a-z0-9]+)*)/gu;
const PROCEDURE_CODE = /(?<![\d.])(\d{1,2}\.\d{6}(?:\.\d{3}\.\d{2})?)(?![\d])/g;
const HOTLINE_FORMS = new RegExp(`(?<!\\d)${HOTLINE.slice(0, 4)}[\\s.]?${HOTLINE.slice(4, 6)}[\\s.]?${HOTLINE.slice(6)}(?!\\d)`, 'g');
const FREE_IN_ANSWER = /mien (?:le )?phi|khong (?:mat|thu|phai nop|phai tra|can nop|co) (?:le )?phi|free of charge|no fee|no charge|is free/;
const FREE_IN_RECORD = /mien (?:le )?phi|khong thu (?:le )?phi|(?<![\d.,])0\s*(?:dong|vnd|d)(?![a-z])/;

interface Quantity {
  /** As written (folded), for problem details. */
  raw: string;
  kind: 'number' | 'date' | 'time' | 'legal';
  /** Normalised: "50000", "1.5", "12/5/2024", "8:30", "123/2015/nd-cp". */
  value: string;
  /** For kind number: the unit after it, `ref` after khoản/điều…, null when bare. */
  unit: Unit | 'ref' | null;
}

function stripZeros(n: string): string {
  return n.replace(/^0+(?=\d)/, '');
}

/** "50.000" / "50,000" / "050000" → "50000"; "1,5" → "1.5"; "1.2.3" → "1.2.3". */
function normaliseNumber(raw: string): string {
  if (/^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$/.test(raw)) return stripZeros(raw.replace(/[.,]/g, ''));
  if (/^\d+[.,]\d+$/.test(raw)) {
    const [int, frac] = raw.split(/[.,]/) as [string, string];
    const f = frac.replace(/0+$/, '');
    return f ? `${stripZeros(int)}.${f}` : stripZeros(int);
  }
  return raw.split(/[.,]/).map(stripZeros).join('.');
}

/** Replaces every match with spaces (same length) after handing it to `found`. */
function take(text: string, re: RegExp, found: (m: RegExpExecArray) => void): string {
  re.lastIndex = 0;
  return text.replace(re, (...args) => {
    const groups = args.slice(0, -2) as string[];
    const index = args[args.length - 2] as number;
    const m = Object.assign([...groups], { index, input: text }) as unknown as RegExpExecArray;
    found(m);
    return ' '.repeat(groups[0]!.length);
  });
}

/** URLs and bare domains, with their positions blanked out of the text. */
const URL_FULL = /\bhttps?:\/\/[^\s<>"'`)\]]+/gi;
const URL_BARE = /(?<![@\w./-])(?:www\.)?(?:[a-z0-9-]+\.)+(?:gov\.vn|com\.vn|org\.vn|net\.vn|edu\.vn|vn|com|net|org|io|info|gov)(?![\w-])(?:\/[^\s<>"'`)\]]*)?/gi;

function normaliseUrl(url: string): string {
  return url
    .trim()
    .replace(/[.,;:!?…]+$/, '')
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/#?]+$/, '');
}

interface Extracted {
  quantities: Quantity[];
  urls: string[];
  codes: string[];
  free: boolean;
}

/** Everything checkable in a text. The same function reads records and answers, so a verbatim quote always matches. */
function extract(original: string, forRecord: boolean): Extracted {
  const urls: string[] = [];
  const codes: string[] = [];
  const quantities: Quantity[] = [];
  let text = original.normalize('NFC');
  text = take(text, URL_FULL, (m) => urls.push(m[0]));
  text = take(text, URL_BARE, (m) => urls.push(m[0]));
  let f = fold(text);
  // fold() keeps one character per NFC character for Vietnamese; if it did not, positions do not matter here.
  f = take(f, HOTLINE_FORMS, () => {});
  f = take(f, LEGAL_NUMBER, (m) => quantities.push({ raw: m[0], kind: 'legal', value: `${stripZeros(m[1]!)}${m[2]!}`, unit: null }));
  f = take(f, PROCEDURE_CODE, (m) => codes.push(m[1]!));
  const date = (raw: string, ...parts: string[]): void => {
    quantities.push({ raw, kind: 'date', value: parts.map(stripZeros).join('/'), unit: null });
  };
  f = take(f, DATE_WORDS_DMY, (m) => date(m[0], m[1]!, m[2]!, m[3]!));
  f = take(f, DATE_DMY, (m) => date(m[0], m[1]!, m[3]!, m[4]!));
  f = take(f, DATE_WORDS_MY, (m) => date(m[0], m[1]!, m[2]!));
  f = take(f, DATE_WORDS_DM, (m) => date(m[0], m[1]!, m[2]!));
  f = take(f, DATE_MY, (m) => date(m[0], m[1]!, m[2]!));
  f = take(f, DATE_DM, (m) => date(m[0], m[1]!, m[2]!));
  f = take(f, TIME_OF_DAY, (m) => {
    quantities.push({ raw: m[0], kind: 'time', value: `${stripZeros(m[1]!)}:${m[2] ?? m[3]}`, unit: null });
  });
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(f); m; m = NUMBER.exec(f)) {
    // Part of a word or code ("G15", "A1", "/0001"): not a quantity.
    if (m.index > 0 && NUMBER_GLUED_TO.test(f[m.index - 1]!)) continue;
    let value = normaliseNumber(m[1]!);
    const scale = m[2] ? SCALE[m[2]] : undefined;
    if (scale && /^\d+(?:\.\d+)?$/.test(value)) value = String(Math.round(Number(value) * scale));
    let unit: Unit | 'ref' | null = m[3] ? (UNIT_OF.get(m[3]) ?? null) : scale ? 'money' : null;
    if (!unit && REFERENCE_BEFORE.test(f.slice(Math.max(0, m.index - 14), m.index))) unit = 'ref';
    // A list marker ("1." or "2)" at the start of a line) is not a fact.
    if (!forRecord && !unit && /^\s*$/.test(f.slice(f.lastIndexOf('\n', m.index - 1) + 1, m.index)) && /^[.)]/.test(f.slice(m.index + m[0].length))) continue;
    quantities.push({ raw: m[0].trim(), kind: 'number', value, unit });
  }
  return { quantities, urls, codes, free: (forRecord ? FREE_IN_RECORD : FREE_IN_ANSWER).test(f) };
}

// --------------------------------------------------------------------------------------------
// Record facts, computed once per record object.

interface RecordFacts {
  /** value → units it appears with ('bare' for none). */
  numbers: Map<string, Set<Unit | 'ref' | 'bare'>>;
  dates: Set<string>;
  times: Set<string>;
  legal: Set<string>;
  urls: Set<string>;
  /** Procedure codes the record's own text mentions (a name or step may refer to another procedure). */
  codes: Set<string>;
  free: boolean;
  /** The record, for the document rule's sentences (built only when an answer lists documents). */
  record?: Procedure;
  sentenceTokens?: Set<string>[];
}

const FACTS = new WeakMap<Procedure, RecordFacts>();

function recordTexts(p: Procedure): string[] {
  const out: (string | null)[] = [
    p.id, p.name, p.field, ...p.levels, p.agency, p.competentAuthority, p.procedureType, p.decisionNo, p.targetAudience,
    p.steps, p.conditions, p.legalBasis, ...p.legalCodes, p.result, p.receptionAddress, p.coordinatingAgency, p.description,
    ...p.aliases, p.url,
  ];
  for (const c of p.channels) out.push(c.label, c.processingTime, c.fee, c.description);
  for (const d of p.documents) out.push(d.name, d.quantity, ...d.forms, d.case);
  return out.filter((t): t is string => typeof t === 'string' && t !== '');
}

function addFacts(facts: RecordFacts, text: string): void {
  const e = extract(text, true);
  for (const q of e.quantities) {
    if (q.kind === 'date') facts.dates.add(q.value);
    else if (q.kind === 'time') {
      facts.times.add(q.value);
      // "8h00" in the record also backs "8 giờ" in the answer.
      if (q.value.endsWith(':00')) addNumber(facts, q.value.slice(0, -3), 'hour');
    } else if (q.kind === 'legal') facts.legal.add(q.value);
    else addNumber(facts, q.value, q.unit ?? 'bare');
  }
  for (const u of e.urls) facts.urls.add(normaliseUrl(u));
  for (const c of e.codes) facts.codes.add(c);
  if (e.free) facts.free = true;
}

function addNumber(facts: RecordFacts, value: string, unit: Unit | 'ref' | 'bare'): void {
  let units = facts.numbers.get(value);
  if (!units) facts.numbers.set(value, (units = new Set()));
  units.add(unit);
}

function emptyFacts(): RecordFacts {
  return { numbers: new Map(), dates: new Set(), times: new Set(), legal: new Set(), urls: new Set(), codes: new Set(), free: false };
}

function factsOf(p: Procedure): RecordFacts {
  let facts = FACTS.get(p);
  if (facts) return facts;
  facts = emptyFacts();
  // One pass over all fields; " | " keeps a number in one field from taking the next field's first word as its unit.
  addFacts(facts, recordTexts(p).join(' | '));
  if (p.url) facts.urls.add(normaliseUrl(p.url));
  facts.record = p;
  FACTS.set(p, facts);
  return facts;
}

// --------------------------------------------------------------------------------------------
// Document bullets.

/** Syllables that carry no meaning on their own, skipped when comparing a bullet with a record sentence. */
const FILLER = new Set(
  'va cua cac nhung mot theo ve cho la co duoc hoac neu thi trong tai voi de do doi nay khi da se phai can nop xuat trinh kem the and of the or for a an with to in'.split(' '),
);

/**
 * Tokens of a folded text: its syllable bigrams (Vietnamese words are mostly two syllables, so a
 * bigram stands for a word: "xác nhận", "hôn nhân"), or the syllable itself for a one-syllable text.
 * Numbers and filler syllables are dropped.
 */
function tokens(folded: string): Set<string> {
  const syl = (folded.match(/\p{L}+/gu) ?? []).filter((s) => !FILLER.has(s));
  if (syl.length === 1) return new Set(syl);
  const out = new Set<string>();
  for (let i = 0; i + 1 < syl.length; i++) out.add(`${syl[i]} ${syl[i + 1]}`);
  return out;
}

function overlap(bullet: Set<string>, sentence: Set<string>): number {
  if (bullet.size === 0) return 1;
  let hit = 0;
  for (const t of bullet) if (sentence.has(t)) hit++;
  return hit / bullet.size;
}

const BULLET = /^\s*(?:[-*•+–]|\d{1,2}[.)])\s+(.+?)\s*$/;
const DOCUMENTS_CUE = /ho so|giay to|thanh phan|chuan bi|mang theo|document|paper|bring/;

/** The bullet lines that list documents: all bullets when the aspect is documents, else bullets under a line that speaks of documents. */
function documentBullets(text: string, aspect: Aspect | null | undefined): string[] {
  const out: string[] = [];
  let inList = aspect === 'documents';
  for (const line of text.split('\n')) {
    const bullet = BULLET.exec(line);
    if (bullet) {
      if (inList) out.push(bullet[1]!);
    } else if (line.trim() !== '') {
      // A line that introduces a list of documents: "Hồ sơ gồm:", "Anh/chị cần chuẩn bị:".
      inList = aspect === 'documents' || (DOCUMENTS_CUE.test(fold(line)) && /:\s*(?:\*\*)?\s*$/.test(line));
    }
  }
  return out;
}

/** The forms of a bullet worth comparing: as written, without parentheses, and the name before a colon. */
function bulletVariants(bullet: string): string[] {
  const plain = bullet.replace(/[*_`]+/g, '').trim();
  const variants = [plain, plain.replace(/\([^)]*\)/g, ' ')];
  const colon = plain.indexOf(':');
  if (colon > 3) variants.push(plain.slice(0, colon));
  return variants;
}

/** Document names (with their quantity), then every clause of the record's prose; folded. */
function recordSentences(p: Procedure): string[] {
  const out = p.documents.map((d) => fold([d.name, d.quantity].filter(Boolean).join(' ')));
  const prose = fold(recordTexts(p).join('\n'));
  for (const s of prose.split(/[.;:!?|]+(?=\s|$)|\n/)) if (s.trim().length > 2) out.push(s);
  return out;
}

function bestDocumentMatch(bullet: string, records: RecordFacts[]): number {
  let best = 0;
  for (const variant of bulletVariants(bullet)) {
    const b = tokens(fold(variant));
    if (b.size === 0) return 1;
    for (const facts of records) {
      facts.sentenceTokens ??= facts.record ? recordSentences(facts.record).map(tokens) : [];
      for (const s of facts.sentenceTokens) {
        const o = overlap(b, s);
        if (o > best) best = o;
        if (best === 1) return best;
      }
    }
  }
  return best;
}

// --------------------------------------------------------------------------------------------

/** Checks an answer against the records it may draw on (the main procedure and the related ones). */
export function checkAnswer(text: string, records: Procedure[], options: AnswerCheckOptions = {}): AnswerCheckResult {
  const problems: AnswerProblem[] = [];
  const recordFacts = records.map(factsOf);
  const extra = emptyFacts();
  for (const t of options.allowedText ?? []) addFacts(extra, t);
  const all = [...recordFacts, extra];
  const answer = extract(text, false);
  const seen = new Set<string>();
  const report = (kind: AnswerProblemKind, detail: string): void => {
    const key = `${kind}:${detail}`;
    if (!seen.has(key)) problems.push({ kind, detail }), seen.add(key);
  };

  // Numbers.
  for (const q of answer.quantities) {
    if (q.kind === 'date') {
      if (!all.some((f) => f.dates.has(q.value))) report('number', `date "${q.raw}" is not in the record`);
    } else if (q.kind === 'time') {
      const hourOnly = q.value.endsWith(':00') ? q.value.slice(0, -3) : null;
      const backed = all.some((f) => f.times.has(q.value) || (hourOnly !== null && f.numbers.get(hourOnly)?.has('hour')));
      if (!backed) report('number', `time "${q.raw}" is not in the record`);
    } else if (q.kind === 'legal') {
      if (!all.some((f) => f.legal.has(q.value))) report('number', `legal document number "${q.raw}" is not in the record`);
    } else if (q.unit === null || q.unit === 'ref') {
      // Bare single digits ("bước 2", "khoản 3") are too common to mean anything.
      if (/^\d$/.test(q.value)) continue;
      if (!all.some((f) => f.numbers.has(q.value))) report('number', `number "${q.raw}" is not in the record`);
    } else {
      const unit = q.unit;
      if (unit === 'money' && q.value === '0' && all.some((f) => f.free)) continue;
      const backed = all.some((f) => {
        const units = f.numbers.get(q.value);
        if (units && (units.has(unit) || units.has('bare'))) return true;
        return unit === 'hour' && f.times.has(`${q.value}:00`);
      });
      if (!backed) report('number', `"${q.raw}" (${unit}) is not in the record`);
    }
  }
  if (answer.free && !all.some((f) => f.free)) report('number', 'the answer says free of charge but no record says so');

  // Links.
  const allowedUrls = new Set([normaliseUrl(PORTAL_ROOT), ...(options.allowedUrls ?? []).map(normaliseUrl)]);
  for (const url of answer.urls) {
    const n = normaliseUrl(url);
    if (!allowedUrls.has(n) && !all.some((f) => f.urls.has(n))) report('link', `link "${url}" is not a record's link`);
  }

  // Procedure codes.
  const ids = new Set(records.map((r) => r.id));
  for (const code of answer.codes) {
    if (!ids.has(code) && !all.some((f) => f.codes.has(code))) report('citation', `procedure code ${code} is not among the records (${[...ids].join(', ') || 'none'})`);
  }

  // Documents.
  if (options.language !== 'en' && recordFacts.length > 0) {
    const threshold = options.documentThreshold ?? 0.6;
    for (const bullet of documentBullets(text, options.aspect)) {
      const score = bestDocumentMatch(bullet, recordFacts);
      if (score < threshold) report('document', `"${bullet}" matches no document of the record (best overlap ${score.toFixed(2)})`);
    }
  }

  return { ok: problems.length === 0, problems };
}
