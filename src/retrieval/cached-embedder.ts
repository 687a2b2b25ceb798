import { createHash } from 'node:crypto';
import type { Embedder } from './embedder.js';
import type { EmbeddingCache } from './sqlite-embedding-cache.js';

/**
 * Embeds only texts the cache has not seen for this model, so a restart does not re-embed the catalogue.
 * Used for catalogue passages only: citizens' questions are not written to disk.
 */
export class CachedEmbedder implements Embedder {
  /** Texts actually sent to the inner embedder since construction (observability, tests). */
  misses = 0;
  hits = 0;

  constructor(
    private readonly inner: Embedder,
    private readonly cache: EmbeddingCache,
  ) {}

  get id(): string {
    return this.inner.id;
  }

  get dimensions(): number | undefined {
    return this.inner.dimensions;
  }

  async embed(texts: string[], options?: { signal?: AbortSignal | undefined }): Promise<Float32Array[]> {
    const hashes = texts.map((t) => createHash('sha256').update(t).digest('hex'));
    const cached = this.cache.getMany(this.inner.id, [...new Set(hashes)]);
    const missing: number[] = [];
    const seen = new Set<string>();
    hashes.forEach((h, i) => {
      if (!cached.has(h) && !seen.has(h)) {
        seen.add(h);
        missing.push(i);
      }
    });
    if (missing.length > 0) {
      const fresh = await this.inner.embed(missing.map((i) => texts[i]!), options);
      const entries = missing.map((i, j) => [hashes[i]!, fresh[j]!] as const);
      for (const [h, v] of entries) cached.set(h, v);
      this.cache.putMany(this.inner.id, entries);
    }
    this.misses += missing.length;
    this.hits += texts.length - missing.length;
    return hashes.map((h) => cached.get(h)!);
  }
}
