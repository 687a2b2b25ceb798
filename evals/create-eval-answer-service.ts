import path from 'node:path';
import { GroundedComposer } from '../src/answer/grounded-composer.js';
import { ArrayCatalogueStore } from '../src/catalogue/array-catalogue-store.js';
import type { Procedure } from '../src/domain/procedure.js';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { createAnswerPipeline } from '../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../src/qa-log/sqlite-qa-log-store.js';
import { InMemorySessionStore } from '../src/sessions/in-memory-session-store.js';

const silent = { info() {}, warn() {}, error() {} };

/**
 * The answer service as `npm start` builds it without an LLM (the knowledge layer over the given
 * catalogue: overlays, online-only list, Center knowledge, starter records for missing codes;
 * lexical retrieval; grounded composer), with in-memory sessions and Q&A log, so evals and
 * benchmarks measure the real pipeline without touching DATA_DIR.
 */
export async function createEvalAnswerService(procedures: readonly Procedure[], knowledgeDir = path.resolve(import.meta.dirname, '../knowledge')) {
  const knowledge = await KnowledgeBase.load({ store: new ArrayCatalogueStore(procedures), knowledgeDir, log: silent, midnightReload: false });
  const grounded = new GroundedComposer();
  const sessions = new InMemorySessionStore();
  const qaLog = new SqliteQaLogStore(':memory:');
  const steps = createAnswerPipeline({
    procedures: knowledge.procedures,
    retriever: knowledge.retriever,
    composer: grounded,
    grounded,
    lexicon: knowledge.snapshot.lexicon,
    center: knowledge.snapshot.center,
    localNotices: (id, style, language) => knowledge.noticesFor(id, style, language),
    maxMessageChars: 2_000,
  });
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
    /** The records as served (with overlays), for scoring replies against what was cited. */
    procedures: knowledge.procedures,
    qaLog,
    errors,
    async close() {
      knowledge.close();
      await sessions.close();
      await qaLog.close();
    },
  };
}
