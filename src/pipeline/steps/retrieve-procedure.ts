import { CLARIFICATION_RULE, decideRetrieval } from '../../conversation/clarification-rule.js';
import { ProcedureNameVocabulary } from '../../conversation/procedure-name-vocabulary.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { Procedure } from '../../domain/procedure.js';
import type { Retriever } from '../../retrieval/retriever.js';
import { EMPTY_LEXICON, inCatalogueWords, type Lexicon } from '../../text/lexicon.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface RetrieveProcedureOptions {
  retriever: Retriever;
  procedures: ReadonlyMap<string, Procedure>;
  /** How many candidates to fetch (default 5). */
  k?: number;
  /** Override the measured thresholds (tests, evals). */
  rule?: typeof CLARIFICATION_RULE;
  /**
   * The retriever's lexicon, so that the decision judges the question in the catalogue's words
   * ("sổ đỏ" names no procedure; "giấy chứng nhận quyền sử dụng đất" does).
   */
  lexicon?: Lexicon;
}

/**
 * Finds the procedure a question is about when the context has not already resolved one: a
 * clear winner becomes `ctx.procedure`; close candidates or a generic question end the turn with
 * a numbered clarification; nothing relevant ends it with `unanswerable_no_content`.
 */
export function createRetrieveProcedureStep({ retriever, procedures, k = 5, rule = CLARIFICATION_RULE, lexicon = EMPTY_LEXICON }: RetrieveProcedureOptions): Step {
  const vocabulary = new ProcedureNameVocabulary(procedures.values());
  const nameOf = (id: string) => procedures.get(id)?.name;
  return {
    name: 'retrieve-procedure',
    async run(ctx: AnswerContext) {
      if (ctx.procedure) return;
      ctx.hits = await retriever.search({ text: ctx.topicText, limit: k }, { signal: ctx.signal });
      const decision = decideRetrieval(inCatalogueWords(ctx.topicText, lexicon), ctx.hits, nameOf, vocabulary, rule);
      ctx.trace.push(`retrieval:${decision.kind}`);
      if (decision.kind === 'winner') {
        ctx.procedure = procedures.get(decision.procedureId);
        return;
      }
      if (decision.kind === 'no_content') {
        ctx.abort({ status: 'unanswerable_no_content', text: cannedReply('no_content', ctx.language) });
        return;
      }
      ctx.options = decision.options;
      const list = decision.options.map((o, i) => `${i + 1}. ${o.name}`).join('\n');
      ctx.abort({ status: 'clarification', text: `${cannedReply('clarification', ctx.language)}\n${list}`, options: decision.options });
    },
  };
}
