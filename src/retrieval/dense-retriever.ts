import type { Procedure } from '../domain/procedure.js';
import type { Embedder } from './embedder.js';
import type { Hit, Retriever, SearchQuery } from './retriever.js';
import { isActiveFilter, matchesFilter } from './search-filter.js';
import type { VectorStore } from './vector-store.js';

export interface DenseRetrieverOptions {
  /** Embeds the question; must be the same model that embedded the passages. */
  embedder: Embedder;
  store: VectorStore;
  /** Needed to turn a level/agency filter into the procedure ids the store may return. */
  procedures?: ReadonlyMap<string, Procedure>;
  /** Passages per procedure upper bound; the store is asked for limit × this so max-aggregation still fills `limit`. */
  passagesPerProcedure?: number;
}

/**
 * Semantic retrieval: nearest passages to the question, one score per procedure (its best passage).
 * Max, not sum, so a procedure with many passages does not outrank a precise single match.
 */
export class DenseRetriever implements Retriever {
  private readonly fanOut: number;

  constructor(private readonly options: DenseRetrieverOptions) {
    this.fanOut = Math.max(1, options.passagesPerProcedure ?? 2);
  }

  async search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]> {
    const text = query.text.normalize('NFC').trim();
    if (text === '' || query.limit <= 0) return [];
    let procedureIds: string[] | undefined;
    if (isActiveFilter(query.filter)) {
      const procedures = this.options.procedures;
      if (!procedures) throw new Error('DenseRetriever cannot apply a filter without the procedures map');
      procedureIds = [];
      for (const p of procedures.values()) if (matchesFilter(p, query.filter)) procedureIds.push(p.id);
      if (procedureIds.length === 0) return [];
    }
    const [vector] = await this.options.embedder.embed([text], { signal: options?.signal });
    options?.signal?.throwIfAborted();
    if (!vector) throw new Error('embedder returned no vector for the question');
    const matches = await this.options.store.query(
      vector,
      query.limit * this.fanOut,
      procedureIds ? { procedureIds } : undefined,
    );
    const best = new Map<string, number>();
    for (const m of matches) {
      const id = m.payload.procedureId;
      // A store may outlive catalogue edits (Qdrant); never return a procedure the catalogue no longer has.
      if (this.options.procedures && !this.options.procedures.has(id)) continue;
      const prev = best.get(id);
      if (prev === undefined || m.score > prev) best.set(id, m.score);
    }
    return [...best]
      .map(([procedureId, score]) => ({ procedureId, score }))
      .sort((a, b) => b.score - a.score || (a.procedureId < b.procedureId ? -1 : 1))
      .slice(0, query.limit);
  }
}
