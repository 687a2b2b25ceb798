import { EmbeddingsUnavailableError, type Embedder } from './embedder.js';

export interface OpenAiEmbedderOptions {
  /** e.g. "http://localhost:8000/v1" (vLLM), "http://localhost:11434/v1" (Ollama), "https://api.openai.com/v1". */
  baseURL: string;
  /** Local servers usually need none; the client insists on a string, so a placeholder is sent. */
  apiKey?: string | undefined;
  model: string;
  /** Texts per request. 64 keeps requests well under common server limits (OpenAI allows 2048 inputs). */
  batchSize?: number;
  /** Retries per request on connection errors, 408/409/429/5xx (the client's backoff). */
  maxRetries?: number;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /** Test seam: the fetch the client uses. */
  fetch?: typeof fetch;
}

type OpenAiClient = import('openai').OpenAI;

/**
 * Embeddings through any OpenAI-compatible `/embeddings` endpoint, via the official client.
 * The only module that imports `openai`, and only when first used, so lexical-only installs never load it.
 */
export class OpenAiEmbedder implements Embedder {
  readonly id: string;
  private dims: number | undefined;
  private client: Promise<OpenAiClient> | undefined;
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    if (!options.baseURL) throw new Error('OpenAiEmbedder needs a baseURL');
    if (!options.model) throw new Error('OpenAiEmbedder needs a model');
    this.id = options.model;
    this.batchSize = Math.max(1, options.batchSize ?? 64);
    this.maxRetries = Math.max(0, options.maxRetries ?? 2);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get dimensions(): number | undefined {
    return this.dims;
  }

  private getClient(): Promise<OpenAiClient> {
    this.client ??= import('openai').then(
      ({ OpenAI }) =>
        new OpenAI({
          baseURL: this.options.baseURL,
          apiKey: this.options.apiKey || 'not-needed',
          maxRetries: this.maxRetries,
          timeout: this.timeoutMs,
          ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        }),
    );
    return this.client;
  }

  async embed(texts: string[], options?: { signal?: AbortSignal | undefined }): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const client = await this.getClient();
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      // OpenAI rejects empty strings in `input`; a space embeds as "nothing" on every server we know.
      const batch = texts.slice(start, start + this.batchSize).map((t) => (t.trim() === '' ? ' ' : t));
      out.push(...(await this.embedBatch(client, batch, options?.signal)));
    }
    return out;
  }

  private async embedBatch(client: OpenAiClient, input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    let response;
    try {
      // No encoding_format: the client asks for base64 and decodes it (smaller bodies); decode() below
      // still accepts number[] because some OpenAI-compatible servers ignore the parameter.
      response = await client.embeddings.create({ model: this.options.model, input }, signal ? { signal } : {});
    } catch (err) {
      if (signal?.aborted) throw err;
      throw this.describe(err);
    }
    const data = response.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingsUnavailableError(
        `embeddings endpoint ${this.options.baseURL} returned ${Array.isArray(data) ? data.length : 'no'} vectors for ${input.length} inputs`,
      );
    }
    const vectors = new Array<Float32Array>(input.length);
    for (const item of data) {
      const index = item.index;
      if (!Number.isInteger(index) || index < 0 || index >= input.length || vectors[index]) {
        throw new EmbeddingsUnavailableError(`embeddings endpoint ${this.options.baseURL} returned a bad index ${String(index)}`);
      }
      vectors[index] = decode(item.embedding as unknown);
    }
    for (const v of vectors) {
      if (this.dims === undefined) this.dims = v.length;
      else if (v.length !== this.dims) {
        throw new EmbeddingsUnavailableError(
          `embeddings endpoint ${this.options.baseURL} returned a ${v.length}-dimension vector after ${this.dims}-dimension ones`,
        );
      }
    }
    return vectors;
  }

  /** One message that says which endpoint failed and how, with the API key scrubbed out. */
  private describe(err: unknown): EmbeddingsUnavailableError {
    const e = err as { status?: unknown; message?: unknown; name?: unknown };
    const status = typeof e.status === 'number' ? `HTTP ${e.status}: ` : '';
    let detail = typeof e.message === 'string' ? e.message : String(err);
    const key = this.options.apiKey;
    if (key && key.length >= 4) detail = detail.split(key).join('***');
    const attempts = this.maxRetries + 1;
    return new EmbeddingsUnavailableError(
      `embeddings endpoint ${this.options.baseURL} failed (model ${this.options.model}, up to ${attempts} attempts): ${status}${detail}`,
      { cause: err },
    );
  }
}

/** The client hands back Float32Array (decoded base64), number[] (float format) or, if bypassed, a base64 string. */
function decode(embedding: unknown): Float32Array {
  if (embedding instanceof Float32Array) return embedding;
  if (Array.isArray(embedding)) return Float32Array.from(embedding as number[]);
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    // Copy into a fresh, aligned buffer: Buffer slices may start at an odd offset.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
  }
  throw new EmbeddingsUnavailableError('embeddings response held neither a float array nor base64');
}
