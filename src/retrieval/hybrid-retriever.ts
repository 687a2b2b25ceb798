import type { Procedure } from '../domain/procedure.js';
import type { Hit, Retriever, SearchFilter, SearchQuery } from './retriever.js';
import { consoleRetrievalLog, type RetrievalLog } from './retrieval-log.js';
import { matchesFilter as defaultMatchesFilter } from './search-filter.js';

export interface RankedList {
  hits: readonly Hit[];
  weight: number;
}

/** RRF constant from Cormack et al. (2009); damps the head so one list's #1 cannot drown the other list. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: score(d) = Σ weight / (k + rank), rank 1-based, a list that misses d adds 0.
 * Uses ranks only, because lexical and cosine scores live on unrelated scales.
 * Ties go to the better single rank, then to the earlier list, then to the id, so output is deterministic.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k: number = RRF_K): Hit[] {
  const acc = new Map<string, { score: number; bestRank: number; firstList: number }>();
  lists.forEach(({ hits, weight }, listIndex) => {
    const seen = new Set<string>();
    let rank = 0;
    for (const hit of hits) {
      // A duplicate within one list counts once, at its best rank.
      if (seen.has(hit.procedureId)) continue;
      seen.add(hit.procedureId);
      rank++;
      const add = weight / (k + rank);
      const cur = acc.get(hit.procedureId);
      if (cur) {
        cur.score += add;
        cur.bestRank = Math.min(cur.bestRank, rank);
      } else {
        acc.set(hit.procedureId, { score: add, bestRank: rank, firstList: listIndex });
      }
    }
  });
  return [...acc]
    .sort(
      ([ida, a], [idb, b]) =>
        b.score - a.score || a.bestRank - b.bestRank || a.firstList - b.firstList || (ida < idb ? -1 : ida > idb ? 1 : 0),
    )
    .map(([procedureId, { score }]) => ({ procedureId, score }));
}

export interface HybridRetrieverOptions {
  lexical: Retriever;
  /** Dense side; `null` means lexical only (embeddings not configured). */
  dense: Retriever | null;
  /** Every procedure the catalogue holds; dense hits outside it are dropped and filters are checked here. */
  procedures: ReadonlyMap<string, Procedure>;
  matchesFilter?: (procedure: Procedure, filter: SearchFilter | undefined) => boolean;
  /** False while the dense index is still being built: a half-built index would favour what it already holds. */
  denseReady?: () => boolean;
  weights?: { lexical?: number; dense?: number };
  k?: number;
  /** The dense side gets this long (ms, embedding the question included) before the lexical answer is used alone. */
  denseTimeoutMs?: number;
  /** After a dense failure, skip the dense side this long (ms) so a dead endpoint does not cost every question a timeout. */
  denseCooldownMs?: number;
  /** How deep each side's ranking goes before fusion (at least `limit`). */
  candidates?: number;
  log?: RetrievalLog;
  now?: () => number;
}

/**
 * Lexical + dense retrieval fused with weighted reciprocal rank fusion.
 * The lexical side is the floor: whatever happens to the dense side (not configured, still indexing,
 * endpoint dead, slow, wrong answer shape), search answers with the lexical ranking.
 */
export class HybridRetriever implements Retriever {
  private readonly lexicalWeight: number;
  private readonly denseWeight: number;
  private readonly k: number;
  private readonly denseTimeoutMs: number;
  private readonly denseCooldownMs: number;
  private readonly candidates: number;
  private readonly matches: (procedure: Procedure, filter: SearchFilter | undefined) => boolean;
  private readonly log: RetrievalLog;
  private readonly now: () => number;
  private denseFailing = false;
  private skipDenseUntil = 0;

  constructor(private readonly options: HybridRetrieverOptions) {
    this.lexicalWeight = options.weights?.lexical ?? 1;
    this.denseWeight = options.weights?.dense ?? 1;
    this.k = options.k ?? RRF_K;
    this.denseTimeoutMs = options.denseTimeoutMs ?? 2_000;
    this.denseCooldownMs = options.denseCooldownMs ?? 30_000;
    this.candidates = options.candidates ?? 50;
    this.matches = options.matchesFilter ?? defaultMatchesFilter;
    this.log = options.log ?? consoleRetrievalLog;
    this.now = options.now ?? Date.now;
  }

  async search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]> {
    if (query.limit <= 0) return [];
    const depth = Math.max(query.limit, this.candidates);
    const inner: SearchQuery = { ...query, limit: depth };
    const useDense = this.options.dense !== null && (this.options.denseReady?.() ?? true) && this.now() >= this.skipDenseUntil;
    const densePromise = useDense ? this.denseHits(inner, options?.signal) : Promise.resolve(null);
    const lexical = this.keep(await this.options.lexical.search(inner, options), query.filter);
    const dense = await densePromise;
    options?.signal?.throwIfAborted();
    if (dense === null) return lexical.slice(0, query.limit);
    return reciprocalRankFusion(
      [
        { hits: lexical, weight: this.lexicalWeight },
        { hits: this.keep(dense, query.filter), weight: this.denseWeight },
      ],
      this.k,
    ).slice(0, query.limit);
  }

  /** Filter both sides here too: the contract must hold even if one side ignores `filter`. */
  private keep(hits: readonly Hit[], filter: SearchFilter | undefined): Hit[] {
    return hits.filter((h) => {
      const p = this.options.procedures.get(h.procedureId);
      return p !== undefined && this.matches(p, filter);
    });
  }

  /** Dense hits, or null when the dense side failed or was too slow (never throws). */
  private async denseHits(query: SearchQuery, outer: AbortSignal | undefined): Promise<Hit[] | null> {
    const timeout = AbortSignal.timeout(this.denseTimeoutMs);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    let timer: NodeJS.Timeout | undefined;
    try {
      // Race as well as abort: an implementation that ignores its signal must not hold the answer hostage.
      const hits = await Promise.race([
        this.options.dense!.search(query, { signal }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`dense retrieval took longer than ${this.denseTimeoutMs} ms`)), this.denseTimeoutMs);
        }),
      ]);
      if (this.denseFailing) {
        this.denseFailing = false;
        this.log.info({}, 'dense retrieval recovered; hybrid ranking resumed');
      }
      return hits;
    } catch (err) {
      if (outer?.aborted) return null;
      this.skipDenseUntil = this.now() + this.denseCooldownMs;
      // Warn on the transition only: one line per outage, not one per question.
      if (!this.denseFailing) {
        this.denseFailing = true;
        this.log.warn(
          { err: err instanceof Error ? err.message : String(err), retryInMs: this.denseCooldownMs },
          'dense retrieval failed; answering from lexical retrieval alone',
        );
      }
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
