import type { Hit, Retriever, SearchQuery } from '../../src/retrieval/retriever.js';

/** A Retriever whose answer the test decides; records the queries it got. */
export class ScriptedRetriever implements Retriever {
  readonly queries: SearchQuery[] = [];
  constructor(private readonly answer: (q: SearchQuery, signal?: AbortSignal) => Promise<Hit[]> | Hit[]) {}
  async search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]> {
    this.queries.push(query);
    // Honour `limit` as every real retriever must, so callers' slicing is not what makes a test pass.
    return (await this.answer(query, options?.signal)).slice(0, query.limit);
  }
}

export function ranked(...ids: string[]): Hit[] {
  return ids.map((procedureId, i) => ({ procedureId, score: ids.length - i }));
}
