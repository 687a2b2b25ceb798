import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HOTLINE } from '../domain/canned-replies.js';
import type { Procedure } from '../domain/procedure.js';
import type { ChatMessage } from '../llm/chat-model.js';
import type { Aspect } from '../text/aspects.js';
import type { ComposeInput } from './answer-composer.js';

/**
 * Prompt templates live in `prompts/*.md` (reviewable by staff, versioned by their front matter),
 * never in code. This module loads and validates them and builds the messages of one answer call:
 * the system prompt (rules + chat/voice style) and a user message holding the records between
 * explicit delimiters, marked as data, then the (redacted) question.
 */

export interface PromptTemplate {
  id: string;
  version: number;
  body: string;
  file: string;
}

/** Each template the answer call needs, with the placeholders its body must (and may only) use. */
const REQUIRED_TEMPLATES = {
  'answer-system': ['hotline', 'language', 'style_rules'],
  'answer-chat': [],
  'answer-voice': [],
  'answer-user': ['records', 'aspect', 'question'],
} as const satisfies Record<string, readonly string[]>;
type TemplateId = keyof typeof REQUIRED_TEMPLATES;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
/** Our delimiter tags; stripped from any text placed inside them so data cannot close a block. */
const DELIMITER_TAG = /<\s*\/?\s*(?:ho_so|cau_hoi)\b[^>]*>/gi;

export class PromptTemplateError extends Error {
  override name = 'PromptTemplateError';
}

export interface PromptLibrary {
  readonly dir: string;
  get(id: string): PromptTemplate;
  /** "answer-system@1 answer-chat@1 …", for logs and eval reports. */
  readonly version: string;
  /** The messages of one answer call. */
  answerMessages(input: ComposeInput): ChatMessage[];
}

/** `prompts/` at the repository root, found from this file whether it runs from `src/` or `dist/src/`. */
export function defaultPromptsDir(): string {
  let dir = import.meta.dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'prompts');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(import.meta.dirname, '../../prompts');
}

