import path from 'node:path';
import { GroundedComposer } from '../src/answer/grounded-composer.js';
import type { Procedure } from '../src/domain/procedure.js';
import { createAnswerPipeline } from '../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../src/qa-log/sqlite-qa-log-store.js';
import { LexicalRetriever } from '../src/retrieval/lexical-retriever.js';
import { InMemorySessionStore } from '../src/sessions/in-memory-session-store.js';
import { loadLexicon } from '../src/text/lexicon.js';

/**
 * The answer service as `npm start` builds it without an LLM (lexical retrieval, grounded
 * composer), over the given catalogue, with in-memory sessions and Q&A log, so evals and
 * benchmarks measure the real pipeline without touching DATA_DIR.
 */
export async function createEvalAnswerService(procedures: readonly Procedure[]) {
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const lexicon = loadLexicon(path.resolve(import.meta.dirname, '../knowledge/lexicon.json'));
  const retriever = LexicalRetriever.build(procedures, lexicon);
  const grounded = new GroundedComposer();
  const sessions = new InMemorySessionStore();
  const qaLog = new SqliteQaLogStore(':memory:');
  const steps = createAnswerPipeline({ procedures: byId, retriever, composer: grounded, grounded, lexicon, maxMessageChars: 2_000 });
  const errors: unknown[] = [];
  const service = new AnswerService({
    steps,
    sessions,
    qaLog,
    log: { error: (obj) => void errors.push(obj) },
    turnTimeoutMs: 30_000,
  });
  return {
    handle: service.handle.bind(service),
    qaLog,
    errors,
    async close() {
      await sessions.close();
      await qaLog.close();
    },
  };
}
