import type { InboundMessage } from '../inbound-message.js';

/**
 * What one entry of a Messenger webhook delivery means to us. Only a citizen's text, quick reply
 * or button tap reaches the answer pipeline; an attachment without text gets the "text only"
 * notice; everything else (the page's own echoes, delivery and read receipts, reactions…) is
 * skipped.
 */
export type MessengerEvent =
  | { kind: 'message'; psid: string; at: number; message: InboundMessage }
  | { kind: 'attachment'; psid: string; at: number; mid: string }
  | { kind: 'skip'; reason: 'echo' | 'delivery' | 'read' | 'other'; psid: string | null };

/** The parts of Meta's webhook body we read (`object: 'page'`, entry[].messaging[]). */
interface MessagingItem {
  sender?: { id?: unknown };
  recipient?: { id?: unknown };
  timestamp?: unknown;
  message?: {
    mid?: unknown;
    text?: unknown;
    is_echo?: unknown;
    quick_reply?: { payload?: unknown };
    attachments?: unknown;
  };
  postback?: { mid?: unknown; title?: unknown; payload?: unknown };
  delivery?: unknown;
  read?: unknown;
}

/** True for a Page subscription delivery; anything else is not for this webhook. */
export function isPageDelivery(body: unknown): body is { object: 'page'; entry?: unknown } {
  return typeof body === 'object' && body !== null && (body as { object?: unknown }).object === 'page';
}

/** Every messaging item of a delivery, in order, as events. Unknown shapes are skipped, not thrown. */
export function parseMessengerEvents(body: unknown): MessengerEvent[] {
  if (!isPageDelivery(body) || !Array.isArray(body.entry)) return [];
  const events: MessengerEvent[] = [];
  for (const entry of body.entry as Array<{ messaging?: unknown }>) {
    if (!entry || !Array.isArray(entry.messaging)) continue;
    for (const item of entry.messaging as MessagingItem[]) events.push(toEvent(item));
  }
  return events;
}

function toEvent(item: MessagingItem): MessengerEvent {
  const psid = str(item?.sender?.id);
  if (!psid) return { kind: 'skip', reason: 'other', psid: null };
  const at = typeof item.timestamp === 'number' && Number.isFinite(item.timestamp) ? item.timestamp : Date.now();
  const sentAt = new Date(at).toISOString();
  if (item.delivery) return { kind: 'skip', reason: 'delivery', psid };
  if (item.read) return { kind: 'skip', reason: 'read', psid };

  const m = item.message;
  if (m) {
    // Our own replies come back as echoes (sender = the page): answering them would loop.
    if (m.is_echo === true) return { kind: 'skip', reason: 'echo', psid };
    const mid = str(m.mid);
    if (!mid) return { kind: 'skip', reason: 'other', psid };
    const text = str(m.text);
    const payload = str(m.quick_reply?.payload);
    if (text) return { kind: 'message', psid, at, message: { channel: 'messenger', userId: psid, messageId: mid, text, sentAt, ...(payload ? { payload } : {}) } };
    if (Array.isArray(m.attachments) && m.attachments.length > 0) return { kind: 'attachment', psid, at, mid };
    return { kind: 'skip', reason: 'other', psid };
  }

  const p = item.postback;
  if (p) {
    const payload = str(p.payload);
    if (!payload) return { kind: 'skip', reason: 'other', psid };
    // Recent Graph versions give postbacks a mid; older ones do not, so sender + time stands in.
    const mid = str(p.mid) ?? `postback:${psid}:${at}`;
    return { kind: 'message', psid, at, message: { channel: 'messenger', userId: psid, messageId: mid, text: str(p.title) ?? payload, payload, sentAt } };
  }
  return { kind: 'skip', reason: 'other', psid };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
}
