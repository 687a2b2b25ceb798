import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of an OpenAI-compatible `POST /v1/chat/completions`, speaking the real wire format.
 * Streaming (`stream: true`): `text/event-stream` with one `data: {chat.completion.chunk}` event per
 * piece — first `delta: {role:'assistant', content:''}`, then `delta: {content}` pieces, then an
 * empty delta with `finish_reason: 'stop'` (and a usage chunk with `choices: []` when
 * `stream_options.include_usage`), then `data: [DONE]`. Otherwise one `chat.completion` JSON.
 * Errors use the OpenAI error body `{error: {message, type, param, code}}`.
 */

export interface ChatCompletionsRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

export interface ChatRequestRecord {
  body: ChatCompletionsRequestBody;
  authorization: string | undefined;
  /** The raw request body as received, to assert on everything that went over the wire. */
  raw: string;
}

/** A reply: the whole text (split into word pieces when streamed) or the exact pieces to stream. */
export type ScriptedReply = string | string[];

export type FakeChatMode =
  | 'ok'
  /** Answer with `failWith` (default 500) and an OpenAI error body. */
  | 'error'
  /** Destroy the socket without answering. */
  | 'drop'
  /** Stream the first piece, then destroy the socket. */
  | 'drop_mid_stream';

export interface FakeChatCompletionsServer {
  /** e.g. http://127.0.0.1:53122/v1 — what LLM_BASE_URL would hold. */
  baseURL: string;
  requests: ChatRequestRecord[];
  /** The reply to each request; a function of the request by default echoing nothing useful. */
  reply: (body: ChatCompletionsRequestBody) => ScriptedReply;
  mode: FakeChatMode;
  /** HTTP status in `error` mode. */
  failWith: number;
  /** Delay before the response headers (ms): exercises the client's timeout. */
  delayMs: number;
  /** Delay between streamed pieces (ms): exercises a deadline on the whole call. */
  chunkDelayMs: number;
  /** Requests being answered right now. */
  inFlight: number;
  close(): Promise<void>;
}

/** Splits a text into streamable pieces: words with their following space. */
export function toPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export async function startFakeChatCompletionsServer(
  opts: { apiKey?: string; reply?: (body: ChatCompletionsRequestBody) => ScriptedReply } = {},
): Promise<FakeChatCompletionsServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state: FakeChatCompletionsServer = {
    baseURL: '',
    requests: [],
    reply: opts.reply ?? (() => 'Xin chào.'),
    mode: 'ok',
    failWith: 500,
    delayMs: 0,
    chunkDelayMs: 0,
    inFlight: 0,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    state.inFlight++;
    res.on('close', () => state.inFlight--);
    void handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  function error(res: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
    send(res, status, { error: { message, type, param: null, code } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (state.delayMs > 0) await sleep(state.delayMs);
    if (res.destroyed) return;
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
      return error(res, 404, `Unknown request URL: ${req.method} ${req.url}`, 'invalid_request_error', 'unknown_url');
    }
    if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      // Real OpenAI echoes part of the key in this message; adapters must scrub it.
      const given = String(req.headers.authorization).replace(/^Bearer /, '');
      return error(res, 401, `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key');
    }
    let body: ChatCompletionsRequestBody;
    try {
      body = JSON.parse(raw) as ChatCompletionsRequestBody;
    } catch {
      return error(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    if (typeof body.model !== 'string' || body.model === '') return error(res, 400, 'you must provide a model parameter', 'invalid_request_error');
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      return error(res, 400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'invalid_request_error');
    }
    state.requests.push({ body, authorization: req.headers.authorization, raw });

    if (state.mode === 'drop') return void req.socket.destroy();
    if (state.mode === 'error') return error(res, state.failWith, 'The server had an error while processing your request. Sorry about that!', 'server_error');

    const scripted = state.reply(body);
    const pieces = typeof scripted === 'string' ? toPieces(scripted) : scripted;
    const id = `chatcmpl-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const created = Math.floor(Date.now() / 1000);
    const completionTokens = pieces.join('').split(/\s+/).filter(Boolean).length;
    const promptTokens = body.messages.reduce((n, m) => n + String(m.content).split(/\s+/).length, 0);
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };

    if (!body.stream) {
      return send(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, message: { role: 'assistant', content: pieces.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const event = (delta: Record<string, unknown>, finish: string | null): void => {
      const chunk = {
        id,
        object: 'chat.completion.chunk',
        created,
        model: body.model,
        system_fingerprint: 'fp_fake',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    };
    event({ role: 'assistant', content: '', refusal: null }, null);
    for (let i = 0; i < pieces.length; i++) {
      if (state.chunkDelayMs > 0) await sleep(state.chunkDelayMs);
      if (res.destroyed) return;
      event({ content: pieces[i] }, null);
      if (state.mode === 'drop_mid_stream') {
        await sleep(5);
        return void req.socket.destroy();
      }
    }
    event({}, 'stop');
    if (body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_fake', choices: [], usage })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
