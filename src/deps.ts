import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { CatalogueStore } from './catalogue/catalogue-store.js';
import { openCatalogueStore } from './catalogue/sqlite-catalogue-store.js';
import type { Procedure } from './domain/procedure.js';
import { createLogger, type Logger } from './http/logger.js';
import { KnowledgeBase, type KnowledgeSnapshot } from './knowledge/knowledge-base.js';
import type { KnowledgeFileProblem } from './knowledge/overlay.js';
import { createHybridRetriever, type DenseStatus } from './retrieval/create-hybrid-retriever.js';
import type { Retriever } from './retrieval/retriever.js';
import type { AnswerComposer } from './answer/answer-composer.js';
import { GroundedComposer } from './answer/grounded-composer.js';
import { LlmComposer } from './answer/llm-composer.js';
import { loadPromptLibrary } from './answer/prompt-library.js';
import type { SessionStore } from './domain/conversation.js';
import { createChatModel } from './llm/create-chat-model.js';
import { createAnswerPipeline } from './pipeline/answer-pipeline.js';
import { AnswerService } from './pipeline/answer-service.js';
import type { QaLogStore } from './qa-log/qa-log-store.js';
import { SqliteQaLogStore } from './qa-log/sqlite-qa-log-store.js';
import { SqliteSessionStore } from './sessions/sqlite-session-store.js';
import { createStatusLookupFromConfig } from './status-lookup/create-status-lookup.js';
import { createChannels, type Channels } from './channels/create-channels.js';
import { createTelephony, type Telephony, type TelephonyOverrides } from './telephony/create-telephony.js';
import { createStaffTools, type StaffTools } from './staff-tools/create-staff-tools.js';
import { speechHints } from './telephony/speech-hints.js';

/** Everything the HTTP app, the CLI and the entry point need, built once from the Config. */
export interface Deps {
  config: Config;
  log: Logger;
  catalogue: CatalogueStore;
  /** Every servable procedure by official code: the store's records in force plus starter records it lacks (live across reloads). */
  procedures: ReadonlyMap<string, Procedure>;
  retriever: Retriever;
  /** One citizen message end to end: session, answer pipeline, Q&A log. */
  answers: AnswerService;
  /** Which composer writes answers: 'grounded', or 'llm:<model>' with grounded as the fallback. */
  composerId: string;
  sessions: SessionStore;
  qaLog: QaLogStore;
  /** Which retriever is serving, for logs and /ready. */
  retrieverKind: 'lexical' | 'hybrid';
  /** State of the dense side: `disabled` without embeddings; while `indexing`, search is lexical. */
  denseStatus(): DenseStatus;
  /** Channels (web, Messenger, Zalo, mini-app), the human handoff queue, tickets and staff accounts. */
  channels: Channels;
  /** The 19001009 callbot (Twilio voice), when TWILIO_AUTH_TOKEN is set. */
  telephony: Telephony | null;
  /** Statistics, knowledge gaps, the answer review queue and privacy requests (staff only). */
  staffTools: StaffTools;
  /** The Center's knowledge layer; `knowledge.reload()` re-reads files and store without a restart. */
  knowledge: KnowledgeBase;
  readonly counts: { fromStore: number; fromStarter: number };
  /** Knowledge files skipped at the last (re)load, and why. */
  readonly skippedStarterFiles: readonly KnowledgeFileProblem[];
  /** True while the catalogue and index are loaded and not shut down. */
  isReady(): boolean;
  close(): Promise<void>;
}

export interface CreateDepsOptions {
  /** Defaults to a new pino logger at `config.LOG_LEVEL` on stdout. */
  log?: Logger;
  /** The callbot's parts to use instead of the configured ones (tests, benches). */
  telephony?: TelephonyOverrides;
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
    // The servable knowledge: catalogue records in force today, starter records for codes the
    // catalogue lacks, the staff's overlays and online-only list, and the lexical index.
    const knowledgeDir = path.resolve(config.KNOWLEDGE_DIR);
    const knowledge = await KnowledgeBase.load({ store: catalogue, knowledgeDir, log });
    opened.push({ close: async () => knowledge.close() });
    const procedures = knowledge.procedures;

