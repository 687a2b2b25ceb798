import type { OutboundMessage } from '../../channels/channel-sender.js';
import type { InboundMessage } from '../../channels/inbound-message.js';
import type { Language } from '../../domain/answer.js';
import { cannedReply, type CannedReplyKey } from '../../domain/canned-replies.js';
import type { Session } from '../../domain/conversation.js';
import type { TicketStore } from '../ticket-store.js';
import type { OfficeHours } from './office-hours.js';

/** Seals a call-back number while the citizen confirms it (the status lookup's `LookupSecrets` fits). */
export interface Sealer {
  seal(plain: string): string;
  /** null when it was not sealed with this key or was altered. */
  open(sealed: string): string | null;
}

export interface HandoffFlowDeps {
  tickets: TicketStore;
  hours: OfficeHours;
  /**
   * Pass the install's secret (`loadOrCreateLookupSecrets(dataDir)`) so that any worker can
   * open a number another sealed; the default lives as long as this process.
   */
  sealer?: Sealer;
  /** Silence after which a flow is forgotten (default 10 minutes). */
  idleMs?: number;
}

/** Channels whose client holds the session id itself (as the InboundHandler counts them). */
const SESSION_CHANNELS = new Set(['web', 'mini_app']);

/** The session id a ticket links to, the same one the Q&A log and the handoff queue use. */
export function sessionIdOf(msg: InboundMessage, session: Session): string {
  return SESSION_CHANNELS.has(msg.channel) ? msg.userId : session.id;
}

/** Procedures discussed before the flow, most recent first, each once. */
export function procedureIdsOf(session: Session): string[] {
  return [...new Set([...session.turns].reverse().flatMap((t) => t.procedureIds ?? []))];
}

/**
 * The short reference a citizen is told ("mã TK-1A2B3C4D"): the first eight characters of the
 * ticket id, upper case. Staff find the ticket by it (ids are UUIDs: eight hex digits collide
 * only across tens of thousands of tickets; the console should match on the prefix).
 */
export function ticketReference(id: string): string {
  const compact = id.replace(/[^A-Za-z0-9]/g, '');
  return `TK-${compact.slice(0, 8).toUpperCase()}`;
}

/** "during office hours" while open, else "when the office reopens, from 8:00 tomorrow, Tuesday". */
export function backPhrase(hours: OfficeHours, now: Date, language: Language): string {
  if (hours.isOpen(now)) return cannedReply('flow_back_soon', language);
  const next = hours.nextOpening(now);
  if (!next) return cannedReply('flow_back_soon', language);
  return cannedReply('flow_back_at', language, { when: hours.describeMoment(next, now, language) });
}

export function bot(key: CannedReplyKey, language: Language, values: Record<string, string | number> = {}): OutboundMessage[] {
  return [{ author: 'bot', text: cannedReply(key, language, values) }];
}
