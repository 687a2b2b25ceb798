import { isAbuse } from '../../conversation/abuse.js';
import { detectEnglishAspect } from '../../conversation/english-aspects.js';
import { isFollowUp } from '../../conversation/follow-up.js';
import { detectHandoff } from '../../conversation/handoff.js';
import { chooseOption } from '../../conversation/option-choice.js';
import { isOutOfScope } from '../../conversation/out-of-scope.js';
import { detectSmalltalk } from '../../conversation/smalltalk.js';
import { cannedReply } from '../../domain/canned-replies.js';
import { detectAspect } from '../../text/aspects.js';
import type { AnswerContext, Step } from '../answer-context.js';

/**
 * Decides what the message is, in policy order: abuse, a request for a person or a complaint
 * about one, an answer to a pending clarification, smalltalk, clearly out of scope, a follow-up
 * on the current procedure, else a procedure question. Ends the turn for the first four kinds
 * that need no retrieval.
 */
export function createRouteIntentStep(): Step {
  return {
    name: 'route-intent',
    run(ctx: AnswerContext) {
      const text = ctx.topicText;
      ctx.aspect = detectAspect(text) ?? (ctx.language === 'en' ? detectEnglishAspect(text) : null);
      const lang = ctx.language;

      if (isAbuse(text)) {
        ctx.intent = 'abuse';
        ctx.abort({ status: 'guardrail_abuse', text: cannedReply('abuse', lang) });
        return;
      }
      const handoff = detectHandoff(text);
      if (handoff) {
        ctx.intent = 'handoff';
        ctx.trace.push(`handoff:${handoff}`);
        ctx.abort({ status: 'handoff_requested', text: cannedReply(handoff === 'complaint' ? 'complaint_handoff' : 'handoff_requested', lang), handoff: true });
        return;
      }
      const pending = ctx.session.pendingOptions;
      if (pending && pending.length > 0) {
        const chosen = chooseOption(text, pending);
        if (chosen) {
          ctx.intent = 'option_choice';
          ctx.chosenOption = chosen;
          return;
        }
      }
      const smalltalk = detectSmalltalk(text);
      if (smalltalk) {
        ctx.intent = 'smalltalk';
        ctx.abort({ status: 'answered_smalltalk', text: cannedReply(smalltalk, lang) });
        return;
      }
      if (isOutOfScope(text)) {
        ctx.intent = 'out_of_scope';
        ctx.abort({ status: 'unanswerable_out_of_scope', text: cannedReply('out_of_scope', lang) });
        return;
      }
      ctx.intent = ctx.session.currentProcedureId !== null && isFollowUp(text, ctx.aspect !== null) ? 'follow_up' : 'procedure_question';
    },
  };
}
