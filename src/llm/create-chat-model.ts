import type { ChatModel } from './chat-model.js';
import { OpenAiChatModel } from './openai-chat-model.js';

/** The slice of the app config the LLM needs (names as in the environment). */
export interface ChatModelConfig {
  LLM_BASE_URL?: string | undefined;
  LLM_API_KEY?: string | undefined;
  LLM_MODEL?: string | undefined;
  LLM_TIMEOUT_MS?: number | undefined;
  LLM_MAX_CONCURRENCY?: number | undefined;
}

/**
 * The configured chat model, or undefined when no LLM is configured (the grounded composer then
 * answers alone). Both the base URL and the model are needed; one without the other is a mistake.
 */
export function createChatModel(config: ChatModelConfig): ChatModel | undefined {
  const baseURL = config.LLM_BASE_URL?.trim();
  const model = config.LLM_MODEL?.trim();
  if (!baseURL && !model) return undefined;
  if (!baseURL || !model) {
    throw new Error(`LLM_BASE_URL and LLM_MODEL go together; only ${baseURL ? 'LLM_BASE_URL' : 'LLM_MODEL'} is set`);
  }
  return new OpenAiChatModel({
    baseURL,
    model,
    apiKey: config.LLM_API_KEY || undefined,
    ...(config.LLM_TIMEOUT_MS !== undefined ? { timeoutMs: config.LLM_TIMEOUT_MS } : {}),
    ...(config.LLM_MAX_CONCURRENCY !== undefined ? { maxConcurrent: config.LLM_MAX_CONCURRENCY } : {}),
  });
}
