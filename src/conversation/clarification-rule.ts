import type { AnswerOption } from '../domain/answer.js';
import type { Hit } from '../retrieval/retriever.js';
import { baseName, type ProcedureNameVocabulary, subjectSyllables, topicSyllables } from './procedure-name-vocabulary.js';

/** What retrieval's ranking means for the turn. */
export type RetrievalDecision =
  | { kind: 'no_content' }
  | { kind: 'winner'; procedureId: string }
  | { kind: 'clarify'; options: AnswerOption[] };

/**
 * Thresholds measured on the public retrieval eval (see the step's report):
 * - a runner-up within `closeRatio` of the winner's score is a close candidate;
 * - a question whose words the runner-up's name covers as well as the winner's, while saying
 *   less than `genericNameCoverage` of the winner's name, is generic ("đăng ký xe");
 * - a winner whose name shares under `weakNameCoverage` of its syllables with the question and
 *   covers under `weakQueryCoverage` of the question's (IDF-weighted) matched nothing real.
 */
export const CLARIFICATION_RULE = {
  closeRatio: 0.95,
  genericNameCoverage: 0.62,
  shortQuestion: 3,
  weakNameCoverage: 0.2,
  weakQueryCoverage: 0.4,
  /** Further options (after two) must score at least this share of the winner's. */
  optionFloor: 0.6,
  /** A variant differing only by level is offered only when this close to its sibling. */
  levelVariantRatio: 0.9,
  maxOptions: 4,
} as const;

export interface NamedProcedure {
  id: string;
  name: string;
}

/** Share of the name's topic syllables that the question says. */
function nameCoverage(question: ReadonlySet<string>, name: string): number {
  const n = topicSyllables(baseName(name));
  return n.length ? n.filter((s) => question.has(s)).length / n.length : 0;
}

/**
 * Decides between a clear winner, a clarification and no content, from the ranked hits and
 * what their names share with the question.
 */
export function decideRetrieval(
  question: string,
  hits: readonly Hit[],
  nameOf: (id: string) => string | undefined,
  vocabulary: ProcedureNameVocabulary,
  rule = CLARIFICATION_RULE,
): RetrievalDecision {
  const ranked = hits.filter((h) => nameOf(h.procedureId) !== undefined);
  const top = ranked[0];
  if (!top) return { kind: 'no_content' };
  // A quoted official code is exact.
  if (top.score >= Number.MAX_SAFE_INTEGER) return { kind: 'winner', procedureId: top.procedureId };
  const subject = subjectSyllables(question);
  if (subject.length === 0) return { kind: 'no_content' };
  const said = new Set(topicSyllables(question));
  const second = ranked[1];
  const nc1 = nameCoverage(said, nameOf(top.procedureId)!);
  const qc1 = vocabulary.queryCoverage(subject, top.procedureId);
  if (nc1 < rule.weakNameCoverage && qc1 < rule.weakQueryCoverage) return { kind: 'no_content' };
  if (!second) return { kind: 'winner', procedureId: top.procedureId };
  const nc2 = nameCoverage(said, nameOf(second.procedureId)!);
  // The question says the winner's whole name and not the runner-up's: "đăng ký khai sinh".
  if (nc1 >= 0.999 && nc2 < 0.999) return { kind: 'winner', procedureId: top.procedureId };
  const qc2 = vocabulary.queryCoverage(subject, second.procedureId);
  // A short question (≤ shortQuestion syllables) that does not say the winner's whole name is generic too: "cấp giấy phép".
  // The winner is the general procedure and the runner-up one of its special cases ("đăng ký
  // khai sinh" / "… lưu động"): a counter officer would explain the general one, not ask back.
  if (isGeneralCaseOf(nameOf(top.procedureId)!, nameOf(second.procedureId)!)) return { kind: 'winner', procedureId: top.procedureId };
  const generic = qc2 >= qc1 - 1e-9 && (nc1 < rule.genericNameCoverage || (subject.length <= rule.shortQuestion && nc1 < 0.999));
  const close = second.score / top.score > rule.closeRatio;
  if (!generic && !close) return { kind: 'winner', procedureId: top.procedureId };
  const options = clarificationOptions(ranked, nameOf, rule);
  return options.length >= 2 ? { kind: 'clarify', options } : { kind: 'winner', procedureId: top.procedureId };
}

/** True when every topic syllable of `general`'s name is in `special`'s name as well. */
function isGeneralCaseOf(general: string, special: string): boolean {
  const g = topicSyllables(baseName(general));
  const sp = new Set(topicSyllables(baseName(special)));
  return g.length > 0 && g.every((s) => sp.has(s));
}

/**
 * 2–4 options in rank order with distinct names. Variants that differ only by level
 * ("… (cấp tỉnh)" / "… (cấp xã)") are both offered only when their scores are close.
 */
export function clarificationOptions(
  ranked: readonly Hit[],
  nameOf: (id: string) => string | undefined,
  rule = CLARIFICATION_RULE,
): AnswerOption[] {
  const top = ranked[0];
  if (!top) return [];
  const chosen: { option: AnswerOption; base: string; score: number }[] = [];
  for (const h of ranked) {
    if (chosen.length >= rule.maxOptions) break;
    const name = nameOf(h.procedureId);
    if (name === undefined || chosen.some((c) => c.option.name === name)) continue;
    if (chosen.length >= 2 && h.score < top.score * rule.optionFloor) break;
    const base = baseName(name);
    const sibling = chosen.find((c) => c.base === base);
    if (sibling && h.score < sibling.score * rule.levelVariantRatio) continue;
    chosen.push({ option: { id: h.procedureId, name }, base, score: h.score });
  }
  return chosen.map((c) => c.option);
}
