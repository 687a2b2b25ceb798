import type { ChannelSender, OutboundMessage } from '../channel-sender.js';
import { type OutboundQueue, SendError } from '../outbound-queue.js';
import { renderMessengerMessage } from './messenger-render.js';
import type { MessengerContacts } from './sqlite-messenger-contacts.js';

export interface MessengerSenderConfig {
  MESSENGER_PAGE_TOKEN: string;
  MESSENGER_GRAPH_BASE_URL: string;
  MESSENGER_GRAPH_VERSION: string;
}

export interface MessengerSenderDeps {
  config: MessengerSenderConfig;
  /** Channel `messenger`: rate limit, retries, permanent failures kept. */
  queue: OutboundQueue;
  /** The citizen's last message time, for the 24-hour window. */
  contacts: MessengerContacts;
  log?: { warn(obj: object, msg: string): void };
  now?: () => number;
  /** One Send API call's deadline (default 10 s); a timeout is retried like a network error. */
  timeoutMs?: number;
}

/** Meta's standard messaging window: a reply later than this needs a message tag. */
export const STANDARD_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Graph error codes that mean "try again later" even when the HTTP status is 400: 1/2 unknown or
 * temporary error, 4/17/32/613 rate limits, 1200 temporary send failure
 * (developers.facebook.com/docs/graph-api/guides/error-handling, …/messenger-platform/error-codes).
 */
const TRANSIENT_GRAPH_CODES = new Set([1, 2, 4, 17, 32, 613, 1200]);

type MessagingFields = { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' };

/**
 * Replies on Messenger through the Send API (`POST /{version}/me/messages`), every request through
 * the channel's `OutboundQueue`. Bot and system messages go as `RESPONSE` (the citizen wrote
 * within 24 h: the bot only answers); an officer's reply after the window goes with the
 * `HUMAN_AGENT` tag, which Meta allows for 7 days.
 */
export class MessengerSender implements ChannelSender {
  readonly channel = 'messenger';
  private readonly now: () => number;

  constructor(private readonly deps: MessengerSenderDeps) {
    this.now = deps.now ?? Date.now;
  }

  async send(userId: string, message: OutboundMessage): Promise<void> {
    const fields = await this.messagingFields(userId, message);
    const bodies = renderMessengerMessage(message).map((m) => ({ recipient: { id: userId }, ...fields, message: m }));
    for (let i = 0; i < bodies.length; i++) {
      const body = bodies[i]!;
      // If this part is lost for good, what is kept is everything from it on, so staff can resend it whole.
      const kept = i === bodies.length - 1 ? body : bodies.slice(i);
      await this.deps.queue.send(userId, kept, () => this.post(body));
    }
  }

  /** `typing_on` / `typing_off`; best effort, outside the queue's retries and failure log. */
  async typing(userId: string, on: boolean): Promise<void> {
    try {
      await this.post({ recipient: { id: userId }, sender_action: on ? 'typing_on' : 'typing_off' });
    } catch (err) {
      this.deps.log?.warn({ status: err instanceof SendError ? err.status : undefined, err: (err as Error).message }, 'messenger typing indicator not sent');
    }
  }

  private async messagingFields(userId: string, message: OutboundMessage): Promise<MessagingFields> {
    if (message.author !== 'staff') return { messaging_type: 'RESPONSE' };
    const last = await this.deps.contacts.lastInboundAt(userId);
    // Unknown (never seen, or the store was reset): the tag is the one that cannot be refused for being late.
    if (last !== null && this.now() - last <= STANDARD_WINDOW_MS) return { messaging_type: 'RESPONSE' };
    return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  }

  private async post(body: object): Promise<void> {
    const { config } = this.deps;
    const url = new URL(`${config.MESSENGER_GRAPH_BASE_URL.replace(/\/+$/, '')}/${config.MESSENGER_GRAPH_VERSION}/me/messages`);
    url.searchParams.set('access_token', config.MESSENGER_PAGE_TOKEN);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      });
    } catch (err) {
      // Network error or timeout; the message never names the URL (it carries the token).
      throw new SendError(`Send API unreachable: ${(err as Error).name}`, true);
    }
    if (res.ok) {
      await res.body?.cancel();
      return;
    }
    const error = await graphError(res);
    const retryable = res.status === 429 || res.status >= 500 || (error.code !== undefined && TRANSIENT_GRAPH_CODES.has(error.code));
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new SendError(
      `Graph ${error.code ?? '?'}${error.subcode ? `/${error.subcode}` : ''}: ${error.message}`,
      retryable,
      res.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
}

/** Graph's `{ error: { message, type, code, error_subcode, fbtrace_id } }`, or what can be read of a non-JSON body. */
async function graphError(res: Response): Promise<{ message: string; code?: number; subcode?: number }> {
  const raw = await res.text().catch(() => '');
  try {
    const e = (JSON.parse(raw) as { error?: { message?: unknown; code?: unknown; error_subcode?: unknown } }).error;
    if (e && typeof e === 'object') {
      return {
        message: typeof e.message === 'string' ? e.message : res.statusText,
        ...(typeof e.code === 'number' ? { code: e.code } : {}),
        ...(typeof e.error_subcode === 'number' ? { subcode: e.error_subcode } : {}),
      };
    }
  } catch {
    // not JSON (a proxy's HTML error page)
  }
  return { message: res.statusText || `HTTP ${res.status}` };
}
