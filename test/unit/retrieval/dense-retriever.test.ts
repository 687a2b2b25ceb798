import { describe, expect, it } from 'vitest';
import { DenseRetriever } from '../../../src/retrieval/dense-retriever.js';
import type { Embedder } from '../../../src/retrieval/embedder.js';
import { InMemoryVectorStore } from '../../../src/retrieval/in-memory-vector-store.js';
import { passageHash, procedurePassages, MAX_PASSAGE_CHARS } from '../../../src/retrieval/procedure-passages.js';
import { fakeEmbedding } from '../../support/fake-embeddings-server.js';
import { makeProcedure, procedureMap } from '../../support/procedures.js';

/** In-process embedder using the same function as the HTTP double (transport is tested elsewhere). */
const trigramEmbedder: Embedder & { calls: string[][] } = {
  id: 'trigram-test',
  dimensions: 256,
  calls: [],
  async embed(texts) {
    this.calls.push(texts);
    return texts.map((t) => fakeEmbedding(t));
  },
};

const catalogue = [
  makeProcedure({ id: '1.000001', name: 'Cấp giấy phép lái xe', field: 'Đường bộ', levels: ['Cấp tỉnh'], aliases: ['bằng lái', 'gplx'] }),
  makeProcedure({
    id: '1.000002',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    levels: ['Cấp xã'],
    documents: [{ name: 'Giấy chứng sinh' }, { name: 'Giấy chứng sinh' }, { name: 'Tờ khai đăng ký khai sinh' }],
  }),
  makeProcedure({ id: '1.000003', name: 'Đăng ký kết hôn', field: 'Hộ tịch', levels: ['Cấp xã'], conditions: 'Nam từ đủ 20 tuổi, nữ từ đủ 18 tuổi' }),
  makeProcedure({ id: '1.000004', name: 'Cấp hộ chiếu phổ thông', field: 'Xuất nhập cảnh', levels: ['Cấp tỉnh'] }),
];
const procedures = procedureMap(catalogue);

async function indexed(): Promise<InMemoryVectorStore> {
  const store = new InMemoryVectorStore();
  const passages = catalogue.flatMap(procedurePassages);
  const vectors = await trigramEmbedder.embed(passages.map((p) => p.text));
  await store.upsert(
    passages.map((p, i) => ({ id: p.id, vector: vectors[i]!, payload: { passageId: p.id, procedureId: p.procedureId, contentHash: passageHash('t', p.text) } })),
  );
  return store;
}

describe('procedurePassages', () => {
  it('gives a title passage and, when there is detail, a detail passage, each tagged with the procedure', () => {
    const [title, detail] = procedurePassages(catalogue[1]!);
    expect(title).toMatchObject({ id: '1.000002#title', procedureId: '1.000002', kind: 'title' });
    expect(title!.text).toContain('Đăng ký khai sinh');
    expect(title!.text).toContain('Hộ tịch');
    expect(detail).toMatchObject({ id: '1.000002#detail', procedureId: '1.000002', kind: 'detail' });
    // Repeated document names (case-grouped tables) appear once.
    expect(detail!.text.match(/Giấy chứng sinh/g)).toHaveLength(1);
    expect(procedurePassages(catalogue[0]!).map((p) => p.kind)).toEqual(['title']);
    expect(procedurePassages(catalogue[0]!)[0]!.text).toContain('gplx');
  });

  it('caps passage length so servers with a 512-token limit do not reject it', () => {
    const long = makeProcedure({ id: '1.000009', name: 'Thủ tục dài', conditions: 'điều kiện '.repeat(2000), description: 'mô tả '.repeat(2000) });
    for (const p of procedurePassages(long)) expect(p.text.length).toBeLessThanOrEqual(MAX_PASSAGE_CHARS + 1);
  });

  it('hash changes with the text and with the model', () => {
    expect(passageHash('m', 'a')).toBe(passageHash('m', 'a'));
    expect(passageHash('m', 'a')).not.toBe(passageHash('m', 'b'));
    expect(passageHash('m1', 'a')).not.toBe(passageHash('m2', 'a'));
  });
});

describe('DenseRetriever', () => {
  it('finds procedures by meaning-bearing words and gives one hit per procedure (its best passage)', async () => {
    const dense = new DenseRetriever({ embedder: trigramEmbedder, store: await indexed(), procedures });
    const hits = await dense.search({ text: 'lam bang lai xe', limit: 4 });
    expect(hits[0]!.procedureId).toBe('1.000001');
    expect(new Set(hits.map((h) => h.procedureId)).size).toBe(hits.length);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('scores a procedure by the max over its passages', async () => {
    const store = await indexed();
    const dense = new DenseRetriever({ embedder: trigramEmbedder, store, procedures });
    const q = 'giấy chứng sinh';
    const hits = await dense.search({ text: q, limit: 4 });
    const qv = fakeEmbedding(q);
    const passages = procedurePassages(catalogue[1]!);
    const best = Math.max(...passages.map((p) => fakeEmbedding(p.text).reduce((s, x, i) => s + x * qv[i]!, 0)));
    const hit = hits.find((h) => h.procedureId === '1.000002')!;
    expect(hit.score).toBeCloseTo(best, 5);
    expect(hits[0]!.procedureId).toBe('1.000002');
  });

  it('applies level/agency filters inside the store query', async () => {
    const dense = new DenseRetriever({ embedder: trigramEmbedder, store: await indexed(), procedures });
    const hits = await dense.search({ text: 'đăng ký khai sinh', limit: 10, filter: { level: 'tinh' } });
    expect(hits.map((h) => h.procedureId).sort()).toEqual(['1.000001', '1.000004']);
    trigramEmbedder.calls.length = 0;
    expect(await dense.search({ text: 'x', limit: 5, filter: { level: 'bo' } })).toEqual([]);
    expect(trigramEmbedder.calls).toHaveLength(0); // nothing can match: no embedding request spent
  });

  it('drops procedures that are no longer in the catalogue', async () => {
    const store = await indexed();
    const smaller = procedureMap(catalogue.filter((p) => p.id !== '1.000001'));
    const dense = new DenseRetriever({ embedder: trigramEmbedder, store, procedures: smaller });
    const hits = await dense.search({ text: 'bằng lái xe', limit: 4 });
    expect(hits.map((h) => h.procedureId)).not.toContain('1.000001');
  });
});
