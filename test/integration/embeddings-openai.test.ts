import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingsUnavailableError } from '../../src/retrieval/embedder.js';
import { OpenAiEmbedder } from '../../src/retrieval/openai-embedder.js';
import { deadBaseURL, fakeEmbedding, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../support/fake-embeddings-server.js';

// The official `openai` client on one side, a wire-format double of POST /v1/embeddings on the other.
let server: FakeEmbeddingsServer;
beforeAll(async () => {
  server = await startFakeEmbeddingsServer({ apiKey: 'sk-test-secret-123456' });
});
afterAll(async () => server.close());

function embedder(extra: Partial<ConstructorParameters<typeof OpenAiEmbedder>[0]> = {}): OpenAiEmbedder {
  return new OpenAiEmbedder({ baseURL: server.baseURL, apiKey: 'sk-test-secret-123456', model: 'bge-m3', maxRetries: 0, ...extra });
}

describe('OpenAiEmbedder through the openai client', () => {
  it('splits inputs into batches and returns vectors in input order, exactly as the server computed them', async () => {
    server.requests.length = 0;
    server.shuffle = true; // `data` arrives reversed; order must come from `index`
    const texts = Array.from({ length: 150 }, (_, i) => `thủ tục số ${i} đăng ký`);
    const e = embedder({ batchSize: 64 });
    const vectors = await e.embed(texts);
    server.shuffle = false;
    expect(server.requests.map((r) => r.input.length)).toEqual([64, 64, 22]);
    expect(server.requests.flatMap((r) => r.input)).toEqual(texts);
    expect(vectors).toHaveLength(150);
    for (const i of [0, 63, 64, 149]) expect(Array.from(vectors[i]!)).toEqual(Array.from(fakeEmbedding(texts[i]!)));
    expect(e.dimensions).toBe(256);
    // The client's default: ask for base64, decode to floats.
    expect(server.requests[0]!.encodingFormat).toBe('base64');
    expect(server.requests[0]!.model).toBe('bge-m3');
    expect(server.requests[0]!.authorization).toBe('Bearer sk-test-secret-123456');
  });

  it('returns [] without a request for no texts, and replaces empty strings (which OpenAI rejects)', async () => {
    server.requests.length = 0;
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
    const [v] = await embedder().embed(['']);
    expect(v).toHaveLength(256);
    expect(server.requests[0]!.input).toEqual([' ']);
  });

  it('names the URL when the endpoint is dead', async () => {
    const url = await deadBaseURL();
    const e = new OpenAiEmbedder({ baseURL: url, apiKey: 'sk-live-do-not-print', model: 'm', maxRetries: 1, timeoutMs: 2000 });
    const err = await e.embed(['a']).then(() => null, (x: unknown) => x);
    expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).not.toContain('sk-live-do-not-print');
  });

  it('reports HTTP errors with status, scrubbing the key the server echoed', async () => {
    const e = new OpenAiEmbedder({ baseURL: server.baseURL, apiKey: 'sk-wrong-key-987654', model: 'm', maxRetries: 0 });
    const err = (await e.embed(['a']).catch((x: unknown) => x)) as Error;
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain(server.baseURL);
    expect(err.message).not.toContain('sk-wrong-key-987654');
  });

  it('retries 5xx a bounded number of times, then fails', async () => {
    server.requests.length = 0;
    server.failWith = 500;
    try {
      const err = (await embedder({ maxRetries: 2 }).embed(['a']).catch((x: unknown) => x)) as Error;
      expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
      expect(err.message).toContain('HTTP 500');
      expect(server.requests).toHaveLength(3);
    } finally {
      server.failWith = null;
    }
  });

  it('gives up after its timeout on a server that does not answer', async () => {
    server.delayMs = 1_000;
    try {
      const err = (await embedder({ timeoutMs: 100 }).embed(['a']).catch((x: unknown) => x)) as Error;
      expect(err).toBeInstanceOf(EmbeddingsUnavailableError);
      expect(err.message).toMatch(/timed out/i);
    } finally {
      server.delayMs = 0;
    }
  });

  it('accepts float arrays from servers that ignore encoding_format', async () => {
    // Force the float wire format through the client to prove decode() handles number[] too.
    const e = embedder({
      fetch: (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const body = JSON.parse(String(init?.body));
        body.encoding_format = 'float';
        return fetch(input, { ...init, body: JSON.stringify(body) });
      }) as typeof fetch,
    });
    server.requests.length = 0;
    const [v] = await e.embed(['hộ chiếu']);
    expect(server.requests[0]!.encodingFormat).toBe('float');
    expect(Array.from(v!)).toEqual(Array.from(fakeEmbedding('hộ chiếu')));
  });
});
