import { AnswerContext } from '../../../src/pipeline/answer-context.js';
import { newSession, type Session } from '../../../src/domain/conversation.js';

export function session(over: Partial<Session> = {}): Session {
  return { ...newSession({ channel: 'web', userId: 'u1' }, 'sid', new Date('2026-01-01T00:00:00Z')), ...over };
}

export function context(text: string, over: Partial<Session> = {}): AnswerContext {
  return new AnswerContext({ text, channel: 'web', style: 'chat' }, session(over), new AbortController().signal);
}
