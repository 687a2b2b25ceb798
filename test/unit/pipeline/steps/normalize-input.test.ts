import { describe, expect, it } from 'vitest';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import { newSession } from '../../../../src/domain/conversation.js';
import { AnswerContext } from '../../../../src/pipeline/answer-context.js';
import { createNormalizeInputStep } from '../../../../src/pipeline/steps/normalize-input.js';

function contextFor(text: string): AnswerContext {
  return new AnswerContext({ text, channel: 'web', style: 'chat' }, newSession({ channel: 'web', userId: 'u' }, 's1', new Date()), new AbortController().signal);
}

describe('normalize-input step', () => {
  it('is named for traces', () => {
    expect(createNormalizeInputStep().name).toBe('normalize-input');
  });

  it('writes the cleaned text and goes on', async () => {
    const ctx = contextFor('  đăng\u200B ký   khai sinh\u202E \uFEFF ');
    await createNormalizeInputStep().run(ctx);
    expect(ctx.text).toBe('đăng ký khai sinh');
    expect(ctx.done).toBe(false);
    expect(ctx.trace).toEqual([]);
  });

  it('ends the turn when nothing is left', async () => {
    for (const text of ['', '   ', '\u200B\u200C', '\u{E0041}\u{E0042}']) {
      const ctx = contextFor(text);
      await createNormalizeInputStep().run(ctx);
      expect(ctx.result).toEqual({ status: 'unanswerable_no_content', text: cannedReply('empty', 'vi'), citations: [], handoff: false });
    }
  });

  it('answers an empty message in the citizen language', async () => {
    const ctx = contextFor(' ');
    ctx.language = 'en';
    await createNormalizeInputStep().run(ctx);
    expect(ctx.result?.text).toBe(cannedReply('empty', 'en'));
  });

  it('cuts a long message, notes it in the trace and goes on', async () => {
    const ctx = contextFor('thủ tục '.repeat(50));
    await createNormalizeInputStep({ maxChars: 40 }).run(ctx);
    expect(ctx.text.length).toBeLessThanOrEqual(40);
    expect(ctx.trace).toEqual(['truncated']);
    expect(ctx.done).toBe(false);
  });

  it('uses 2,000 characters by default', async () => {
    const ctx = contextFor('a '.repeat(1500));
    await createNormalizeInputStep().run(ctx);
    expect(ctx.text.length).toBeLessThanOrEqual(2000);
    expect(ctx.trace).toContain('truncated');
  });

  it('rejects a bad limit when the pipeline is built', () => {
    expect(() => createNormalizeInputStep({ maxChars: 0 })).toThrow(RangeError);
  });
});
