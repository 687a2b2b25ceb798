import type { Citation } from '../domain/answer.js';
import type { Procedure, ProcedureDocument, SubmissionChannel } from '../domain/procedure.js';
import type { Aspect } from '../text/aspects.js';
import type { AnswerComposer, AnswerEvent, ComposeInput } from './answer-composer.js';
import { GROUNDED_PHRASES, type GroundedPhrases } from './grounded-phrases.js';
import {
  formName,
  shortName,
  splitItems,
  squash,
  tidy,
  truncateText,
  voiceClause,
} from './grounded-text.js';

/** A chat answer stays under this many characters, source line included. */
export const GROUNDED_CHAT_MAX_CHARS = 1500;
/** A voice answer is at most this many sentences. */
export const GROUNDED_VOICE_MAX_SENTENCES = 3;

/** What `groundedAnswer` needs: the composer input without the parts it does not read. */
export type GroundedInput = Pick<ComposeInput, 'procedure' | 'aspect' | 'style' | 'language'> & Partial<ComposeInput>;

/** One chat line: a paragraph or heading (blank line before) or a list item (new line before). */
interface Unit {
  kind: 'para' | 'item';
  text: string;
}

/** An aspect's answer in both shapes; `null` when the record lacks the field asked. */
interface Draft {
  chat: Unit[];
  voice: string[];
  /** A closing line kept even when the chat body is cut (the overview's offer). */
  tail?: string;
}

type FreeTextAspect = 'conditions' | 'steps' | 'result' | 'legal_basis';

const BULLET = '•';
const PROVINCE = /Hội đồng nhân dân|HĐND|(?:Ủy|Uỷ) ban nhân dân (?:cấp )?tỉnh|UBND (?:cấp )?tỉnh/iu;

/**
 * The deterministic answer to a question about one procedure, built only from its record: the
 * aspect asked (or an overview), in the citizen's language and the channel's style, with the
 * procedure cited. Used by `GroundedComposer` and, synchronously, by the fallback path and the
 * answer check.
 */
export function groundedAnswer(input: GroundedInput): { text: string; citations: Citation[] } {
  const p = input.procedure;
  const t = GROUNDED_PHRASES[input.language];
  const citations: Citation[] = [{ id: p.id, name: p.name, url: p.url }];
  const draft = draftFor(p, input.aspect, t) ?? missingDraft(p, input.aspect ?? 'steps', t);
  const text = input.style === 'voice' ? renderVoice(draft) : renderChat(p, draft, t);
  return { text, citations };
}

/** Streams `groundedAnswer` paragraph by paragraph (sentence by sentence in voice). */
export class GroundedComposer implements AnswerComposer {
  readonly id = 'grounded';

  async *compose(input: ComposeInput, options: { signal: AbortSignal }): AsyncIterable<AnswerEvent> {
    const { signal } = options;
    if (signal.aborted) return;
    const { text, citations } = groundedAnswer(input);
    const pieces = input.style === 'voice' ? text.split(/(?<=[.!?])\s+/) : text.split(/(?<=\n\n)/);
    for (let i = 0; i < pieces.length; i++) {
      if (signal.aborted) return;
      const piece = input.style === 'voice' && i < pieces.length - 1 ? `${pieces[i]} ` : pieces[i]!;
      if (piece) yield { type: 'delta', text: piece };
      // Let a consumer that aborts between pieces be heard before the next one.
      await Promise.resolve();
    }
    if (signal.aborted) return;
    yield { type: 'citations', citations };
    yield { type: 'done' };
  }
}

// ─── Aspects ─────────────────────────────────────────────────────────────────────────────────

function draftFor(p: Procedure, aspect: Aspect | null, t: GroundedPhrases): Draft | null {
  switch (aspect) {
    case null:
      return overviewDraft(p, t);
    case 'fee':
      return feeDraft(p, t);
    case 'time':
      return timeDraft(p, t);
    case 'documents':
      return documentsDraft(p, t);
    case 'where':
    case 'online':
      return whereDraft(p, aspect, t);
    case 'legal_basis':
      return legalDraft(p, t);
    case 'conditions':
    case 'steps':
    case 'result':
      return freeTextDraft(p, aspect, t);
  }
}

