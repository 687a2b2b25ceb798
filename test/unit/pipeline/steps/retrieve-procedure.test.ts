import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSharedCatalogue } from '../../../../evals/load-shared-catalogue.js';
import { clarificationOptions } from '../../../../src/conversation/clarification-rule.js';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import type { Procedure } from '../../../../src/domain/procedure.js';
import type { Step } from '../../../../src/pipeline/answer-context.js';
import { createRetrieveProcedureStep } from '../../../../src/pipeline/steps/retrieve-procedure.js';
import { LexicalRetriever } from '../../../../src/retrieval/lexical-retriever.js';
import type { Retriever } from '../../../../src/retrieval/retriever.js';
import { loadLexicon } from '../../../../src/text/lexicon.js';
import { context } from '../../conversation/helpers.js';

let step: Step;
let procedures: Map<string, Procedure>;

beforeAll(async () => {
  const list = await loadSharedCatalogue();
  procedures = new Map(list.map((p) => [p.id, p]));
  const retriever = LexicalRetriever.build(list, loadLexicon(path.resolve(import.meta.dirname, '../../../../knowledge/lexicon.json')));
  step = createRetrieveProcedureStep({ retriever, procedures });
});

async function run(text: string) {
  const ctx = context(text);
  await step.run(ctx);
  return ctx;
}

describe('retrieve-procedure on the real catalogue', () => {
  it.each([
    ['đăng ký khai sinh', 'Thủ tục đăng ký khai sinh'],
    ['dang ky khai sinh', 'Thủ tục đăng ký khai sinh'],
    ['Đăng ký kết hôn cần mang theo những giấy tờ gì?', 'Thủ tục đăng ký kết hôn'],
    ['đăng ký thường trú', 'Đăng ký thường trú'],
    ['làm lại thẻ căn cước bị mất', 'Cấp lại thẻ căn cước'],
    ['lệ phí đăng ký khai sinh', 'Thủ tục đăng ký khai sinh'],
  ])('clear winner: %s', async (text, name) => {
    const ctx = await run(text);
    expect(ctx.done).toBe(false);
    expect(ctx.procedure?.name).toBe(name);
    expect(ctx.hits.length).toBeGreaterThan(0);
  });

  it('a quoted official code wins outright', async () => {
    const ctx = await run('cho hỏi thủ tục 1.001193');
    expect(ctx.procedure?.id).toBe('1.001193');
  });

  it.each(['làm lại giấy tờ bị mất', 'đăng ký xe', 'xin giấy phép', 'lam lai giay to bi mat', 'cấp lại', 'thủ tục khiếu nại', 'chứng thực'])(
    'generic question clarifies: %s',
    async (text) => {
      const ctx = await run(text);
      expect(ctx.result?.status).toBe('clarification');
      const options = ctx.result!.options!;
      expect(options.length).toBeGreaterThanOrEqual(2);
      expect(options.length).toBeLessThanOrEqual(4);
      expect(new Set(options.map((o) => o.name)).size).toBe(options.length);
      expect(ctx.options).toEqual(options);
      const expected = `${cannedReply('clarification', 'vi')}\n${options.map((o, i) => `${i + 1}. ${o.name}`).join('\n')}`;
      expect(ctx.result!.text).toBe(expected);
    },
  );

  it.each(['xyzzy qwerty', 'Cách nấu phở bò ngon tại nhà?', 'thủ tục'])('no content: %s', async (text) => {
    const ctx = await run(text);
    expect(ctx.result).toMatchObject({ status: 'unanswerable_no_content', text: cannedReply('no_content', 'vi') });
  });

  it('answers in English when the citizen wrote English', async () => {
    const ctx = context('xyzzy qwerty');
    ctx.language = 'en';
    await step.run(ctx);
    expect(ctx.result?.text).toBe(cannedReply('no_content', 'en'));
  });

  it('skips retrieval when the context already resolved a procedure', async () => {
    const calls: string[] = [];
    const spy: Retriever = { search: async (q) => (calls.push(q.text), []) };
    const s = createRetrieveProcedureStep({ retriever: spy, procedures });
    const ctx = context('còn lệ phí thì sao?');
    ctx.procedure = procedures.get('1.001193');
    await s.run(ctx);
    expect(calls).toEqual([]);
    expect(ctx.done).toBe(false);
  });
});

describe('clarification options', () => {
  const names: Record<string, string> = {
    a: 'Cấp lại thẻ căn cước',
    b: 'Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)',
    c: 'Cấp lại thẻ căn cước (thực hiện tại cấp xã)',
    d: 'Cấp lại hộ chiếu',
    e: 'Cấp lại giấy phép lái xe',
    f: 'Cấp lại thẻ ABTC',
  };
  const nameOf = (id: string) => names[id];

  it('offers a level variant only when its score is close to its sibling', () => {
    const far = clarificationOptions([{ procedureId: 'b', score: 100 }, { procedureId: 'c', score: 80 }, { procedureId: 'd', score: 79 }], nameOf);
    expect(far.map((o) => o.id)).toEqual(['b', 'd']);
    const close = clarificationOptions([{ procedureId: 'b', score: 100 }, { procedureId: 'c', score: 95 }, { procedureId: 'd', score: 79 }], nameOf);
    expect(close.map((o) => o.id)).toEqual(['b', 'c', 'd']);
  });

  it('caps at four options and drops far-behind ones after two', () => {
    const hits = ['a', 'd', 'e', 'f', 'b'].map((id, i) => ({ procedureId: id, score: 100 - i * 5 }));
    expect(clarificationOptions(hits, nameOf)).toHaveLength(4);
    const spread = clarificationOptions([{ procedureId: 'a', score: 100 }, { procedureId: 'd', score: 40 }, { procedureId: 'e', score: 30 }], nameOf);
    expect(spread.map((o) => o.id)).toEqual(['a', 'd']);
  });
});