/** Parses `---\nid: x\nversion: 1\n---\nbody`. Throws PromptTemplateError naming the file. */
export function parseTemplate(text: string, file: string): PromptTemplate {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(normalised);
  if (!match) throw new PromptTemplateError(`prompt template ${file} has no front matter (expected "---" lines with id and version at the top)`);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!kv) throw new PromptTemplateError(`prompt template ${file}: front matter line "${line}" is not "key: value"`);
    fields.set(kv[1]!, kv[2]!.replace(/^(['"])(.*)\1$/, '$2'));
  }
  const id = fields.get('id');
  if (!id || !/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new PromptTemplateError(`prompt template ${file}: front matter needs an id like "answer-chat"`);
  const expectedId = path.basename(file, '.md');
  if (id !== expectedId) throw new PromptTemplateError(`prompt template ${file}: id "${id}" does not match the file name "${expectedId}"`);
  const versionText = fields.get('version');
  const version = versionText !== undefined && /^\d+$/.test(versionText) ? Number(versionText) : NaN;
  if (!Number.isInteger(version) || version < 1) {
    throw new PromptTemplateError(`prompt template ${file}: front matter needs a positive integer version (got ${versionText ?? 'none'})`);
  }
  const body = match[2]!.trim();
  if (body === '') throw new PromptTemplateError(`prompt template ${file} has an empty body`);
  return { id, version, body, file };
}

function checkPlaceholders(t: PromptTemplate, allowed: readonly string[]): void {
  const used = new Set([...t.body.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  for (const name of used) {
    if (!allowed.includes(name)) throw new PromptTemplateError(`prompt template ${t.file} uses an unknown placeholder {{${name}}}`);
  }
  for (const name of allowed) {
    if (!used.has(name)) throw new PromptTemplateError(`prompt template ${t.file} lacks the placeholder {{${name}}}`);
  }
}

/** Fills `{{name}}` in one pass, so values that contain braces are never expanded. */
export function renderTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/** Loads and validates every template the answer call needs; a missing or broken one is a clear error at start-up. */
export async function loadPromptLibrary(dir: string = defaultPromptsDir()): Promise<PromptLibrary> {
  const templates = new Map<string, PromptTemplate>();
  for (const [id, placeholders] of Object.entries(REQUIRED_TEMPLATES) as [TemplateId, readonly string[]][]) {
    const file = path.join(dir, `${id}.md`);
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      throw new PromptTemplateError(`prompt template "${id}" not found: expected ${file}`, { cause: err });
    }
    const t = parseTemplate(text, file);
    checkPlaceholders(t, placeholders);
    templates.set(id, t);
  }
  const get = (id: string): PromptTemplate => {
    const t = templates.get(id);
    if (!t) throw new PromptTemplateError(`no prompt template "${id}" in ${dir}`);
    return t;
  };
  return {
    dir,
    get,
    version: [...templates.values()].map((t) => `${t.id}@${t.version}`).join(' '),
    answerMessages(input) {
      const system = renderTemplate(get('answer-system').body, {
        hotline: HOTLINE,
        language: LANGUAGE_NAMES[input.language],
        style_rules: get(input.style === 'voice' ? 'answer-voice' : 'answer-chat').body,
      });
      const user = renderTemplate(get('answer-user').body, {
        records: serializeRecords(input.procedure, input.related, input.aspect),
        aspect: input.aspect ? ASPECT_NAMES[input.aspect] : ASPECT_NAMES.general,
        question: stripDelimiters(input.question.normalize('NFC')).trim(),
      });
      return [
        { role: 'system', content: system },
        { role: 'user', content: user },
      ];
    },
  };
}

const LANGUAGE_NAMES = { vi: 'tiếng Việt', en: 'tiếng Anh (English), vì người dân hỏi bằng tiếng Anh' } as const;

const ASPECT_NAMES: Record<Aspect | 'general', string> = {
  fee: 'lệ phí, phí',
  time: 'thời hạn giải quyết',
  documents: 'thành phần hồ sơ, giấy tờ cần chuẩn bị',
  where: 'nơi nộp hồ sơ, cơ quan thực hiện',
  online: 'nộp hồ sơ trực tuyến, hình thức nộp',
  conditions: 'điều kiện thực hiện',
  steps: 'trình tự, cách thực hiện',
  result: 'kết quả nhận được',
  legal_basis: 'căn cứ pháp lý',
  general: 'thông tin chung về thủ tục',
};

function stripDelimiters(text: string): string {
  return text.replace(DELIMITER_TAG, ' ');
}

// ---------------------------------------------------------------------------------------------
// Record serialisation: compact "Label: value" lines, the sections the question asks about first.

type Section = 'fee' | 'time' | 'documents' | 'where' | 'online' | 'conditions' | 'steps' | 'result' | 'legal_basis' | 'audience';

/** Sections shown for each aspect, most relevant first; the rest follow in DEFAULT_ORDER. */
const ASPECT_SECTIONS: Record<Aspect, Section[]> = {
  fee: ['fee'],
  time: ['time'],
  documents: ['documents'],
  where: ['where', 'online'],
  online: ['online', 'where'],
  conditions: ['conditions', 'audience'],
  steps: ['steps', 'where'],
  result: ['result'],
  legal_basis: ['legal_basis'],
};
const DEFAULT_ORDER: Section[] = ['documents', 'fee', 'time', 'where', 'online', 'conditions', 'result', 'steps', 'audience', 'legal_basis'];

/** Character budgets: the asked-about sections get room, the others a glimpse. */
const MAIN_BUDGET = 7000;
const RELATED_BUDGET = 1200;
const FOCUS_SECTION_CAP = 4000;
const OTHER_SECTION_CAP = 700;

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** "value" when every channel says the same, else one line per channel. */
function byChannel(p: Procedure, pick: (c: Procedure['channels'][number]) => string | null): string | null {
  const values = p.channels.map((c) => ({ label: c.label, value: pick(c)?.trim() || null })).filter((c) => c.value);
  if (values.length === 0) return null;
  const distinct = new Set(values.map((v) => v.value));
  if (distinct.size === 1) return `${values[0]!.value} (${values.map((v) => v.label).join(', ')})`;
  return values.map((v) => `\n- ${v.label}: ${v.value}`).join('');
}

function documentsText(p: Procedure): string | null {
  if (p.documents.length === 0) return null;
  const lines: string[] = [];
  let currentCase: string | null = null;
  for (const d of p.documents) {
    if (d.case && d.case !== currentCase) lines.push(`[${d.case}]`);
    currentCase = d.case;
    const extras = [d.quantity, d.forms.length ? `mẫu: ${d.forms.join(', ')}` : null].filter(Boolean);
    lines.push(`- ${d.name}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  }
  return `\n${lines.join('\n')}`;
}

function sectionText(p: Procedure, s: Section): [label: string, text: string | null][] {
  switch (s) {
    case 'fee':
      return [['Lệ phí', byChannel(p, (c) => c.fee)]];
    case 'time':
      return [['Thời hạn giải quyết', byChannel(p, (c) => c.processingTime)]];
    case 'documents':
      return [['Thành phần hồ sơ', documentsText(p)]];
    case 'where':
      return [
        ['Cơ quan thực hiện', p.agency],
        ['Cơ quan có thẩm quyền', p.competentAuthority !== p.agency ? p.competentAuthority : null],
        ['Địa chỉ tiếp nhận', p.receptionAddress],
        ['Cơ quan phối hợp', p.coordinatingAgency],
      ];
    case 'online':
      return [
        ['Hình thức nộp', p.channels.length ? p.channels.map((c) => c.label).join(', ') : null],
        ['Mô tả hình thức nộp', byChannel(p, (c) => c.description)],
      ];
    case 'conditions':
      return [['Yêu cầu, điều kiện', p.conditions]];
    case 'steps':
      return [['Trình tự thực hiện', p.steps]];
    case 'result':
      return [['Kết quả', p.result]];
    case 'legal_basis':
      return [['Căn cứ pháp lý', p.legalBasis ?? (p.legalCodes.length ? p.legalCodes.join('; ') : null)]];
    case 'audience':
      return [['Đối tượng thực hiện', p.targetAudience]];
  }
}

/** One record as compact text, the fields relevant to the aspect first, within a character budget. */
export function serializeRecord(p: Procedure, aspect: Aspect | null, options: { budget?: number; focusOnly?: boolean } = {}): string {
  const budget = options.budget ?? MAIN_BUDGET;
  const header = [
    `Mã thủ tục: ${p.id}`,
    `Tên thủ tục: ${p.name}`,
    p.field ? `Lĩnh vực: ${p.field}` : null,
    p.levels.length ? `Cấp thực hiện: ${p.levels.join(', ')}` : null,
    p.url ? `Đường dẫn: ${p.url}` : null,
    p.completeness === 'list' ? 'Lưu ý: hồ sơ này chỉ có thông tin tóm tắt từ danh mục, chưa có chi tiết.' : null,
  ].filter((l): l is string => l !== null);
  const focus = aspect ? ASPECT_SECTIONS[aspect] : [];
  const order = options.focusOnly && focus.length ? focus : [...focus, ...DEFAULT_ORDER.filter((s) => !focus.includes(s))];
  const lines = [...header];
  let used = lines.join('\n').length;
  for (const section of order) {
    const cap = focus.includes(section) ? FOCUS_SECTION_CAP : OTHER_SECTION_CAP;
    for (const [label, value] of sectionText(p, section)) {
      if (!value || value.trim() === '') continue;
      const room = budget - used - label.length - 3;
      if (room < 40) break;
      const line = `${label}: ${clip(value, Math.min(cap, room))}`;
      lines.push(line);
      used += line.length + 1;
    }
  }
  // Say explicitly what the record lacks for the aspect, so the model says so instead of guessing.
  for (const section of focus) {
    if (sectionText(p, section).every(([, v]) => !v || v.trim() === '')) lines.push(`${sectionText(p, section)[0]![0]}: (hồ sơ không có thông tin)`);
  }
  return stripDelimiters(lines.join('\n'));
}

/** The main record and the related ones, each inside its own <ho_so> block. */
export function serializeRecords(main: Procedure, related: Procedure[], aspect: Aspect | null): string {
  const blocks = [`<ho_so ma="${main.id}" vai_tro="chính">\n${serializeRecord(main, aspect)}\n</ho_so>`];
  for (const r of related) {
    if (r.id === main.id) continue;
    blocks.push(`<ho_so ma="${r.id}" vai_tro="liên quan">\n${serializeRecord(r, aspect, { budget: RELATED_BUDGET, focusOnly: true })}\n</ho_so>`);
  }
  return blocks.join('\n');
}
