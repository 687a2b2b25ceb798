import { describe, expect, it } from 'vitest';
import type { AnswersDatasets } from '../../../evals/answers-dataset.js';
import { checkVoiceAnswer, runVoiceCheck, voiceCheckLines } from '../../../evals/voice-answer-check.js';

describe('checkVoiceAnswer', () => {
  it('speaks the reply first, so numbers and abbreviations the voice can read are no problem', () => {
    expect(checkVoiceAnswer('Lệ phí 50.000 đồng, nộp tại UBND phường.')).toEqual({ spoken: 'Lệ phí năm mươi nghìn đồng, nộp tại Ủy ban nhân dân phường.', problems: [] });
  });

  it('reports a reply too long to hear and an empty reply', () => {
    expect(checkVoiceAnswer('Một. Hai. Ba. Bốn.').problems).toEqual(['sentences: 4 (at most 3)']);
    expect(checkVoiceAnswer('').problems).toEqual(['empty: no answer to speak']);
  });
});

describe('runVoiceCheck with a scripted service', () => {
  const asked: { message: string; channel: string; style?: string; sessionId?: string }[] = [];
  const service = {
    async handle(input: { sessionId?: string; channel: string; message: string; style?: 'chat' | 'voice' }) {
      asked.push(input);
      const base = { sessionId: input.sessionId ?? 'new', status: 'answered' };
      if (input.message === 'phí') return { ...base, text: 'Lệ phí 70.000 đồng, thời hạn 7 ngày làm việc.' };
      if (input.message === 'dài') return { ...base, text: 'Một câu. Hai câu. Ba câu. Bốn câu.' };
      if (input.message === 'căn cước') return { ...base, sessionId: 'd1', status: 'clarification', text: 'Anh chị muốn cấp đổi hay cấp lại?' };
      if (input.message === 'cấp lại' && input.sessionId === 'd1') return { ...base, text: 'Cấp lại thẻ căn cước mất 7 ngày làm việc.' };
      if (input.message === 'xin chào') return { ...base, status: 'answered_smalltalk', text: 'Xin chào!' };
      throw new Error('unexpected');
    },
  };
  const datasets: AnswersDatasets = {
    single: [
      { id: 's1', question: 'phí', gold_ids: ['1.000001'], aspect: 'fee', style: 'chat', tags: [] },
      { id: 's2', question: 'dài', gold_ids: ['1.000001'], aspect: null, style: 'chat', tags: [] },
      { id: 's3', question: 'lỗi', gold_ids: ['1.000001'], aspect: null, style: 'chat', tags: [] },
    ],
    dialogues: [{ id: 'd1', turns: [{ message: 'căn cước', expect: { status: 'clarification' } }, { message: 'cấp lại', expect: { status: 'answered' } }] }],
    control: [{ id: 'c1', message: 'xin chào', expect_status: 'answered_smalltalk' }],
  };

  it('asks every message in the voice style, keeps dialogue sessions and counts problem answers', async () => {
    const report = await runVoiceCheck(service, datasets, 2);
    expect(asked.every((a) => a.style === 'voice' && a.channel === 'voice')).toBe(true);
    expect(asked.find((a) => a.message === 'cấp lại')?.sessionId).toBe('d1');
    expect(report.answers).toBe(6);
    expect(report.problems.map((p) => [p.id, p.problems])).toEqual([
      ['s2', ['sentences: 4 (at most 3)']],
      ['s3', ['empty: no answer to speak']],
    ]);
    expect(report.withProblems).toBe(2);
    expect(report.tooLong).toBe(1);
    expect(voiceCheckLines(report)[0]).toBe('voice: 6 answers, 2 with problems (1 only too long)');
  });
});
