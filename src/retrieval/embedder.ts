/**
 * Turns texts into dense vectors. Implementations talk to an embeddings endpoint (OpenAI-compatible:
 * vLLM, Ollama, llama.cpp server, Azure, OpenAI) or wrap another embedder (cache).
 * Nothing behind this port may download model weights at run time.
 */
export interface Embedder {
  /** Identifies the vector space (the model). Vectors from different ids must never be mixed or cached together. */
  readonly id: string;
  /** Known once the first vectors came back (or configured). */
  readonly dimensions?: number | undefined;
  /** One vector per input text, in input order. Rejects rather than returning a partial result. */
  embed(texts: string[], options?: { signal?: AbortSignal | undefined }): Promise<Float32Array[]>;
}

/** Thrown when the embeddings endpoint cannot be used; the message names the endpoint, never a secret. */
export class EmbeddingsUnavailableError extends Error {
  override readonly name = 'EmbeddingsUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Unit-length copy (cosine becomes a dot product). A zero vector stays zero rather than becoming NaN. */
export function normalized(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
