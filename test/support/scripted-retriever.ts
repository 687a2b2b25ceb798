import type { Hit, Retriever, SearchQuery } from '../../src/retrieval/retriever.js';

/** A Retriever whose answer the test decides; records the queries it got. */
export class ScriptedRetriever implements Retriever {
  readonly queries: SearchQuery[] = [];
  constructor(private readonly answer: (q: SearchQuery, signal?: AbortSignal) => Promise<Hit[]> | Hit[]) {}
  async search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]> {
    this.queries.push(query);
    return this.answer(query, options?.signal);
  }
}

export function ranked(...ids: string[]): Hit[] {
  return ids.map((procedureId, i) => ({ procedureId, score: ids.length - i }));
}
