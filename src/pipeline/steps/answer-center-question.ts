import type { CenterKnowledge, CenterTopic } from '../../center/center-knowledge.js';
import { matchCenterTopic } from '../../center/match-center-topic.js';
import type { AnswerStyle, Language } from '../../domain/answer.js';
import type { AnswerContext, Step } from '../answer-context.js';

export interface AnswerCenterQuestionDeps {
  /** The team's knowledge about the Center; null when the file is missing (the step then does nothing). */
  center: CenterKnowledge | null;
}

/**
 * Questions about the Center itself ("trung tâm làm việc giờ nào", "tổng đài bao nhiêu",
 * "iHanoi là gì") are answered from the team's center.json and end the turn: retrieval would
 * only find an unrelated procedure. Runs after routing, so only messages routed as a new
 * procedure question are considered; follow-ups on a procedure keep their procedure.
 */
export function createAnswerCenterQuestionStep(deps: AnswerCenterQuestionDeps): Step {
  return {
    name: 'answer-center-question',
    run(ctx: AnswerContext) {
      if (!deps.center || ctx.intent !== 'procedure_question') return;
      const topic = matchCenterTopic(ctx.topicText, deps.center);
      if (!topic) return;
      ctx.trace.push(`center:${topic.id}`);
      // Not a procedure: no citation, and the conversation's current procedure stays as it was.
      ctx.abort({ status: 'answered', text: centerAnswerText(topic, ctx.input.style, ctx.language), citations: [] });
    },
  };
}

/** The topic's text for the channel and language; Vietnamese when no English text was written. */
export function centerAnswerText(topic: CenterTopic, style: AnswerStyle, language: Language): string {
  if (style === 'voice') return (language === 'en' ? topic.voiceAnswerEn : undefined) ?? topic.voiceAnswer;
  return (language === 'en' ? topic.answerEn : undefined) ?? topic.answer;
}
