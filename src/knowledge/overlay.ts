import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROCEDURE_CODE } from '../domain/procedure.js';

/**
 * What the Center's staff add to a procedure, whatever catalogue the record itself comes from:
 * the names citizens use, example questions, and notes that only hold in Hanoi. One file per
 * official code in `knowledge/overlays/<code>.json`, edited by hand, so the schema is strict: a
 * misspelt key is an error, not a silently ignored field.
 */
const phrase = z
  .string()
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(2, 'must not be empty').max(300, 'at most 300 characters'));

export const Overlay = z
  .object({
    id: z.string().regex(PROCEDURE_CODE, 'official code like 1.001193'),
    /** Colloquial names and abbreviations; searched with the weight of the procedure's name. */
    aliases: z.array(phrase).default([]),
    /** Questions citizens ask about this procedure; searched like aliases, shown to staff. */
    examples: z.array(phrase).default([]),
    /** Hanoi-specific notes shown after the answer. */
    notes: z.array(phrase).default([]),
  })
  .strict()
  .superRefine((o, ctx) => {
    for (const key of ['aliases', 'examples', 'notes'] as const) {
      const seen = new Set<string>();
      o[key].forEach((value, i) => {
        const k = value.toLowerCase();
        if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [key, i], message: `duplicate "${value}"` });
        seen.add(k);
      });
    }
  });
export type Overlay = z.infer<typeof Overlay>;

/** A file that was not loaded, and why. */
export interface KnowledgeFileProblem {
  file: string;
  reason: string;
}

export interface OverlayLoadResult {
  overlays: Map<string, Overlay>;
  problems: KnowledgeFileProblem[];
}

/** Parses one overlay file's text; returns the overlay or the reason it is unusable. */
export function parseOverlay(json: string, fileName: string): Overlay | string {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return `not valid JSON: ${(err as Error).message}`;
  }
  const parsed = Overlay.safeParse(raw);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  }
  if (`${parsed.data.id}.json` !== fileName) return `file name must be ${parsed.data.id}.json`;
  return parsed.data;
}

/**
 * Reads `<knowledgeDir>/overlays/*.json`. A broken file is reported and skipped, never fatal:
 * one staff typo must not take the other overlays (or the service) down.
 */
export function loadOverlays(knowledgeDir: string): OverlayLoadResult {
  const dir = path.join(knowledgeDir, 'overlays');
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { overlays: new Map(), problems: [] };
    throw err;
  }
  const overlays = new Map<string, Overlay>();
  const problems: KnowledgeFileProblem[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const result = parseOverlay(readFileSync(file, 'utf8'), name);
    if (typeof result === 'string') problems.push({ file, reason: result });
    else overlays.set(result.id, result);
  }
  return { overlays, problems };
}
