/**
 * What happened to one question. A closed list: stats, evals and the staff console group by it,
 * and the family (the part before the first `_`) is what dashboards count.
 */
export const ANSWER_STATUSES = [
  'answered',
  'answered_fallback',
  'answered_smalltalk',
  'clarification',
  'unanswerable_no_content',
  'unanswerable_out_of_scope',
  'guardrail_injection',
  'guardrail_personal_data',
  'guardrail_abuse',
  'guardrail_answer_check',
  'handoff_requested',
  'handoff_staff',
  'status_lookup_verify',
  'status_lookup_answered',
  'status_lookup_failed',
  'error_llm',
  'error_timeout',
  'error_internal',
] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** "answered", "unanswerable", "guardrail", "handoff", "clarification", "status", "error". */
export function statusFamily(status: AnswerStatus): string {
  return status.split('_')[0]!;
}

/** A procedure an answer is grounded in. */
export interface Citation {
  id: string;
  name: string;
  url: string | null;
}

/** One choice offered when the question is ambiguous; answerable by number or by name. */
export interface AnswerOption {
  id: string;
  name: string;
}

/** `chat`: short paragraphs and lists; `voice`: at most three speakable sentences, no links. */
export type AnswerStyle = 'chat' | 'voice';

/** The language the citizen wrote in; answers follow it. */
export type Language = 'vi' | 'en';

/** The outcome of one turn, as channels render it. */
export interface AnswerResult {
  status: AnswerStatus;
  text: string;
  citations: Citation[];
  /** Present with status `clarification`. */
  options?: AnswerOption[];
  /** True when the conversation should go to a human officer. */
  handoff: boolean;
}
