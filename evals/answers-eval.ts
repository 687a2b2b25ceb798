/**
 * `npm run eval -- answers`: runs the team-written answer set (evals/datasets/answers-*.jsonl)
 * through the real answer service and measures, per question, whether the right procedure is
 * cited, whether the asked aspect is answered with that record's own content, and the hard line:
 * no number in a reply that the cited record does not contain. Dialogues are scored per turn,
 * control messages by status. Writes JSON and Markdown to evals/reports/answers-<timestamp>.*.
 */
import { createEvalAnswerService } from './create-eval-answer-service.js';
import fs from 'node:fs';
import path from 'node:path';
import { HOTLINE } from '../src/domain/canned-replies.js';
import type { Procedure } from '../src/domain/procedure.js';
import type { Aspect } from '../src/text/aspects.js';
import { fold, hasDiacritics } from '../src/text/vietnamese.js';
import { type AnswersDatasets, type ControlCase, type Dialogue, loadAnswersDatasets, type SingleQuestion, type TurnExpectation } from './answers-dataset.js';
import { loadSharedCatalogue, SHARED_TTHC_DIR } from './load-shared-catalogue.js';
import { loadOverlays } from '../src/knowledge/overlay.js';
import { runVoiceCheck, type VoiceCheckReport, voiceCheckLines } from './voice-answer-check.js';

/** What the eval needs from the answer service (defined here so the eval does not import it). */
export interface ChatReply {
  sessionId: string;
  status: string;
  text: string;
  citations: { id: string; name: string; url: string | null }[];
  options?: { id: string; name: string }[];
  handoff: boolean;
  aspect: string | null;
}

