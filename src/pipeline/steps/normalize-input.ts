import { cannedReply } from '../../domain/canned-replies.js';
import { sanitizeInput } from '../../guardrails/sanitize-input.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface NormalizeInputOptions {
  /** Characters kept from a message; longer messages are cut and the turn notes `truncated`. */
  maxChars?: number;
}

/**
 * Cleans the message before any other step reads it (invisible and tag characters out, NFC,
 * whitespace collapsed, length capped). A message with nothing left ends the turn; a cut one
 * goes on with `truncated` in the trace, for which the composer adds a notice.
 */
export function createNormalizeInputStep(options: NormalizeInputOptions = {}): Step {
  const sanitizeOptions = options.maxChars === undefined ? {} : { maxChars: options.maxChars };
  // A bad limit fails when the pipeline is built, not on the first message.
  sanitizeInput('', sanitizeOptions);
  return {
    name: 'normalize-input',
    run(ctx: AnswerContext) {
      const cleaned = sanitizeInput(ctx.text, sanitizeOptions);
      ctx.text = cleaned.text;
      if (cleaned.text === '') {
        ctx.abort({ status: 'unanswerable_no_content', text: cannedReply('empty', ctx.language) });
        return;
      }
      if (cleaned.truncated) ctx.trace.push('truncated');
    },
  };
}
