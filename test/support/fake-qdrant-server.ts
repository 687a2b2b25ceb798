import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of the Qdrant REST API — the subset QdrantVectorStore uses, shaped as documented at
 * api.qdrant.tech (v1.19): envelope `{result, status:'ok', time}`, errors `{status:{error}, time}`.
 *   GET  /                                   → {title, version}
 *   GET  /collections/{c}/exists             → {exists}
 *   GET  /collections/{c}                    → CollectionInfo (404 when missing)
 *   PUT  /collections/{c}                    → true   (vectors: {size, distance})
 *   PUT  /collections/{c}/index              → UpdateResult
 *   PUT  /collections/{c}/points?wait=true   → UpdateResult  (ids: unsigned int or UUID, else 400)
 *   POST /collections/{c}/points             → Record[]      (retrieve by ids)
 *   POST /collections/{c}/points/query       → {points: ScoredPoint[]}
 *   POST /collections/{c}/points/search      → ScoredPoint[]
 *   POST /collections/{c}/points/count       → {count}
 * Filters: `must` of `{key, match:{value}|{any}}` only. It is not Qdrant: no HNSW, no persistence, exact scan.
 */
interface StoredPoint {
  id: string | number;
  vector: number[];
  payload: Record<string, unknown>;
  version: number;
}
interface Collection {
  size: number;
  distance: string;
  points: Map<string, StoredPoint>;
  indexes: Record<string, unknown>;
}

export interface QdrantRequestRecord {
  method: string;
  path: string;
  query: string;
  body: unknown;
  apiKey: string | undefined;
}

export interface FakeQdrantServer {
  url: string;
  requests: QdrantRequestRecord[];
  collections: Map<string, Collection>;
  /** Answer every request with 503 while true (a Qdrant that is down). */
  unavailable: boolean;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pointKey(id: unknown): string | null {
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return String(id);
  if (typeof id === 'string' && UUID.test(id)) return id.toLowerCase();
  return null;
}

function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n === 0 ? v : v.map((x) => x / n);
}

function selectPayload(payload: Record<string, unknown>, withPayload: unknown): Record<string, unknown> | null {
  if (withPayload === false || withPayload === undefined) return null;
  if (withPayload === true) return payload;
  if (Array.isArray(withPayload)) return Object.fromEntries(Object.entries(payload).filter(([k]) => withPayload.includes(k)));
  return payload;
}

function matches(payload: Record<string, unknown>, filter: unknown): boolean {
  if (!filter) return true;
  const must = (filter as { must?: { key: string; match: { value?: unknown; any?: unknown[] } }[] }).must ?? [];
  return must.every(({ key, match }) => {
    const v = payload[key];
    if (match.any) return match.any.includes(v);
    return v === match.value;
  });
}