    // ── Hybrid retrieval hook ──────────────────────────────────────────────────────────────
    // The single place where dense retrieval joins. With EMBEDDINGS_BASE_URL set, the hybrid
    // retriever wraps the lexical one, builds the vector index in the background and fuses both
    // rankings; lexical stays the floor, so start-up never waits for (or fails on) embeddings.
    // Without it, the handle is a pass-through to the lexical retriever, which a knowledge
    // reload swaps underneath.
    const hybrid = createHybridRetriever({ lexical: knowledge.retriever, procedures, config: { ...config, DATA_DIR: dataDir }, log });
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
    // "Hồ sơ của tôi đến đâu rồi?": the city's system (or the demo store), with its guard.
    const statusLookup = createStatusLookupFromConfig(config, dataDir);
    if (statusLookup) opened.push(statusLookup);
    // The pipeline reads the lexicon of the knowledge it was built with; a reload builds it again.
    const buildSteps = (snapshot: KnowledgeSnapshot) =>
      createAnswerPipeline({
        procedures,
        retriever,
        composer,
        grounded,
        lexicon: snapshot.lexicon,
        center: snapshot.center,
        ...(statusLookup ? { statusLookup: { source: statusLookup.source, guard: statusLookup.guard, secrets: statusLookup.secrets } } : {}),
        maxMessageChars: config.MAX_MESSAGE_CHARS,
        localNotices: (id, style, language) => knowledge.noticesFor(id, style, language),
      });
    const answers = new AnswerService({ steps: buildSteps(knowledge.snapshot), sessions, qaLog, log, turnTimeoutMs: config.TURN_TIMEOUT_MS });
    knowledge.onReload((snapshot) => answers.useSteps(buildSteps(snapshot)));
    // ── Channels and human handoff ───────────────────────────────────────────────────────────
    const channels = createChannels({ config, dataDir, answers, sessions, qaLog, log });
    opened.push(channels);
    // ── The 19001009 callbot (only with TWILIO_AUTH_TOKEN) ──────────────────────────────────
    let hints = speechHints(knowledge.snapshot.lexicon);
    knowledge.onReload((snapshot) => {
      hints = speechHints(snapshot.lexicon);
    });
    const telephony = createTelephony({
      config,
      location: { dataDir },
      answers,
      tickets: channels.tickets,
      qaLog,
      hours: channels.hours,
      hints: () => hints,
      log,
      ...(options.telephony ? { overrides: options.telephony } : {}),
    });
    if (telephony) opened.push(telephony);
    const staffTools = createStaffTools({ config, dataDir, knowledgeDir, knowledge, qaLog });
    opened.push(staffTools);
    // ───────────────────────────────────────────────────────────────────────────────────────

    let closed = false;
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
      retrieverKind,
      denseStatus: () => hybrid.denseStatus(),
      knowledge,
      channels,
      telephony,
      staffTools,
      get counts() {
        const { fromStore, fromStarter } = knowledge.snapshot.counts;
        return { fromStore, fromStarter };
      },
      get skippedStarterFiles() {
        return knowledge.snapshot.problems;
      },
      isReady: () => !closed && procedures.size > 0 && knowledge.snapshot.lexical.size === procedures.size,
      async close() {
        if (closed) return;
        closed = true;
        // The retriever first: a background index build may still be writing its cache.
        knowledge.close();
        // Channel work first: it still answers through the sessions and the Q&A log.
        await channels.close();
        await telephony?.close();
        await staffTools.close();
        await hybrid.close();
        await sessions.close();
        await qaLog.close();
        await statusLookup?.close();
        await catalogue.close();
      },
    };
  } catch (err) {
    for (const resource of opened.reverse()) await resource.close().catch(() => undefined);
    throw err;
  }
}
