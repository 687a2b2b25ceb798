import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of the Messenger Send API (`POST /{version}/me/messages?access_token=…`), speaking
 * its wire format: request `{recipient:{id}, messaging_type, tag?, message:{text, quick_replies?}}`
 * or `{recipient:{id}, sender_action}`; success `{recipient_id, message_id}` (`{recipient_id}` for
 * a sender action); errors `{error:{message, type, code, error_subcode?, fbtrace_id}}` with the
 * codes Graph uses (190 bad token, 100 bad parameter, 613 rate limit, 2 temporary, 551 person
 * unavailable). It checks what Meta checks (token, version path, text ≤ 2000, ≤ 13 quick replies
 * with titles ≤ 20, a tag with MESSAGE_TAG) so a wrong request fails here as it would there.
 */
export interface GraphSendBody {
  recipient: { id: string };
  messaging_type?: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
  tag?: string;
  message?: { text?: string; quick_replies?: Array<{ content_type: string; title?: string; payload?: string }> };
  sender_action?: 'typing_on' | 'typing_off' | 'mark_seen';
}

export interface GraphRequestRecord {
  path: string;
  accessToken: string | null;
  body: GraphSendBody;
  /** What the double answered. */
  status: number;
  at: number;
}

export interface FakeGraphApi {
  /** What MESSENGER_GRAPH_BASE_URL would hold, e.g. http://127.0.0.1:53122 */
  baseUrl: string;
  requests: GraphRequestRecord[];
  /** Requests that sent a message (not sender actions), accepted or not. */
  messageRequests(): GraphRequestRecord[];
  /** Accepted message sends, in order. */
  delivered(): GraphSendBody[];
  /** The next message sends (not sender actions) answer these statuses in turn (429, 500, 400 — 400 as "person unavailable"), then normal service. */
  failNext(...statuses: number[]): void;
  /** Every request answers this status until set back to null. */
  failWith: number | null;
  /** Delay every response (ms). */
  delayMs: number;
  /** Resolves when `n` message sends were accepted (or rejects after `timeoutMs`). */
  waitForDelivered(n: number, timeoutMs?: number): Promise<GraphSendBody[]>;
  close(): Promise<void>;
}

const GRAPH_ERRORS: Record<number, { message: string; type: string; code: number; error_subcode?: number; is_transient?: boolean }> = {
  400: { message: "(#551) This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041 },
  429: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 },
  500: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true },
  503: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true },
};

export async function startFakeGraphApi(opts: { pageToken: string; version?: string }): Promise<FakeGraphApi> {
  const version = opts.version ?? 'v21.0';
  const scripted: number[] = [];
  let nextId = 1;
  const waiters: Array<() => void> = [];
  const state: FakeGraphApi = {
    baseUrl: '',
    requests: [],
    messageRequests: () => state.requests.filter((r) => r.body.message !== undefined),
    delivered: () => state.requests.filter((r) => r.body.message !== undefined && r.status === 200).map((r) => r.body),
    failNext: (...statuses) => void scripted.push(...statuses),
    failWith: null,
    delayMs: 0,
    waitForDelivered: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (state.delivered().length >= n) {
            clearTimeout(timer);
            resolve(state.delivered());
            return true;
          }
          return false;
        };
        const timer = setTimeout(
          () => reject(new Error(`expected ${n} delivered messages, got ${state.delivered().length}: ${JSON.stringify(state.delivered().map((b) => b.message?.text?.slice(0, 60)))}`)),
          timeoutMs,
        );
        if (!check()) waiters.push(() => void check());
      }),
    close: async () => {},
  };

  const server = createServer((req, res) => void handle(req, res));

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'x-fb-trace-id': 'fake' });
    res.end(JSON.stringify(body));
  }

  function graphError(res: ServerResponse, status: number, error: { message: string; type: string; code: number; error_subcode?: number }): void {
    send(res, status, { error: { ...error, fbtrace_id: `Fake${Math.random().toString(36).slice(2, 12)}` } });
  }

  function invalid(body: GraphSendBody): string | null {
    if (!body || typeof body !== 'object' || typeof body.recipient?.id !== 'string') return '(#100) The parameter recipient is required';
    if (body.sender_action !== undefined) {
      if (!['typing_on', 'typing_off', 'mark_seen'].includes(body.sender_action)) return '(#100) Param sender_action must be one of {MARK_SEEN, TYPING_ON, TYPING_OFF}';
      if (body.message !== undefined) return '(#100) sender_action cannot be sent with message';
      return null;
    }
    if (!body.message) return '(#100) The parameter message is required';
    if (!body.messaging_type || !['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type)) return '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}';
    if (body.messaging_type === 'MESSAGE_TAG' && !body.tag) return '(#100) Tag is required for MESSAGE_TAG messaging type';
    const text = body.message.text;
    if (typeof text !== 'string' || text.length === 0) return '(#100) Message cannot be empty, must provide valid attachment or text';
    if (text.length > 2000) return '(#100) Length of param message[text] must be less than or equal to 2000';
    const qr = body.message.quick_replies;
    if (qr !== undefined) {
      if (!Array.isArray(qr) || qr.length === 0 || qr.length > 13) return '(#100) param message[quick_replies] must have between 1 and 13 elements';
      for (const q of qr) {
        if (q.content_type !== 'text') return '(#100) Only text quick replies are accepted here';
        if (!q.title || [...q.title].length > 20) return '(#100) Length of param message[quick_replies][title] must be less than or equal to 20';
        if (!q.payload || q.payload.length > 1000) return '(#100) Length of param message[quick_replies][payload] must be between 1 and 1000';
      }
    }
    return null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body: GraphSendBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphSendBody;
    } catch {
      body = {} as GraphSendBody;
    }
    const accessToken = url.searchParams.get('access_token');
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));

    const record = (status: number) => {
      state.requests.push({ path: url.pathname, accessToken, body, status, at: Date.now() });
      for (const w of waiters.splice(0)) w();
    };
    const reply = (status: number, payload: () => void) => {
      record(status);
      payload();
    };

    if (req.method !== 'POST' || url.pathname !== `/${version}/me/messages`) {
      return reply(400, () => graphError(res, 400, { message: `Unknown path components: ${url.pathname}`, type: 'OAuthException', code: 2500 }));
    }
    if (accessToken !== opts.pageToken) {
      return reply(400, () => graphError(res, 400, { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 }));
    }
    const status = (body.message !== undefined ? scripted.shift() : undefined) ?? state.failWith;
    if (status) {
      const error = GRAPH_ERRORS[status] ?? { message: 'Error', type: 'OAuthException', code: 1 };
      return reply(status, () => graphError(res, status, error));
    }
    const problem = invalid(body);
    if (problem) return reply(400, () => graphError(res, 400, { message: problem, type: 'OAuthException', code: 100 }));
    if (body.sender_action) return reply(200, () => send(res, 200, { recipient_id: body.recipient.id }));
    return reply(200, () => send(res, 200, { recipient_id: body.recipient.id, message_id: `m_fake_${nextId++}` }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
