import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test double of the two Zalo endpoints the OA channel calls, with their real wire formats:
 *
 * - OA API v3 `POST /v3.0/oa/message/cs`, header `access_token`, JSON
 *   `{recipient:{user_id}, message:{text}}` → HTTP 200 `{error: 0, message: 'Success', data: {message_id, user_id}}`;
 *   failures are HTTP 200 too, with a non-zero `error` (`-216` invalid/expired token, `-201` bad parameters).
 * - OAuth v4 `POST /v4/oa/access_token`, header `secret_key` (the app secret), form body
 *   `refresh_token`, `app_id`, `grant_type=refresh_token` → `{access_token, refresh_token, expires_in: "90000"}`
 *   (`expires_in` is a string of seconds); a refresh token works once; failures `{error, message}`.
 */
export interface FakeZaloSend {
  accessToken: string | undefined;
  userId: string;
  text: string;
  /** The request body as received. */
  body: unknown;
  /** What the double answered. */
  error: number;
}

export interface FakeZaloRefresh {
  secretKey: string | undefined;
  form: Record<string, string>;
  error: number;
}

export interface FakeZaloApi {
  /** e.g. http://127.0.0.1:53122 — ZALO_API_BASE_URL and ZALO_OAUTH_BASE_URL. */
  baseUrl: string;
  sends: FakeZaloSend[];
  /** Only the sends that succeeded. */
  delivered(userId?: string): FakeZaloSend[];
  refreshes: FakeZaloRefresh[];
  /** Access tokens the OA API accepts now. */
  validAccessTokens: Set<string>;
  /** Refresh tokens the OAuth endpoint accepts (each once). */
  validRefreshTokens: Set<string>;
  /** `expires_in` the next refreshes grant (seconds, as Zalo sends it: a string). */
  expiresIn: string;
  /** Every access token stops working (as after 25 h): the next send gets -216. */
  expireAccessTokens(): void;
  /** The next `count` sends answer this instead (HTTP status and/or JSON body). */
  failSends(count: number, answer: { status?: number; body?: unknown; headers?: Record<string, string> }): void;
  /** The next `count` refreshes answer this body instead. */
  failRefreshes(count: number, body: unknown): void;
  /** Waits until at least `n` messages were delivered (to `userId` when given). */
  waitForDelivered(n: number, userId?: string, timeoutMs?: number): Promise<FakeZaloSend[]>;
  close(): Promise<void>;
}

