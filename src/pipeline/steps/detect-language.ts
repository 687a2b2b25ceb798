import { detectLanguage } from '../../conversation/language.js';
import type { AnswerContext, Step } from '../answer-context.js';

/** Sets `ctx.language`: answers follow the language the citizen wrote in. */
export function createDetectLanguageStep(): Step {
  return {
    name: 'detect-language',
    run(ctx: AnswerContext) {
      ctx.language = detectLanguage(ctx.text);
    },
  };
}
