import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of an OpenAI-compatible embeddings endpoint (`POST /v1/embeddings`), speaking the real wire
 * format: request `{model, input: string | string[], encoding_format?: 'float' | 'base64'}`, response
 * `{object:'list', data:[{object:'embedding', index, embedding}], model, usage:{prompt_tokens, total_tokens}}`
 * with `embedding` a number[] or, for base64, little-endian float32 bytes. Vectors are deterministic:
 * hashed, diacritic-folded character trigrams in 256 dimensions, so texts sharing words are near.
 */
export const FAKE_DIMENSIONS = 256;

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export function fakeEmbedding(text: string, dims = FAKE_DIMENSIONS): Float32Array {
  const v = new Float32Array(dims);
  const words = fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  for (const w of words) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const h = createHash('md5').update(padded.slice(i, i + 3)).digest();
      const slot = h.readUInt32LE(0) % dims;
      v[slot]! += h[4]! & 1 ? 1 : -1;
    }
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm > 0) for (let i = 0; i < dims; i++) v[i]! /= Math.sqrt(norm);
  return v;
}

export interface EmbeddingsRequestRecord {
  model: string;
  input: string[];
  encodingFormat: string | undefined;
  authorization: string | undefined;
}

export interface FakeEmbeddingsServer {
  /** e.g. http://127.0.0.1:53122/v1 — what EMBEDDINGS_BASE_URL would hold. */
  baseURL: string;
  requests: EmbeddingsRequestRecord[];
  /** Texts embedded so far, summed over requests. */
  embeddedTexts(): number;
  /** Make subsequent requests answer this status (e.g. 500, 401) until set back to null. */
  failWith: number | null;
  /** Delay every response (ms), to exercise timeouts. */
  delayMs: number;
  /** Return `data` in reverse order; the protocol orders by `index`, clients must not rely on position. */
  shuffle: boolean;
  close(): Promise<void>;
}

export async function startFakeEmbeddingsServer(opts: { apiKey?: string; dims?: number } = {}): Promise<FakeEmbeddingsServer> {
  const dims = opts.dims ?? FAKE_DIMENSIONS;
  const state: FakeEmbeddingsServer = {
    baseURL: '',
    requests: [],
    embeddedTexts: () => state.requests.reduce((n, r) => n + r.input.length, 0),
    failWith: null,
    delayMs: 0,
    shuffle: false,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => void handle(req, res));

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function error(res: ServerResponse, status: number, message: string, type = 'invalid_request_error'): void {
    send(res, status, { error: { message, type, param: null, code: null } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/embeddings') return error(res, 404, `no route ${req.method} ${req.url}`);
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      // Real OpenAI echoes part of the key in this message; the adapter must scrub it.
      return error(res, 401, `Incorrect API key provided: ${String(req.headers.authorization).replace(/^Bearer /, '')}`, 'invalid_api_key');
    }
    let body: { model?: unknown; input?: unknown; encoding_format?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return error(res, 400, 'We could not parse the JSON body of your request.');
    }
    if (typeof body.model !== 'string' || body.model === '') return error(res, 400, "you must provide a model parameter");
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === 'string' && t.length > 0)) {
      return error(res, 400, "'input' must be a non-empty string or array of non-empty strings");
    }
    if (body.encoding_format !== undefined && body.encoding_format !== 'float' && body.encoding_format !== 'base64') {
      return error(res, 400, `invalid encoding_format ${String(body.encoding_format)}`);
    }
    state.requests.push({
      model: body.model,
      input: input as string[],
      encodingFormat: body.encoding_format as string | undefined,
      authorization: req.headers.authorization,
    });
    if (state.failWith !== null) return error(res, state.failWith, 'The server had an error while processing your request.', 'server_error');
    const data = (input as string[]).map((text, index) => {
      const v = fakeEmbedding(text, dims);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : Array.from(v);
      return { object: 'embedding', index, embedding };
    });
    if (state.shuffle) data.reverse();
    const tokens = (input as string[]).reduce((n, t) => n + t.split(/\s+/).length, 0);
    send(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A base URL on which nothing listens (a port we bound and released), for "endpoint is dead" tests. */
export async function deadBaseURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