function missingDraft(p: Procedure, aspect: Aspect, t: GroundedPhrases): Draft {
  const item = t.item[aspect];
  return {
    chat: [{ kind: 'para', text: `${t.missing(item)} ${p.url ? t.seePage(p.url) : t.callHotline}` }],
    voice: [t.missingNamed(voiceName(p), item), t.callHotline],
  };
}

/** Channels sharing the same value, in first-seen order, with their labels de-duplicated. */
interface ChannelGroup {
  value: string | null;
  labels: string[];
  descriptions: string[];
}

function groupChannels(channels: SubmissionChannel[], pick: (c: SubmissionChannel) => string | null): ChannelGroup[] {
  const groups = new Map<string, ChannelGroup>();
  for (const c of channels) {
    const raw = pick(c);
    const value = raw ? tidy(raw) : null;
    // "Miễn phí (Không có)" and "Miễn phí (Không có.)" are the same fee.
    const key = value ? value.replace(/[\s.;,()]+/g, ' ').trim().toLowerCase() : '\u0000';
    const g = groups.get(key) ?? { value, labels: [], descriptions: [] };
    const label = tidy(c.label);
    if (!g.labels.includes(label)) g.labels.push(label);
    if (c.description && !g.descriptions.includes(tidy(c.description))) g.descriptions.push(tidy(c.description));
    groups.set(key, g);
  }
  return [...groups.values()];
}

function channelLabels(p: Procedure): string[] {
  return [...new Set(p.channels.map((c) => tidy(c.label)))];
}

/** "Miễn phí (Mức lệ phí …)" → "Miễn phí"; "Phí : 0 Đồng" → "Phí: 0 Đồng". */
function feeHead(fee: string): string {
  const open = fee.indexOf('(');
  const head = (open > 0 ? fee.slice(0, open) : fee).trim().replace(/[\s:,;-]+$/u, '');
  return head || voiceClause(fee, 80);
}

/** The record's own clause saying the provincial council/committee sets the fee, if any. */
function provinceClause(fees: string[]): string | null {
  for (const fee of fees) {
    const text = tidy(fee);
    const m = PROVINCE.exec(text);
    if (!m) continue;
    const open = text.lastIndexOf('(', m.index);
    const start = open >= 0 ? open + 1 : 0;
    let clause = text.slice(start);
    const end = /[.!?;](?=\s|$)|\)\s*$/.exec(clause.slice(m.index - start));
    if (end) clause = clause.slice(0, m.index - start + end.index);
    clause = tidy(clause).replace(/[\s.;,)]+$/u, '');
    if (clause) return truncateText(clause, 220).replace(/[.;]$/, '');
  }
  return null;
}

function feeDraft(p: Procedure, t: GroundedPhrases): Draft | null {
  if (!p.channels.some((c) => c.fee)) return null;
  const groups = groupChannels(p.channels, (c) => c.fee);
  const province = provinceClause(groups.flatMap((g) => (g.value ? [g.value] : [])));
  const name = voiceName(p);
  const chat: Unit[] = [];
  if (province) chat.push({ kind: 'para', text: t.feeProvince(province) });
  if (groups.length === 1) {
    chat.push({ kind: 'para', text: `${t.feeAll(groups[0]!.labels.join(', '))} ${t.q(truncateText(groups[0]!.value!, 400))}` });
  } else {
    chat.push({ kind: 'para', text: t.feeByChannel });
    for (const g of groups) chat.push(channelItem(g, (v) => t.q(truncateText(v, 300)), t));
  }
  let voice: string[];
  if (province) voice = [t.feeVoiceProvince(name, voiceClause(province, 200))];
  else if (groups.length === 1) voice = [t.feeVoiceAll(name, voiceClause(feeHead(groups[0]!.value!), 120))];
  else voice = [t.feeVoiceBy(name, voiceParts(groups, (v) => voiceClause(feeHead(v), 80), t))];
  return { chat, voice };
}

