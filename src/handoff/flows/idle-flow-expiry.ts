import type { InboundFlow } from '../../channels/handle-inbound.js';
import { bot, type HandoffFlowDeps } from './handoff-flow-deps.js';
import { endFlow, FLOW_IDLE_MS, isIdle } from './handoff-flow-state.js';
import { hasPhoneLikeDigits } from './phone-number.js';
import { isShortReply } from './read-choice.js';

/**
 * Runs before the handoff flows: a flow left without an answer for `idleMs` (10 minutes) is
 * forgotten, with nothing it gathered stored (a consent, a number waiting for confirmation).
 * A short reply or a number that would have answered it is told so; anything longer is a new
 * question and goes on to the pipeline (which redacts any number in it before storing).
 */
export function createIdleFlowExpiry(deps: Pick<HandoffFlowDeps, 'idleMs'>): InboundFlow {
  const idleMs = deps.idleMs ?? FLOW_IDLE_MS;
  return {
    name: 'handoff-flow-expiry',
    async run(msg, session, tools) {
      const state = session.handoffFlow;
      if (!state || !isIdle(state, tools.now(), idleMs)) return null;
      endFlow(session);
      await tools.sessions.save(session);
      if (isShortReply(msg.text, 3) || hasPhoneLikeDigits(msg.text)) return bot('flow_expired', state.language);
      return null;
    },
  };
}
