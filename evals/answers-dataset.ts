/**
 * The team-written answer evaluation set (`evals/datasets/answers-*.jsonl`): single questions with
 * gold procedures and the aspect asked, multi-turn dialogues, and control messages with the status
 * the policy must give. Loaders validate every line and say which file, which line and why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ANSWER_STATUSES } from '../src/domain/answer.js';
import { PROCEDURE_CODE } from '../src/domain/procedure.js';

export const DATASETS_DIR = path.resolve(import.meta.dirname, 'datasets');

const AspectName = z.enum(['fee', 'time', 'documents', 'where', 'online', 'conditions', 'steps', 'result', 'legal_basis']);
const Status = z.enum(ANSWER_STATUSES);
const GoldIds = z.array(z.string().regex(PROCEDURE_CODE, 'official code like 1.001193')).min(1);

/** How a single question is written, beyond with/without diacritics (which is derived from the text). */
export const QuestionTag = z.enum(['abbreviation', 'misspelling', 'situation']);
export type QuestionTag = z.infer<typeof QuestionTag>;

export const SingleQuestion = z.strictObject({
  id: z.string().min(1),
  question: z.string().min(1),
  /** Every code acceptable as the cited procedure (level variants of the same procedure). */
  gold_ids: GoldIds,
  /** The aspect asked, or null for the procedure as a whole. */
  aspect: AspectName.nullable(),
  style: z.enum(['chat', 'voice']),
  tags: z.array(QuestionTag).default([]),
});
export type SingleQuestion = z.infer<typeof SingleQuestion>;

export const TurnExpectation = z.strictObject({
  status: z.union([Status, z.array(Status).min(1)]).optional(),
  /** Any of these must be cited (or, with `options`, offered). */
  gold_ids: GoldIds.optional(),
  aspect: AspectName.optional(),
  /** The reply must offer at least two options to choose from. */
  options: z.literal(true).optional(),
  /** The reply must cite the n-th (1-based) option of the latest earlier turn that offered options. */
  chosen_option: z.number().int().min(1).optional(),
  must_not_contain: z.array(z.string().min(1)).optional(),
});
export type TurnExpectation = z.infer<typeof TurnExpectation>;

export const Dialogue = z.strictObject({
  id: z.string().min(1),
  turns: z.array(z.strictObject({ message: z.string().min(1), expect: TurnExpectation })).min(2).max(4),
});
export type Dialogue = z.infer<typeof Dialogue>;

export const ControlCase = z.strictObject({
  id: z.string().min(1),
  message: z.string().min(1),
  expect_status: Status,
  /** Strings (personal data, injected facts) that must not appear in the reply. */
  must_not_contain: z.array(z.string().min(1)).optional(),
});
export type ControlCase = z.infer<typeof ControlCase>;

export interface AnswersDatasets {
  single: SingleQuestion[];
  dialogues: Dialogue[];
  control: ControlCase[];
}

/** A dataset line that is not valid JSON or does not match its schema. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'DatasetError';
  }
}

/** Reads one JSONL file: blank lines are skipped, ids must be unique within the file. */
export function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  if (!fs.existsSync(file)) throw new DatasetError(file, 0, 'file not found');
  const out: T[] = [];
  const ids = new Map<string, number>();
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new DatasetError(file, lineNo, `invalid JSON (${(e as Error).message})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new DatasetError(file, lineNo, reason);
    }
    const id = (parsed.data as { id?: unknown }).id;
    if (typeof id === 'string') {
      const seen = ids.get(id);
      if (seen !== undefined) throw new DatasetError(file, lineNo, `duplicate id "${id}" (first on line ${seen})`);
      ids.set(id, lineNo);
    }
    out.push(parsed.data);
  });
  return out;
}

export const loadSingleQuestions = (file = path.join(DATASETS_DIR, 'answers-single.jsonl')) => readJsonl(file, SingleQuestion);
export const loadDialogues = (file = path.join(DATASETS_DIR, 'answers-dialogues.jsonl')) => readJsonl(file, Dialogue);
export const loadControlCases = (file = path.join(DATASETS_DIR, 'answers-control.jsonl')) => readJsonl(file, ControlCase);

/** Loads the three files from `dir` (default `evals/datasets`). */
export function loadAnswersDatasets(dir = DATASETS_DIR): AnswersDatasets {
  return {
    single: loadSingleQuestions(path.join(dir, 'answers-single.jsonl')),
    dialogues: loadDialogues(path.join(dir, 'answers-dialogues.jsonl')),
    control: loadControlCases(path.join(dir, 'answers-control.jsonl')),
  };
}

/** Every gold code named anywhere in the datasets, for checking against the catalogue. */
export function goldIdsOf(datasets: AnswersDatasets): Set<string> {
  const ids = new Set<string>();
  for (const q of datasets.single) q.gold_ids.forEach((id) => ids.add(id));
  for (const d of datasets.dialogues) for (const t of d.turns) t.expect.gold_ids?.forEach((id) => ids.add(id));
  return ids;
}
