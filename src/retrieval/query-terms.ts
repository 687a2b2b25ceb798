import { detectAspects } from '../text/aspects.js';
import { type Lexicon, matchLexicon } from '../text/lexicon.js';
import { isAmbiguousUnaccented, isQuestionWord } from '../text/question-words.js';
import { fold, foldTerm, syllables } from '../text/vietnamese.js';
import type { WeightedTerm } from './lexical-index.js';

/**
 * Index term spaces. Folded terms match whatever the citizen typed; accented terms only match
 * the same diacritics and so add precision ("phí" is not "phi") when the citizen typed them.
 */
export const TERM = {
  foldedUnigram: (s: string) => `u:${s}`,
  foldedBigram: (a: string, b: string) => `b:${a} ${b}`,
  accentedUnigram: (s: string) => `U:${s}`,
  accentedBigram: (a: string, b: string) => `B:${a} ${b}`,
} as const;

/** Index terms of a text: folded unigrams and bigrams, plus accented ones when asked. */
export function documentTerms(text: string | null | undefined, withAccents: boolean, out: string[] = []): string[] {
  if (!text) return out;
  const accented = syllables(text);
  const folded = accented.map(foldTerm);
  for (let i = 0; i < folded.length; i++) {
    out.push(TERM.foldedUnigram(folded[i]!));
    if (i + 1 < folded.length) out.push(TERM.foldedBigram(folded[i]!, folded[i + 1]!));
    if (withAccents) {
      out.push(TERM.accentedUnigram(accented[i]!));
      if (i + 1 < accented.length) out.push(TERM.accentedBigram(accented[i]!, accented[i + 1]!));
    }
  }
  return out;
}

export interface QueryWeights {
  unigram: number;
  bigram: number;
  /** Extra weight of accented terms, when the citizen typed diacritics. */
  accented: number;
  /** Extra weight of accented bigrams restored from the catalogue's vocabulary for an unaccented query. */
  restored: number;
  /** Multiplier for terms that came from a lexicon expansion. */
  expansion: number;
  /** Share of an expansion's weight given to its folded terms (the accented ones get the rest). */
  expansionFolded: number;
  /** Multiplier for syllables that only say which aspect is asked (lệ phí, thời hạn, hồ sơ). */
  aspectCue: number;
  /** Weight of an unaccented syllable that folds like a question word (it may not be one). */
  unaccentedQuestionWord: 0.3,
  /** Multiplier for a typo corrected to the nearest catalogue syllable: a guess counts less. */
  corrected: number;
}

export const DEFAULT_QUERY_WEIGHTS: QueryWeights = {
  unigram: 1,
  bigram: 1.2,
  accented: 0.2,
  restored: 0.25,
  expansion: 0.8,
  expansionFolded: 0.3,
  aspectCue: 0.3,
  corrected: 0.7,
  unaccentedQuestionWord: 0.3,
};

/** The least an expansion's terms are scaled by, however long it is relative to the matched words. */
const EXPANSION_MASS_FLOOR = 0.25;

/** Syllables that name an aspect rather than a topic. */
const ASPECT_SYLLABLES = new Set(
  ['lệ', 'phí', 'thời', 'hạn', 'hồ', 'sơ', 'giấy', 'tờ', 'điều', 'kiện', 'trình', 'tự', 'thực', 'hiện', 'bước', 'quy', 'căn', 'cứ', 'pháp', 'lý', 'kết', 'quả', 'thành', 'phần', 'chuẩn', 'bị', 'mang', 'theo', 'nộp', 'tiền', 'ngày', 'lâu', 'hình', 'thức', 'giải', 'quyết', 'trực', 'tuyến', 'online', 'mạng', 'bưu', 'điện', 'đâu', 'mất', 'bao', 'nhiêu'].flatMap(
    (s) => [s, fold(s)],
  ),
);

/** Restores the diacritics of an unaccented bigram from the catalogue's own vocabulary. */
export type BigramRestorer = (foldedBigram: string) => string | undefined;

/**
 * Replaces a folded syllable the catalogue never uses by a close one it does (a typo), or
 * undefined; the neighbours let it prefer the candidate that forms a known compound.
 */
export type SyllableCorrector = (foldedSyllable: string, previous?: string, next?: string) => string | undefined;

export interface AnalysedQuery {
  terms: WeightedTerm[];
  accented: boolean;
  /** Folded syllables of the question and of its lexicon expansions, for coverage checks. */
  querySyllables: Set<string>;
  /** The citizen's own words, folded, in order (before lexicon replacement), for phrase matches. */
  foldedSequence: string[];
}

/**
 * Turns a citizen's question into weighted index terms: question words drop out as single
 * terms, aspect words count little, lexicon matches add the catalogue's words, and accented
 * (typed or restored) terms add precision.
 */
