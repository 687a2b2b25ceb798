import type { Citation } from '../domain/answer.js';
import type { Procedure } from '../domain/procedure.js';
import type { ChatModel } from '../llm/chat-model.js';
import type { AnswerComposer, AnswerEvent, ComposeInput } from './answer-composer.js';
import type { PromptLibrary } from './prompt-library.js';

export interface LlmComposerOptions {
  model: ChatModel;
  prompts: PromptLibrary;
  /** Low: the answer restates the record. Default 0.1. */
  temperature?: number;
  /** `max_tokens` per style. Defaults: chat 700, voice 200. */
  maxTokens?: { chat?: number; voice?: number };
}

/** The citation of a procedure: decided by code (the resolved record), never by the model. */
export function citationOf(p: Procedure): Citation {
  return { id: p.id, name: p.name, url: p.url };
}

/**
 * Writes the answer with an LLM from the resolved record: streams the model's deltas, then the
 * citation of the main procedure, then done. Errors from the model (`LlmError`, `LlmTimeoutError`,
 * `LlmBusyError`, abort) propagate; the pipeline falls back to the grounded composer, and checks
 * the collected text with `checkAnswer` before sending it.
 */
export class LlmComposer implements AnswerComposer {
  readonly id: string;
  private readonly temperature: number;
  private readonly maxTokens: { chat: number; voice: number };

  constructor(private readonly options: LlmComposerOptions) {
    this.id = `llm:${options.model.id}`;
    this.temperature = options.temperature ?? 0.1;
    this.maxTokens = { chat: options.maxTokens?.chat ?? 700, voice: options.maxTokens?.voice ?? 200 };
  }

  /** The prompt templates' ids and versions, for turn logs and eval reports. */
  get promptVersion(): string {
    return this.options.prompts.version;
  }

  async *compose(input: ComposeInput, options: { signal: AbortSignal }): AsyncIterable<AnswerEvent> {
    const messages = this.options.prompts.answerMessages(input);
    const stream = this.options.model.stream(
      { messages, temperature: this.temperature, maxTokens: this.maxTokens[input.style] },
      { signal: options.signal },
    );
    for await (const delta of stream) {
      if (delta.text) yield { type: 'delta', text: delta.text };
    }
    yield { type: 'citations', citations: [citationOf(input.procedure)] };
    yield { type: 'done' };
  }
}
