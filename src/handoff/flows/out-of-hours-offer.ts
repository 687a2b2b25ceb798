import type { OutboundMessage } from '../../channels/channel-sender.js';
import type { Language } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { Session, SessionStore } from '../../domain/conversation.js';
import type { OfficeHours } from './office-hours.js';
import { startFlow } from './handoff-flow-state.js';

/**
 * Outside office hours a citizen who wants a person is offered, instead of a queue nobody reads
 * until morning: 1. leave a message, 2. a call-back, 3. the hotline. The offer waits in the
 * session for the choice. The session goes back to the bot: nobody was queued, so the assistant
 * keeps answering whatever else is asked.
 */
export async function offerOutOfHours(input: {
  session: Session;
  sessions: SessionStore;
  hours: OfficeHours;
  now: Date;
  language: Language;
  /** The redacted complaint that asked for a person, kept so that what is left later carries it. */
  complaint?: string;
}): Promise<OutboundMessage[]> {
  const { session, hours, now, language } = input;
  startFlow(session, 'offer', 'choose', language, now, input.complaint ? { draft: input.complaint } : {});
  session.mode = 'bot';
  await input.sessions.save(session);
  const next = hours.nextOpening(now);
  const text = cannedReply('flow_out_of_hours_offer', language, {
    hours: hours.describe(language),
    next: next ? hours.describeMoment(next, now, language) : hours.describe(language),
  });
  return [{ author: 'bot', text }];
}
