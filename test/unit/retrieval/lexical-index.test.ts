import { describe, expect, it } from 'vitest';
import { type FieldSpec, LexicalIndex, type ScoredDoc, type WeightedTerm } from '../../../src/retrieval/lexical-index.js';

type Doc = string[][];

function build(docs: readonly Doc[], fields: readonly FieldSpec[], k1?: number): LexicalIndex {
  return LexicalIndex.build(docs.length, (d) => docs[d]!, k1 === undefined ? { fields } : { fields, k1 });
}

const q = (...terms: Array<string | [string, number]>): WeightedTerm[] =>
  terms.map((t) => (typeof t === 'string' ? { term: t, weight: 1 } : { term: t[0], weight: t[1] }));

const ids = (hits: readonly ScoredDoc[]) => hits.map((h) => h.doc);

/** BM25F straight from the definition, in float64, independent of the index's data layout. */
function referenceScores(docs: readonly Doc[], fields: readonly FieldSpec[], query: readonly WeightedTerm[], k1 = 1.2): Map<number, number> {
  const n = docs.length;
  const avg = fields.map((_, f) => Math.max(1, docs.reduce((s, d) => s + (d[f]?.length ?? 0), 0) / Math.max(1, n)));
  const tfOf = (d: Doc, term: string) =>
    fields.reduce((sum, spec, f) => {
      const terms = d[f] ?? [];
      const count = terms.filter((t) => t === term).length;
      return count === 0 ? sum : sum + (count * spec.weight) / (1 - spec.b + (spec.b * terms.length) / avg[f]!);
    }, 0);
  const out = new Map<number, number>();
  for (const { term, weight } of query) {
    if (weight === 0) continue;
    const df = docs.filter((d) => d.some((f) => f.includes(term))).length;
    if (df === 0) continue;
    const idf = Math.max(0.05, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
    docs.forEach((d, i) => {
      const tf = tfOf(d, term);
      if (tf > 0) out.set(i, (out.get(i) ?? 0) + (weight * idf * tf * (k1 + 1)) / (tf + k1));
    });
  }
  return out;
}

/** Mulberry32: a small seeded PRNG so the random corpora are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONE_FIELD: FieldSpec[] = [{ name: 'text', weight: 1, b: 0.75 }];
const TWO_FIELDS: FieldSpec[] = [
  { name: 'title', weight: 3, b: 0.5 },
  { name: 'body', weight: 1, b: 0.75 },
];

describe('LexicalIndex.build and statistics', () => {
  const docs: Doc[] = [
    [['a', 'b', 'a'], ['c']],
    [['b'], ['b', 'd']],
    [[], ['e']],
    [['a'], []],
  ];
  const index = build(docs, TWO_FIELDS);

  it('counts documents and distinct terms', () => {
    expect(index.docCount).toBe(4);
    expect(index.termCount).toBe(5);
    expect(new Set(index.terms())).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
  });

  it('documentFrequency counts documents, not occurrences or fields', () => {
    expect(index.documentFrequency('a')).toBe(2);
    expect(index.documentFrequency('b')).toBe(2);
    expect(index.documentFrequency('c')).toBe(1);
    expect(index.documentFrequency('e')).toBe(1);
    expect(index.documentFrequency('zzz')).toBe(0);
  });

  it('idfOf follows the BM25 formula and is 0 for unknown terms', () => {
    expect(index.idfOf('a')).toBeCloseTo(Math.log(1 + 2.5 / 2.5), 6);
    expect(index.idfOf('c')).toBeCloseTo(Math.log(1 + 3.5 / 1.5), 6);
    expect(index.idfOf('zzz')).toBe(0);
    expect(index.idfOf('c')).toBeGreaterThan(index.idfOf('a'));
  });

  it('floors the idf of a term in every document at 0.05', () => {
    const all = build(
      Array.from({ length: 30 }, (_, i) => [['the', `w${i}`]]),
      ONE_FIELD,
    );
    expect(Math.log(1 + 0.5 / 30.5)).toBeLessThan(0.05);
    expect(all.idfOf('the')).toBeCloseTo(0.05, 6);
    expect(all.search(q('the'), 3).length).toBe(3);
    expect(all.search(q('the'), 3)[0]!.score).toBeGreaterThan(0);
  });

  it('handles an empty corpus and missing fields', () => {
    const empty = build([], TWO_FIELDS);
    expect(empty.docCount).toBe(0);
    expect(empty.termCount).toBe(0);
    expect(empty.search(q('a'), 5)).toEqual([]);
    const ragged = LexicalIndex.build(2, (d) => (d === 0 ? [['x']] : []), { fields: TWO_FIELDS });
    expect(ids(ragged.search(q('x'), 5))).toEqual([0]);
  });

  it('scores exactly as BM25F defines it', () => {
    const query = q('a', ['b', 0.5], 'c');
    const ref = referenceScores(docs, TWO_FIELDS, query);
    const hits = index.search(query, 10);
    expect(ids(hits).sort()).toEqual([...ref.keys()].sort());
    for (const h of hits) expect(h.score).toBeCloseTo(ref.get(h.doc)!, 5);
    // Spot check doc 0 by hand: avg title length 5/4 = 1.25, avg body length 4/4 = 1.
    const unitTitle0 = 3 / (1 - 0.5 + (0.5 * 3) / 1.25);
    const unitBody0 = 1 / (1 - 0.75 + (0.75 * 1) / 1);
    const sat = (tf: number) => (tf * 2.2) / (tf + 1.2);
    const expected0 =
      Math.log(2) * sat(2 * unitTitle0) + 0.5 * Math.log(2) * sat(unitTitle0) + Math.log(1 + 3.5 / 1.5) * sat(unitBody0);
    expect(hits.find((h) => h.doc === 0)!.score).toBeCloseTo(expected0, 5);
  });

  it('honours k1', () => {
    const corpus: Doc[] = [[['x', 'x', 'x', 'x']], [['x', 'y', 'z', 'w']], [['q']]];
    const spec: FieldSpec[] = [{ name: 't', weight: 1, b: 0 }];
    for (const k1 of [0.5, 1.2, 3]) {
      const ref = referenceScores(corpus, spec, q('x'), k1);
      const hits = build(corpus, spec, k1).search(q('x'), 5);
      for (const h of hits) expect(h.score).toBeCloseTo(ref.get(h.doc)!, 5);
    }
    // Lower k1 saturates sooner: the ratio between four and one occurrence shrinks.
    const ratio = (k1: number) => {
      const [a, b] = build(corpus, spec, k1).search(q('x'), 2);
      return a!.score / b!.score;
    };
    expect(ratio(0.5)).toBeLessThan(ratio(3));
  });
});

describe('BM25F ranking behaviour', () => {
  it('ranks a term in a heavier field higher', () => {
    const docs: Doc[] = [
      [['filler'], ['x']],
      [['x'], ['filler']],
      [['other'], ['other']],
    ];
    const hits = build(docs, TWO_FIELDS).search(q('x'), 5);
    expect(ids(hits)).toEqual([1, 0]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('gives a rarer term more weight', () => {
    const docs: Doc[] = [
      [['common', 'p']],
      [['rare', 'p']],
      [['common', 's']],
      [['common', 's']],
      [['common', 's']],
    ];
    const index = build(docs, ONE_FIELD);
    expect(index.idfOf('rare')).toBeGreaterThan(index.idfOf('common'));
    const hits = index.search(q('common', 'rare'), 2);
    expect(ids(hits)).toEqual([1, 0]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('prefers the shorter field for equal matches when b > 0, and ignores length when b = 0', () => {
    const docs: Doc[] = [[['x', 'y', 'z', 'w']], [['x']], [['v']]];
    const withB = build(docs, [{ name: 't', weight: 1, b: 0.75 }]).search(q('x'), 5);
    expect(ids(withB)).toEqual([1, 0]);
    expect(withB[0]!.score).toBeGreaterThan(withB[1]!.score);
    const noB = build(docs, [{ name: 't', weight: 1, b: 0 }]).search(q('x'), 5);
    expect(noB[0]!.score).toBe(noB[1]!.score);
    expect(ids(noB)).toEqual([0, 1]);
  });

  it('saturates term frequency', () => {
    const docs: Doc[] = [[['x']], [['x', 'x']], [['y', 'y']]];
    const index = build(docs, [{ name: 't', weight: 1, b: 0 }]);
    const [two, one] = index.search(q('x'), 2);
    expect(two!.doc).toBe(1);
    expect(one!.doc).toBe(0);
    expect(two!.score).toBeGreaterThan(one!.score);
    expect(two!.score).toBeLessThan(2 * one!.score);
  });

  it('scales scores linearly with the query weight', () => {
    const docs: Doc[] = [[['x', 'a']], [['y']], [['x']]];
    const index = build(docs, ONE_FIELD);
    const single = index.search(q('x'), 5);
    const double = index.search(q(['x', 2]), 5);
    expect(ids(double)).toEqual(ids(single));
    double.forEach((h, i) => expect(h.score).toBeCloseTo(2 * single[i]!.score, 6));
  });

  it('ignores terms with weight 0', () => {
    const docs: Doc[] = [[['x']], [['y']], [['x', 'y']]];
    const index = build(docs, ONE_FIELD);
    expect(index.search(q(['y', 0]), 5)).toEqual([]);
    expect(index.search(q('x', ['y', 0]), 5)).toEqual(index.search(q('x'), 5));
  });

  it('ignores unknown terms', () => {
    const docs: Doc[] = [[['x']], [['y']]];
    const index = build(docs, ONE_FIELD);
    expect(index.search(q('nope'), 5)).toEqual([]);
    expect(index.search(q('x', ['nope', 5]), 5)).toEqual(index.search(q('x'), 5));
    expect(index.search([], 5)).toEqual([]);
  });

  it('returns only documents that contain a query term, at most limit of them', () => {
    const docs: Doc[] = [[['x']], [['y']], [['x', 'z']], [['z']], [['x']]];
    const index = build(docs, ONE_FIELD);
    expect(ids(index.search(q('x'), 10)).sort()).toEqual([0, 2, 4]);
    expect(index.search(q('x'), 2)).toHaveLength(2);
    expect(index.search(q('x'), 0)).toEqual([]);
  });
});

describe('search filters and boosts', () => {
  const docs: Doc[] = Array.from({ length: 12 }, (_, i) => [Array.from({ length: 1 + (i % 4) }, () => 'x').concat(i % 3 === 0 ? ['y'] : [])]);
  const index = build(docs, ONE_FIELD);

  it('accept removes documents before ranking, so the limit is filled with accepted ones', () => {
    const even = (d: number) => d % 2 === 0;
    const all = index.search(q('x', 'y'), 12);
    const filtered = index.search(q('x', 'y'), 3, even);
    expect(filtered).toHaveLength(3);
    expect(filtered.every((h) => even(h.doc))).toBe(true);
    expect(filtered).toEqual(all.filter((h) => even(h.doc)).slice(0, 3));
  });

  it('accept may reject everything', () => {
    expect(index.search(q('x'), 5, () => false)).toEqual([]);
  });

  it('boost adjusts scores before ranking', () => {
    const boosted = index.search(q('x'), 1, undefined, (d, s) => (d === 11 ? s + 100 : s));
    expect(ids(boosted)).toEqual([11]);
    const plain = index.search(q('x'), 12).find((h) => h.doc === 11)!;
    expect(boosted[0]!.score).toBeCloseTo(plain.score + 100, 6);
  });
});

describe('ties and repeated searches', () => {
  it('breaks ties on the lower document number', () => {
    const same = build(
      Array.from({ length: 10 }, () => [['x']]),
      ONE_FIELD,
    );
    expect(ids(same.search(q('x'), 3))).toEqual([0, 1, 2]);
    expect(ids(same.search(q('x'), 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('breaks ties on the lower document number even when high documents are seen first', () => {
    // x in docs 0-4, y in docs 5-9: equal idf and lengths, so ten equal scores; y's postings
    // are visited first, so the heap sees 5..9 before 0..4.
    const docs: Doc[] = Array.from({ length: 10 }, (_, i) => [[i < 5 ? 'x' : 'y']]);
    const index = build(docs, ONE_FIELD);
    const hits = index.search(q('y', 'x'), 3);
    expect(ids(hits)).toEqual([0, 1, 2]);
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
  });

  it('interleaves tied documents with better ones correctly', () => {
    const docs: Doc[] = [[['x', 'pad', 'pad']], [['x']], [['x', 'pad', 'pad']], [['x']], [['x', 'pad', 'pad']]];
    expect(ids(build(docs, ONE_FIELD).search(q('x'), 4))).toEqual([1, 3, 0, 2]);
  });

  it('gives identical results when the same query is repeated, including after other queries', () => {
    const rand = prng(7);
    const docs: Doc[] = Array.from({ length: 200 }, () => [Array.from({ length: 1 + Math.floor(rand() * 8) }, () => `t${Math.floor(rand() * 20)}`)]);
    const index = build(docs, ONE_FIELD);
    const query = q('t1', ['t2', 0.5], 't3');
    const first = index.search(query, 15);
    expect(index.search(query, 15)).toEqual(first);
    index.search(q('t1', 't4', 't5'), 7);
    index.search(q('t2'), 3, (d) => d % 3 === 0);
    index.search(q('t3', 't6'), 0);
    expect(index.search(query, 15)).toEqual(first);
    // The scores still equal the reference after many queries (no leftovers in the reused buffers).
    const ref = referenceScores(docs, ONE_FIELD, query);
    for (const h of first) expect(h.score).toBeCloseTo(ref.get(h.doc)!, 5);
  });
});

describe('top-k against a brute-force full sort', () => {
  const VOCAB = Array.from({ length: 50 }, (_, i) => `w${i}`);
  const rand = prng(20240601);
  // Skewed word choice so document frequencies (and idf) vary widely.
  const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 2)]!;
  const words = (min: number, max: number) => Array.from({ length: min + Math.floor(rand() * (max - min + 1)) }, word);
  const docs: Doc[] = Array.from({ length: 500 }, () => [words(1, 6), words(0, 30)]);
  const fields: FieldSpec[] = [
    { name: 'title', weight: 4, b: 0.6 },
    { name: 'body', weight: 1, b: 0.75 },
  ];
  const index = build(docs, fields);
  const weights = [0.3, 1, 1.2, 0.7];
  const queries: WeightedTerm[][] = Array.from({ length: 12 }, () =>
    Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ({ term: word(), weight: weights[Math.floor(rand() * weights.length)]! })),
  );
  queries.push(q('w49', 'unknown-word'), q('w0'), q(['w3', 1], ['w3', 0.5]));

  /** Every candidate's raw score as the index computes it, captured through the boost hook. */
  function allScores(query: WeightedTerm[]): ScoredDoc[] {
    const seen: ScoredDoc[] = [];
    index.search(query, docs.length, undefined, (doc, score) => {
      seen.push({ doc, score });
      return score;
    });
    return seen;
  }

  const sortAll = (all: ScoredDoc[]) => [...all].sort((a, b) => b.score - a.score || a.doc - b.doc);

  it('covers many matching documents (sanity of the random corpus)', () => {
    expect(index.docCount).toBe(500);
    expect(index.termCount).toBe(50);
    for (const query of queries) expect(allScores(query).length).toBeGreaterThan(20);
  });

  it.each([1, 5, 20])('k = %i gives the same documents and scores as sorting every score', (k) => {
    for (const query of queries) {
      const top = index.search(query, k);
      const brute = sortAll(allScores(query)).slice(0, k);
      expect(top).toEqual(brute);
    }
  });

  it.each([1, 5, 20])('k = %i matches an independent float64 BM25F computation', (k) => {
    for (const query of queries) {
      const ref = referenceScores(docs, fields, query);
      const refSorted = sortAll([...ref].map(([doc, score]) => ({ doc, score })));
      const top = index.search(query, k);
      expect(top).toHaveLength(k);
      expect(ids(top)).toEqual(ids(refSorted.slice(0, k)));
      top.forEach((h, i) => expect(h.score).toBeCloseTo(refSorted[i]!.score, 4));
    }
  });

  it('with a filter equals the brute-force sort of accepted documents', () => {
    const accept = (d: number) => d % 7 !== 0 && d < 400;
    for (const query of queries) {
      const top = index.search(query, 10, accept);
      const brute = sortAll(allScores(query).filter((h) => accept(h.doc))).slice(0, 10);
      expect(top).toEqual(brute);
    }
  });
});
