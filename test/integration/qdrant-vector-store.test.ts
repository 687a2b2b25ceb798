import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHybridRetriever } from '../../src/retrieval/create-hybrid-retriever.js';
import { procedurePassages } from '../../src/retrieval/procedure-passages.js';
import { pointIdFor, QdrantVectorStore, uuidV5 } from '../../src/retrieval/qdrant-vector-store.js';
import type { RetrievalLog } from '../../src/retrieval/retrieval-log.js';
import type { VectorPoint } from '../../src/retrieval/vector-store.js';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../support/fake-embeddings-server.js';
import { startFakeQdrantServer, type FakeQdrantServer } from '../support/fake-qdrant-server.js';
import { makeProcedure, procedureMap } from '../support/procedures.js';
import { ranked, ScriptedRetriever } from '../support/scripted-retriever.js';

// QdrantVectorStore through the real @qdrant/js-client-rest, against a double of the documented REST API
// (test/support/fake-qdrant-server.ts) — not a real Qdrant, which cannot run on this machine.

let qdrant: FakeQdrantServer;
beforeAll(async () => {
  qdrant = await startFakeQdrantServer({ apiKey: 'qdrant-key' });
});
afterAll(async () => qdrant.close());

function point(id: string, procedureId: string, vector: number[], contentHash = 'h'): VectorPoint {
  return { id, vector: new Float32Array(vector), payload: { passageId: id, procedureId, contentHash } };
}

function store(collection: string): QdrantVectorStore {
  return new QdrantVectorStore({ url: qdrant.url, apiKey: 'qdrant-key', collection, batchSize: 2 });
}

describe('uuidV5', () => {
  it('matches the RFC 4122 name-based (SHA-1) algorithm', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(pointIdFor('1.001193#title')).toBe(pointIdFor('1.001193#title'));
    expect(pointIdFor('1.001193#title')).not.toBe(pointIdFor('1.001193#detail'));
  });
});

