import type { ProcedureDocument, ProcedureInput, SubmissionChannel } from '../src/domain/procedure.js';
import { channelKind, reject, splitLevels, textOrNull, validated, type LoadItem } from './load-result.js';
import { fileLines, splitLines, type LineItem, MAX_LINE_BYTES } from './read-lines.js';

/**
 * `procedures.jsonl`, written by a third-party normaliser (tools/tthc_normalize.py): one
 * snake_case procedure per line.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] =>
  list(v).map((x) => textOrNull(x)).filter((x): x is string => !!x);

/** Keys that tell a normalised procedure line from other JSONL files (eval sets, FAQ pairs). */
export const NORMALISED_KEYS = ['id', 'name', 'channel_details', 'decision_no'] as const;

/**
 * Maps one line's object. Fields are passed through with their original types where the schema
 * has a place for them, so a wrong type (a numeric name) fails validation instead of being
 * quietly turned into text.
 */
export function mapNormalised(file: string, row: Obj, line: number): LoadItem {
  const channels: SubmissionChannel[] = [];
  for (const c of list(row.channel_details).map(obj)) {
    const label = textOrNull(c.channel);
    const kind = label ? channelKind(label) : undefined;
    if (!label || !kind) continue;
    channels.push({
      kind,
      label,
      processingTime: textOrNull(c.processing_time),
      fee: textOrNull(c.fee),
      description: textOrNull(c.description),
    });
  }
  const documents: ProcedureDocument[] = list(row.documents).map(obj).map((d) => ({
    name: typeof d.name === 'string' ? d.name.trim() : (d.name as string),
    quantity: textOrNull(d.quantity),
    forms: strings(d.forms),
    case: textOrNull(d.case)?.replace(/^[*\s]+/u, '').replace(/:$/u, '') ?? null,
  }));
  const source = obj(row.source);
  const resultCodes = strings(row.result_codes);
  const result = textOrNull(row.result);
  const record: ProcedureInput = {
    id: row.id as string,
    name: (typeof row.name === 'string' ? row.name.trim() : row.name) as string,
    field: textOrNull(row.field),
    levels: splitLevels(row.level),
    agency: textOrNull(row.agency),
    competentAuthority: textOrNull(row.competent_authority),
    procedureType: textOrNull(row.procedure_type),
    decisionNo: textOrNull(row.decision_no)?.replace(/^Quyết định\s+(số\s+)?/iu, '') ?? null,
    targetAudience: textOrNull(row.target_audience),
    channels,
    documents,
    steps: textOrNull(row.steps),
    conditions: textOrNull(row.conditions),
    legalBasis: textOrNull(row.legal_basis),
    legalCodes: strings(row.legal_codes),
    result: result && resultCodes.length > 0 ? `${result} (mã kết quả ${resultCodes.join(', ')})` : result,
    receptionAddress: textOrNull(row.reception_address),
    coordinatingAgency: textOrNull(row.coordinating_agency),
    description: null,
    aliases: [],
    ministry: textOrNull(row.ministry_list),
    url: textOrNull(row.url),
    completeness: 'detailed',
    sources: [
      { kind: 'normalised_jsonl', file, repo: textOrNull(source.repo), commit: textOrNull(source.commit) },
    ],
  };
  const id = typeof row.id === 'string' ? row.id : undefined;
  return validated(file, record, { line, ...(id ? { id } : {}) });
}

function mapLine(file: string, item: LineItem): LoadItem | undefined {
  if ('tooLong' in item) {
    return reject(
      file,
      'line_too_long',
      `Dòng ${item.line} quá dài (line too long: ${(item.bytes / 1048576).toFixed(1)} MB > ${MAX_LINE_BYTES / 1048576} MB), đã bỏ qua`,
      { line: item.line },
    );
  }
  if (item.text.trim() === '') return undefined;
  let row: unknown;
  try {
    row = JSON.parse(item.text);
  } catch (e) {
    return reject(file, 'invalid_json', `Dòng ${item.line}: JSON hỏng (${(e as Error).message})`, { line: item.line });
  }
  if (!row || typeof row !== 'object' || Array.isArray(row)) {
    return reject(file, 'invalid_record', `Dòng ${item.line}: không phải một đối tượng JSON`, { line: item.line });
  }
  return mapNormalised(file, row as Obj, item.line);
}

/** Streams the file (or the given contents) line by line. */
export async function* loadNormalisedJsonl(file: string, content?: Buffer): AsyncIterable<LoadItem> {
  const lines = content ? splitLines([content]) : fileLines(file);
  for await (const item of lines) {
    const mapped = mapLine(file, item);
    if (mapped) yield mapped;
  }
}
