import type { AnswerComposer } from '../answer/answer-composer.js';
import type { CenterKnowledge } from '../center/center-knowledge.js';
import type { AnswerStyle, Language } from '../domain/answer.js';
import type { Procedure } from '../domain/procedure.js';
import type { LocalNotices } from '../knowledge/local-notices.js';
import type { Retriever } from '../retrieval/retriever.js';
import type { Lexicon } from '../text/lexicon.js';
import type { Step } from './answer-context.js';
import { createAnswerCenterQuestionStep } from './steps/answer-center-question.js';
import { createCheckAnswerStep } from './steps/check-answer.js';
import { createComposeAnswerStep } from './steps/compose-answer.js';
import { createDetectInjectionStep } from './steps/detect-injection.js';
import { createDetectLanguageStep } from './steps/detect-language.js';
import { createNormalizeInputStep } from './steps/normalize-input.js';
import { createRedactPersonalDataStep } from './steps/redact-personal-data.js';
import { createResolveContextStep } from './steps/resolve-context.js';
import { createRetrieveProcedureStep } from './steps/retrieve-procedure.js';
import { createRouteIntentStep } from './steps/route-intent.js';
import { createStatusLookupStep, type StatusLookupStepDeps } from './steps/status-lookup.js';

export interface AnswerPipelineDeps {
  procedures: ReadonlyMap<string, Procedure>;
  retriever: Retriever;
  /** The LLM composer when configured, else the grounded one. */
  composer: AnswerComposer;
  /** The grounded composer: the floor every answer falls back to. */
  grounded: AnswerComposer;
  maxMessageChars: number;
  /** The retriever's lexicon: retrieval decisions read the question in the catalogue's words. */
  lexicon?: Lexicon;
  /** The application status lookup ("hồ sơ của tôi đến đâu rồi?"); absent when it is off. */
  statusLookup?: Omit<StatusLookupStepDeps, 'procedures'>;
  /** The team's knowledge about the Center itself (hours, hotline, iHanoi…); absent or null: no such answers. */
  center?: CenterKnowledge | null;
  /** The Center's notices around an answer (online-only, recently changed, Hanoi notes). */
  localNotices?: (procedureId: string, style: AnswerStyle, language: Language) => LocalNotices;
}

/**
 * THE answer policy, in order. Each step may end the turn with a status and a reply; the
 * ones after it do not run. Read top to bottom, this list is what the assistant does with a
 * citizen's message.
 */
export function createAnswerPipeline(d: AnswerPipelineDeps): Step[] {
  return [
    // Clean the text: invisible and tag characters out, length capped, empty refused.
    createNormalizeInputStep({ maxChars: d.maxMessageChars }),
    // Answer in the language the citizen wrote (Vietnamese, or English).
    createDetectLanguageStep(),
    // Personal data is replaced by typed placeholders before anything is stored or sent on.
    createRedactPersonalDataStep(),
    // "Hồ sơ của tôi đến đâu rồi?": receipt code, then the phone's last four digits, then the status.
    ...(d.statusLookup ? [createStatusLookupStep({ ...d.statusLookup, procedures: d.procedures })] : []),
    // Attempts to change the assistant's instructions are refused.
    createDetectInjectionStep(),
    // Small talk, requests for a person, abuse and out-of-scope questions end here.
    createRouteIntentStep(),
    // Questions about the Center itself (hours, hotline, iHanoi, agents) are answered from center.json.
    ...(d.center ? [createAnswerCenterQuestionStep({ center: d.center })] : []),
    // A follow-up ("còn lệ phí?") or a chosen option refers to a procedure already known.
    createResolveContextStep({ procedures: d.procedures }),
    // Otherwise find the procedure; ask back when candidates are close, admit when none fits.
    createRetrieveProcedureStep({ retriever: d.retriever, procedures: d.procedures, ...(d.lexicon ? { lexicon: d.lexicon } : {}) }),
    // Write the answer from the record, for the aspect asked.
    createComposeAnswerStep({ composer: d.composer, fallback: d.grounded, procedures: d.procedures }),
    // Nothing reaches the citizen that the record does not say.
    createCheckAnswerStep({ fallback: d.grounded, procedures: d.procedures, ...(d.localNotices ? { localNotices: d.localNotices } : {}) }),
  ];
}
