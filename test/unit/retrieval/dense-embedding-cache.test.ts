import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CachedEmbedder } from '../../../src/retrieval/cached-embedder.js';
import type { Embedder } from '../../../src/retrieval/embedder.js';
import { NO_CACHE, SqliteEmbeddingCache } from '../../../src/retrieval/sqlite-embedding-cache.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'emb-cache-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function countingEmbedder(id = 'm1'): Embedder & { sent: string[] } {
  return {
    id,
    sent: [],
    async embed(texts) {
      this.sent.push(...texts);
      return texts.map((t) => new Float32Array([t.length, t.charCodeAt(0) || 0, 0.5]));
    },
  };
}

describe('SqliteEmbeddingCache + CachedEmbedder', () => {
  it('embeds only unseen texts, across reopen, and returns vectors in input order', async () => {
    const file = join(tempDir(), 'sub', 'cache.sqlite');
    const warns: string[] = [];
    const inner = countingEmbedder();
    let cache = await SqliteEmbeddingCache.open(file, (m) => warns.push(m));
    const first = await new CachedEmbedder(inner, cache).embed(['ab', 'c', 'ab']);
    expect(inner.sent).toEqual(['ab', 'c']); // duplicate sent once
    expect(first.map((v) => Array.from(v))).toEqual([[2, 97, 0.5], [1, 99, 0.5], [2, 97, 0.5]]);
    cache.close();

    cache = await SqliteEmbeddingCache.open(file, (m) => warns.push(m));
    const again = new CachedEmbedder(inner, cache);
    const second = await again.embed(['c', 'new', 'ab']);
    expect(inner.sent).toEqual(['ab', 'c', 'new']);
    expect(second.map((v) => Array.from(v))).toEqual([[1, 99, 0.5], [3, 110, 0.5], [2, 97, 0.5]]);
    expect(again.hits).toBe(2);
    expect(again.misses).toBe(1);
    cache.close();
    expect(warns).toEqual([]);
  });

  it('keys by model: another model id re-embeds', async () => {
    const file = join(tempDir(), 'cache.sqlite');
    const cache = await SqliteEmbeddingCache.open(file);
    await new CachedEmbedder(countingEmbedder('m1'), cache).embed(['x']);
    const other = countingEmbedder('m2');
    await new CachedEmbedder(other, cache).embed(['x']);
    expect(other.sent).toEqual(['x']);
    cache.close();
  });

  it('rebuilds a corrupt cache file instead of failing', async () => {
    const dir = tempDir();
    const file = join(dir, 'cache.sqlite');
    writeFileSync(file, Buffer.from('this is not a sqlite database at all, just garbage '.repeat(200)));
    const warns: string[] = [];
    const cache = await SqliteEmbeddingCache.open(file, (m) => warns.push(m));
    expect(cache).not.toBe(NO_CACHE);
    expect(warns.join('\n')).toMatch(/rebuilding/);
    const inner = countingEmbedder();
    await new CachedEmbedder(inner, cache).embed(['x']);
    cache.close();
    expect(readFileSync(file).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('falls back to no cache when the location cannot be written', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    const warns: string[] = [];
    // A directory path under a regular file can never be created.
    const cache = await SqliteEmbeddingCache.open(join(blocker, 'cache.sqlite'), (m) => warns.push(m));
    expect(cache).toBe(NO_CACHE);
    expect(warns.at(-1)).toMatch(/disabled/);
    const inner = countingEmbedder();
    expect(await new CachedEmbedder(inner, cache).embed(['x'])).toHaveLength(1);
  });
});
