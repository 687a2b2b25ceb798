import type { ChannelSenders, OutboundMessage } from '../channels/channel-sender.js';
import { detectLanguage } from '../conversation/language.js';
import type { Language } from '../domain/answer.js';
import { cannedReply } from '../domain/canned-replies.js';
import type { SessionStore } from '../domain/conversation.js';
import type { StaffStore } from '../staff/staff-store.js';
import type { HandoffConversation, HandoffEvent, HandoffEventOrigin, HandoffQueue } from './handoff-queue.js';

export interface RelayHandoffEventsDeps {
  handoff: HandoffQueue;
  senders: ChannelSenders;
  sessions: SessionStore;
  staff: Pick<StaffStore, 'get'>;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => Date;
  /** At most one "your place in the line" update per citizen in this window (default 1 minute). */
  positionNoticeEveryMs?: number;
}

export interface HandoffRelay {
  stop(): void;
  /** Resolves when every event received so far has been relayed (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Tells the citizen, on their own channel, what the officers did: taken over (session mode
 * `staff`), the officer's messages, handed back or closed (mode `bot`, and a rating request on
 * close), and a new place in the line when it moves.
 *
 * Only events this process wrote are relayed. Every server process sees every event (each polls
 * the shared events table, because every console stream must show all changes), so if each
 * relayed what it saw the citizen would get one copy per worker. The writer is the one process
 * that sees each event exactly once, and it is alive at that moment (it just served the officer's
 * request). The price: a process that dies between its write and its send loses that notice.
 *
 * Events are relayed in order per conversation (a claim notice before the officer's first
 * words), concurrently across conversations so one slow platform does not hold up the others.
 */
export function relayHandoffEvents(deps: RelayHandoffEventsDeps): HandoffRelay {
  const now = deps.now ?? (() => new Date());
  const noticeEveryMs = deps.positionNoticeEveryMs ?? 60_000;
  const lastPositionNotice = new Map<string, number>();
  const chains = new Map<string, Promise<void>>();

  const enqueue = (key: string, work: () => Promise<void>) => {
    const previous = chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => deps.log.error({ err, conversationId: key }, 'handoff relay failed'));
    chains.set(key, next);
    void next.then(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  };

  const send = async (c: HandoffConversation, message: OutboundMessage) => {
    try {
      await deps.senders.send(c.channel, c.userId, message);
    } catch (err) {
      // The outbound queue keeps permanent failures with the message; the relay goes on.
      deps.log.error({ err, channel: c.channel, conversationId: c.id }, 'handoff notice could not be sent');
    }
  };

  const relay = async (event: Exclude<HandoffEvent, { type: 'positions' }>) => {
    const c = event.conversation;
    const key = { channel: c.channel, userId: c.userId };
    const language = languageOf(c);
    switch (event.type) {
      case 'queued':
        // The inbound handler told the citizen when it queued them, in its reply.
        return;
      case 'claimed': {
        await deps.sessions.setMode(key, 'staff');
        const officer = c.claimedBy ? await deps.staff.get(c.claimedBy) : undefined;
        await send(c, { author: 'system', text: cannedReply('handoff_claimed', language, { staff: officer?.displayName ?? '' }).replace(/ {2,}/g, ' ') });
        return;
      }
      case 'message': {
        if (event.message.author !== 'staff') return;
        const officer = event.message.staffId ? await deps.staff.get(event.message.staffId) : undefined;
        await send(c, { author: 'staff', text: event.message.text, ...(officer ? { staffName: officer.displayName } : {}) });
        return;
      }
      case 'returned':
        lastPositionNotice.delete(c.id);
        await deps.sessions.setMode(key, 'bot');
        await send(c, { author: 'system', text: cannedReply('handoff_returned', language) });
        return;
      case 'closed':
        lastPositionNotice.delete(c.id);
        await deps.sessions.setMode(key, 'bot');
        await send(c, { author: 'system', text: cannedReply('handoff_closed', language), askRating: true });
        return;
    }
  };

  const positions = async (conversationId: string, position: number) => {
    const at = now().getTime();
    const last = lastPositionNotice.get(conversationId);
    if (last !== undefined && at - last < noticeEveryMs) return;
    const c = await deps.handoff.get(conversationId);
    if (!c || c.status !== 'waiting') return;
    lastPositionNotice.set(conversationId, at);
    const avg = await deps.handoff.averageWaitMs();
    const language = languageOf(c);
    const minutes = avg === null ? null : Math.max(1, Math.round((avg * position) / 60_000));
    const wait = minutes === null ? '' : language === 'en' ? `, about ${minutes} min` : `, dự kiến khoảng ${minutes} phút`;
    await send(c, { author: 'system', text: cannedReply('handoff_waiting', language, { position, wait }) });
  };

  const unsubscribe = deps.handoff.subscribe((event: HandoffEvent, origin?: HandoffEventOrigin) => {
    // No origin: a single-process queue, where every event is this process's own.
    if (origin && !origin.local) return;
    if (event.type === 'positions') {
      for (const p of event.positions) enqueue(p.conversationId, () => positions(p.conversationId, p.position));
      return;
    }
    enqueue(event.conversation.id, () => relay(event));
  });

  return {
    stop: unsubscribe,
    async idle() {
      while (chains.size > 0) await Promise.all([...chains.values()]);
    },
  };
}

/** The citizen's language, from what they last wrote to the bot (Vietnamese when unsure). */
function languageOf(c: HandoffConversation): Language {
  const lastUser = [...c.transcript].reverse().find((t) => t.role === 'user');
  return lastUser ? detectLanguage(lastUser.text) : 'vi';
}
