import { cannedReply } from '../../domain/canned-replies.js';
import type { Procedure } from '../../domain/procedure.js';
import { type AnswerComposer, collectAnswer, type ComposeInput } from '../../answer/answer-composer.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface ComposeAnswerOptions {
  composer: AnswerComposer;
  /** The grounded composer: used when the main composer fails, and as the main one without an LLM. */
  fallback: AnswerComposer;
  procedures: ReadonlyMap<string, Procedure>;
  /** How many other retrieved records the composer may see. */
  relatedCount?: number;
}

/**
 * Writes the draft answer for the resolved procedure. A composer that fails (LLM down, timeout)
 * never fails the turn: the grounded composer answers instead and the status says so.
 */
export function createComposeAnswerStep(options: ComposeAnswerOptions): Step {
  const relatedCount = options.relatedCount ?? 2;
  return {
    name: 'compose-answer',
    async run(ctx: AnswerContext) {
      const procedure = ctx.procedure;
      if (!procedure) {
        ctx.abort({ status: 'unanswerable_no_content', text: cannedReply('no_content', ctx.language) });
        return;
      }
      const related = ctx.hits
        .filter((h) => h.procedureId !== procedure.id)
        .slice(0, relatedCount)
        .map((h) => options.procedures.get(h.procedureId))
        .filter((p): p is Procedure => p !== undefined);
      const input: ComposeInput = { question: ctx.text, procedure, related, aspect: ctx.aspect, style: ctx.input.style, language: ctx.language };
      try {
        const { text, citations } = await collectAnswer(options.composer.compose(input, { signal: ctx.signal }));
        ctx.draft = { status: 'answered', text, citations };
        ctx.composerId = options.composer.id;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        ctx.trace.push(`composer_failed:${options.composer.id}`);
        const { text, citations } = await collectAnswer(options.fallback.compose(input, { signal: ctx.signal }));
        ctx.draft = { status: options.composer === options.fallback ? 'answered' : 'answered_fallback', text, citations };
        ctx.composerId = options.fallback.id;
      }
    },
  };
}

/** Short notices that go before the answer: what the guardrails did to the message. */
export function noticesFor(ctx: AnswerContext): string[] {
  const notices: string[] = [];
  if (ctx.trace.includes('truncated')) notices.push(cannedReply('too_long', ctx.language));
  if (ctx.redactions.length > 0) notices.push(cannedReply('personal_data_notice', ctx.language));
  return notices;
}
