import { cannedReply } from '../../domain/canned-replies.js';
import { hasTopicalContent, redactPersonalData, withoutPersonalData } from '../../guardrails/personal-data.js';
import type { AnswerContext, Step } from '../answer-context.js';

/**
 * Replaces personal data (ID, phone and account numbers, tax codes, e-mail, house-number
 * addresses) with typed placeholders before the text is stored, logged or sent to an LLM. A
 * message that was only personal data ("sđt của tôi là 09…") ends the turn with a reply asking
 * what the citizen needs; otherwise the turn goes on and the composer adds a notice.
 */
export function createRedactPersonalDataStep(): Step {
  return {
    name: 'redact-personal-data',
    run(ctx: AnswerContext) {
      const { text, redactions } = redactPersonalData(ctx.text);
      if (redactions.length === 0) return;
      ctx.text = text;
      ctx.topicText = withoutPersonalData(text);
      ctx.redactions = redactions;
      ctx.trace.push('personal_data_redacted');
      // While a status lookup waits for the phone's last digits, a whole phone number is an
      // answer to that question: the lookup step takes its last four digits (the stored text
      // keeps the placeholder).
      if (!hasTopicalContent(text) && !ctx.session.statusLookup) {
        ctx.abort({ status: 'guardrail_personal_data', text: cannedReply('personal_data_only', ctx.language) });
      }
    },
  };
}
