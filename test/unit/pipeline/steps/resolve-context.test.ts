import { describe, expect, it } from 'vitest';
import { createResolveContextStep } from '../../../../src/pipeline/steps/resolve-context.js';
import { rec } from '../../catalogue/fixtures.js';
import { context } from '../../conversation/helpers.js';

const birth = rec('normalised_jsonl', { id: '1.001193', name: 'Thủ tục đăng ký khai sinh' });
const marriage = rec('normalised_jsonl', { id: '1.000894', name: 'Thủ tục đăng ký kết hôn' });
const step = createResolveContextStep({ procedures: new Map([birth, marriage].map((p) => [p.id, p])) });

describe('resolve-context', () => {
  it('binds a follow-up to the current procedure and keeps the detected aspect', () => {
    const ctx = context('còn lệ phí thì sao?', { currentProcedureId: '1.001193', currentAspect: 'documents' });
    ctx.intent = 'follow_up';
    ctx.aspect = 'fee';
    step.run(ctx);
    expect(ctx.procedure?.id).toBe('1.001193');
    expect(ctx.aspect).toBe('fee');
  });

  it('a follow-up with no aspect asks for the overview (aspect stays null)', () => {
    const ctx = context('thủ tục này thì sao', { currentProcedureId: '1.001193', currentAspect: 'fee' });
    ctx.intent = 'follow_up';
    step.run(ctx);
    expect(ctx.procedure?.id).toBe('1.001193');
    expect(ctx.aspect).toBeNull();
  });

  it('binds an option choice to the chosen procedure', () => {
    const ctx = context('2');
    ctx.intent = 'option_choice';
    ctx.chosenOption = { id: '1.000894', name: 'Thủ tục đăng ký kết hôn' };
    step.run(ctx);
    expect(ctx.procedure?.id).toBe('1.000894');
  });

  it('a current procedure that left the catalogue makes it a new question', () => {
    const ctx = context('còn lệ phí thì sao?', { currentProcedureId: '9.999999' });
    ctx.intent = 'follow_up';
    step.run(ctx);
    expect(ctx.procedure).toBeUndefined();
    expect(ctx.intent).toBe('procedure_question');
  });

  it('leaves procedure questions to retrieval', () => {
    const ctx = context('đăng ký khai sinh', { currentProcedureId: '1.000894' });
    step.run(ctx);
    expect(ctx.procedure).toBeUndefined();
  });
});
