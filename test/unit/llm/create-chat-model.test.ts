import { describe, expect, it } from 'vitest';
import { LlmBusyError, LlmError, LlmTimeoutError } from '../../../src/llm/chat-model.js';
import { createChatModel } from '../../../src/llm/create-chat-model.js';
import { OpenAiChatModel } from '../../../src/llm/openai-chat-model.js';

describe('createChatModel', () => {
  it('returns undefined when no LLM is configured', () => {
    expect(createChatModel({})).toBeUndefined();
    expect(createChatModel({ LLM_BASE_URL: '  ', LLM_MODEL: '' })).toBeUndefined();
  });

  it('builds an OpenAiChatModel from the config', () => {
    const model = createChatModel({ LLM_BASE_URL: 'http://127.0.0.1:8000/v1', LLM_MODEL: 'qwen2.5-7b', LLM_TIMEOUT_MS: 1234, LLM_MAX_CONCURRENCY: 2 });
    expect(model).toBeInstanceOf(OpenAiChatModel);
    expect(model!.id).toBe('qwen2.5-7b');
    expect((model as OpenAiChatModel).timeoutMs).toBe(1234);
  });

  it('half a configuration is a mistake, named without any secret', () => {
    expect(() => createChatModel({ LLM_MODEL: 'x', LLM_API_KEY: 'sk-secret-123456' })).toThrow(/LLM_BASE_URL and LLM_MODEL go together; only LLM_MODEL is set/);
    try {
      createChatModel({ LLM_MODEL: 'x', LLM_API_KEY: 'sk-secret-123456' });
    } catch (err) {
      expect((err as Error).message).not.toContain('sk-secret');
    }
    expect(() => createChatModel({ LLM_BASE_URL: 'http://x/v1' })).toThrow(/only LLM_BASE_URL is set/);
  });

  it('the adapter validates its options at construction, offline', () => {
    // The adapter imports `openai` lazily on the first call; constructing it is cheap and offline.
    expect(() => new OpenAiChatModel({ baseURL: 'http://127.0.0.1:9/v1', model: 'm' })).not.toThrow();
    expect(() => new OpenAiChatModel({ baseURL: '', model: 'm' })).toThrow(/baseURL/);
  });
});

describe('LLM errors', () => {
  it('timeouts and overload are LlmErrors, told apart by class and name', () => {
    const t = new LlmTimeoutError('slow');
    const b = new LlmBusyError('busy');
    const e = new LlmError('boom', { status: 502 });
    expect(t).toBeInstanceOf(LlmError);
    expect(b).toBeInstanceOf(LlmError);
    expect([t.name, b.name, e.name]).toEqual(['LlmTimeoutError', 'LlmBusyError', 'LlmError']);
    expect(e.status).toBe(502);
  });
});