export function analyseQuery(
  text: string,
  lexicon: Lexicon,
  restore: BigramRestorer | undefined,
  weights: QueryWeights = DEFAULT_QUERY_WEIGHTS,
  correct?: SyllableCorrector,
): AnalysedQuery {
  const accentedTokens = syllables(text);
  const foldedTokens = accentedTokens.map(foldTerm);
  const corrected = new Uint8Array(foldedTokens.length);
  if (correct) {
    // A word the lexicon knows ("hkd", "cty", "cưới") is the citizen's word, not a typo of a
    // catalogue word: correcting it first would hide it from its lexicon entry.
    const known = new Uint8Array(foldedTokens.length);
    for (const m of matchLexicon(lexicon, foldedTokens)) known.fill(1, m.start, m.start + m.length);
    for (let i = 0; i < foldedTokens.length; i++) {
      if (known[i] || foldedTokens[i]!.length < 3 || isQuestionWord(foldedTokens[i]!)) continue;
      const fixed = correct(foldedTokens[i]!, foldedTokens[i - 1], foldedTokens[i + 1]);
      // A corrected syllable has no trustworthy accents left: use the folded form for both.
      if (fixed) {
        accentedTokens[i] = foldedTokens[i] = fixed;
        corrected[i] = 1;
      }
    }
  }
  // Compared with the plain fold: foldTerm also merges i/y, which is a spelling, not an accent.
  const accented = accentedTokens.some((t) => t !== fold(t));
  const hasAspect = detectAspects(text).length > 0;
  const terms = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (weight > (terms.get(term) ?? 0)) terms.set(term, weight);
  };

  const matches = matchLexicon(lexicon, foldedTokens);
  const replaced = new Uint8Array(foldedTokens.length);
  for (const m of matches) if (m.entry.replace) replaced.fill(1, m.start, m.start + m.length);

  const tokenWeight = (i: number): number => {
    if (replaced[i]) return 0;
    const t = accented ? accentedTokens[i]! : foldedTokens[i]!;
    // Without accents a question word is ambiguous ("can" is cần but also căn, "the" thế but also
    // thẻ): it keeps a little weight and IDF decides. With accents it is known to carry no topic.
    if (isQuestionWord(t)) return accented || !isAmbiguousUnaccented(t) ? 0 : weights.unaccentedQuestionWord;
    if (hasAspect && ASPECT_SYLLABLES.has(t)) return weights.aspectCue;
    return corrected[i] ? weights.corrected : 1;
  };

  addTokenTerms(
    accentedTokens,
    foldedTokens,
    tokenWeight,
    1,
    { folded: 1, accented: accented ? weights.accented : 0, restored: accented ? 0 : weights.restored },
    restore,
    weights,
    add,
  );

  for (const m of matches) {
    for (const expansion of m.entry.expansions) {
      const acc = syllables(expansion);
      const fol = acc.map(foldTerm);
      // An expansion stands in for the citizen's few words: it should weigh about as much as they
      // did, not once per syllable of a long official name ("bác sĩ" → eight syllables).
      const mass = Math.min(1, Math.max(EXPANSION_MASS_FLOOR, Math.max(2, m.length) / acc.length));
      // Expansions are the catalogue's own spelling, so their accents are trusted more than the
      // folded form, which would also match unrelated words ("lái" and "lại" both fold to "lai").
      const tw = { folded: weights.expansionFolded, accented: 1, restored: 0 };
      addTokenTerms(acc, fol, () => 1, weights.expansion * mass, tw, undefined, weights, add);
    }
  }

  const querySyllables = new Set(foldedTokens.filter((_, i) => !replaced[i]));
  for (const m of matches) for (const e of m.entry.expansions) for (const s of syllables(e)) querySyllables.add(foldTerm(s));
  return { terms: [...terms].map(([term, weight]) => ({ term, weight })), accented, querySyllables, foldedSequence: foldedTokens };
}

/** How one run of syllables turns into terms: folded terms always, accented ones when trusted. */
interface TermWeights {
  folded: number;
  /** 0 when the accents are not to be trusted (or were never typed). */
  accented: number;
  /** Restored-accent bigrams for unaccented text, or 0. */
  restored: number;
}

function addTokenTerms(
  acc: readonly string[],
  fol: readonly string[],
  tokenWeight: (i: number) => number,
  scale: number,
  tw: TermWeights,
  restore: BigramRestorer | undefined,
  w: QueryWeights,
  add: (term: string, weight: number) => void,
): void {
  for (let i = 0; i < fol.length; i++) {
    const wi = tokenWeight(i);
    if (wi > 0) {
      add(TERM.foldedUnigram(fol[i]!), scale * wi * w.unigram * tw.folded);
      if (tw.accented > 0) add(TERM.accentedUnigram(acc[i]!), scale * wi * w.unigram * tw.accented);
    }
    if (i + 1 >= fol.length) continue;
    // A bigram counts when either side carries topic: "cấp lại", "khai sinh", "nước ngoài".
    const wj = tokenWeight(i + 1);
    const wb = Math.max(wi, wj, 0) || 0.3;
    add(TERM.foldedBigram(fol[i]!, fol[i + 1]!), scale * w.bigram * wb * tw.folded);
    if (tw.accented > 0) {
      add(TERM.accentedBigram(acc[i]!, acc[i + 1]!), scale * w.bigram * wb * tw.accented);
    } else if (restore && tw.restored > 0) {
      const restored = restore(`${fol[i]} ${fol[i + 1]}`);
      if (restored) add(TERM.accentedBigram(...(restored.split(' ') as [string, string])), scale * w.bigram * wb * tw.restored);
    }
  }
}
