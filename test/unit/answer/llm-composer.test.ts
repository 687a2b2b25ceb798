import { beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer, type AnswerEvent } from '../../../src/answer/answer-composer.js';
import { LlmComposer } from '../../../src/answer/llm-composer.js';
import { loadPromptLibrary, type PromptLibrary } from '../../../src/answer/prompt-library.js';
import { LlmError, type ChatDelta, type ChatModel, type ChatRequest } from '../../../src/llm/chat-model.js';
import { makeProcedure } from '../../support/procedures.js';

/** A ChatModel that replays scripted pieces and records what it was asked. */
class FakeChatModel implements ChatModel {
  readonly requests: ChatRequest[] = [];
  constructor(
    readonly id: string,
    private readonly pieces: string[],
    private readonly failAfter?: number,
  ) {}
  async *stream(req: ChatRequest, options: { signal: AbortSignal }): AsyncIterable<ChatDelta> {
    this.requests.push(req);
    for (let i = 0; i < this.pieces.length; i++) {
      options.signal.throwIfAborted();
      if (this.failAfter === i) throw new LlmError('LLM endpoint http://127.0.0.1:1/v1 HTTP 500');
      yield { text: this.pieces[i]! };
    }
  }
}

const main = makeProcedure({ id: '1.001193', name: 'Thủ tục đăng ký khai sinh', url: 'https://dichvucong.gov.vn/x', channels: [], documents: [] });
const other = makeProcedure({ id: '1.000110', name: 'Đăng ký khai sinh có yếu tố nước ngoài', url: null, channels: [], documents: [] });

describe('LlmComposer', () => {
  let prompts: PromptLibrary;
  beforeAll(async () => {
    prompts = await loadPromptLibrary();
  });

  it('streams the model deltas, then the main procedure’s citation (decided by code), then done', async () => {
    // The model mentions the related code; citations still come from the resolved record only.
    const model = new FakeChatModel('qwen2.5-7b', ['Thủ tục ', 'đăng ký khai sinh ', '(1.001193), ', 'xem thêm 1.000110.']);
    const composer = new LlmComposer({ model, prompts });
    expect(composer.id).toBe('llm:qwen2.5-7b');
    const events: AnswerEvent[] = [];
    for await (const e of composer.compose(
      { question: 'khai sinh?', procedure: main, related: [other], aspect: null, style: 'chat', language: 'vi' },
      { signal: new AbortController().signal },
    )) {
      events.push(e);
    }
    expect(events.map((e) => e.type)).toEqual(['delta', 'delta', 'delta', 'delta', 'citations', 'done']);
    const { text, citations } = await collectAnswer((async function* () { yield* events; })());
    expect(text).toBe('Thủ tục đăng ký khai sinh (1.001193), xem thêm 1.000110.');
    expect(citations).toEqual([{ id: '1.001193', name: 'Thủ tục đăng ký khai sinh', url: 'https://dichvucong.gov.vn/x' }]);
  });

  it('asks for a short, low-temperature answer, shorter for voice', async () => {
    const model = new FakeChatModel('m', ['Được.']);
    const composer = new LlmComposer({ model, prompts });
    const run = (style: 'chat' | 'voice') =>
      collectAnswer(composer.compose({ question: 'q', procedure: main, related: [], aspect: 'fee', style, language: 'vi' }, { signal: new AbortController().signal }));
    await run('chat');
    await run('voice');
    expect(model.requests.map((r) => [r.temperature, r.maxTokens])).toEqual([
      [0.1, 700],
      [0.1, 200],
    ]);
    expect(model.requests[1]!.messages[0]!.content).toContain('Tối đa 3 câu');
    expect(composer.promptVersion).toBe(prompts.version);
  });

  it('a model failure propagates (the pipeline falls back) and no citation is emitted', async () => {
    const composer = new LlmComposer({ model: new FakeChatModel('m', ['a', 'b', 'c'], 1), prompts });
    const seen: AnswerEvent['type'][] = [];
    await expect(
      (async () => {
        for await (const e of composer.compose({ question: 'q', procedure: main, related: [], aspect: null, style: 'chat', language: 'vi' }, { signal: new AbortController().signal })) {
          seen.push(e.type);
        }
      })(),
    ).rejects.toBeInstanceOf(LlmError);
    expect(seen).toEqual(['delta']);
  });
});