export interface ChatService {
  handle(input: { sessionId?: string; channel: string; message: string; style?: 'chat' | 'voice' }): Promise<ChatReply>;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Folded, punctuation-free, single-spaced: "Mẫu DC02 (bản chính)" → "mau dc02 ban chinh". */
export function foldWords(text: string): string {
  return fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function containsPhrase(haystackWords: string, phraseWords: string): boolean {
  return phraseWords.length > 0 && ` ${haystackWords} `.includes(` ${phraseWords} `);
}

function ngrams(words: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers: the hard line

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const HOTLINE_RE = new RegExp(HOTLINE.replace(/^(\d{4})(\d{4})$/, '$1[\\s.]?$2'), 'g');
/** A number token: digits with thousands/decimal separators, optionally slash-joined (dates, legal numbers). */
const NUMBER_RE = /\d+(?:[.,]\d+)*(?:\/\d+(?:[.,]\d+)*)*/g;
/** "1. ", "2) " at the start of a line: list numbering made by the composer, not a fact. */
const LIST_MARKER_RE = /^(\s*[-*•]?\s*)\d{1,2}[.)](?=\s)/gm;
const VI_DATE_RE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/giu;

function normalisePart(part: string): string {
  const digits = part.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '');
  return digits;
}

/** "50.000" and "50,000" → "50000"; "12/05/2024" → "12/5/2024"; "09" → "9". */
export function normaliseNumber(token: string): string {
  return token.split('/').map(normalisePart).join('/');
}

/** Number tokens of a text, normalised, in order. */
export function numberTokens(text: string): string[] {
  return [...text.matchAll(NUMBER_RE)].map((m) => normaliseNumber(m[0]));
}

/** A number in a reply, with the values it may stand for ("70 nghìn" may be 70 or 70000). */
interface ReplyNumber {
  raw: string;
  values: string[];
  context: string;
}

const MULTIPLIER_RE = /^\s*(nghìn|ngàn|ngan|nghin|k\b|triệu|trieu|tr\b)/iu;

function replyNumbers(text: string, ignore: ReadonlySet<string>): ReplyNumber[] {
  const cleaned = text.replace(URL_RE, ' ').replace(HOTLINE_RE, ' ').replace(LIST_MARKER_RE, '$1');
  const out: ReplyNumber[] = [];
  for (const m of cleaned.matchAll(NUMBER_RE)) {
    const raw = m[0];
    const value = normaliseNumber(raw);
    if (ignore.has(value)) continue;
    const values = [value];
    const after = cleaned.slice(m.index + raw.length, m.index + raw.length + 8);
    const mult = MULTIPLIER_RE.exec(after);
    if (mult && !raw.includes('/')) {
      const factor = /^(triệu|trieu|tr)$/iu.test(mult[1]!) ? 1_000_000 : 1000;
      const numeric = /^\d+[.,]\d{1,2}$/.test(raw) ? Number(raw.replace(',', '.')) : Number(value);
      values.push(String(Math.round(numeric * factor)));
    }
    const start = Math.max(0, m.index - 30);
    out.push({ raw, values, context: cleaned.slice(start, m.index + raw.length + 20).replace(/\s+/g, ' ').trim() });
  }
  return out;
}

/** Every text a record holds, for grounding (everything a composer may legitimately quote). */
export function recordTexts(p: Procedure): string[] {
  const texts: (string | null)[] = [
    p.id,
    p.name,
    p.field,
    p.agency,
    p.competentAuthority,
    p.procedureType,
    p.decisionNo,
    p.targetAudience,
    p.steps,
    p.conditions,
    p.legalBasis,
    p.result,
    p.receptionAddress,
    p.coordinatingAgency,
    p.description,
    ...p.levels,
    ...p.legalCodes,
    ...p.aliases,
  ];
  for (const c of p.channels) texts.push(c.label, c.processingTime, c.fee, c.description);
  for (const d of p.documents) texts.push(d.name, d.quantity, d.case, ...d.forms);
  return texts.filter((t): t is string => !!t);
}

/** The normalised numbers a set of records contains (slash tokens also contribute their parts). */
export function groundedNumbers(records: readonly Procedure[]): Set<string> {
  const out = new Set<string>();
  for (const p of records) {
    for (const text of recordTexts(p)) {
      for (const n of numberTokens(text)) {
        out.add(n);
        if (n.includes('/')) for (const part of n.split('/')) out.add(part);
      }
      for (const m of text.matchAll(VI_DATE_RE)) out.add(normaliseNumber(`${m[1]}/${m[2]}/${m[3]}`));
    }
  }
  return out;
}

export interface NumberViolation {
  number: string;
  context: string;
}

/**
 * Numbers in `reply` that none of `records` contains. Ignored: the hotline, the codes of the
 * records themselves, list numbering at line starts and anything inside a URL. "70 nghìn" counts
 * as grounded when the record has 70 or 70000.
 */
export function ungroundedNumbers(reply: string, records: readonly Procedure[]): NumberViolation[] {
  const grounded = groundedNumbers(records);
  const ignore = new Set([HOTLINE, ...records.map((p) => normaliseNumber(p.id))]);
  return replyNumbers(reply, ignore)
    .filter((n) => !n.values.some((v) => grounded.has(v)))
    .map((n) => ({ number: n.raw, context: n.context }));
}

// ---------------------------------------------------------------------------------------------
// Aspect checkers: does the reply carry this record's own content for the aspect asked?

export type AspectVerdict = 'pass' | 'fail' | 'no_data';
export interface AspectCheck {
  verdict: AspectVerdict;
  reason: string;
}

const pass = (reason: string): AspectCheck => ({ verdict: 'pass', reason });
const fail = (reason: string): AspectCheck => ({ verdict: 'fail', reason });
const noData = (reason: string): AspectCheck => ({ verdict: 'no_data', reason });

const FREE_PHRASES = ['mien phi', 'khong mat phi', 'khong thu phi', 'khong phai nop phi', 'khong phai nop le phi', 'mien le phi', 'khong mat tien', 'khong thu le phi', 'khong phai tra phi', '0 dong'];

/** Single-part amounts in a text (legal numbers like 60/2023 are not amounts). */
function amounts(text: string): string[] {
  return numberTokens(text).filter((n) => !n.includes('/') && n !== '0');
}

function replyValues(reply: string): Set<string> {
  return new Set(replyNumbers(reply, new Set()).flatMap((n) => n.values));
}

function checkFee(reply: string, p: Procedure): AspectCheck {
  const fees = p.channels.map((c) => c.fee).filter((f): f is string => !!f);
  if (!fees.length) return noData('record has no fee');
  const values = replyValues(reply);
  const hit = fees.flatMap(amounts).find((a) => values.has(a));
  if (hit) return pass(`fee amount ${hit}`);
  const foldedReply = foldWords(reply);
  const recordFree = fees.some((f) => /mien phi|mien le phi|khong/.test(foldWords(f)) || amounts(f).length === 0);
  if (recordFree && FREE_PHRASES.some((ph) => containsPhrase(foldedReply, ph))) return pass('free of charge');
  return fail(`no fee amount of the record (${fees[0]!.slice(0, 60)}) nor "miễn phí"`);
}

function checkTime(reply: string, p: Procedure): AspectCheck {
  const times = p.channels.map((c) => c.processingTime).filter((t): t is string => !!t);
  if (!times.length) return noData('record has no processing time');
  const values = replyValues(reply);
  const nums = times.flatMap(amounts);
  if (nums.length) {
    const hit = nums.find((n) => values.has(n));
    return hit ? pass(`processing time ${hit}`) : fail(`no processing time of the record (${times.join(' / ').slice(0, 60)})`);
  }
  const foldedReply = foldWords(reply);
  const hit = times.find((t) => containsPhrase(foldedReply, foldWords(t)));
  return hit ? pass(`processing time "${hit}"`) : fail(`processing time "${times[0]}" not in reply`);
}

/** "a) Tờ khai…", "- Bản sao…", "1. Giấy…" → the name itself. */
function cleanDocumentName(name: string): string {
  return name.replace(/^[\s\-–•+*]*(?:[a-zđ0-9]{1,2}[.)]\s*)?/iu, '');
}

