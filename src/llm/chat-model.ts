/**
 * The port every LLM adapter implements. Core code (composers, guardrails) depends on this, never on
 * a vendor SDK; `OpenAiChatModel` is the adapter for any OpenAI-compatible endpoint.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
}

/** One streamed piece of the reply. */
export interface ChatDelta {
  text: string;
}

export interface ChatModel {
  /** The model name, e.g. "qwen2.5-7b-instruct"; composers derive their id from it. */
  readonly id: string;
  /**
   * Streams the reply. Rejects with `LlmBusyError` when the limiter's queue is full, `LlmTimeoutError`
   * when the call runs past its deadline, `LlmError` for any other failure of the endpoint, and the
   * signal's abort reason when the caller aborts.
   */
  stream(req: ChatRequest, options: { signal: AbortSignal }): AsyncIterable<ChatDelta>;
}

/** The endpoint failed (HTTP error, connection refused or dropped, malformed reply). */
export class LlmError extends Error {
  override name = 'LlmError';
  /** HTTP status when the server answered with one. */
  readonly status: number | undefined;
  constructor(message: string, options?: { cause?: unknown; status?: number | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
  }
}

/** The call ran past its deadline. */
export class LlmTimeoutError extends LlmError {
  override name = 'LlmTimeoutError';
}

/** Too many calls in flight and the waiting queue is full: shed load instead of queueing forever. */
export class LlmBusyError extends LlmError {
  override name = 'LlmBusyError';
}
