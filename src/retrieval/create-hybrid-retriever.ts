import { join } from 'node:path';
import type { Procedure } from '../domain/procedure.js';
import { CachedEmbedder } from './cached-embedder.js';
import { DenseRetriever } from './dense-retriever.js';
import type { Embedder } from './embedder.js';
import { HybridRetriever, type HybridRetrieverOptions } from './hybrid-retriever.js';
import { InMemoryVectorStore } from './in-memory-vector-store.js';
import { OpenAiEmbedder } from './openai-embedder.js';
import { passageHash, procedurePassages } from './procedure-passages.js';
import { QdrantVectorStore } from './qdrant-vector-store.js';
import { consoleRetrievalLog, type RetrievalLog } from './retrieval-log.js';
import type { Hit, Retriever, SearchQuery } from './retriever.js';
import { SqliteEmbeddingCache, type EmbeddingCache } from './sqlite-embedding-cache.js';
import type { VectorStore } from './vector-store.js';

/** The configuration this module reads; a structural subset of the app config (all optional). */
export interface HybridRetrievalConfig {
  EMBEDDINGS_BASE_URL?: string | undefined;
  EMBEDDINGS_API_KEY?: string | undefined;
  EMBEDDINGS_MODEL?: string | undefined;
  QDRANT_URL?: string | undefined;
  QDRANT_API_KEY?: string | undefined;
  QDRANT_COLLECTION?: string | undefined;
  DATA_DIR?: string | undefined;
}

export const DEFAULT_EMBEDDINGS_MODEL = 'text-embedding-3-small';
export const DEFAULT_QDRANT_COLLECTION = 'procedures';
export const EMBEDDING_CACHE_FILE = 'embeddings-cache.sqlite';

export type DenseStatus = 'disabled' | 'indexing' | 'ready' | 'failed';

export interface DenseIndexReport {
  status: Exclude<DenseStatus, 'indexing'>;
  passages: number;
  /** Passages whose vectors were computed (through the cache) in this run. */
  embedded: number;
  /** Passages the vector store already held with the same text and model. */
  unchanged: number;
  error?: string;
}

export interface CreateHybridRetrieverOptions {
  lexical: Retriever;
  procedures: ReadonlyMap<string, Procedure>;
  config: HybridRetrievalConfig;
  log?: RetrievalLog;
  /** Overrides: tests and benchmarks. */
  embedder?: Embedder;
  store?: VectorStore;
  /** Passages embedded and upserted per step; progress survives a crash in steps of this size. */
  indexBatchSize?: number;
  /** First delay before retrying a failed index build (doubles up to 15 min); 0 disables retries. */
  retryDelayMs?: number;
  hybrid?: Pick<HybridRetrieverOptions, 'weights' | 'k' | 'denseTimeoutMs' | 'denseCooldownMs' | 'candidates'>;
}

export interface HybridRetrieverHandle extends Retriever {
  /** Settles (never rejects) when the first index build attempt has ended. */
  readonly indexing: Promise<DenseIndexReport>;
  denseStatus(): DenseStatus;
  /** Stops retries and closes the cache; the handle keeps answering (lexically) afterwards. */
  close(): Promise<void>;
}

/**
 * Builds the retriever for the app. Returns at once: without EMBEDDINGS_BASE_URL it is the lexical
 * retriever as is; with it, a HybridRetriever that answers lexically until the dense index is complete,
 * while the index is built in the background (vectors from the cache, Qdrant's stored hashes, or the
 * embeddings endpoint — only for passages that are new or changed). A failed build is logged, retried
 * with backoff, and never affects search.
 */
