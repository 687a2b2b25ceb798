import type { AnswerOption, AnswerResult, AnswerStatus, AnswerStyle, Citation, Language } from '../domain/answer.js';
import type { Session } from '../domain/conversation.js';
import type { Procedure } from '../domain/procedure.js';
import type { Hit } from '../retrieval/retriever.js';
import type { Aspect } from '../text/aspects.js';

/** One piece of personal data found in the message and replaced by a typed placeholder. */
export interface Redaction {
  kind: 'cccd' | 'cmnd' | 'phone' | 'email' | 'tax_code' | 'bank_account' | 'address';
  placeholder: string;
}

/** What the router decided the message is. */
export type Intent =
  | 'procedure_question'
  | 'follow_up'
  | 'option_choice'
  | 'smalltalk'
  | 'handoff'
  | 'out_of_scope'
  | 'abuse';

/** The message as it arrived from a channel. */
export interface AnswerInput {
  text: string;
  channel: string;
  style: AnswerStyle;
  /** Milliseconds the whole turn may take; steps check `signal`. */
  deadlineMs?: number;
}

/**
 * The state one turn carries through the pipeline's steps. Each step reads what earlier steps
 * wrote and adds its own part; any step may end the turn with `abort`.
 */
export class AnswerContext {
  /** The working text: normalised, then redacted. Only this text is stored or sent to an LLM. */
  text: string;
  redactions: Redaction[] = [];
  /**
   * What the question is about: the working text without personal-data placeholders and the
   * words that introduced them. Routing and retrieval read this; composers and logs read `text`.
   */
  get topicText(): string {
    return this.topicOverride ?? this.text;
  }
  set topicText(value: string) {
    this.topicOverride = value;
  }
  private topicOverride: string | undefined;
  language: Language = 'vi';
  intent: Intent = 'procedure_question';
  aspect: Aspect | null = null;
  /** Ranked candidates from retrieval. */
  hits: Hit[] = [];
  /** The procedure the answer is about, once resolved. */
  procedure: Procedure | undefined;
  /** Options offered when the question is ambiguous. */
  options: AnswerOption[] | undefined;
  /** The chosen option, when the citizen answered a clarification by number or name. */
  chosenOption: AnswerOption | undefined;
  /** Set by the composer; checked, and possibly replaced, by the answer check. */
  draft: { status: AnswerStatus; text: string; citations: Citation[] } | undefined;
  /** Which composer wrote the draft, for the Q&A log. */
  composerId: string | null = null;
  /** Set when the turn is over. */
  result: AnswerResult | undefined;
  /** Free-form notes steps leave for logs and evals (never personal data). */
  readonly trace: string[] = [];

  constructor(
    readonly input: AnswerInput,
    readonly session: Session,
    readonly signal: AbortSignal,
  ) {
    this.text = input.text;
  }

  /** Ends the turn with this result; the runner stops before the next step. */
  abort(result: Omit<AnswerResult, 'citations' | 'handoff'> & Partial<Pick<AnswerResult, 'citations' | 'handoff'>>): void {
    this.result = { citations: [], handoff: false, ...result };
  }

  get done(): boolean {
    return this.result !== undefined;
  }
}

/** One step of the answer policy. */
export interface Step {
  /** Short name for traces and timings, e.g. "redact-personal-data". */
  readonly name: string;
  run(ctx: AnswerContext): Promise<void> | void;
}