export async function startFakeZaloApi(opts: {
  appId: string;
  appSecretKey: string;
  accessTokens?: string[];
  refreshTokens?: string[];
}): Promise<FakeZaloApi> {
  let issued = 0;
  let messageSeq = 0;
  const sendFailures: Array<{ status?: number; body?: unknown; headers?: Record<string, string> }> = [];
  const refreshFailures: unknown[] = [];
  const waiters = new Set<() => void>();

  const api: FakeZaloApi = {
    baseUrl: '',
    sends: [],
    delivered: (userId) => api.sends.filter((s) => s.error === 0 && (userId === undefined || s.userId === userId)),
    refreshes: [],
    validAccessTokens: new Set(opts.accessTokens ?? []),
    validRefreshTokens: new Set(opts.refreshTokens ?? []),
    expiresIn: '90000',
    expireAccessTokens: () => api.validAccessTokens.clear(),
    failSends: (count, answer) => {
      for (let i = 0; i < count; i++) sendFailures.push(answer);
    },
    failRefreshes: (count, body) => {
      for (let i = 0; i < count; i++) refreshFailures.push(body);
    },
    waitForDelivered: (n, userId, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const got = api.delivered(userId);
          if (got.length < n) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(got);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`waited for ${n} Zalo messages${userId ? ` to ${userId}` : ''}, got ${api.delivered(userId).length}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () => new Promise((r) => server.close(() => r())),
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const onSend = (req: IncomingMessage, raw: string, res: ServerResponse) => {
    const accessToken = header(req, 'access_token');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const b = body as { recipient?: { user_id?: unknown }; message?: { text?: unknown } } | undefined;
    const userId = typeof b?.recipient?.user_id === 'string' ? b.recipient.user_id : '';
    const text = typeof b?.message?.text === 'string' ? b.message.text : '';
    const record = (error: number) => {
      api.sends.push({ accessToken, userId, text, body, error });
      for (const w of [...waiters]) w();
    };
    const failure = sendFailures.shift();
    if (failure) {
      const error = typeof (failure.body as { error?: unknown })?.error === 'number' ? (failure.body as { error: number }).error : -1;
      record(error);
      return json(res, failure.status ?? 200, failure.body ?? { error: -1, message: 'failure' }, failure.headers);
    }
    if (!accessToken || !api.validAccessTokens.has(accessToken)) {
      record(-216);
      return json(res, 200, { error: -216, message: 'Access token is invalid' });
    }
    if (!userId || !/^\d+$/.test(userId) || !text || [...text].length > 2000) {
      record(-201);
      return json(res, 200, { error: -201, message: 'Parameters are invalid' });
    }
    record(0);
    return json(res, 200, { error: 0, message: 'Success', data: { message_id: `msg${++messageSeq}`, user_id: userId } });
  };

  const onRefresh = (req: IncomingMessage, raw: string, res: ServerResponse) => {
    const secretKey = header(req, 'secret_key');
    const form = Object.fromEntries(new URLSearchParams(raw));
    const record = (error: number) => api.refreshes.push({ secretKey, form, error });
    const failure = refreshFailures.shift();
    if (failure !== undefined) {
      record(typeof (failure as { error?: unknown }).error === 'number' ? (failure as { error: number }).error : -1);
      return json(res, 200, failure);
    }
    if (secretKey !== opts.appSecretKey || form.app_id !== opts.appId) {
      record(-14001);
      return json(res, 200, { error: -14001, message: 'Invalid app_id or secret_key' });
    }
    if (form.grant_type !== 'refresh_token' || !form.refresh_token || !api.validRefreshTokens.delete(form.refresh_token)) {
      record(-14014);
      return json(res, 200, { error: -14014, message: 'Invalid refresh_token' });
    }
    record(0);
    issued++;
    const access = `AT-${issued}`;
    const refresh = `RT-${issued}`;
    api.validAccessTokens.add(access);
    api.validRefreshTokens.add(refresh);
    return json(res, 200, { access_token: access, refresh_token: refresh, expires_in: api.expiresIn });
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && path === '/v3.0/oa/message/cs') return onSend(req, raw, res);
      if (req.method === 'POST' && path === '/v4/oa/access_token') return onRefresh(req, raw, res);
      json(res, 404, { error: 404, message: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A webhook delivery as Zalo makes it: the JSON text (ids as given — pass a string to keep
 * unquoted big numbers) and `X-ZEvent-Signature: mac=<sha256(appId + body + timestamp + OA secret)>`.
 */
export function signedZaloDelivery(body: string | Record<string, unknown>, keys: { appId: string; oaSecretKey: string }): { payload: string; headers: Record<string, string> } {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = /"timestamp"\s*:\s*"?(\d+)"?/.exec(payload)?.[1] ?? '';
  const mac = createHash('sha256').update(keys.appId + payload + timestamp + keys.oaSecretKey).digest('hex');
  return { payload, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
}

/** A `user_send_text` event in Zalo's shape. */
export function zaloTextEvent(o: { appId: string; userId: string; msgId: string; text: string; timestamp?: number; oaId?: string }): Record<string, unknown> {
  return {
    app_id: o.appId,
    sender: { id: o.userId },
    user_id_by_app: '552177279717587730',
    recipient: { id: o.oaId ?? '388613280878808645' },
    event_name: 'user_send_text',
    message: { text: o.text, msg_id: o.msgId },
    timestamp: String(o.timestamp ?? Date.now()),
  };
}
