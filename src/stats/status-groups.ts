import { ANSWER_STATUSES, statusFamily, type AnswerStatus } from '../domain/answer.js';

/** Families counted as "unanswered": the assistant had no answer, or failed. */
export const UNANSWERED_FAMILIES: readonly string[] = ['unanswerable', 'error'];
/** Families counted as "refused": a guardrail stopped the turn. */
export const REFUSED_FAMILIES: readonly string[] = ['guardrail'];

export function isUnanswered(status: string): boolean {
  return UNANSWERED_FAMILIES.includes(statusFamily(status as AnswerStatus));
}

export function isRefused(status: string): boolean {
  return REFUSED_FAMILIES.includes(statusFamily(status as AnswerStatus));
}

/** `'a', 'b'` for a SQL IN list (the statuses are a closed list of constants, never input). */
export function sqlStatusList(families: readonly string[]): string {
  return ANSWER_STATUSES.filter((s) => families.includes(statusFamily(s)))
    .map((s) => `'${s}'`)
    .join(', ');
}
