import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroundedComposer } from '../../../src/answer/grounded-composer.js';
import { type CenterKnowledge, loadCenterKnowledge } from '../../../src/center/center-knowledge.js';
import type { AnswerStyle } from '../../../src/domain/answer.js';
import { AnswerContext } from '../../../src/pipeline/answer-context.js';
import { createAnswerPipeline } from '../../../src/pipeline/answer-pipeline.js';
import { AnswerService } from '../../../src/pipeline/answer-service.js';
import { createAnswerCenterQuestionStep } from '../../../src/pipeline/steps/answer-center-question.js';
import type { QaLogStore, QaTurn } from '../../../src/qa-log/qa-log-store.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { makeProcedure, procedureMap } from '../../support/procedures.js';
import { ranked, ScriptedRetriever } from '../../support/scripted-retriever.js';
import { session } from '../conversation/helpers.js';

const center = loadCenterKnowledge(path.resolve(import.meta.dirname, '../../../knowledge')) as CenterKnowledge;
const topic = (id: string) => center.topics.find((t) => t.id === id)!;

class MemoryQaLog implements QaLogStore {
  readonly turns: QaTurn[] = [];
  async record(turn: QaTurn) {
    this.turns.push(turn);
  }
  async recent(limit: number) {
    return this.turns.slice(-limit).reverse();
  }
  async count() {
    return this.turns.length;
  }
  async close() {}
}

const BIRTH = makeProcedure({
  id: '1.001193',
  name: 'Đăng ký khai sinh',
  agency: 'UBND cấp xã',
  field: 'Hộ tịch',
  channels: [{ kind: 'in_person', label: 'Trực tiếp', processingTime: 'Ngay trong ngày', fee: 'Miễn lệ phí' }],
  documents: [{ name: 'Tờ khai đăng ký khai sinh', quantity: '1 bản chính', forms: [] }],
  steps: 'Nộp hồ sơ tại Bộ phận một cửa của UBND cấp xã.',
});

function service(withCenter: CenterKnowledge | null = center) {
  const retriever = new ScriptedRetriever(() => ranked(BIRTH.id));
  const grounded = new GroundedComposer();
  const steps = createAnswerPipeline({
    procedures: procedureMap([BIRTH]),
    retriever,
    composer: grounded,
    grounded,
    maxMessageChars: 2000,
    center: withCenter,
  });
  const qaLog = new MemoryQaLog();
  const answers = new AnswerService({ steps, sessions: new InMemorySessionStore(), qaLog, log: { error: () => undefined }, turnTimeoutMs: 5000 });
  return { answers, retriever, qaLog };
}

describe('answer-center-question through the answer pipeline', () => {
  it('answers a question about the Center from center.json, without retrieval', async () => {
    const { answers, retriever, qaLog } = service();
    const out = await answers.handle({ channel: 'web', message: 'trung tâm làm việc giờ nào' });
    expect(out.status).toBe('answered');
    expect(out.text).toBe(topic('opening_hours').answer);
    expect(out.citations).toEqual([]);
    expect(retriever.queries).toHaveLength(0);
    expect(qaLog.turns[0]?.status).toBe('answered');
    expect(qaLog.turns[0]?.procedureIds).toEqual([]);
  });

  it('still sends a procedure question to retrieval', async () => {
    const { answers, retriever } = service();
    const out = await answers.handle({ channel: 'web', message: 'đăng ký khai sinh nộp ở đâu' });
    expect(retriever.queries.length).toBeGreaterThan(0);
    expect(out.status).toBe('answered');
    expect(out.citations.map((c) => c.id)).toEqual([BIRTH.id]);
  });

  it('gives the voice answer to a voice channel and English text to an English question', async () => {
    const { answers } = service();
    const voice = await answers.handle({ channel: 'phone', message: 'tong dai bao nhieu', style: 'voice' });
    expect(voice.text).toBe(topic('hotline').voiceAnswer);
    const en = await answers.handle({ channel: 'web', message: 'What are your opening hours?' });
    expect(en.language).toBe('en');
    expect(en.text).toBe(topic('opening_hours').answerEn);
  });

  it('leaves a follow-up on the current procedure with that procedure', async () => {
    const { answers, retriever } = service();
    const first = await answers.handle({ channel: 'web', message: 'đăng ký khai sinh cần giấy tờ gì' });
    expect(first.citations.map((c) => c.id)).toEqual([BIRTH.id]);
    // "nộp online được không" is an online-submission cue, but here it continues the birth registration.
    const next = await answers.handle({ channel: 'web', sessionId: first.sessionId, message: 'nộp online được không' });
    expect(next.citations.map((c) => c.id)).toEqual([BIRTH.id]);
    expect(retriever.queries.length).toBeGreaterThan(0);
  });

  it('without center knowledge, the Center question goes to retrieval as before', async () => {
    const { answers, retriever } = service(null);
    await answers.handle({ channel: 'web', message: 'trung tâm làm việc giờ nào' });
    expect(retriever.queries.length).toBeGreaterThan(0);
  });
});

describe('createAnswerCenterQuestionStep', () => {
  const step = createAnswerCenterQuestionStep({ center });
  function ctx(text: string, style: AnswerStyle = 'chat') {
    return new AnswerContext({ text, channel: 'web', style }, session(), new AbortController().signal);
  }

  it('ends the turn and leaves a trace with the topic id', async () => {
    const c = ctx('iHanoi là gì');
    await step.run(c);
    expect(c.result?.status).toBe('answered');
    expect(c.result?.citations).toEqual([]);
    expect(c.trace).toContain('center:ihanoi');
  });

  it('does nothing for a message routed elsewhere, or that is not about the Center', async () => {
    const followUp = ctx('tổng đài bao nhiêu');
    followUp.intent = 'follow_up';
    await step.run(followUp);
    expect(followUp.done).toBe(false);
    const procedure = ctx('làm hộ chiếu mất bao lâu');
    await step.run(procedure);
    expect(procedure.done).toBe(false);
    expect(procedure.trace).toEqual([]);
  });

  it('falls back to Vietnamese when a topic has no English text', async () => {
    const noEnglish = { ...center, topics: center.topics.map((t) => ({ ...t, answerEn: undefined, voiceAnswerEn: undefined })) };
    const c = ctx('what are your opening hours');
    c.language = 'en';
    await createAnswerCenterQuestionStep({ center: noEnglish }).run(c);
    expect(c.result?.text).toBe(topic('opening_hours').answer);
  });
});
