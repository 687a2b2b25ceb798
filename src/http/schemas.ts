import { z } from 'zod';
import { Procedure } from '../domain/procedure.js';

/**
 * The full procedure record as JSON Schema, derived from the zod schema so the API document
 * cannot drift from the domain type. `$schema` is dropped because Fastify's serializer and the
 * OpenAPI document carry their own dialect.
 */
export function procedureJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(Procedure, { io: 'output' }) as Record<string, unknown>;
  return { $id: 'Procedure', ...schema };
}

export const SearchResultSchema = {
  type: 'object',
  required: ['id', 'name', 'field', 'level', 'score', 'url'],
  properties: {
    id: { type: 'string', description: 'Official procedure code, e.g. 1.001193' },
    name: { type: 'string' },
    field: { type: ['string', 'null'], description: 'Lĩnh vực' },
    level: { type: ['string', 'null'], description: 'Cấp thực hiện, joined with ", "' },
    score: { type: 'number', description: 'Relevance, comparable only within one response' },
    url: { type: ['string', 'null'], description: 'Page on the national public service portal' },
  },
} as const;

export const SearchResponseSchema = {
  type: 'object',
  required: ['results', 'aspect'],
  properties: {
    results: { type: 'array', items: SearchResultSchema },
    aspect: {
      type: ['string', 'null'],
      description: 'What the question asks about (fee, time, documents, …), or null',
    },
  },
} as const;

/** A procedure an answer cites (chat, web and mini-app replies). */
export const CitationSchema = {
  type: 'object',
  required: ['id', 'name', 'url'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, url: { type: ['string', 'null'] } },
} as const;

/** A clarification option, answerable by number or name. */
export const OptionSchema = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } } as const;
