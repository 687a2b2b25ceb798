import fs from 'node:fs';
import { z } from 'zod';
import { foldTerm, syllables } from './vietnamese.js';

/**
 * Abbreviations, colloquial names and life situations → the catalogue's own words.
 * Citizens say "cccd", "sổ đỏ", "bằng lái", "nhập hộ khẩu"; the catalogue says "thẻ căn cước",
 * "giấy chứng nhận quyền sử dụng đất", "giấy phép lái xe", "đăng ký thường trú".
 */
const LexiconEntry = z.object({
  /** What citizens write; matched on folded syllables, so "so do" matches "sổ đỏ". */
  terms: z.array(z.string().refine((t) => syllables(t).length > 0, 'a term needs at least one letter or digit')).min(1),
  /** The catalogue's words added to the query. */
  expansions: z.array(z.string().min(1)).min(1),
  /** Drop the citizen's own words from the query when they would mislead ("bằng lái": "bằng" is everywhere). */
  replace: z.boolean().default(false),
  note: z.string().optional(),
});

const LexiconFile = z.object({
  version: z.literal(1),
  entries: z.array(LexiconEntry),
});

export interface LexiconEntry {
  /** Each term as folded syllables. */
  terms: string[][];
  expansions: string[];
  replace: boolean;
}

export interface Lexicon {
  entries: readonly LexiconEntry[];
}

export const EMPTY_LEXICON: Lexicon = { entries: [] };

/** Parses lexicon JSON; throws with the file name and the first problems when it is malformed. */
export function parseLexicon(json: string, file = 'lexicon'): Lexicon {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = LexiconFile.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${file}: ${first.join('; ')}`);
  }
  return {
    entries: parsed.data.entries.map((e) => ({
      terms: e.terms.map((t) => syllables(t).map(foldTerm)),
      expansions: e.expansions,
      replace: e.replace,
    })),
  };
}

/** Loads the lexicon file. */
export function loadLexicon(file: string): Lexicon {
  return parseLexicon(fs.readFileSync(file, 'utf8'), file);
}

/** Where a lexicon term occurs in a query's folded syllables. */
export interface LexiconMatch {
  entry: LexiconEntry;
  start: number;
  length: number;
}

/** Every entry whose term occurs as a whole syllable sequence in the folded query. */
export function matchLexicon(lexicon: Lexicon, foldedSyllables: readonly string[]): LexiconMatch[] {
  const matches: LexiconMatch[] = [];
  for (const entry of lexicon.entries) {
    for (const term of entry.terms) {
      const at = indexOfSequence(foldedSyllables, term);
      if (at >= 0) {
        matches.push({ entry, start: at, length: term.length });
        break;
      }
    }
  }
  return matches;
}

function indexOfSequence(haystack: readonly string[], needle: readonly string[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The question followed by the catalogue words its lexicon matches stand for, minus the
 * citizen's words an entry replaces: what the question says in the catalogue's vocabulary
 * ("sổ đỏ bị cháy" → "… bị cháy giấy chứng nhận quyền sử dụng đất …").
 */
export function inCatalogueWords(text: string, lexicon: Lexicon): string {
  const words = syllables(text);
  const matches = matchLexicon(lexicon, words.map(foldTerm));
  if (matches.length === 0) return text;
  const replaced = new Uint8Array(words.length);
  for (const m of matches) if (m.entry.replace) replaced.fill(1, m.start, m.start + m.length);
  const kept = words.filter((_, i) => !replaced[i]);
  return [...kept, ...matches.flatMap((m) => m.entry.expansions)].join(' ');
}
