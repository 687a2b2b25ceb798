import { describe, expect, it } from 'vitest';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import { newSession } from '../../../../src/domain/conversation.js';
import { AnswerContext } from '../../../../src/pipeline/answer-context.js';
import { createRedactPersonalDataStep } from '../../../../src/pipeline/steps/redact-personal-data.js';

function contextFor(text: string): AnswerContext {
  return new AnswerContext({ text, channel: 'web', style: 'chat' }, newSession({ channel: 'web', userId: 'u' }, 's1', new Date()), new AbortController().signal);
}

describe('redact-personal-data step', () => {
  it('is named for traces', () => {
    expect(createRedactPersonalDataStep().name).toBe('redact-personal-data');
  });

  it('replaces personal data, records the kinds and goes on', async () => {
    const ctx = contextFor('CCCD 001234567890 của tôi bị mất, sđt 0912345678, làm lại ở đâu?');
    await createRedactPersonalDataStep().run(ctx);
    expect(ctx.text).toBe('CCCD [CCCD] của tôi bị mất, sđt [SĐT], làm lại ở đâu?');
    expect(ctx.redactions).toEqual([
      { kind: 'cccd', placeholder: '[CCCD]' },
      { kind: 'phone', placeholder: '[SĐT]' },
    ]);
    expect(ctx.trace).toEqual(['personal_data_redacted']);
    expect(ctx.done).toBe(false);
  });

  it('leaves a message without personal data alone', async () => {
    const text = 'Thủ tục 1.000894 theo 123/2015/NĐ-CP, lệ phí 50.000 đồng, 15 ngày?';
    const ctx = contextFor(text);
    await createRedactPersonalDataStep().run(ctx);
    expect(ctx.text).toBe(text);
    expect(ctx.redactions).toEqual([]);
    expect(ctx.trace).toEqual([]);
    expect(ctx.done).toBe(false);
  });

  it.each([
    'Số điện thoại của tôi là 0912345678',
    'Xin chào, CCCD 001234567890 ạ',
    'email: lan@gmail.com',
    '0912345678',
    'Tôi ở số 12 ngõ 34',
  ])('ends the turn when only personal data was sent: %j', async (text) => {
    const ctx = contextFor(text);
    await createRedactPersonalDataStep().run(ctx);
    expect(ctx.result).toEqual({ status: 'guardrail_personal_data', text: cannedReply('personal_data_only', 'vi'), citations: [], handoff: false });
    expect(ctx.text).not.toMatch(/\d{6}|@/);
    expect(ctx.trace).toContain('personal_data_redacted');
  });

  it('replies in the citizen language', async () => {
    const ctx = contextFor('my phone number is 0912345678');
    ctx.language = 'en';
    await createRedactPersonalDataStep().run(ctx);
    expect(ctx.result?.text).toBe(cannedReply('personal_data_only', 'en'));
  });
});
