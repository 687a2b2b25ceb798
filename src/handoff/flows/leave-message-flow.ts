import type { InboundFlow, InboundFlowTools } from '../../channels/handle-inbound.js';
import type { InboundMessage } from '../../channels/inbound-message.js';
import { detectLanguage } from '../../conversation/language.js';
import { PhraseMatcher } from '../../conversation/phrase-matcher.js';
import type { Session } from '../../domain/conversation.js';
import { redactPersonalData } from '../../guardrails/personal-data.js';
import type { TicketKind } from '../ticket-store.js';
import { backPhrase, bot, procedureIdsOf, sessionIdOf, ticketReference, type HandoffFlowDeps } from './handoff-flow-deps.js';
import { endFlow, startFlow } from './handoff-flow-state.js';
import { isShortReply, wantsToStop } from './read-choice.js';

/** "để lại lời nhắn": asked for directly, at any hour. */
const LEAVE_MESSAGE = new PhraseMatcher(['để lại lời nhắn', 'để lời nhắn', 'gửi lời nhắn', 'nhắn lại cho cán bộ', 'leave a message', 'leave message']);

/**
 * Leaving a message for the officers: "Anh/chị nhắn nội dung cần hỏi…" → the next message,
 * redacted, becomes a `message` ticket →
 * the confirmation says when officers are back. Nothing of it goes to the session turns or the
 * Q&A log: the ticket holds the redacted words.
 */
export function createLeaveMessageFlow(deps: HandoffFlowDeps): InboundFlow {
  return {
    name: 'leave-message',
    async run(msg, session, tools) {
      const now = tools.now();
      const state = session.handoffFlow;
      if (!state) {
        if (!LEAVE_MESSAGE.test(msg.text) || !isShortReply(msg.text, 12)) return null;
        const language = detectLanguage(msg.text);
        startFlow(session, 'message', 'content', language, now);
        await tools.sessions.save(session);
        return bot('flow_message_prompt', language);
      }
      if (state.kind !== 'message') return null;
      return takeContent(msg, session, tools, deps, 'message', (ref, back) =>
        bot('flow_message_saved', state.language, { ref, back }),
      );
    },
  };
}

/**
 * The content step shared by messages, feedback and complaints: "hủy" stops with nothing
 * stored; an empty message (only personal data, a sticker) asks again; anything else is the
 * content, redacted, stored as a ticket.
 */
export async function takeContent(
  msg: InboundMessage,
  session: Session,
  tools: InboundFlowTools,
  deps: HandoffFlowDeps,
  kind: TicketKind,
  confirm: (ref: string, back: string) => ReturnType<typeof bot>,
): Promise<ReturnType<typeof bot>> {
  const state = session.handoffFlow!;
  const language = state.language;
  if (wantsToStop(msg.text)) {
    endFlow(session);
    await tools.sessions.save(session);
    return bot('flow_cancelled', language);
  }
  const content = redactPersonalData(msg.text).text.trim();
  // Only placeholders left ("[SĐT]"): nothing an officer could read.
  if (content.replace(/\[[^\]]*\]/g, '').replace(/[\s\p{P}]/gu, '') === '') return bot('flow_content_empty', language);
  const text = state.draft ? `${state.draft}\n${content}` : content;
  endFlow(session);
  await tools.sessions.save(session);
  try {
    const ticket = await deps.tickets.create({
      kind,
      channel: msg.channel,
      userId: msg.userId,
      sessionId: sessionIdOf(msg, session),
      text,
      phone: null,
      consentAt: null,
      procedureIds: procedureIdsOf(session),
    });
    return confirm(ticketReference(ticket.id), backPhrase(deps.hours, tools.now(), language));
  } catch {
    return bot('flow_failed', language);
  }
}
