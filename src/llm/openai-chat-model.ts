import Bottleneck from 'bottleneck';
import { LlmBusyError, LlmError, LlmTimeoutError, type ChatDelta, type ChatModel, type ChatRequest } from './chat-model.js';

export interface OpenAiChatModelOptions {
  /** e.g. "http://localhost:8000/v1" (vLLM), "http://localhost:11434/v1" (Ollama), "https://api.openai.com/v1". */
  baseURL: string;
  /** Local servers usually need none; the client insists on a string, so a placeholder is sent. */
  apiKey?: string | undefined;
  model: string;
  /** Deadline for one call, from sending the request to the last streamed token. Default 20 s. */
  timeoutMs?: number;
  /** The client's own retries (connection errors, 408/409/429/5xx) before the stream starts. Default 1. */
  maxRetries?: number;
  /** Calls in flight at once. Default 4. */
  maxConcurrent?: number;
  /** Calls allowed to wait for a slot; one more is refused at once with `LlmBusyError`. Default 2 × maxConcurrent. */
  maxQueued?: number;
  /** `max_tokens` when the request does not say. Default 800. */
  defaultMaxTokens?: number;
  /** Test seam: the fetch the client uses. */
  fetch?: typeof fetch;
}

type OpenAiModule = typeof import('openai');
type OpenAiClient = import('openai').OpenAI;

/**
 * Streaming chat completions through any OpenAI-compatible endpoint, via the official client.
 * The only module that imports `openai`, and only when first used. A bottleneck limiter bounds the
 * calls in flight and the queue behind them (OVERFLOW: a call beyond the queue is refused at once,
 * so a traffic spike degrades to the grounded composer instead of piling up).
 */
export class OpenAiChatModel implements ChatModel {
  readonly id: string;
  readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly defaultMaxTokens: number;
  private readonly limiter: Bottleneck;
  private sdk: Promise<{ module: OpenAiModule; client: OpenAiClient }> | undefined;

  constructor(private readonly options: OpenAiChatModelOptions) {
    if (!options.baseURL) throw new Error('OpenAiChatModel needs a baseURL');
    if (!options.model) throw new Error('OpenAiChatModel needs a model');
    this.id = options.model;
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 20_000);
    this.maxRetries = Math.max(0, options.maxRetries ?? 1);
    this.defaultMaxTokens = Math.max(1, options.defaultMaxTokens ?? 800);
    const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4);
    this.limiter = new Bottleneck({
      maxConcurrent,
      highWater: Math.max(0, options.maxQueued ?? maxConcurrent * 2),
      strategy: Bottleneck.strategy.OVERFLOW,
    });
  }

  /** Calls running and waiting right now (for health and stats). */
  load(): { running: number; queued: number } {
    const counts = this.limiter.counts();
    return { running: counts.EXECUTING + counts.RUNNING, queued: counts.QUEUED + counts.RECEIVED };
  }

  private getSdk(): Promise<{ module: OpenAiModule; client: OpenAiClient }> {
    this.sdk ??= import('openai').then((module) => ({
      module,
      client: new module.OpenAI({
        baseURL: this.options.baseURL,
        apiKey: this.options.apiKey || 'not-needed',
        maxRetries: this.maxRetries,
        timeout: this.timeoutMs,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      }),
    }));
    return this.sdk;
  }

  async *stream(req: ChatRequest, options: { signal: AbortSignal }): AsyncIterable<ChatDelta> {
    const { signal } = options;
    signal.throwIfAborted();
    const release = await this.acquire(signal);
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, deadline]);
    try {
      const { module, client } = await this.getSdk();
      let stream;
      try {
        stream = await client.chat.completions.create(
          {
            model: this.options.model,
            messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
            stream: true,
            max_tokens: req.maxTokens ?? this.defaultMaxTokens,
            ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
          },
          { signal: combined },
        );
      } catch (err) {
        throw this.describe(module, err, signal, deadline);
      }
      try {
        for await (const chunk of stream) {
          const text = chunk.choices?.[0]?.delta?.content;
          if (typeof text === 'string' && text !== '') yield { text };
        }
      } catch (err) {
        throw this.describe(module, err, signal, deadline);
      }
      if (deadline.aborted && !signal.aborted) throw this.timeoutError();
    } finally {
      release();
    }
  }

  /**
   * Waits for a slot in the limiter; resolves with the function that frees it. Refused at once with
   * `LlmBusyError` when the queue is full; rejects with the abort reason if the caller gives up while waiting.
   */
  private acquire(signal: AbortSignal): Promise<() => void> {
    return new Promise<() => void>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.limiter
        .schedule(
          () =>
            new Promise<void>((free) => {
              signal.removeEventListener('abort', onAbort);
              // Given up while queued: hand the slot straight back.
              if (settled) return free();
              settled = true;
              resolve(() => free());
            }),
        )
        .catch((err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          reject(
            err instanceof Bottleneck.BottleneckError
              ? new LlmBusyError(`LLM endpoint ${this.options.baseURL} is busy: too many calls waiting (model ${this.options.model})`, { cause: err })
              : err,
          );
        });
    });
  }

  private timeoutError(cause?: unknown): LlmTimeoutError {
    return new LlmTimeoutError(`LLM endpoint ${this.options.baseURL} did not finish within ${this.timeoutMs} ms (model ${this.options.model})`, {
      cause,
    });
  }

  /** One error that says which endpoint failed and how, with the API key scrubbed out. */
  private describe(module: OpenAiModule, err: unknown, signal: AbortSignal, deadline: AbortSignal): unknown {
    if (signal.aborted) return signal.reason ?? err;
    if (deadline.aborted || err instanceof module.APIConnectionTimeoutError) return this.timeoutError(err);
    const e = err as { status?: unknown; message?: unknown };
    const status = typeof e.status === 'number' ? e.status : undefined;
    let detail = typeof e.message === 'string' ? e.message : String(err);
    const key = this.options.apiKey;
    if (key && key.length >= 4) detail = detail.split(key).join('***');
    const kind = err instanceof module.APIConnectionError ? 'connection failed' : status ? `HTTP ${status}` : 'failed';
    return new LlmError(
      `LLM endpoint ${this.options.baseURL} ${kind} (model ${this.options.model}, up to ${this.maxRetries + 1} attempts): ${detail}`,
      { cause: err, status },
    );
  }
}
