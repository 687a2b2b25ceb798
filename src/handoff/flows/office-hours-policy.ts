import type { HandoffPolicy } from '../../channels/handle-inbound.js';
import type { InboundMessage } from '../../channels/inbound-message.js';
import type { OutboundMessage } from '../../channels/channel-sender.js';
import type { Session, SessionStore } from '../../domain/conversation.js';
import { detectLanguage } from '../../conversation/language.js';
import { redactPersonalData } from '../../guardrails/personal-data.js';
import type { HandoffReason } from '../handoff-queue.js';
import type { OfficeHours } from './office-hours.js';
import { offerOutOfHours } from './out-of-hours-offer.js';

export interface OfficeHoursPolicyDeps {
  hours: OfficeHours;
  sessions: SessionStore;
  now?: () => Date;
}

/**
 * Inside office hours a conversation that needs a person is queued; outside them the citizen is
 * offered a message, a call-back or the hotline instead (see `offerOutOfHours`), and the choice
 * is taken by the flows on the next message.
 */
export class OfficeHoursPolicy implements HandoffPolicy {
  private readonly now: () => Date;

  constructor(private readonly deps: OfficeHoursPolicyDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async decide(msg: InboundMessage, reason: HandoffReason, session: Session): Promise<'enqueue' | OutboundMessage[]> {
    const now = this.now();
    if (this.deps.hours.isOpen(now)) return 'enqueue';
    const complaint = reason === 'complaint' ? redactPersonalData(msg.text).text : undefined;
    return offerOutOfHours({
      session,
      sessions: this.deps.sessions,
      hours: this.deps.hours,
      now,
      language: detectLanguage(msg.text),
      ...(complaint ? { complaint } : {}),
    });
  }
}