function checkDocuments(reply: string, p: Procedure): AspectCheck {
  if (!p.documents.length) return noData('record lists no documents');
  const foldedReply = foldWords(reply);
  for (const d of p.documents) {
    const words = foldWords(cleanDocumentName(d.name)).split(' ').filter(Boolean);
    if (words.length < 2) continue;
    const head = words.slice(0, 5).join(' ');
    if (containsPhrase(foldedReply, head)) return pass(`document "${d.name.slice(0, 50)}"`);
    for (const form of d.forms) {
      const f = foldWords(form.replace(/\.(docx?|pdf|xlsx?)$/i, ''));
      if (f.split(' ').length >= 2 && containsPhrase(foldedReply, f)) return pass(`form "${form}"`);
    }
  }
  return fail('no document name of the record');
}

function checkWhere(reply: string, p: Procedure): AspectCheck {
  const parts = [p.agency, p.competentAuthority, p.receptionAddress]
    .filter((t): t is string => !!t)
    .flatMap((t) => t.split(/[,;\n]/))
    .map((t) => foldWords(t).split(' ').filter(Boolean))
    .filter((w) => w.length >= 2)
    .map((w) => w.slice(0, 6).join(' '));
  const labels = p.channels.map((c) => foldWords(c.label)).filter(Boolean);
  if (!parts.length && !labels.length) return noData('record has no agency nor channel');
  const foldedReply = foldWords(reply);
  const hit = parts.find((x) => containsPhrase(foldedReply, x)) ?? labels.find((x) => containsPhrase(foldedReply, x));
  return hit ? pass(`where "${hit}"`) : fail('no agency nor channel label of the record');
}

const ONLINE_WORDS = ['truc tuyen', 'online', 'qua mang', 'dich vu cong', 'vneid', 'toan trinh'];
const NOT_ONLINE_RE = /(khong|chua)( the| duoc| ho tro| co| cho phep)* (nop|lam|thuc hien|dang ky|tiep nhan)?( ho so)? ?(truc tuyen|online|qua mang)|chi (nop|tiep nhan|thuc hien|lam)( ho so)? (truc tiep|qua buu chinh)/;

function checkOnline(reply: string, p: Procedure): AspectCheck {
  if (!p.channels.length) return noData('record has no channels');
  const foldedReply = foldWords(reply);
  const mentions = ONLINE_WORDS.some((w) => containsPhrase(foldedReply, w));
  const negated = NOT_ONLINE_RE.test(foldedReply);
  const online = p.channels.some((c) => c.kind === 'online');
  if (online) return mentions && !negated ? pass('online channel stated') : fail('record accepts online submission; reply does not say so');
  const channelLabel = p.channels.some((c) => containsPhrase(foldedReply, foldWords(c.label)));
  return negated || (!mentions && channelLabel) ? pass('not online, stated') : fail('record has no online channel; reply does not say so');
}

/** Shared n-grams between a long record field and the reply: evidence that the field was quoted. */
function checkOverlap(reply: string, field: string | null, label: string, extra: readonly string[] = []): AspectCheck {
  if (!field && !extra.length) return noData(`record has no ${label}`);
  const foldedReply = foldWords(reply);
  const code = extra.find((c) => containsPhrase(foldedReply, foldWords(c)));
  if (code) return pass(`${label} "${code}"`);
  if (!field) return fail(`no ${label} of the record`);
  const words = foldWords(field).split(' ').filter(Boolean);
  if (words.length <= 6) return containsPhrase(foldedReply, words.join(' ')) ? pass(`${label} quoted`) : fail(`${label} "${field}" not in reply`);
  const shared = [...ngrams(words, 5)].filter((g) => containsPhrase(foldedReply, g));
  const needed = words.length > 30 ? 2 : 1;
  return shared.length >= needed ? pass(`${shared.length} phrases of the ${label}`) : fail(`reply shares ${shared.length} five-word phrases with the ${label} (need ${needed})`);
}

