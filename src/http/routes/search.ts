import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import type { SearchFilter } from '../../retrieval/retriever.js';
import { detectAspect } from '../../text/aspects.js';
import { BadRequestError, errorRef } from '../errors.js';
import { SearchResponseSchema } from '../schemas.js';

export const MAX_QUERY_CHARS = 500;

interface SearchQuerystring {
  q: string;
  k: number;
  level?: string;
  agency?: string;
}

/** Rounding keeps responses stable across runs (float noise) and small on the wire. */
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

export function registerSearchRoutes(app: FastifyInstance, deps: Deps): void {
  const maxK = deps.config.SEARCH_MAX_K;
  app.get<{ Querystring: SearchQuerystring }>(
    '/api/v1/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Find procedures for a citizen question',
        description:
          'Ranks procedures for free Vietnamese text (with or without diacritics, abbreviations such as "cccd").',
        querystring: {
          type: 'object',
          required: ['q'],
          properties: {
            // Length is checked after trimming in the handler; the schema documents the limits.
            q: { type: 'string', description: `Question or procedure name, 1..${MAX_QUERY_CHARS} characters after trimming` },
            k: { type: 'integer', minimum: 1, maximum: maxK, default: 10, description: 'Number of results' },
            level: { type: 'string', maxLength: 50, description: 'Implementation level, e.g. "tinh", "Cấp xã"' },
            agency: { type: 'string', maxLength: 200, description: 'Substring of the implementing agency' },
          },
        },
        response: { 200: SearchResponseSchema, 400: errorRef },
      },
    },
    async (request, reply) => {
      const text = request.query.q.normalize('NFC').trim();
      if (text.length === 0) {
        throw new BadRequestError('Invalid query parameter "q": must not be empty', HINTS.q);
      }
      if (text.length > MAX_QUERY_CHARS) {
        throw new BadRequestError(
          `Invalid query parameter "q": must be at most ${MAX_QUERY_CHARS} characters`,
          HINTS.q,
        );
      }
      const filter: SearchFilter = {};
      const level = request.query.level?.trim();
      const agency = request.query.agency?.trim();
      if (level) filter.level = level;
      if (agency) filter.agency = agency;

      // Stop ranking work when the caller has gone away.
      const abort = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });

      const hits = await deps.retriever.search(
        { text, limit: request.query.k, ...(level || agency ? { filter } : {}) },
        { signal: abort.signal },
      );
      const results = [];
      for (const hit of hits) {
        const p = deps.procedures.get(hit.procedureId);
        // A hit for a code the catalogue does not hold (stale vector index) is not servable.
        if (!p) continue;
        results.push({
          id: p.id,
          name: p.name,
          field: p.field,
          level: p.levels.length > 0 ? p.levels.join(', ') : null,
          score: round4(hit.score),
          url: p.url,
        });
      }
      return { results, aspect: detectAspect(text) };
    },
  );
}

export const HINTS = {
  q: `Vui lòng nhập câu hỏi hoặc tên thủ tục (từ 1 đến ${MAX_QUERY_CHARS} ký tự).`,
  k: 'Số kết quả (k) phải là số nguyên dương, không vượt quá giới hạn cho phép.',
  level: 'Cấp thực hiện không hợp lệ (ví dụ: "xa", "tinh", "bo").',
  agency: 'Tên cơ quan thực hiện quá dài.',
} as const;