export async function startFakeQdrantServer(opts: { apiKey?: string } = {}): Promise<FakeQdrantServer> {
  const state: FakeQdrantServer = { url: '', requests: [], collections: new Map(), unavailable: false, close: async () => {} };
  let version = 0;
  const started = Date.now();

  function send(res: ServerResponse, status: number, result: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    const time = (Date.now() - started) / 1e6;
    res.end(JSON.stringify(status < 300 ? { result, status: 'ok', time } : { status: { error: result }, time }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return send(res, 400, 'Json deserialize error');
    }
    const apiKey = req.headers['api-key'] as string | undefined;
    state.requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, body, apiKey });
    if (state.unavailable) return send(res, 503, 'Service Unavailable');
    if (opts.apiKey && apiKey !== opts.apiKey) return send(res, 401, 'Must provide an API key or an Authorization bearer token');

    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ title: 'qdrant - vector search engine', version: '1.19.0' }));
      return;
    }
    const m = /^\/collections\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) return send(res, 404, `no route ${req.method} ${url.pathname}`);
    const name = decodeURIComponent(m[1]!);
    const rest = m[2] ?? '';
    const col = state.collections.get(name);
    const missing = (): void => send(res, 404, `Not found: Collection \`${name}\` doesn't exist!`);

    if (req.method === 'GET' && rest === '/exists') return send(res, 200, { exists: !!col });
    if (req.method === 'GET' && rest === '') {
      if (!col) return missing();
      return send(res, 200, {
        status: 'green',
        optimizer_status: 'ok',
        indexed_vectors_count: 0,
        points_count: col.points.size,
        segments_count: 1,
        config: {
          params: { vectors: { size: col.size, distance: col.distance }, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
          hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
          optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
          wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
          quantization_config: null,
        },
        payload_schema: col.indexes,
      });
    }
    if (req.method === 'PUT' && rest === '') {
      if (col) return send(res, 409, `Wrong input: Collection \`${name}\` already exists!`);
      const vectors = body.vectors as { size?: unknown; distance?: unknown } | undefined;
      if (!vectors || typeof vectors.size !== 'number' || !['Cosine', 'Dot', 'Euclid', 'Manhattan'].includes(String(vectors.distance))) {
        return send(res, 400, 'Wrong input: vectors config needs size and distance');
      }
      state.collections.set(name, { size: vectors.size, distance: String(vectors.distance), points: new Map(), indexes: {} });
      return send(res, 200, true);
    }
    if (!col) return missing();
    if (req.method === 'PUT' && rest === '/index') {
      col.indexes[String(body.field_name)] = { data_type: body.field_schema, points: col.points.size };
      return send(res, 200, { operation_id: ++version, status: 'completed' });
    }
    if (req.method === 'PUT' && rest === '/points') {
      const points = body.points as { id: unknown; vector: unknown; payload?: Record<string, unknown> }[] | undefined;
      if (!Array.isArray(points)) return send(res, 400, 'Wrong input: points expected');
      for (const p of points) {
        const key = pointKey(p.id);
        if (key === null) return send(res, 400, `Format error in JSON body: value ${JSON.stringify(p.id)} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
        if (!Array.isArray(p.vector) || p.vector.length !== col.size) {
          return send(res, 400, `Wrong input: Vector dimension error: expected dim: ${col.size}, got ${Array.isArray(p.vector) ? p.vector.length : 0}`);
        }
      }
      const op = ++version;
      for (const p of points) {
        const vector = col.distance === 'Cosine' ? unit(p.vector as number[]) : (p.vector as number[]);
        state.collections.get(name)!.points.set(pointKey(p.id)!, { id: p.id as string | number, vector, payload: p.payload ?? {}, version: op });
      }
      return send(res, 200, { operation_id: op, status: url.searchParams.get('wait') === 'true' ? 'completed' : 'acknowledged' });
    }
    if (req.method === 'POST' && rest === '/points') {
      const ids = body.ids as unknown[] | undefined;
      if (!Array.isArray(ids)) return send(res, 400, 'Wrong input: ids expected');
      const out = [];
      for (const id of ids) {
        const key = pointKey(id);
        if (key === null) return send(res, 400, `Format error in JSON body: value ${JSON.stringify(id)} is not a valid point ID`);
        const p = col.points.get(key);
        if (p) out.push({ id: p.id, payload: selectPayload(p.payload, body.with_payload ?? true), vector: body.with_vector === true ? p.vector : null });
      }
      return send(res, 200, out);
    }
    if (req.method === 'POST' && (rest === '/points/query' || rest === '/points/search')) {
      const vector = (rest === '/points/query' ? body.query : body.vector) as unknown;
      if (!Array.isArray(vector) || vector.length !== col.size) return send(res, 400, `Wrong input: Vector dimension error: expected dim: ${col.size}`);
      const q = col.distance === 'Cosine' ? unit(vector as number[]) : (vector as number[]);
      const limit = typeof body.limit === 'number' ? body.limit : 10;
      const scored = [...col.points.values()]
        .filter((p) => matches(p.payload, body.filter))
        .map((p) => ({ p, score: p.vector.reduce((s, x, i) => s + x * q[i]!, 0) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, limit)
        .map(({ p, score }) => ({ id: p.id, version: p.version, score, payload: selectPayload(p.payload, body.with_payload ?? false) }));
      return send(res, 200, rest === '/points/query' ? { points: scored } : scored);
    }
    if (req.method === 'POST' && rest === '/points/count') {
      return send(res, 200, { count: [...col.points.values()].filter((p) => matches(p.payload, body.filter)).length });
    }
    return send(res, 404, `no route ${req.method} ${url.pathname}`);
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
