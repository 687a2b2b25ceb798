import { createHash } from 'node:crypto';
import type { Procedure } from '../domain/procedure.js';

/**
 * Fields that say where and when a record came from rather than what it says. They are left
 * out of the hash so re-reading the same content from another path or on another day is
 * "unchanged", not a new version.
 */
const NON_CONTENT_FIELDS = new Set(['sources', 'contentHash', 'ingestedAt']);

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function contentHash(record: Procedure): string {
  const content: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!NON_CONTENT_FIELDS.has(key)) content[key] = value;
  }
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
