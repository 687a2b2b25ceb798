import type { z } from 'zod';

export type ParsedTaggedFrame<T> =
  | { kind: 'message'; message: T }
  /** Valid JSON with a tag we do not handle (Twilio adds message kinds): ignored, not an error. */
  | { kind: 'unknown'; tag: string }
  | { kind: 'malformed'; reason: string };

/**
 * One JSON text frame from a Twilio socket whose messages are told apart by one string field
 * (`event` for Media Streams, `type` for ConversationRelay), classified against `schema`. Never throws.
 */
export function parseTaggedFrame<S extends z.ZodType>(raw: string, tagField: string, known: ReadonlySet<string>, schema: S): ParsedTaggedFrame<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'malformed', reason: 'not an object' };
  const tag = (json as Record<string, unknown>)[tagField];
  if (typeof tag !== 'string') return { kind: 'malformed', reason: `no ${tagField}` };
  if (!known.has(tag)) return { kind: 'unknown', tag: tag.slice(0, 40) };
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'malformed', reason: `${tag}: ${issue ? `${issue.path.join('.') || '(root)'} ${issue.message}` : 'invalid'}` };
  }
  return { kind: 'message', message: parsed.data };
}
