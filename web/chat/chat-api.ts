import { readSse } from '../shared/sse.js';
import type { ChatMessage, ChatRequest, Citation, TurnDone } from './chat-types.js';

/** What the page does with each part of a streamed answer, in the order the server sends them. */
export interface TurnHandlers {
  meta(sessionId: string): void;
  delta(text: string): void;
  citations(citations: Citation[]): void;
  replies(replies: ChatMessage[]): void;
  done(done: TurnDone): void;
  /** The turn failed or was refused (rate limited); `text` is for the citizen. */
  error(text: string, status: string): void;
}

/** Fallback when the network or the server fails before a message could be shown. */
const NETWORK_ERROR = 'Không gửi được tin nhắn. Anh/chị kiểm tra kết nối mạng rồi thử lại, hoặc gọi tổng đài 19001009.';

/** Sends one message and streams the answer (`POST /api/v1/chat/stream`). */
export async function streamTurn(request: ChatRequest, handlers: TurnHandlers, signal?: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/v1/chat/stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(request),
      ...(signal ? { signal } : {}),
    });
  } catch {
    handlers.error(NETWORK_ERROR, 'network');
    return;
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { hint?: string };
    handlers.error(body.hint ?? NETWORK_ERROR, `http_${response.status}`);
    return;
  }
  let finished = false;
  try {
    for await (const ev of readSse(response.body, signal)) {
      const data = JSON.parse(ev.data) as unknown;
      switch (ev.event) {
        case 'meta':
          handlers.meta((data as { session_id: string }).session_id);
          break;
        case 'delta':
          handlers.delta((data as { text: string }).text);
          break;
        case 'citations':
          handlers.citations(data as Citation[]);
          break;
        case 'replies':
          handlers.replies(data as ChatMessage[]);
          break;
        case 'done':
          finished = true;
          handlers.done(data as TurnDone);
          break;
        case 'error': {
          finished = true;
          const e = data as { text?: string; status?: string };
          handlers.error(e.text || NETWORK_ERROR, e.status ?? 'error');
          break;
        }
        default:
          break;
      }
    }
  } catch {
    if (!finished) handlers.error(NETWORK_ERROR, 'network');
    return;
  }
  if (!finished) handlers.error(NETWORK_ERROR, 'incomplete');
}

/**
 * Officers' replies and queue notices for this conversation (`GET /api/v1/chat/events`).
 * EventSource reconnects by itself and resumes after the last id it saw.
 */
export function openEvents(sessionId: string, after: number, onMessage: (message: ChatMessage, id: number) => void): EventSource {
  const url = `/api/v1/chat/events?session_id=${encodeURIComponent(sessionId)}&after=${after}`;
  const source = new EventSource(url);
  source.addEventListener('message', (ev) => {
    const id = Number((ev as MessageEvent).lastEventId);
    onMessage(JSON.parse((ev as MessageEvent<string>).data) as ChatMessage, Number.isFinite(id) ? id : 0);
  });
  return source;
}

/** A random id for a message, so a retried request is not answered twice. */
export function messageId(): string {
  return crypto.randomUUID();
}
