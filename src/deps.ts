import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { CatalogueStore } from './catalogue/catalogue-store.js';
import { openCatalogueStore } from './catalogue/sqlite-catalogue-store.js';
import type { Procedure } from './domain/procedure.js';
import { createLogger, type Logger } from './http/logger.js';
import { loadStarterProcedures, type SkippedStarterFile } from './knowledge/load-starter-procedures.js';
import { createHybridRetriever, type DenseStatus } from './retrieval/create-hybrid-retriever.js';
import { LexicalRetriever } from './retrieval/lexical-retriever.js';
import type { Retriever } from './retrieval/retriever.js';
import { EMPTY_LEXICON, loadLexicon, type Lexicon } from './text/lexicon.js';
import type { AnswerComposer } from './answer/answer-composer.js';
import { GroundedComposer } from './answer/grounded-composer.js';
import { LlmComposer } from './answer/llm-composer.js';
import { loadPromptLibrary } from './answer/prompt-library.js';
import type { SessionStore } from './domain/conversation.js';
import { SessionRateLimiter } from './http/session-rate-limiter.js';
import { createChatModel } from './llm/create-chat-model.js';
import { createAnswerPipeline } from './pipeline/answer-pipeline.js';
import { AnswerService } from './pipeline/answer-service.js';
import type { QaLogStore } from './qa-log/qa-log-store.js';
import { SqliteQaLogStore } from './qa-log/sqlite-qa-log-store.js';
import { SqliteSessionStore } from './sessions/sqlite-session-store.js';

/** Everything the HTTP app, the CLI and the entry point need, built once from the Config. */
export interface Deps {
  config: Config;
  log: Logger;
  catalogue: CatalogueStore;
  /** Every servable procedure by official code: the store's records plus starter records it lacks. */
  procedures: ReadonlyMap<string, Procedure>;
  retriever: Retriever;
  /** One citizen message end to end: session, answer pipeline, Q&A log. */
  answers: AnswerService;
  /** Which composer writes answers: 'grounded', or 'llm:<model>' with grounded as the fallback. */
  composerId: string;
  sessions: SessionStore;
  qaLog: QaLogStore;
  sessionLimiter: SessionRateLimiter;
  /** Which retriever is serving, for logs and /ready. */
  retrieverKind: 'lexical' | 'hybrid';
  /** State of the dense side: `disabled` without embeddings; while `indexing`, search is lexical. */
  denseStatus(): DenseStatus;
  counts: { fromStore: number; fromStarter: number };
  skippedStarterFiles: readonly SkippedStarterFile[];
  /** True while the catalogue and index are loaded and not shut down. */
  isReady(): boolean;
  close(): Promise<void>;
}

export interface CreateDepsOptions {
  /** Defaults to a new pino logger at `config.LOG_LEVEL` on stdout. */
  log?: Logger;
}

/** The SQLite catalogue file's directory; created so a fresh clone starts without setup. */
export function catalogueDir(config: Config): string {
  return path.resolve(config.DATA_DIR);
}

export async function createDeps(config: Config, options: CreateDepsOptions = {}): Promise<Deps> {
  const log = options.log ?? createLogger(config);
  const dataDir = catalogueDir(config);
  mkdirSync(dataDir, { recursive: true });
  const catalogue: CatalogueStore = openCatalogueStore(dataDir);
  // Everything opened so far, closed in reverse if start-up fails half way.
  const opened: Array<{ close(): Promise<void> }> = [catalogue];

  try {
    const procedures = new Map<string, Procedure>();
    for await (const p of catalogue.all()) procedures.set(p.id, p);
    const fromStore = procedures.size;

    // Official records win: a starter record only fills a code the ingested catalogue lacks,
    // because the team's summaries are a stop-gap, not a source of truth.
    const knowledgeDir = path.resolve(config.KNOWLEDGE_DIR);
    const starter = loadStarterProcedures(knowledgeDir, log);
    let fromStarter = 0;
    for (const p of starter.procedures) {
      if (procedures.has(p.id)) continue;
      procedures.set(p.id, p);
      fromStarter++;
    }

    const lexicon = readLexicon(path.join(knowledgeDir, 'lexicon.json'), log);
    const lexical = LexicalRetriever.build(procedures.values(), lexicon);

    // ── Hybrid retrieval hook ──────────────────────────────────────────────────────────────
    // The single place where dense retrieval joins. With EMBEDDINGS_BASE_URL set, the hybrid
    // retriever wraps `lexical`, builds the vector index in the background and fuses both
    // rankings; lexical stays the floor, so start-up never waits for (or fails on) embeddings.
    // Without it, the handle is a pass-through to `lexical`.
    const hybrid = createHybridRetriever({ lexical, procedures, config: { ...config, DATA_DIR: dataDir }, log });
    opened.push(hybrid);
    const retriever: Retriever = hybrid;
    const retrieverKind: Deps['retrieverKind'] = config.EMBEDDINGS_BASE_URL ? 'hybrid' : 'lexical';
    // ───────────────────────────────────────────────────────────────────────────────────────

    // ── Answers ───────────────────────────────────────────────────────────────────────────
    // The grounded composer always exists: it is the answer without an LLM and the fallback
    // whenever the LLM fails or its answer does not pass the check against the record.
    const grounded = new GroundedComposer();
    const chatModel = createChatModel(config);
    const composer: AnswerComposer = chatModel ? new LlmComposer({ model: chatModel, prompts: await loadPromptLibrary() }) : grounded;
    const sessions = new SqliteSessionStore({ dataDir }, { ttlMs: config.SESSION_TTL_MINUTES * 60_000 });
    opened.push(sessions);
    const qaLog = new SqliteQaLogStore({ dataDir });
    opened.push(qaLog);
    const steps = createAnswerPipeline({ procedures, retriever, composer, grounded, lexicon, maxMessageChars: config.MAX_MESSAGE_CHARS });
    const answers = new AnswerService({ steps, sessions, qaLog, log, turnTimeoutMs: config.TURN_TIMEOUT_MS });
    // ───────────────────────────────────────────────────────────────────────────────────────

    let closed = false;
    const lexicalSize = lexical.size;
    return {
      config,
      log,
      catalogue,
      procedures,
      retriever,
      answers,
      composerId: composer.id,
      sessions,
      qaLog,
      sessionLimiter: new SessionRateLimiter(config.SESSION_RATE_LIMIT_PER_MINUTE),
      retrieverKind,
      denseStatus: () => hybrid.denseStatus(),
      counts: { fromStore, fromStarter },
      skippedStarterFiles: starter.skipped,
      isReady: () => !closed && procedures.size > 0 && lexicalSize === procedures.size,
      async close() {
        if (closed) return;
        closed = true;
        // The retriever first: a background index build may still be writing its cache.
        await hybrid.close();
        await sessions.close();
        await qaLog.close();
        await catalogue.close();
      },
    };
  } catch (err) {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    throw err;
  }
}

/**
 * A missing lexicon only costs synonym expansion, so start-up goes on with a warning; a lexicon
 * that exists but is malformed is a team mistake and stops start-up with the file's name.
 */
function readLexicon(file: string, log: Logger): Lexicon {
  if (!existsSync(file)) {
    log.warn({ file }, 'lexicon not found; searching without synonyms and abbreviations');
    return EMPTY_LEXICON;
  }
  return loadLexicon(file);
}
