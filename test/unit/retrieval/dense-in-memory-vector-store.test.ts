import { describe, expect, it } from 'vitest';
import { InMemoryVectorStore } from '../../../src/retrieval/in-memory-vector-store.js';
import type { VectorPoint } from '../../../src/retrieval/vector-store.js';

/** Small deterministic PRNG so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomVector(r: () => number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = r() * 2 - 1;
  return v;
}

function naiveCosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

function points(r: () => number, n: number, dims: number, procedures = n): VectorPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const procedureId = `p${i % procedures}`;
    return { id: `${procedureId}#${i}`, vector: randomVector(r, dims), payload: { passageId: `${procedureId}#${i}`, procedureId, contentHash: `h${i}` } };
  });
}

describe('InMemoryVectorStore', () => {
  it('returns the same top-k, in the same order, as a naive cosine scan', async () => {
    const r = rng(42);
    const dims = 48;
    const pts = points(r, 3000, dims, 1000);
    const store = new InMemoryVectorStore();
    // Several upserts: exercises capacity growth across calls.
    for (let i = 0; i < pts.length; i += 700) await store.upsert(pts.slice(i, i + 700));
    expect(await store.count()).toBe(3000);
    for (let trial = 0; trial < 20; trial++) {
      const q = randomVector(r, dims);
      const k = 1 + Math.floor(r() * 25);
      const expected = pts
        .map((p) => ({ id: p.id, score: naiveCosine(q, p.vector) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
      const got = await store.query(q, k);
      expect(got.map((m) => m.id)).toEqual(expected.map((e) => e.id));
      got.forEach((m, i) => expect(m.score).toBeCloseTo(expected[i]!.score, 5));
      expect(got[0]!.payload.procedureId).toBe(pts.find((p) => p.id === got[0]!.id)!.payload.procedureId);
    }
  });

  it('restricts results to the allowed procedures, matching a naive filtered scan', async () => {
    const r = rng(7);
    const pts = points(r, 500, 16, 100);
    const store = new InMemoryVectorStore();
    await store.upsert(pts);
    const allowed = ['p3', 'p17', 'p55'];
    const q = randomVector(r, 16);
    const expected = pts
      .filter((p) => allowed.includes(p.payload.procedureId))
      .map((p) => ({ id: p.id, score: naiveCosine(q, p.vector) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 8);
    const got = await store.query(q, 8, { procedureIds: allowed });
    expect(got.map((m) => m.id)).toEqual(expected.map((e) => e.id));
    expect(await store.query(q, 8, { procedureIds: [] })).toEqual([]);
  });

  it('replaces a point on re-upsert instead of adding a second row', async () => {
    const store = new InMemoryVectorStore();
    const payload = { passageId: 'a', procedureId: 'p', contentHash: 'old' };
    await store.upsert([{ id: 'a', vector: new Float32Array([1, 0]), payload }]);
    await store.upsert([{ id: 'a', vector: new Float32Array([0, 3]), payload: { ...payload, contentHash: 'new' } }]);
    expect(await store.count()).toBe(1);
    const [m] = await store.query(new Float32Array([0, 1]), 5);
    expect(m!.score).toBeCloseTo(1, 6);
    expect(await store.contentHashes(['a', 'missing'])).toEqual(new Map([['a', 'new']]));
  });

  it('refuses vectors of another dimension', async () => {
    const store = new InMemoryVectorStore();
    const payload = { passageId: 'a', procedureId: 'p', contentHash: '' };
    await store.upsert([{ id: 'a', vector: new Float32Array(4), payload }]);
    await expect(store.upsert([{ id: 'b', vector: new Float32Array(5), payload }])).rejects.toThrow(/dimensions/);
    await expect(store.query(new Float32Array(3), 1)).rejects.toThrow(/dimensions/);
  });

  it('does not mutate the caller’s vectors (it stores normalised copies)', async () => {
    const store = new InMemoryVectorStore();
    const v = new Float32Array([3, 4]);
    await store.upsert([{ id: 'a', vector: v, payload: { passageId: 'a', procedureId: 'p', contentHash: '' } }]);
    expect(Array.from(v)).toEqual([3, 4]);
  });
});
