import { describe, expect, it } from 'vitest';
import { HybridRetriever, reciprocalRankFusion } from '../../../src/retrieval/hybrid-retriever.js';
import type { RetrievalLog } from '../../../src/retrieval/retrieval-log.js';
import { makeProcedure, procedureMap } from '../../support/procedures.js';
import { ranked, ScriptedRetriever } from '../../support/scripted-retriever.js';

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) over the lists that contain each id', () => {
    const fused = reciprocalRankFusion(
      [
        { hits: ranked('a', 'b', 'c'), weight: 1 },
        { hits: ranked('c', 'a', 'd'), weight: 1 },
      ],
      60,
    );
    const score = Object.fromEntries(fused.map((h) => [h.procedureId, h.score]));
    expect(score.a).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(score.c).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(score.b).toBeCloseTo(1 / 62, 12);
    expect(score.d).toBeCloseTo(1 / 63, 12);
    // a (61,62) beats c (61,63); b at rank 2 beats d at rank 3.
    expect(fused.map((h) => h.procedureId)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('applies per-list weights', () => {
    const lists = [
      { hits: ranked('x', 'y'), weight: 1 },
      { hits: ranked('y', 'x'), weight: 3 },
    ];
    const fused = reciprocalRankFusion(lists, 60);
    expect(fused[0]).toEqual({ procedureId: 'y', score: 1 / 62 + 3 / 61 });
    expect(fused[1]!.score).toBeCloseTo(1 / 61 + 3 / 62, 12);
  });

  it('k controls how much the head dominates', () => {
    // k=1: rank 2 in both lists (1/3 + 1/3) beats rank 1 in one list (1/2).
    const lists = [
      { hits: ranked('solo', 'both'), weight: 1 },
      { hits: ranked('other', 'both'), weight: 1 },
    ];
    const k1 = reciprocalRankFusion(lists, 1);
    expect(k1[0]!.procedureId).toBe('both');
    expect(k1[0]!.score).toBeCloseTo(2 / 3, 12);
    // A zero-weight list adds nothing, so its opinion cannot reorder the other list.
    const zero = reciprocalRankFusion([{ hits: ranked('solo', 'both'), weight: 1 }, { hits: ranked('both'), weight: 0 }], 60);
    expect(zero.map((h) => h.procedureId)).toEqual(['solo', 'both']);
  });

  it('breaks exact ties by best rank, then by list order, deterministically', () => {
    const fused = reciprocalRankFusion([
      { hits: ranked('l1', 'l2'), weight: 1 },
      { hits: ranked('d1', 'd2'), weight: 1 },
    ]);
    expect(fused.map((h) => h.procedureId)).toEqual(['l1', 'd1', 'l2', 'd2']);
  });

  it('counts a duplicate within one list once', () => {
    const fused = reciprocalRankFusion([{ hits: [...ranked('a'), ...ranked('a', 'b')], weight: 1 }]);
    expect(fused).toEqual([
      { procedureId: 'a', score: 1 / 61 },
      { procedureId: 'b', score: 1 / 62 },
    ]);
  });
});

