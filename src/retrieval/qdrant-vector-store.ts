import { createHash } from 'node:crypto';
import type { PassagePayload, VectorFilter, VectorMatch, VectorPoint, VectorStore } from './vector-store.js';

export interface QdrantVectorStoreOptions {
  url: string;
  apiKey?: string | undefined;
  collection: string;
  /** Points per upsert request; Qdrant's default request limit is 32 MB, 128×1024 floats as JSON is ~2.5 MB. */
  batchSize?: number;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
}

type QdrantClient = import('@qdrant/js-client-rest').QdrantClient;

/** Fixed namespace so every instance derives the same point id for the same passage. */
const POINT_ID_NAMESPACE = '3f0c6f57-2d4e-4f8b-9a51-6b8d1c2e7a90';

/**
 * Qdrant point ids must be unsigned integers or UUIDs; procedure codes like "1.001193#title" are neither.
 * A name-based UUIDv5 (RFC 4122 §4.3) is deterministic, so re-ingest overwrites rather than duplicates.
 */
export function uuidV5(name: string, namespace: string = POINT_ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`bad UUID namespace ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function pointIdFor(passageId: string): string {
  return uuidV5(passageId);
}

const PAYLOAD_FIELDS = ['passageId', 'procedureId', 'contentHash'];

/**
 * Passage vectors in a Qdrant collection (cosine). The only module importing @qdrant/js-client-rest,
 * loaded on first use. The collection is created on the first upsert, when the vector size is known.
 */
export class QdrantVectorStore implements VectorStore {
  private client: Promise<QdrantClient> | undefined;
  private ensured: number | undefined;
  private readonly batchSize: number;

  constructor(private readonly options: QdrantVectorStoreOptions) {
    if (!options.url) throw new Error('QdrantVectorStore needs a url');
    if (!options.collection) throw new Error('QdrantVectorStore needs a collection name');
    this.batchSize = Math.max(1, options.batchSize ?? 128);
  }

  private getClient(): Promise<QdrantClient> {
    this.client ??= import('@qdrant/js-client-rest').then(
      ({ QdrantClient }) =>
        new QdrantClient({
          url: this.options.url,
          ...(this.options.apiKey ? { apiKey: this.options.apiKey } : {}),
          timeout: this.options.timeoutMs ?? 30_000,
          // The check is a fire-and-forget GET / that only console.warns; ensureCollection() surfaces real problems.
          checkCompatibility: false,
        }),
    );
    return this.client;
  }

  private where(what: string, err: unknown): Error {
    const detail = err instanceof Error ? err.message : String(err);
    return new Error(`Qdrant at ${this.options.url} (collection ${this.options.collection}): ${what} failed: ${detail}`, { cause: err });
  }

  /** Creates the collection when missing; refuses one whose vectors do not fit this embedder. */
  async ensureCollection(dimensions: number): Promise<void> {
    if (this.ensured === dimensions) return;
    const client = await this.getClient();
    const name = this.options.collection;
    let exists: boolean;
    try {
      exists = (await client.collectionExists(name)).exists;
    } catch (err) {
      throw this.where('checking the collection', err);
    }
    if (!exists) {
      try {
        await client.createCollection(name, { vectors: { size: dimensions, distance: 'Cosine' } });
      } catch (err) {
        // Another instance may have created it between our check and create; the check below decides.
        if (!(await client.collectionExists(name).then((r) => r.exists, () => false))) throw this.where('creating the collection', err);
      }
      try {
        // Keyword index so level/agency filters (procedureId in [...]) do not scan every payload.
        await client.createPayloadIndex(name, { field_name: 'procedureId', field_schema: 'keyword', wait: true });
      } catch {
        // An index is an optimisation; a server that refuses it still answers filtered queries.
      }
    }
    let info;
    try {
      info = await client.getCollection(name);
    } catch (err) {
      throw this.where('reading the collection', err);
    }
    const vectors = info.config?.params?.vectors as { size?: number; distance?: string } | undefined;
    if (!vectors || typeof vectors.size !== 'number') {
      throw new Error(`Qdrant collection ${name} uses named vectors; configure an unnamed-vector collection or another QDRANT_COLLECTION`);
    }
    if (vectors.size !== dimensions) {
      throw new Error(
        `Qdrant collection ${name} holds ${vectors.size}-dimension vectors but the embedding model gives ${dimensions}; ` +
          'set QDRANT_COLLECTION to a new name after changing EMBEDDINGS_MODEL',
      );
    }
    if (vectors.distance !== 'Cosine') {
      throw new Error(`Qdrant collection ${name} uses ${String(vectors.distance)} distance; it must be Cosine`);
    }
    this.ensured = dimensions;
  }

  async upsert(points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.ensureCollection(points[0]!.vector.length);
    const client = await this.getClient();
    for (let start = 0; start < points.length; start += this.batchSize) {
      const batch = points.slice(start, start + this.batchSize).map((p) => ({
        id: pointIdFor(p.id),
        vector: Array.from(p.vector),
        payload: { passageId: p.id, procedureId: p.payload.procedureId, contentHash: p.payload.contentHash },
      }));
      try {
        await client.upsert(this.options.collection, { wait: true, points: batch });
      } catch (err) {
        throw this.where(`upserting ${batch.length} points`, err);
      }
    }
  }

  async query(vector: Float32Array, limit: number, filter?: VectorFilter): Promise<VectorMatch[]> {
    if (limit <= 0) return [];
    if (filter?.procedureIds && filter.procedureIds.length === 0) return [];
    const client = await this.getClient();
    let result;
    try {
      result = await client.query(this.options.collection, {
        query: Array.from(vector),
        limit,
        with_payload: PAYLOAD_FIELDS,
        ...(filter?.procedureIds
          ? { filter: { must: [{ key: 'procedureId', match: { any: [...filter.procedureIds] } }] } }
          : {}),
      });
    } catch (err) {
      throw this.where('query', err);
    }
    const out: VectorMatch[] = [];
    for (const point of result.points) {
      const payload = toPayload(point.payload);
      // Points written by something else (no passage payload) cannot be cited; skip them.
      if (payload) out.push({ id: payload.passageId, score: point.score, payload });
    }
    return out;
  }

  async count(): Promise<number> {
    const client = await this.getClient();
    try {
      if (!(await client.collectionExists(this.options.collection)).exists) return 0;
      return (await client.count(this.options.collection, { exact: true })).count;
    } catch (err) {
      throw this.where('count', err);
    }
  }

  async contentHashes(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const client = await this.getClient();
    try {
      if (!(await client.collectionExists(this.options.collection)).exists) return out;
      const batchSize = 256;
      for (let start = 0; start < ids.length; start += batchSize) {
        const points = await client.retrieve(this.options.collection, {
          ids: ids.slice(start, start + batchSize).map(pointIdFor),
          with_payload: PAYLOAD_FIELDS,
          with_vector: false,
        });
        for (const point of points) {
          const payload = toPayload(point.payload);
          if (payload) out.set(payload.passageId, payload.contentHash);
        }
      }
    } catch (err) {
      throw this.where('reading stored hashes', err);
    }
    return out;
  }
}

function toPayload(raw: unknown): PassagePayload | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const p = raw as Record<string, unknown>;
  if (typeof p.passageId !== 'string' || typeof p.procedureId !== 'string') return undefined;
  return { passageId: p.passageId, procedureId: p.procedureId, contentHash: typeof p.contentHash === 'string' ? p.contentHash : '' };
}