export function createHybridRetriever(options: CreateHybridRetrieverOptions): HybridRetrieverHandle {
  const { lexical, procedures, config } = options;
  const log = options.log ?? consoleRetrievalLog;
  if (!config.EMBEDDINGS_BASE_URL && !options.embedder) {
    return {
      search: (q: SearchQuery, o?: { signal?: AbortSignal }): Promise<Hit[]> => lexical.search(q, o),
      indexing: Promise.resolve({ status: 'disabled', passages: 0, embedded: 0, unchanged: 0 }),
      denseStatus: () => 'disabled',
      close: async () => {},
    };
  }

  const model = config.EMBEDDINGS_MODEL || DEFAULT_EMBEDDINGS_MODEL;
  const embedder =
    options.embedder ??
    new OpenAiEmbedder({ baseURL: config.EMBEDDINGS_BASE_URL!, apiKey: config.EMBEDDINGS_API_KEY, model });
  const store: VectorStore =
    options.store ??
    (config.QDRANT_URL
      ? new QdrantVectorStore({
          url: config.QDRANT_URL,
          apiKey: config.QDRANT_API_KEY,
          collection: config.QDRANT_COLLECTION || DEFAULT_QDRANT_COLLECTION,
        })
      : new InMemoryVectorStore());

  let status: DenseStatus = 'indexing';
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let running: Promise<DenseIndexReport> | undefined;
  let cache: EmbeddingCache | undefined;
  const batchSize = Math.max(1, options.indexBatchSize ?? 256);

  const dense = new DenseRetriever({ embedder, store, procedures });
  const hybrid = new HybridRetriever({
    ...options.hybrid,
    lexical,
    dense,
    procedures,
    denseReady: () => status === 'ready',
    log,
  });

  async function build(): Promise<DenseIndexReport> {
    const passages = [...procedures.values()].flatMap(procedurePassages);
    const report: DenseIndexReport = { status: 'ready', passages: passages.length, embedded: 0, unchanged: 0 };
    if (config.DATA_DIR && !cache) {
      cache = await SqliteEmbeddingCache.open(join(config.DATA_DIR, EMBEDDING_CACHE_FILE), (msg, data) => log.warn(data ?? {}, msg));
    }
    const passageEmbedder = cache ? new CachedEmbedder(embedder, cache) : embedder;
    const hashes = passages.map((p) => passageHash(embedder.id, p.text));
    const stored = await store.contentHashes(passages.map((p) => p.id));
    const todo: number[] = [];
    passages.forEach((p, i) => (stored.get(p.id) === hashes[i] ? report.unchanged++ : todo.push(i)));
    for (let start = 0; start < todo.length && !closed; start += batchSize) {
      const slice = todo.slice(start, start + batchSize);
      const vectors = await passageEmbedder.embed(slice.map((i) => passages[i]!.text));
      await store.upsert(
        slice.map((i, j) => ({
          id: passages[i]!.id,
          vector: vectors[j]!,
          payload: { passageId: passages[i]!.id, procedureId: passages[i]!.procedureId, contentHash: hashes[i]! },
        })),
      );
      report.embedded += slice.length;
    }
    return report;
  }

  async function attempt(delayMs: number): Promise<DenseIndexReport> {
    status = 'indexing';
    const started = Date.now();
    try {
      const report = await build();
      if (closed) {
        status = 'failed';
        return { ...report, status: 'failed', error: 'closed before the index was complete' };
      }
      status = 'ready';
      log.info({ ...report, ms: Date.now() - started, model: embedder.id }, 'dense index ready; hybrid retrieval on');
      return report;
    } catch (err) {
      status = 'failed';
      const error = err instanceof Error ? err.message : String(err);
      const retry = !closed && delayMs > 0;
      log.warn({ err: error, retryInMs: retry ? delayMs : null }, 'dense index build failed; retrieval stays lexical');
      if (retry) {
        retryTimer = setTimeout(() => {
          running = attempt(Math.min(delayMs * 2, 15 * 60_000));
        }, delayMs);
        // A pending retry must not keep a finished process (CLI, tests) alive.
        retryTimer.unref();
      }
      return { status: 'failed', passages: 0, embedded: 0, unchanged: 0, error };
    }
  }

  const indexing = attempt(options.retryDelayMs ?? 60_000);
  running = indexing;

  return {
    search: (q: SearchQuery, o?: { signal?: AbortSignal }): Promise<Hit[]> => hybrid.search(q, o),
    indexing,
    denseStatus: () => status,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      // The cache must outlive whichever build (first or a retry) is still writing to it.
      await running;
      cache?.close();
      cache = undefined;
    },
  };
}
