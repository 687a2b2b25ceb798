import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectAnswer } from '../../src/answer/answer-composer.js';
import { LlmComposer } from '../../src/answer/llm-composer.js';
import { loadPromptLibrary, type PromptLibrary } from '../../src/answer/prompt-library.js';
import { LlmBusyError, LlmError, LlmTimeoutError, type ChatDelta } from '../../src/llm/chat-model.js';
import { OpenAiChatModel, type OpenAiChatModelOptions } from '../../src/llm/openai-chat-model.js';
import { startFakeChatCompletionsServer, type FakeChatCompletionsServer } from '../support/fake-chat-completions-server.js';
import { makeProcedure } from '../support/procedures.js';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';

async function drain(stream: AsyncIterable<ChatDelta>): Promise<string> {
  let text = '';
  for await (const d of stream) text += d.text;
  return text;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const birth = makeProcedure({
  id: '1.001193',
  name: 'Đăng ký khai sinh',
  agency: 'Ủy ban nhân dân cấp xã',
  url: 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193',
  channels: [{ kind: 'in_person', label: 'Trực tiếp', processingTime: 'Ngay trong ngày', fee: 'Miễn phí' }],
  documents: [
    { name: 'Tờ khai đăng ký khai sinh theo mẫu', quantity: '1 bản chính' },
    { name: 'Giấy chứng sinh', quantity: '1 bản chính' },
  ],
});

describe('OpenAiChatModel through the openai client against a local chat-completions double', () => {
  let server: FakeChatCompletionsServer;
  let prompts: PromptLibrary;
  const model = (o: Partial<OpenAiChatModelOptions> = {}): OpenAiChatModel =>
    new OpenAiChatModel({ baseURL: server.baseURL, apiKey: API_KEY, model: 'fake-vi-7b', maxRetries: 0, timeoutMs: 5_000, ...o });
  const signal = (): AbortSignal => new AbortController().signal;

  beforeAll(async () => {
    server = await startFakeChatCompletionsServer({ apiKey: API_KEY });
    prompts = await loadPromptLibrary();
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.requests.length = 0;
    server.mode = 'ok';
    server.delayMs = 0;
    server.chunkDelayMs = 0;
    server.reply = () => 'Xin chào.';
  });

  it('streams the deltas in order and they reassemble the reply', async () => {
    server.reply = () => ['Thủ tục ', 'đăng ký khai sinh ', '(1.001193) ', 'miễn phí.'];
    const deltas: string[] = [];
    for await (const d of model().stream({ messages: [{ role: 'user', content: 'lệ phí khai sinh?' }], temperature: 0, maxTokens: 50 }, { signal: signal() })) {
      deltas.push(d.text);
    }
    expect(deltas).toEqual(['Thủ tục ', 'đăng ký khai sinh ', '(1.001193) ', 'miễn phí.']);
    const [req] = server.requests;
    expect(req!.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req!.body).toMatchObject({ model: 'fake-vi-7b', stream: true, temperature: 0, max_tokens: 50 });
    expect(req!.body.messages).toEqual([{ role: 'user', content: 'lệ phí khai sinh?' }]);
  });

  it('the LlmComposer sends the record inside delimiters and the redacted question, then cites the main procedure', async () => {
    server.reply = () => 'Đăng ký khai sinh (mã 1.001193) được miễn phí.';
    const composer = new LlmComposer({ model: model(), prompts });
    expect(composer.id).toBe('llm:fake-vi-7b');
    const question = 'Làm khai sinh cho con có mất phí không? SĐT của tôi là [số điện thoại]';
    const events = [];
    for await (const e of composer.compose(
      { question, procedure: birth, related: [], aspect: 'fee', style: 'chat', language: 'vi' },
      { signal: signal() },
    )) {
      events.push(e);
    }
    expect(events.map((e) => e.type).slice(-2)).toEqual(['citations', 'done']);
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(1);
    const { text, citations } = await collectAnswer((async function* () { yield* events; })());
    expect(text).toBe('Đăng ký khai sinh (mã 1.001193) được miễn phí.');
    expect(citations).toEqual([{ id: birth.id, name: birth.name, url: birth.url }]);

    const { body, raw } = server.requests[0]!;
    const [system, user] = body.messages;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain('19001009');
    expect(user!.role).toBe('user');
    const block = /<ho_so ma="1\.001193"[^>]*>([\s\S]*?)<\/ho_so>/.exec(user!.content);
    expect(block, 'record inside its delimiters').not.toBeNull();
    expect(block![1]).toContain('Mã thủ tục: 1.001193');
    expect(block![1]).toContain('Lệ phí: Miễn phí');
    expect(user!.content).toMatch(/<cau_hoi>\n[^]*\[số điện thoại\][^]*\n<\/cau_hoi>/);
    expect(user!.content).toContain(question);
    // Nothing secret goes into the prompt.
    expect(raw).not.toContain(API_KEY);
    expect(raw).not.toMatch(/sk-[A-Za-z0-9-]{10,}/);
    expect(body.max_tokens).toBe(700);
  });

  it('a server that does not answer in time → LlmTimeoutError naming the URL, never the key', async () => {
    server.delayMs = 1_500;
    const err = await failure(drain(model({ timeoutMs: 200 }).stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })));
    expect(err).toBeInstanceOf(LlmTimeoutError);
    expect((err as Error).message).toContain(server.baseURL);
    expect((err as Error).message).not.toContain(API_KEY);
  });

  it('a stream that stalls past the deadline → LlmTimeoutError', async () => {
    server.reply = () => ['a ', 'b ', 'c ', 'd '];
    server.chunkDelayMs = 150;
    const err = await failure(drain(model({ timeoutMs: 300 }).stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })));
    expect(err).toBeInstanceOf(LlmTimeoutError);
  });

  it('HTTP 500 → LlmError with the status, after the configured retries', async () => {
    server.mode = 'error';
    const err = await failure(drain(model({ maxRetries: 1 }).stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).not.toBeInstanceOf(LlmTimeoutError);
    expect((err as LlmError).status).toBe(500);
    expect((err as Error).message).toContain(server.baseURL);
    expect(server.requests).toHaveLength(2);
  });

  it('a wrong key: the 401 message echoes the key, the LlmError does not', async () => {
    const wrongKey = 'sk-wrong-KEY-abcdefghijklmnop';
    const err = await failure(drain(model({ apiKey: wrongKey }).stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })));
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).status).toBe(401);
    expect((err as Error).message).not.toContain(wrongKey);
    expect((err as Error).message).toContain('***');
  });

  it('a dropped connection, before or during the stream → LlmError', async () => {
    server.mode = 'drop';
    expect(await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })))).toBeInstanceOf(LlmError);
    server.mode = 'drop_mid_stream';
    server.reply = () => ['một ', 'hai ', 'ba'];
    const err = await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() })));
    expect(err).toBeInstanceOf(LlmError);
    expect(err).not.toBeInstanceOf(LlmTimeoutError);
  });

  it('beyond maxConcurrent + maxQueued calls, the next is refused at once with LlmBusyError', async () => {
    server.delayMs = 300;
    const m = model({ maxConcurrent: 1, maxQueued: 1 });
    const req = { messages: [{ role: 'user' as const, content: 'x' }] };
    const first = drain(m.stream(req, { signal: signal() }));
    const second = drain(m.stream(req, { signal: signal() }));
    await new Promise((r) => setTimeout(r, 50));
    const third = failure(drain(m.stream(req, { signal: signal() })));
    // Refused at once: before the call ahead of it has even been answered.
    expect(await Promise.race([third.then(() => 'refused'), first.then(() => 'first finished')])).toBe('refused');
    expect(await third).toBeInstanceOf(LlmBusyError);
    expect(await first).toBe('Xin chào.');
    expect(await second).toBe('Xin chào.');
    // Slots are released: a new call goes through.
    server.delayMs = 0;
    expect(await drain(m.stream(req, { signal: signal() }))).toBe('Xin chào.');
    expect(m.load()).toEqual({ running: 0, queued: 0 });
  });

  it('a caller abort rejects with the abort reason (not an LlmError) and frees the slot', async () => {
    server.delayMs = 1_000;
    const m = model({ maxConcurrent: 1, maxQueued: 0 });
    const controller = new AbortController();
    const pending = failure(drain(m.stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal })));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('citizen hung up'));
    const err = await pending;
    expect(err).not.toBeInstanceOf(LlmError);
    expect((err as Error).message).toBe('citizen hung up');
    server.delayMs = 0;
    expect(await drain(m.stream({ messages: [{ role: 'user', content: 'x' }] }, { signal: signal() }))).toBe('Xin chào.');
  });

  it('the double also answers non-streaming requests with a chat.completion', async () => {
    const { OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: API_KEY, maxRetries: 0 });
    server.reply = (body) => `Bạn hỏi: ${body.messages.at(-1)!.content}`;
    const completion = await client.chat.completions.create({ model: 'fake-vi-7b', messages: [{ role: 'user', content: 'chào' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toBe('Bạn hỏi: chào');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });
});
