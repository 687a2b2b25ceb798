import type { InboundFlow } from '../../channels/handle-inbound.js';
import { detectLanguage } from '../../conversation/language.js';
import { cannedReply } from '../../domain/canned-replies.js';
import { redactPersonalData } from '../../guardrails/personal-data.js';
import { bot, type HandoffFlowDeps } from './handoff-flow-deps.js';
import { startFlow } from './handoff-flow-state.js';
import { detectFeedbackIntent } from './feedback-intent.js';
import { takeContent } from './leave-message-flow.js';

/** Said this much beyond "tôi muốn phản ánh", the opening message is the content: filed at once. */
const FILE_AT_ONCE_WORDS = 10;

/**
 * Feedback and complaints taken down by the bot: "tôi muốn phản ánh / kiến nghị / góp ý",
 * "khiếu nại về thái độ cán bộ" → the bot asks for the content (what happened, the procedure
 * and the place) → a `feedback` or `complaint` ticket → a confirmation with its reference.
 * What the opening message already said is kept at the head of the ticket; said at length, it
 * is filed at once. See `feedback-intent.ts` for what stays with the handoff detector.
 */
export function createFeedbackFlow(deps: HandoffFlowDeps): InboundFlow {
  return {
    name: 'feedback',
    async run(msg, session, tools) {
      const now = tools.now();
      const state = session.handoffFlow;
      if (state) {
        if (state.kind !== 'feedback' && state.kind !== 'complaint') return null;
        const kind = state.kind;
        return takeContent(msg, session, tools, deps, kind, (ref, back) =>
          bot('flow_feedback_saved', state.language, { ref, back, what: cannedReply(kind === 'complaint' ? 'flow_what_complaint' : 'flow_what_feedback', state.language) }),
        );
      }
      const intent = detectFeedbackIntent(msg.text);
      if (!intent) return null;
      const language = detectLanguage(msg.text);
      const what = cannedReply(intent.kind === 'complaint' ? 'flow_what_complaint' : 'flow_what_feedback', language);
      if (intent.contentWords >= FILE_AT_ONCE_WORDS) {
        startFlow(session, intent.kind, 'content', language, now);
        return takeContent(msg, session, tools, deps, intent.kind, (ref, back) => bot('flow_feedback_saved', language, { ref, back, what }));
      }
      const draft = intent.contentWords > 0 ? redactPersonalData(msg.text).text.trim() : undefined;
      startFlow(session, intent.kind, 'content', language, now, draft ? { draft } : {});
      await tools.sessions.save(session);
      return bot('flow_feedback_prompt', language, { what });
    },
  };
}