describe('QdrantVectorStore', () => {
  it('creates a cosine collection of the vector size on first upsert, in batches, with UUID ids and the api-key', async () => {
    qdrant.requests.length = 0;
    const s = store('c1');
    expect(await s.count()).toBe(0);
    await s.upsert([point('a#title', 'a', [1, 0, 0]), point('b#title', 'b', [0, 1, 0]), point('c#title', 'c', [0, 0, 2])]);
    const col = qdrant.collections.get('c1')!;
    expect(col).toMatchObject({ size: 3, distance: 'Cosine' });
    expect(col.indexes).toHaveProperty('procedureId');
    const upserts = qdrant.requests.filter((r) => r.method === 'PUT' && r.path === '/collections/c1/points');
    expect(upserts.map((r) => (r.body as { points: unknown[] }).points.length)).toEqual([2, 1]);
    expect(upserts[0]!.query).toContain('wait=true');
    const first = (upserts[0]!.body as { points: { id: string; payload: Record<string, unknown> }[] }).points[0]!;
    expect(first.id).toBe(pointIdFor('a#title'));
    expect(first.payload).toEqual({ passageId: 'a#title', procedureId: 'a', contentHash: 'h' });
    expect(qdrant.requests.every((r) => r.apiKey === 'qdrant-key')).toBe(true);
    expect(await s.count()).toBe(3);
  });

  it('queries by cosine, maps points back to passages and honours the procedure filter', async () => {
    const s = store('c2');
    await s.upsert([
      point('a#title', 'a', [1, 0, 0]),
      point('a#detail', 'a', [0.9, 0.1, 0]),
      point('b#title', 'b', [0.5, 0.5, 0]),
      point('c#title', 'c', [0, 0, 1]),
    ]);
    const hits = await s.query(new Float32Array([2, 0, 0]), 3);
    expect(hits.map((h) => h.id)).toEqual(['a#title', 'a#detail', 'b#title']);
    expect(hits[0]!.score).toBeCloseTo(1, 6);
    expect(hits[2]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(hits[1]!.payload).toEqual({ passageId: 'a#detail', procedureId: 'a', contentHash: 'h' });
    const onlyC = await s.query(new Float32Array([1, 0, 0]), 3, { procedureIds: ['c'] });
    expect(onlyC.map((h) => h.id)).toEqual(['c#title']);
    const req = qdrant.requests.filter((r) => r.path === '/collections/c2/points/query').at(-1)!;
    expect(req.body).toMatchObject({ filter: { must: [{ key: 'procedureId', match: { any: ['c'] } }] } });
    expect(await s.query(new Float32Array([1, 0, 0]), 3, { procedureIds: [] })).toEqual([]);
  });

  it('reads stored content hashes so unchanged passages are skipped, and overwrites on re-upsert', async () => {
    const s = store('c3');
    expect(await s.contentHashes(['x#title'])).toEqual(new Map()); // no collection yet: nothing stored
    await s.upsert([point('x#title', 'x', [1, 1], 'old'), point('y#title', 'y', [1, -1], 'h-y')]);
    await s.upsert([point('x#title', 'x', [1, 2], 'new')]);
    expect(await s.count()).toBe(2);
    expect(await s.contentHashes(['x#title', 'y#title', 'z#title'])).toEqual(
      new Map([
        ['x#title', 'new'],
        ['y#title', 'h-y'],
      ]),
    );
  });

  it('refuses a collection whose vector size does not match the embedder', async () => {
    await store('c4').upsert([point('a', 'a', [1, 0, 0, 0])]);
    await expect(store('c4').upsert([point('a', 'a', [1, 0])])).rejects.toThrow(/holds 4-dimension vectors but the embedding model gives 2/);
  });

  it('reports an unreachable or failing Qdrant with its URL', async () => {
    qdrant.unavailable = true;
    try {
      const err = (await store('c5').count().catch((e: unknown) => e)) as Error;
      expect(err.message).toContain(qdrant.url);
      expect(err.message).toContain('c5');
      expect(err.message).not.toContain('qdrant-key');
    } finally {
      qdrant.unavailable = false;
    }
  });
});

describe('createHybridRetriever with QDRANT_URL', () => {
  let embeddings: FakeEmbeddingsServer;
  beforeAll(async () => {
    embeddings = await startFakeEmbeddingsServer();
  });
  afterAll(async () => embeddings.close());

  const log: RetrievalLog = { info: () => {}, warn: () => {} };
  const catalogue = [
    makeProcedure({ id: '1.000001', name: 'Cấp đổi giấy phép lái xe', aliases: ['đổi bằng lái'], levels: ['Cấp tỉnh'] }),
    makeProcedure({ id: '1.000002', name: 'Đăng ký khai sinh', levels: ['Cấp xã'], documents: [{ name: 'Giấy chứng sinh' }] }),
    makeProcedure({ id: '1.000003', name: 'Đăng ký kết hôn', levels: ['Cấp xã'] }),
  ];
  const lexical = new ScriptedRetriever(() => ranked('1.000003'));

  it('indexes into Qdrant, then a restart re-embeds nothing because the payload hashes match', async () => {
    const config = { EMBEDDINGS_BASE_URL: embeddings.baseURL, QDRANT_URL: qdrant.url, QDRANT_API_KEY: 'qdrant-key', QDRANT_COLLECTION: 'procedures-test' };
    const passages = catalogue.flatMap(procedurePassages).length;
    const first = createHybridRetriever({ lexical, procedures: procedureMap(catalogue), config, log, retryDelayMs: 0 });
    expect(await first.indexing).toMatchObject({ status: 'ready', passages, embedded: passages, unchanged: 0 });
    expect(qdrant.collections.get('procedures-test')!.points.size).toBe(passages);
    const hits = await first.search({ text: 'đổi bằng lái xe', limit: 2 });
    expect(hits.map((h) => h.procedureId)).toContain('1.000001');
    await first.close();

    embeddings.requests.length = 0;
    const second = createHybridRetriever({ lexical, procedures: procedureMap(catalogue), config, log, retryDelayMs: 0 });
    expect(await second.indexing).toMatchObject({ status: 'ready', embedded: 0, unchanged: passages });
    expect(embeddings.requests).toHaveLength(0);
    await second.close();
  });
});