const procedures = procedureMap([
  makeProcedure({ id: '1.000001', name: 'Cấp giấy phép lái xe', levels: ['Cấp tỉnh'], agency: 'Sở Giao thông vận tải' }),
  makeProcedure({ id: '1.000002', name: 'Đăng ký khai sinh', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã' }),
  makeProcedure({ id: '1.000003', name: 'Đăng ký kết hôn', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã' }),
  makeProcedure({ id: '1.000004', name: 'Cấp hộ chiếu', levels: ['Cấp bộ', 'Cấp tỉnh'], agency: 'Cục Quản lý xuất nhập cảnh' }),
]);

function recordingLog(): RetrievalLog & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return { warns, infos, warn: (_o, m) => void warns.push(m ?? ''), info: (_o, m) => void infos.push(m ?? '') };
}

describe('HybridRetriever', () => {
  const lexical = new ScriptedRetriever(() => ranked('1.000001', '1.000002', '1.000003'));

  it('fuses both sides with RRF when the dense side answers', async () => {
    const dense = new ScriptedRetriever(() => ranked('1.000003', '1.000004'));
    const h = new HybridRetriever({ lexical, dense, procedures, log: recordingLog() });
    const hits = await h.search({ text: 'x', limit: 3 });
    // 3: 1/63+1/61; 1: 1/61+0; then 2 (lexical rank 2) ties 4 (dense rank 2) at 1/62: the lexical list wins ties.
    expect(hits.map((x) => x.procedureId)).toEqual(['1.000003', '1.000001', '1.000002']);
    expect(hits[0]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
  });

  it('asks each side for at least `candidates` results, then cuts to limit', async () => {
    const lex = new ScriptedRetriever(() => ranked('1.000001'));
    const dense = new ScriptedRetriever(() => ranked('1.000002'));
    const h = new HybridRetriever({ lexical: lex, dense, procedures, candidates: 40, log: recordingLog() });
    expect(await h.search({ text: 'x', limit: 1 })).toHaveLength(1);
    expect(lex.queries[0]!.limit).toBe(40);
    expect(dense.queries[0]!.limit).toBe(40);
  });

  it('returns the lexical ranking when the dense side throws, warns once, and skips dense during the cooldown', async () => {
    let now = 1_000;
    let calls = 0;
    const dense = new ScriptedRetriever(() => {
      calls++;
      throw new Error('embeddings endpoint http://127.0.0.1:9/v1 failed: Connection error.');
    });
    const log = recordingLog();
    const h = new HybridRetriever({ lexical, dense, procedures, log, denseCooldownMs: 10_000, now: () => now });
    const expected = ['1.000001', '1.000002', '1.000003'];
    expect((await h.search({ text: 'x', limit: 5 })).map((x) => x.procedureId)).toEqual(expected);
    expect((await h.search({ text: 'x', limit: 5 })).map((x) => x.procedureId)).toEqual(expected);
    expect(calls).toBe(1); // second call fell in the cooldown
    now += 10_001;
    await h.search({ text: 'x', limit: 5 });
    expect(calls).toBe(2);
    expect(log.warns).toHaveLength(1); // still the same outage
  });

  it('logs recovery and fuses again after the dense side comes back', async () => {
    let now = 0;
    let fail = true;
    const dense = new ScriptedRetriever(() => {
      if (fail) throw new Error('down');
      return ranked('1.000004');
    });
    const log = recordingLog();
    const h = new HybridRetriever({ lexical, dense, procedures, log, denseCooldownMs: 5, now: () => now });
    await h.search({ text: 'x', limit: 5 });
    fail = false;
    now = 10;
    const hits = await h.search({ text: 'x', limit: 5 });
    expect(hits.map((x) => x.procedureId)).toContain('1.000004');
    expect(log.infos).toHaveLength(1);
  });

  it('does not wait for a dense side that ignores its timeout and abort signal', async () => {
    const dense = new ScriptedRetriever(() => new Promise(() => {}));
    const log = recordingLog();
    const h = new HybridRetriever({ lexical, dense, procedures, log, denseTimeoutMs: 30 });
    const hits = await h.search({ text: 'x', limit: 2 });
    expect(hits.map((x) => x.procedureId)).toEqual(['1.000001', '1.000002']);
    expect(log.warns[0]).toMatch(/lexical retrieval alone/);
  });

  it('aborts a dense side that honours the signal when the timeout passes', async () => {
    let aborted = false;
    const dense = new ScriptedRetriever(
      (_q, signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    );
    const h = new HybridRetriever({ lexical, dense, procedures, log: recordingLog(), denseTimeoutMs: 20 });
    await h.search({ text: 'x', limit: 2 });
    expect(aborted).toBe(true);
  });

  it('does not consult the dense side until it is ready', async () => {
    let ready = false;
    const dense = new ScriptedRetriever(() => ranked('1.000004'));
    const h = new HybridRetriever({ lexical, dense, procedures, log: recordingLog(), denseReady: () => ready });
    expect((await h.search({ text: 'x', limit: 5 })).map((x) => x.procedureId)).not.toContain('1.000004');
    expect(dense.queries).toHaveLength(0);
    ready = true;
    expect((await h.search({ text: 'x', limit: 5 })).map((x) => x.procedureId)).toContain('1.000004');
  });

  it('applies the filter to both sides and drops ids the catalogue does not hold', async () => {
    // Both scripted sides ignore the filter on purpose: the hybrid must still honour it.
    const lex = new ScriptedRetriever(() => ranked('1.000001', '1.000002', '9.999999'));
    const dense = new ScriptedRetriever(() => ranked('1.000004', '1.000003', '9.999998'));
    const h = new HybridRetriever({ lexical: lex, dense, procedures, log: recordingLog() });
    const tinh = await h.search({ text: 'x', limit: 10, filter: { level: 'tinh' } });
    expect(tinh.map((x) => x.procedureId).sort()).toEqual(['1.000001', '1.000004']);
    expect(lex.queries[0]!.filter).toEqual({ level: 'tinh' }); // passed through for sides that can use it
    const all = await h.search({ text: 'x', limit: 10 });
    expect(all.map((x) => x.procedureId)).not.toContain('9.999999');
    expect(all.map((x) => x.procedureId)).not.toContain('9.999998');
  });

  it('works lexical-only when no dense side is configured', async () => {
    const h = new HybridRetriever({ lexical, dense: null, procedures, log: recordingLog() });
    expect((await h.search({ text: 'x', limit: 2 })).map((x) => x.procedureId)).toEqual(['1.000001', '1.000002']);
  });

  it('rejects when the caller aborts', async () => {
    const controller = new AbortController();
    const lex = new ScriptedRetriever(() => {
      controller.abort();
      return ranked('1.000001');
    });
    const h = new HybridRetriever({ lexical: lex, dense: new ScriptedRetriever(() => ranked('1.000002')), procedures, log: recordingLog() });
    await expect(h.search({ text: 'x', limit: 2 }, { signal: controller.signal })).rejects.toThrow();
  });
});