function checkResult(reply: string, p: Procedure): AspectCheck {
  if (!p.result) return noData('record has no result');
  const foldedReply = foldWords(reply);
  const segments = p.result
    .replace(/\(mã kết quả[^)]*\)?/giu, '\n')
    .split(/[\n;.]/)
    .map((s) => foldWords(s).split(' ').filter(Boolean))
    .filter((w) => w.length >= 2);
  if (!segments.length) return noData('record result is only codes');
  const hit = segments.find((w) => containsPhrase(foldedReply, w.slice(0, Math.min(w.length, 5)).join(' ')));
  return hit ? pass(`result "${hit.join(' ')}"`) : fail('no result of the record');
}

/** Checks one aspect of a reply against the record it cites. */
export function checkAspect(aspect: Aspect, reply: string, p: Procedure): AspectCheck {
  switch (aspect) {
    case 'fee':
      return checkFee(reply, p);
    case 'time':
      return checkTime(reply, p);
    case 'documents':
      return checkDocuments(reply, p);
    case 'where':
      return checkWhere(reply, p);
    case 'online':
      return checkOnline(reply, p);
    case 'conditions':
      return checkOverlap(reply, p.conditions, 'conditions');
    case 'steps':
      return checkOverlap(reply, p.steps, 'steps');
    case 'legal_basis':
      return checkOverlap(reply, p.legalBasis, 'legal basis', p.legalCodes);
    case 'result':
      return checkResult(reply, p);
  }
}

/** True when `needle` (or, for mostly-digit needles, its digit sequence) appears in the reply. */
export function containsForbidden(reply: string, needle: string): boolean {
  if (reply.toLowerCase().includes(needle.toLowerCase())) return true;
  const digits = needle.replace(/\D/g, '');
  return digits.length >= 6 && reply.replace(/[\s.\-]/g, '').includes(digits);
}

// ---------------------------------------------------------------------------------------------
// Running the datasets

export interface SingleResult {
  id: string;
  question: string;
  goldIds: string[];
  aspect: Aspect | null;
  tags: string[];
  diacritics: boolean;
  field: string | null;
  status: string;
  cited: string[];
  citedGold: string | null;
  /** The service's own reading of the aspect. */
  detectedAspect: string | null;
  aspectCheck: AspectCheck | null;
  numberViolations: NumberViolation[];
  pass: boolean;
  text: string;
}

export interface TurnResult {
  dialogueId: string;
  turn: number;
  message: string;
  expect: TurnExpectation;
  status: string;
  cited: string[];
  options: string[];
  checks: Record<string, boolean>;
  reasons: string[];
  numberViolations: NumberViolation[];
  pass: boolean;
  text: string;
}

export interface ControlResult {
  id: string;
  message: string;
  expectStatus: string;
  status: string;
  handoff: boolean;
  forbiddenFound: string[];
  numberViolations: NumberViolation[];
  pass: boolean;
  text: string;
}

export interface Bucket {
  n: number;
  /** Share of questions whose citations include a gold procedure. */
  cited: number;
  /** Aspect checks passed / (passed + failed); questions without an aspect or without record data are left out. */
  aspect: number | null;
  aspectN: number;
  aspectNoData: number;
  /** Replies with at least one ungrounded number. */
  repliesWithViolations: number;
  violations: number;
  pass: number;
}

export interface Failure {
  suite: 'single' | 'dialogue' | 'control';
  id: string;
  message: string;
  status: string;
  reasons: string[];
  text: string;
}

export interface AnswersReport {
  kind: 'answers';
  createdAt: string;
  procedures: number;
  channel: string;
  single: { overall: Bucket; byDiacritics: Record<string, Bucket>; byTag: Record<string, Bucket>; byAspect: Record<string, Bucket>; byField: Record<string, Bucket>; statuses: Record<string, number>; results: SingleResult[] };
  dialogues: { dialogues: number; dialoguesPassed: number; turns: number; turnsPassed: number; byCheck: Record<string, { n: number; passed: number }>; violations: number; results: TurnResult[] };
  control: { n: number; passed: number; byExpected: Record<string, { n: number; passed: number }>; forbiddenLeaks: number; results: ControlResult[] };
  /** The hard line, all suites together: target 0. */
  numberViolations: number;
  failures: Failure[];
  /** Every message asked again in the voice style and checked as spoken (target: 0 with problems). */
  voice: VoiceCheckReport;
}