function timeValue(v: string, t: GroundedPhrases): string {
  // "1" alone: the portal lost the unit; say so rather than guess days or hours.
  return /^\d+$/.test(v) ? `${v} (${t.unitNotStated})` : v;
}

function timeVoice(v: string, t: GroundedPhrases): string {
  const clause = voiceClause(v, 80);
  return /^\d+$/.test(clause) ? `${clause}, ${t.unitNotStated}` : clause;
}

function timeDraft(p: Procedure, t: GroundedPhrases): Draft | null {
  if (!p.channels.some((c) => c.processingTime)) return null;
  const groups = groupChannels(p.channels, (c) => c.processingTime);
  const name = voiceName(p);
  const chat: Unit[] = [];
  const labelCounts = new Map<string, number>();
  for (const g of groups) for (const l of g.labels) labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);
  const varies = [...labelCounts.values()].some((n) => n > 1);
  if (groups.length === 1) {
    chat.push({ kind: 'para', text: `${t.timeAll(groups[0]!.labels.join(', '))} ${t.q(timeValue(groups[0]!.value!, t))}` });
  } else {
    chat.push({ kind: 'para', text: t.timeByChannel });
    for (const g of groups) {
      const unit = channelItem(g, (v) => t.q(timeValue(v, t)), t);
      if (varies && g.descriptions.length > 0) unit.text += ` — ${truncateText(g.descriptions.join(' '), 200)}`;
      chat.push(unit);
    }
    if (varies) chat.push({ kind: 'para', text: t.timeVariesNote });
  }
  const voice =
    groups.length === 1
      ? [t.timeVoiceAll(name, timeVoice(groups[0]!.value!, t))]
      : [t.timeVoiceBy(name, voiceParts(groups, (v) => timeVoice(v, t), t))];
  return { chat, voice };
}

function channelItem(g: ChannelGroup, render: (v: string) => string, t: GroundedPhrases): Unit {
  return { kind: 'item', text: `${BULLET} ${g.labels.join(', ')}: ${g.value ? render(g.value) : t.notStated}` };
}

/** "Trực tiếp và Dịch vụ bưu chính Miễn phí, Trực tuyến …" for speech, groups without a value left out. */
function voiceParts(groups: ChannelGroup[], render: (v: string) => string, t: GroundedPhrases): string {
  return groups
    .filter((g) => g.value)
    .slice(0, 4)
    .map((g) => `${joinAnd(g.labels, t)} ${render(g.value!)}`)
    .join(', ');
}

/**
 * "Bản chính: 1 / Bản sao: 0" → "1 bản chính"; "0 bản chính, 1 bản sao" → "1 bản sao"; null
 * when every count is zero or a count is implausible (the portal export sometimes glues a year
 * to the count, "20261 bản chính"; such a figure is dropped rather than repaired).
 */
export function readableQuantity(quantity: string | null): string | null {
  if (!quantity) return null;
  const q = tidy(quantity);
  let parts: Array<[string, string]> = [];
  const slash = /^Bản chính:\s*(\d+)\s*\/\s*Bản sao:\s*(\d+)$/iu.exec(q);
  if (slash) parts = [[slash[1]!, 'bản chính'], [slash[2]!, 'bản sao']];
  else {
    for (const piece of q.split(/\s*,\s*/)) {
      const m = /^(\d+)\s+(.+)$/u.exec(piece);
      if (!m) return /\d{3,}/.test(q) ? null : q;
      parts.push([m[1]!, m[2]!]);
    }
  }
  if (parts.some(([n]) => n.replace(/^0+/, '').length > 2)) return null;
  const kept = parts.filter(([n]) => Number(n) > 0).map(([n, what]) => `${n} ${what}`);
  return kept.length ? kept.join(', ') : null;
}

const NOTE_CASE = /^lưu ý/iu;
const CONDITIONAL_NAME = /^(?:trường hợp|nếu|đối với|người tiếp nhận|cơ quan)/iu;

