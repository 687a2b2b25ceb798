/** Filters a search can apply; values are matched without diacritics or case. */
export interface SearchFilter {
  /** e.g. "tinh", "Cấp tỉnh", "xa", "bo". */
  level?: string;
  /** Substring of the implementing agency or competent authority. */
  agency?: string;
}

export interface SearchQuery {
  text: string;
  limit: number;
  filter?: SearchFilter;
}

/** One ranked procedure. `score` is comparable only within one result list. */
export interface Hit {
  procedureId: string;
  score: number;
}

/** Finds procedures for a citizen's words. Lexical by default; hybrid when embeddings are configured. */
export interface Retriever {
  search(query: SearchQuery, options?: { signal?: AbortSignal }): Promise<Hit[]>;
}