export interface RunOptions {
  channel?: string;
  /** Questions and dialogues in flight at once (each has its own session). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

async function ask(service: ChatService, input: Parameters<ChatService['handle']>[0]): Promise<ChatReply> {
  try {
    return await service.handle(input);
  } catch (e) {
    return { sessionId: input.sessionId ?? '', status: `exception: ${(e as Error).message}`, text: '', citations: [], handoff: false, aspect: null };
  }
}

function groundingRecords(reply: ChatReply, byId: ReadonlyMap<string, Procedure>): Procedure[] {
  const ids = new Set([...reply.citations.map((c) => c.id), ...(reply.options ?? []).map((o) => o.id)]);
  return [...ids].map((id) => byId.get(id)).filter((p): p is Procedure => !!p);
}

function evaluateSingle(q: SingleQuestion, reply: ChatReply, byId: ReadonlyMap<string, Procedure>): SingleResult {
  const cited = reply.citations.map((c) => c.id);
  const citedGold = cited.find((id) => q.gold_ids.includes(id)) ?? null;
  const record = citedGold ? byId.get(citedGold) : undefined;
  let aspectCheck: AspectCheck | null = null;
  if (q.aspect) {
    const gold = byId.get(q.gold_ids[0]!);
    // A gold record without the field is "no data" whatever was cited, so that rates compare like with like.
    if (record) aspectCheck = checkAspect(q.aspect, reply.text, record);
    else if (gold && checkAspect(q.aspect, '', gold).verdict === 'no_data') aspectCheck = noData('gold record has no data for this aspect');
    else aspectCheck = fail('gold procedure not cited');
  }
  const numberViolations = ungroundedNumbers(reply.text, groundingRecords(reply, byId));
  const pass = !!citedGold && aspectCheck?.verdict !== 'fail' && numberViolations.length === 0;
  return {
    id: q.id,
    question: q.question,
    goldIds: q.gold_ids,
    aspect: q.aspect,
    tags: q.tags,
    diacritics: hasDiacritics(q.question),
    field: byId.get(q.gold_ids[0]!)?.field ?? null,
    status: reply.status,
    cited,
    citedGold,
    detectedAspect: reply.aspect,
    aspectCheck,
    numberViolations,
    pass,
    text: reply.text,
  };
}

export function bucketOf(results: readonly SingleResult[]): Bucket {
  const n = results.length;
  const judged = results.filter((r) => r.aspectCheck && r.aspectCheck.verdict !== 'no_data');
  const rate = (k: number, d: number) => (d ? k / d : 0);
  return {
    n,
    cited: rate(results.filter((r) => r.citedGold).length, n),
    aspect: judged.length ? judged.filter((r) => r.aspectCheck!.verdict === 'pass').length / judged.length : null,
    aspectN: judged.length,
    aspectNoData: results.filter((r) => r.aspectCheck?.verdict === 'no_data').length,
    repliesWithViolations: results.filter((r) => r.numberViolations.length).length,
    violations: results.reduce((s, r) => s + r.numberViolations.length, 0),
    pass: rate(results.filter((r) => r.pass).length, n),
  };
}

function groupBy(results: readonly SingleResult[], keys: (r: SingleResult) => string[]): Record<string, Bucket> {
  const groups = new Map<string, SingleResult[]>();
  for (const r of results) for (const k of keys(r)) groups.set(k, [...(groups.get(k) ?? []), r]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, bucketOf(groups.get(k)!)]));
}

async function runDialogue(service: ChatService, d: Dialogue, channel: string, byId: ReadonlyMap<string, Procedure>): Promise<TurnResult[]> {
  const out: TurnResult[] = [];
  let sessionId: string | undefined;
  let lastOptions: string[] = [];
  for (const [index, turn] of d.turns.entries()) {
    const reply = await ask(service, { sessionId, channel, message: turn.message, style: 'chat' });
    sessionId = reply.sessionId || sessionId;
    const e = turn.expect;
    const cited = reply.citations.map((c) => c.id);
    const options = (reply.options ?? []).map((o) => o.id);
    const checks: Record<string, boolean> = {};
    const reasons: string[] = [];
    const check = (name: string, ok: boolean, reason: string) => {
      checks[name] = ok;
      if (!ok) reasons.push(reason);
    };
    if (e.status) {
      const allowed = Array.isArray(e.status) ? e.status : [e.status];
      check('status', (allowed as readonly string[]).includes(reply.status), `status ${reply.status}, expected ${allowed.join('|')}`);
    }
    if (e.options) check('options', options.length >= 2, `${options.length} options offered`);
    const expectedIds = e.gold_ids ?? (e.chosen_option ? [lastOptions[e.chosen_option - 1] ?? '(no such option)'] : undefined);
    let record: Procedure | undefined;
    if (expectedIds) {
      const offered = e.options ? [...cited, ...options] : cited;
      const hit = offered.find((id) => expectedIds.includes(id));
      check('procedure', !!hit, `expected ${expectedIds.join('|')}, cited ${cited.join(',') || '—'}${e.options ? `, options ${options.join(',') || '—'}` : ''}`);
      record = cited.find((id) => expectedIds.includes(id)) ? byId.get(cited.find((id) => expectedIds.includes(id))!) : undefined;
    } else if (cited[0]) {
      record = byId.get(cited[0]);
    }
    if (e.aspect) {
      const result = record ? checkAspect(e.aspect, reply.text, record) : fail('no expected procedure cited');
      if (result.verdict !== 'no_data') check('aspect', result.verdict === 'pass', `aspect ${e.aspect}: ${result.reason}`);
    }
    if (e.must_not_contain) {
      const found = e.must_not_contain.filter((s) => containsForbidden(reply.text, s));
      check('must_not_contain', found.length === 0, `reply contains ${found.join(', ')}`);
    }
    const numberViolations = ungroundedNumbers(reply.text, groundingRecords(reply, byId));
    check('numbers', numberViolations.length === 0, `ungrounded numbers: ${numberViolations.map((v) => v.number).join(', ')}`);
    if (options.length) lastOptions = options;
    out.push({ dialogueId: d.id, turn: index + 1, message: turn.message, expect: e, status: reply.status, cited, options, checks, reasons, numberViolations, pass: reasons.length === 0, text: reply.text });
  }
  return out;
}

function evaluateControl(c: ControlCase, reply: ChatReply, byId: ReadonlyMap<string, Procedure>): ControlResult {
  const forbiddenFound = (c.must_not_contain ?? []).filter((s) => containsForbidden(reply.text, s));
  const numberViolations = reply.citations.length ? ungroundedNumbers(reply.text, groundingRecords(reply, byId)) : [];
  return {
    id: c.id,
    message: c.message,
    expectStatus: c.expect_status,
    status: reply.status,
    handoff: reply.handoff,
    forbiddenFound,
    numberViolations,
    pass: reply.status === c.expect_status && forbiddenFound.length === 0 && numberViolations.length === 0,
    text: reply.text,
  };
}

/** Runs the three datasets through `service` and scores every reply against the catalogue. */
export async function runAnswersEval(service: ChatService, datasets: AnswersDatasets, procedures: readonly Procedure[], options: RunOptions = {}): Promise<AnswersReport> {
  const channel = options.channel ?? 'web';
  const concurrency = options.concurrency ?? 4;
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const total = datasets.single.length + datasets.dialogues.length + datasets.control.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);