function documentsDraft(p: Procedure, t: GroundedPhrases): Draft | null {
  if (p.documents.length === 0) return null;
  const byCase = new Map<string, ProcedureDocument[]>();
  for (const d of p.documents) {
    const key = d.case ? tidy(d.case) : '';
    byCase.set(key, [...(byCase.get(key) ?? []), d]);
  }
  const chat: Unit[] = [{ kind: 'para', text: t.documentsTitle(titleName(p)) }];
  for (const [kase, docs] of byCase) {
    if (kase) chat.push({ kind: 'para', text: `${truncateText(kase, 200).replace(/[:.]$/, '')}:` });
    for (const d of docs) {
      const qty = readableQuantity(d.quantity);
      const forms = d.forms.map(formName).filter(Boolean);
      let line = `${BULLET} ${truncateText(d.name, 240).replace(/[;,]$/, '')}`;
      if (qty) line += ` — ${t.q(qty)}`;
      if (forms.length) line += ` (${t.formsLabel}: ${forms.join(', ')})`;
      chat.push({ kind: 'item', text: line });
    }
  }
  const names = mainDocumentNames(p).slice(0, 3);
  const voice = [t.documentsVoice(voiceName(p), joinAnd(names, t))];
  if (p.documents.length > names.length) voice.push(t.documentsVoiceMore, t.voiceOfferDetail);
  return { chat, voice };
}

/**
 * Short names of the documents to mention first: rows that are not notes ("Lưu ý") and ask
 * for at least one copy, plain documents before "Trường hợp …" conditional ones.
 */
function mainDocumentNames(p: Procedure): string[] {
  const main = p.documents.filter((d) => !(d.case && NOTE_CASE.test(tidy(d.case))) && readableQuantity(d.quantity));
  const pool = main.length ? main : p.documents;
  const ordered = [...pool.filter((d) => !CONDITIONAL_NAME.test(tidy(d.name))), ...pool.filter((d) => CONDITIONAL_NAME.test(tidy(d.name)))];
  return [...new Set(ordered.map((d) => shortName(d.name, 90)).filter(Boolean))];
}

