/** What is stored beside each vector. `procedureId` lets hits map back; `contentHash` skips unchanged passages. */
export interface PassagePayload {
  passageId: string;
  procedureId: string;
  contentHash: string;
}

export interface VectorPoint {
  /** The passage id (`1.001193#title`); stores that need another id form derive it. */
  id: string;
  vector: Float32Array;
  payload: PassagePayload;
}

export interface VectorMatch {
  /** The passage id given at upsert. */
  id: string;
  /** Cosine similarity, higher is nearer. */
  score: number;
  payload: PassagePayload;
}

/** Restricts a query to passages of these procedures (how level/agency filters reach the store). */
export interface VectorFilter {
  procedureIds?: readonly string[];
}

/** Nearest-neighbour store over passage vectors, cosine similarity. */
export interface VectorStore {
  /** Inserts or replaces points by id. */
  upsert(points: VectorPoint[]): Promise<void>;
  /** The `limit` nearest points, best first. */
  query(vector: Float32Array, limit: number, filter?: VectorFilter): Promise<VectorMatch[]>;
  count(): Promise<number>;
  /** Stored contentHash per passage id, for the ids that exist; lets indexing skip unchanged passages. */
  contentHashes(ids: readonly string[]): Promise<Map<string, string>>;
}