  const single = await mapPool(datasets.single, concurrency, async (q) => {
    const r = evaluateSingle(q, await ask(service, { channel, message: q.question, style: q.style }), byId);
    tick();
    return r;
  });
  const turns = (
    await mapPool(datasets.dialogues, concurrency, async (d) => {
      const r = await runDialogue(service, d, channel, byId);
      tick();
      return r;
    })
  ).flat();
  const control = await mapPool(datasets.control, concurrency, async (c) => {
    const r = evaluateControl(c, await ask(service, { channel, message: c.message, style: 'chat' }), byId);
    tick();
    return r;
  });

  const voice = await runVoiceCheck(service, datasets, concurrency);

  const statuses: Record<string, number> = {};
  for (const r of single) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const byCheck: Record<string, { n: number; passed: number }> = {};
  for (const t of turns) {
    for (const [name, ok] of Object.entries(t.checks)) {
      const b = (byCheck[name] ??= { n: 0, passed: 0 });
      b.n++;
      if (ok) b.passed++;
    }
  }
  const byExpected: Record<string, { n: number; passed: number }> = {};
  for (const c of control) {
    const b = (byExpected[c.expectStatus] ??= { n: 0, passed: 0 });
    b.n++;
    if (c.pass) b.passed++;
  }
  const dialogueIds = [...new Set(turns.map((t) => t.dialogueId))];
  const failures: Failure[] = [
    ...single
      .filter((r) => !r.pass)
      .map((r) => ({
        suite: 'single' as const,
        id: r.id,
        message: r.question,
        status: r.status,
        reasons: [
          ...(r.citedGold ? [] : [`expected ${r.goldIds.join('|')}, cited ${r.cited.join(',') || '—'}`]),
          ...(r.aspectCheck?.verdict === 'fail' && r.citedGold ? [`aspect ${r.aspect}: ${r.aspectCheck.reason}`] : []),
          ...(r.numberViolations.length ? [`ungrounded numbers: ${r.numberViolations.map((v) => `${v.number} («${v.context}»)`).join('; ')}`] : []),
        ],
        text: r.text,
      })),
    ...turns.filter((t) => !t.pass).map((t) => ({ suite: 'dialogue' as const, id: `${t.dialogueId}#${t.turn}`, message: t.message, status: t.status, reasons: t.reasons, text: t.text })),
    ...control
      .filter((c) => !c.pass)
      .map((c) => ({
        suite: 'control' as const,
        id: c.id,
        message: c.message,
        status: c.status,
        reasons: [
          ...(c.status === c.expectStatus ? [] : [`status ${c.status}, expected ${c.expectStatus}`]),
          ...(c.forbiddenFound.length ? [`reply contains ${c.forbiddenFound.join(', ')}`] : []),
          ...(c.numberViolations.length ? [`ungrounded numbers: ${c.numberViolations.map((v) => v.number).join(', ')}`] : []),
        ],
        text: c.text,
      })),
  ];
  const count = (xs: readonly { numberViolations: NumberViolation[] }[]) => xs.reduce((s, x) => s + x.numberViolations.length, 0);

