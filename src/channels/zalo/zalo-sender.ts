import type { ChannelSender, OutboundMessage } from '../channel-sender.js';
import { type OutboundQueue, SendError, splitMessage } from '../outbound-queue.js';
import { renderZaloText } from './render-zalo-text.js';
import { ZaloTokenError } from './zalo-token-store.js';

/** Zalo's limit for one OA text message. */
export const ZALO_TEXT_LIMIT = 2000;
/** `error` of the OA API: invalid or expired access token. */
export const ZALO_INVALID_TOKEN = -216;
/** `error` codes integrators report for the OA API's request rate limit: worth retrying later. */
const RATE_LIMITED = new Set([-32]);

export interface ZaloSenderDeps {
  /** `ZALO_API_BASE_URL` (https://openapi.zalo.me). */
  apiBaseUrl: string;
  tokens: { accessToken(): Promise<string>; refresh(staleToken?: string): Promise<string> };
  /** The Zalo `OutboundQueue` (channel `zalo`): rate limit, retries, failures kept. */
  queue: OutboundQueue;
  /** Remembers who was asked "reply 1–5", so the route reads their next digit as a rating. */
  ratingPrompts?: { mark(userId: string): Promise<void> };
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface OaResult {
  error: number;
  message?: string;
}

/**
 * Replies through the OA v3 customer-service message API
 * (`POST /v3.0/oa/message/cs`, header `access_token`), as plain text split to 2,000 characters.
 * HTTP 200 with `{error: 0}` is success; any other `error` is a failure: `-216` (token) refreshes
 * the token once and retries, rate limits and server errors go back to the queue to retry,
 * anything else is permanent and kept in the failure log.
 */
export class ZaloSender implements ChannelSender {
  readonly channel = 'zalo';
  private readonly fetch: typeof fetch;
  private readonly url: string;

  constructor(private readonly deps: ZaloSenderDeps) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.url = `${deps.apiBaseUrl.replace(/\/+$/, '')}/v3.0/oa/message/cs`;
  }

  async send(userId: string, message: OutboundMessage): Promise<void> {
    const parts = splitMessage(renderZaloText(message), ZALO_TEXT_LIMIT);
    // Marked before sending: the citizen's "4" may arrive before this call returns.
    if (message.askRating) await this.deps.ratingPrompts?.mark(userId);
    for (const text of parts) {
      const body = { recipient: { user_id: userId }, message: { text } };
      await this.deps.queue.send(userId, body, () => this.deliver(body));
    }
  }

  private async deliver(body: object): Promise<void> {
    const token = await this.deps.tokens.accessToken();
    let result = await this.post(token, body);
    if (result.error === ZALO_INVALID_TOKEN) {
      let fresh: string;
      try {
        fresh = await this.deps.tokens.refresh(token);
      } catch (err) {
        const why = err instanceof ZaloTokenError ? err.message : String(err);
        throw new SendError(`Zalo access token invalid and refresh failed: ${why}`, false);
      }
      result = await this.post(fresh, body);
    }
    if (result.error === 0) return;
    throw new SendError(`Zalo OA error ${result.error}${result.message ? `: ${result.message}` : ''}`, RATE_LIMITED.has(result.error));
  }

  private async post(accessToken: string, body: object): Promise<OaResult> {
    let res: Response;
    try {
      res = await this.fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', access_token: accessToken },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SendError(`Zalo OA request failed: ${(err as Error).message}`, true);
    }
    if (res.status === 429 || res.status >= 500) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new SendError(`Zalo OA HTTP ${res.status}`, true, res.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new SendError(`Zalo OA HTTP ${res.status} without JSON`, false, res.status);
    }
    const error = (json as { error?: unknown } | null)?.error;
    if (typeof error !== 'number') throw new SendError(`Zalo OA HTTP ${res.status}: unexpected answer`, false, res.status);
    const message = (json as { message?: unknown }).message;
    return { error, ...(typeof message === 'string' ? { message } : {}) };
  }
}
