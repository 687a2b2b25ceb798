import type { InboundFlow } from '../../channels/handle-inbound.js';
import { createCallbackFlow } from './callback-flow.js';
import { createFeedbackFlow } from './feedback-flow.js';
import type { HandoffFlowDeps } from './handoff-flow-deps.js';
import { createIdleFlowExpiry } from './idle-flow-expiry.js';
import { createLeaveMessageFlow } from './leave-message-flow.js';
import { createOfficeHoursOfferFlow } from './office-hours-offer-flow.js';

/**
 * The handoff flows in the order the InboundHandler must try them: an idle flow is forgotten
 * first; a flow in progress is continued by the one flow of its kind (only one is in progress
 * at a time, in `session.handoffFlow`); with none in progress, the first whose opening words
 * match starts — feedback intake before the out-of-hours offer, so "tôi muốn khiếu nại về thái
 * độ cán bộ" is taken down as a complaint rather than offered a person who is not there.
 */
export function createHandoffFlows(deps: HandoffFlowDeps): InboundFlow[] {
  return [
    createIdleFlowExpiry(deps),
    createFeedbackFlow(deps),
    createCallbackFlow(deps),
    createLeaveMessageFlow(deps),
    createOfficeHoursOfferFlow(deps),
  ];
}