  return {
    kind: 'answers',
    createdAt: new Date().toISOString(),
    procedures: procedures.length,
    channel,
    single: {
      overall: bucketOf(single),
      byDiacritics: groupBy(single, (r) => [r.diacritics ? 'with diacritics' : 'without diacritics']),
      byTag: groupBy(single, (r) => (r.tags.length ? r.tags : ['plain'])),
      byAspect: groupBy(single, (r) => [r.aspect ?? 'general']),
      byField: groupBy(single, (r) => [r.field ?? '(unknown)']),
      statuses,
      results: single,
    },
    dialogues: {
      dialogues: dialogueIds.length,
      dialoguesPassed: dialogueIds.filter((id) => turns.filter((t) => t.dialogueId === id).every((t) => t.pass)).length,
      turns: turns.length,
      turnsPassed: turns.filter((t) => t.pass).length,
      byCheck,
      violations: count(turns),
      results: turns,
    },
    control: { n: control.length, passed: control.filter((c) => c.pass).length, byExpected, forbiddenLeaks: control.reduce((s, c) => s + c.forbiddenFound.length, 0), results: control },
    numberViolations: count(single) + count(turns) + count(control),
    failures,
    voice,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function renderAnswersMarkdown(report: AnswersReport): string {
  const s = report.single;
  const bucketTable = (title: string, buckets: Record<string, Bucket>) => [
    `### ${title}`,
    '',
    '| group | n | cited | aspect | aspect n (no data) | replies with ungrounded numbers | pass |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...Object.entries(buckets).map(([k, b]) => `| ${cell(k)} | ${b.n} | ${pct(b.cited)} | ${pct(b.aspect)} | ${b.aspectN} (${b.aspectNoData}) | ${b.repliesWithViolations} | ${pct(b.pass)} |`),
    '',
  ];
  const out = [
    '# Answer evaluation',
    '',
    `${report.procedures} procedures; channel \`${report.channel}\`; datasets \`evals/datasets/answers-*.jsonl\`; ${report.createdAt}.`,
    '',
    `**Ungrounded numbers (hard line, target 0): ${report.numberViolations}**`,
    '',
    '## Summary',
    '',
    '| suite | measure | value |',
    '|---|---|---:|',
    `| single | questions | ${s.overall.n} |`,
    `| single | right procedure cited | ${pct(s.overall.cited)} |`,
    `| single | aspect answered from the record | ${pct(s.overall.aspect)} (n=${s.overall.aspectN}, no data ${s.overall.aspectNoData}) |`,
    `| single | replies with ungrounded numbers | ${s.overall.repliesWithViolations} (${s.overall.violations} numbers) |`,
    `| single | all checks passed | ${pct(s.overall.pass)} |`,
    `| dialogues | turns passed | ${report.dialogues.turnsPassed}/${report.dialogues.turns} |`,
    `| dialogues | dialogues fully passed | ${report.dialogues.dialoguesPassed}/${report.dialogues.dialogues} |`,
    `| control | correct status, nothing leaked | ${report.control.passed}/${report.control.n} |`,
    `| control | leaked forbidden strings | ${report.control.forbiddenLeaks} |`,
    `| voice | answers with problems when spoken (speakable → spokenTextProblems) | ${report.voice.withProblems}/${report.voice.answers} |`,
    '',
    '## Single questions',
    '',
    ...bucketTable('By diacritics', s.byDiacritics),
    ...bucketTable('By writing style', s.byTag),
    ...bucketTable('By aspect', s.byAspect),
    ...bucketTable('By field (of the gold procedure)', s.byField),
    '### Statuses',
    '',
    ...Object.entries(s.statuses).map(([k, n]) => `- ${k}: ${n}`),
    '',
    '## Dialogues by check',
    '',
    '| check | passed | n |',
    '|---|---:|---:|',
    ...Object.entries(report.dialogues.byCheck).map(([k, b]) => `| ${k} | ${b.passed} | ${b.n} |`),
    '',
    '## Control by expected status',
    '',
    '| expected status | passed | n |',
    '|---|---:|---:|',
    ...Object.entries(report.control.byExpected).map(([k, b]) => `| ${k} | ${b.passed} | ${b.n} |`),
    '',
    `## Voice answers with problems (${report.voice.withProblems})`,
    '',
    '| suite | id | message | problems | spoken (start) |',
    '|---|---|---|---|---|',
    ...report.voice.problems.map((p) => `| ${p.suite} | ${p.id} | ${cell(p.message)} | ${cell(p.problems.join('; '))} | ${cell(p.spoken.slice(0, 160))} |`),
    '',
    `## Failures (${report.failures.length})`,
    '',
    '| suite | id | message | status | why | reply (start) |',
    '|---|---|---|---|---|---|',
    ...report.failures.map((f) => `| ${f.suite} | ${f.id} | ${cell(f.message)} | ${f.status} | ${cell(f.reasons.join('; '))} | ${cell(f.text.slice(0, 160))} |`),
    '',
  ];
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Suite entry (`npm run eval -- answers`)

export type ServiceFactory = (procedures: Procedure[]) => Promise<ChatService & { close(): Promise<void> }>;

/** Builds the real service (or `useFactory`, for trying the suite) and writes the reports. */
export async function answersSuite(useFactory?: ServiceFactory): Promise<AnswersReport> {
  const started = performance.now();
  const datasets = loadAnswersDatasets();
  const factory: ServiceFactory = useFactory ?? createEvalAnswerService;
  const procedures = await loadSharedCatalogue(SHARED_TTHC_DIR);
  const service = await factory(procedures);
  // The Center's Hanoi notes are shown with answers as their own, attributed block ("Lưu ý tại
  // Hà Nội"); a number in them is grounded in the note, so scoring reads the notes with the record.
  const { overlays } = loadOverlays(path.resolve(import.meta.dirname, '../knowledge'));
  const graded = procedures.map((p) => {
    const notes = overlays.get(p.id)?.notes ?? [];
    return notes.length ? { ...p, description: [p.description, ...notes].filter(Boolean).join('\n') } : p;
  });
  let report: AnswersReport;
  try {
    report = await runAnswersEval(service, datasets, graded, {
      onProgress: (done, total) => {
        if (done % 25 === 0 || done === total) process.stdout.write(`  ${done}/${total}\r`);
      },
    });
  } finally {
    await service.close();
  }
  const s = report.single.overall;
  console.log(`\nAnswer eval: ${s.n} questions, ${report.dialogues.dialogues} dialogues (${report.dialogues.turns} turns), ${report.control.n} control cases over ${procedures.length} procedures\n`);
  console.log(`single     cited ${pct(s.cited)}  aspect ${pct(s.aspect)} (n=${s.aspectN})  pass ${pct(s.pass)}`);
  for (const [k, b] of Object.entries({ ...report.single.byDiacritics, ...report.single.byTag })) console.log(`  ${k.padEnd(20)} n=${String(b.n).padStart(3)}  cited ${pct(b.cited)}  aspect ${pct(b.aspect)}`);
  console.log(`dialogues  turns ${report.dialogues.turnsPassed}/${report.dialogues.turns}  dialogues ${report.dialogues.dialoguesPassed}/${report.dialogues.dialogues}`);
  console.log(`control    ${report.control.passed}/${report.control.n}  leaks ${report.control.forbiddenLeaks}`);
  console.log(`UNGROUNDED NUMBERS: ${report.numberViolations} (target 0)`);
  for (const line of voiceCheckLines(report.voice)) console.log(line);
  console.log();

  const reportsDir = path.resolve(import.meta.dirname, 'reports');
  fs.mkdirSync(reportsDir, { recursive: true });
  const base = path.join(reportsDir, `answers-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2));
  fs.writeFileSync(`${base}.md`, renderAnswersMarkdown(report));
  console.log(`Reports: ${path.relative(process.cwd(), base)}.{json,md} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return report;
}
