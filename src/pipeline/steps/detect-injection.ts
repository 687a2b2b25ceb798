import { cannedReply } from '../../domain/canned-replies.js';
import { detectInjection } from '../../guardrails/injection.js';
import type { AnswerContext, Step } from '../answer-context.js';

/**
 * Refuses messages that try to change or reveal the assistant's instructions, play a persona,
 * fake conversation turns or smuggle encoded commands. The reply is fixed and never repeats the
 * message; the trace records which signal families fired, not the text.
 */
export function createDetectInjectionStep(): Step {
  return {
    name: 'detect-injection',
    run(ctx: AnswerContext) {
      const verdict = detectInjection(ctx.text);
      if (!verdict.injection) return;
      for (const signal of verdict.signals) ctx.trace.push(`injection:${signal}`);
      ctx.abort({ status: 'guardrail_injection', text: cannedReply('injection', ctx.language) });
    },
  };
}