function joinAnd(items: string[], t: GroundedPhrases): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t.and} ${items[items.length - 1]}`;
}

function whereDraft(p: Procedure, aspect: 'where' | 'online', t: GroundedPhrases): Draft | null {
  const labels = channelLabels(p);
  const hasWhere = Boolean(p.agency || p.competentAuthority || p.receptionAddress);
  if (aspect === 'online' ? labels.length === 0 : !hasWhere) return null;
  const name = voiceName(p);
  const chat: Unit[] = [];
  const voice: string[] = [];
  const onlineLine = labels.length ? (p.channels.some((c) => c.kind === 'online') ? t.online : t.notOnline) : null;
  if (aspect === 'online' && onlineLine) {
    chat.push({ kind: 'para', text: onlineLine });
    voice.push(onlineLine);
  } else {
    chat.push({ kind: 'para', text: t.whereTitle(titleName(p)) });
  }
  const agency = p.agency ? tidy(p.agency) : null;
  const authority = p.competentAuthority ? tidy(p.competentAuthority) : null;
  if (agency) chat.push({ kind: 'item', text: `${BULLET} ${t.agency}: ${t.q(truncateText(agency, 300))}` });
  if (authority && authority !== agency) chat.push({ kind: 'item', text: `${BULLET} ${t.competentAuthority}: ${t.q(truncateText(authority, 300))}` });
  if (p.receptionAddress) chat.push({ kind: 'item', text: `${BULLET} ${t.receptionAddress}: ${t.q(truncateText(p.receptionAddress, 400))}` });
  if (labels.length) chat.push({ kind: 'item', text: `${BULLET} ${t.channels}: ${labels.join(', ')}` });
  if (aspect === 'where' && onlineLine) chat.push({ kind: 'item', text: `${BULLET} ${onlineLine}` });
  if (p.url) chat.push({ kind: 'item', text: `${BULLET} ${t.page}: ${p.url}` });
  const who = agency ?? authority;
  if (who) voice.push(t.whereVoiceAgency(name, voiceClause(who, 140)));
  if (aspect === 'where' && p.receptionAddress) voice.push(t.whereVoiceAddress(voiceClause(p.receptionAddress, 160)));
  if (labels.length && voice.length < 3) voice.push(t.whereVoiceChannels(joinAnd(labels, t)));
  return { chat, voice };
}

function freeTextDraft(p: Procedure, aspect: Exclude<FreeTextAspect, 'legal_basis'>, t: GroundedPhrases): Draft | null {
  const raw = aspect === 'conditions' ? p.conditions : aspect === 'steps' ? p.steps : p.result;
  const items = raw ? splitItems(raw) : [];
  if (items.length === 0) return null;
  const chat: Unit[] = [{ kind: 'para', text: t.title[aspect](titleName(p)) }];
  if (items.length === 1) chat.push({ kind: 'para', text: truncateText(items[0]!, 700) });
  else for (const item of items) chat.push({ kind: 'item', text: `${BULLET} ${truncateText(item, 320)}` });
  const clauses = items.map((i) => voiceClause(i, 170)).filter(Boolean);
  const voice = [`${t.voiceLead[aspect](voiceName(p))}: ${clauses[0] ?? ''}.`];
  if (clauses[1]) voice.push(`${capitalise(clauses[1])}.`);
  if (clauses.length > 2) voice.push(t.voiceOfferDetail);
  return { chat, voice };
}

function legalDraft(p: Procedure, t: GroundedPhrases): Draft | null {
  const lines = p.legalBasis ? splitItems(p.legalBasis) : [];
  const codes = [...new Set(p.legalCodes.map(tidy))];
  if (lines.length === 0 && codes.length === 0) return null;
  const chat: Unit[] = [{ kind: 'para', text: t.title.legal_basis(titleName(p)) }];
  const used = new Set<string>();
  for (const line of lines) {
    const code = codes.find((c) => !used.has(c) && line.includes(c));
    if (code) {
      used.add(code);
      const excerpt = tidy(line.replace(`(${code})`, '')).replace(/[.,;]$/, '');
      chat.push({ kind: 'item', text: excerpt === code || !excerpt ? `${BULLET} ${code}` : `${BULLET} ${code}: ${truncateText(excerpt, 200)}` });
    } else {
      chat.push({ kind: 'item', text: `${BULLET} ${truncateText(line, 220)}` });
    }
  }
  for (const code of codes) if (!used.has(code)) chat.push({ kind: 'item', text: `${BULLET} ${code}` });
  const spoken = codes.length ? codes.slice(0, 4) : lines.slice(0, 2).map((l) => shortName(l, 100));
  const more = (codes.length || lines.length) > spoken.length;
  const voice = [`${t.voiceLead.legal_basis(voiceName(p))} ${spoken.join(', ')}${more ? ` ${t.legalVoiceMore}` : ''}.`];
  if (more) voice.push(t.voiceOfferDetail);
  return { chat, voice };
}

/** One short phrase for a channel-grouped value, for the overview ("Trực tiếp: …; Trực tuyến: …"). */
function summary(groups: ChannelGroup[], render: (v: string) => string): string | null {
  const valued = groups.filter((g) => g.value);
  if (valued.length === 0) return null;
  if (groups.length === 1) return render(valued[0]!.value!);
  return valued.map((g) => `${g.labels.join(', ')}: ${render(g.value!)}`).join('; ');
}

function overviewDraft(p: Procedure, t: GroundedPhrases): Draft {
  const field = p.field ? tidy(p.field) : null;
  const levels = p.levels.map(tidy).join(', ');
  const agency = p.agency ? tidy(p.agency) : p.competentAuthority ? tidy(p.competentAuthority) : null;
  const timeGroups = groupChannels(p.channels, (c) => c.processingTime);
  const feeGroups = groupChannels(p.channels, (c) => c.fee);
  const province = provinceClause(feeGroups.flatMap((g) => (g.value ? [g.value] : [])));
  const time = summary(timeGroups, (v) => timeValue(v, t));
  const fee = province ?? summary(feeGroups, feeHead);
  const labels = channelLabels(p);
  const docNames = mainDocumentNames(p);
  const chat: Unit[] = [{ kind: 'para', text: t.overviewHead(titleName(p), field, levels) }];
  const row = (label: string, value: string | null) =>
    chat.push({ kind: 'item', text: `${BULLET} ${label}: ${value ? t.q(truncateText(value, 260)) : t.notStated}` });
  row(t.agency, agency);
  row(t.time, time);
  row(t.fee, fee);
  row(t.documents, docNames.length ? `${docNames.slice(0, 3).join('; ')}${docNames.length > 3 ? '; …' : ''}` : null);
  row(t.howToSubmit, labels.length ? labels.join(', ') : null);
  if (p.url) chat.push({ kind: 'item', text: `${BULLET} ${t.page}: ${p.url}` });

  const vTime = timeGroups.length === 1 && timeGroups[0]!.value ? timeVoice(timeGroups[0]!.value, t) : null;
  const vFee = province ? null : feeGroups.length === 1 && feeGroups[0]!.value ? voiceClause(feeHead(feeGroups[0]!.value), 80) : null;
  const voice = [t.overviewVoiceHead(voiceName(p), field ? voiceClause(field, 80) : null, agency ? voiceClause(agency, 120) : null)];
  if (vTime || vFee || labels.length) voice.push(t.overviewVoiceFacts(vTime, vFee, labels.length ? joinAnd(labels, t) : null));
  voice.push(t.offer);
  return { chat, voice, tail: t.offer };
}

// ─── Rendering ───────────────────────────────────────────────────────────────────────────────

/** The procedure's name as spoken in a frame: without a leading "Thủ tục", no brackets, short. */
function voiceName(p: Procedure): string {
  return voiceClause(p.name.replace(/^\s*thủ tục\s+/iu, ''), 110);
}

/** The name inside a title frame that already says "thủ tục": "Thủ tục đăng ký khai sinh" → "đăng ký khai sinh". */
function titleName(p: Procedure): string {
  return truncateText(p.name.replace(/^\s*thủ tục\s+/iu, ''), 200);
}

function capitalise(s: string): string {
  return s.replace(/^\p{Ll}/u, (c) => c.toUpperCase());
}

function renderVoice(draft: Draft): string {
  const sentences = draft.voice
    .map((s) => squash(stripUrls(s)))
    .filter((s) => s.length > 1)
    .slice(0, GROUNDED_VOICE_MAX_SENTENCES)
    .map((s) => (/[.!?]$/.test(s) ? s : `${s}.`));
  return sentences.join(' ');
}

function stripUrls(s: string): string {
  return s.replace(/https?:\/\/\S+|www\.\S+/gi, ' ');
}

function joinUnits(units: Unit[]): string {
  return units.map((u, i) => (i === 0 ? u.text : `${u.kind === 'item' ? '\n' : '\n\n'}${u.text}`)).join('');
}

/**
 * Paragraphs and bullets under GROUNDED_CHAT_MAX_CHARS with the source at the end. Too long a
 * body is cut before the first unit that does not fit (never inside an item) and points to
 * the full record.
 */
function renderChat(p: Procedure, draft: Draft, t: GroundedPhrases): string {
  const footer = [t.source(truncateText(p.name, 160), p.id), ...(p.url ? [p.url] : [])].join('\n');
  const tail = draft.tail ? `\n\n${draft.tail}` : '';
  const budget = GROUNDED_CHAT_MAX_CHARS - footer.length - tail.length - 2;
  let body = joinUnits(draft.chat);
  if (body.length > budget) {
    const more = `\n\n${t.seeFull(p.url)}`;
    const kept: Unit[] = [];
    for (const unit of draft.chat) {
      if (joinUnits([...kept, unit]).length + more.length > budget) break;
      kept.push(unit);
    }
    if (kept.length === 0) kept.push({ kind: 'para', text: truncateText(draft.chat[0]!.text, Math.max(80, budget - more.length - 1)) });
    body = joinUnits(kept) + more;
  }
  return `${body}${tail}\n\n${footer}`;
}

