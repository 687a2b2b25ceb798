import type { Hit, Retriever, SearchQuery } from './retriever.js';

/**
 * A retriever whose implementation is replaced when the knowledge is reloaded (new aliases, a
 * new lexicon, a new ingest), so the hybrid retriever and the routes keep one stable reference.
 * A search already running finishes on the index it started with.
 */
export class SwappableRetriever<R extends Retriever = Retriever> implements Retriever {
  constructor(private current: R) {}

  get inner(): R {
    return this.current;
  }

  replace(next: R): void {
    this.current = next;
  }

  search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]> {
    return this.current.search(query, options);
  }
}
