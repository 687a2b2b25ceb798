import { matchLexicon, type Lexicon } from '../text/lexicon.js';
import { isAmbiguousUnaccented, isQuestionWord } from '../text/question-words.js';
import { foldTerm, syllables } from '../text/vietnamese.js';

/**
 * Politeness and fillers the question-word list lacks ("dạ", "vâng", "làm ơn", "cảm ơn"), folded.
 * They tell nothing about what the citizen did not get an answer to.
 */
const POLITENESS = new Set(['da', 'vang', 'chao', 'on', 'cam', 'vui', 'long', 'hay', 'giup', 'gium', 'dum', 'ad', 'admin', 'oi', 'a', 've']);

/**
 * Filler phrases whose single syllables are also topic words ("hỏi"/"hội", "đâu"/"đầu",
 * "thủ"/"thu"), so they are only dropped as a whole phrase (folded).
 */
const FILLER_PHRASES: readonly string[][] = [
  'thu tuc', 'cho hoi', 'xin hoi', 'muon hoi', 'hoi ve', 'hoi chut', 'o dau', 'lam o dau', 'bao nhieu', 'bao lau', 'can gi',
  'can nhung gi', 'lam sao', 'the nao', 'nhu the nao', 'co duoc khong', 'duoc khong', 'co phai', 'cam on', 'lam on',
  ...['toi', 'em', 'minh', 'anh', 'chi', 'chau', 'chung toi'].flatMap((who) => [`cho ${who} hoi`, `${who} muon hoi`, `${who} hoi`]),
]
  .map((p) => p.split(' '))
  // Longest first: "cho tôi hỏi" before "cho hỏi".
  .sort((a, b) => b.length - a.length);

/**
 * True when a syllable carries no topic. A word whose folded form is also a common topic word
 * ("làm"/"lam", "đăng"/"dang", "có"/"co") is kept whether it was typed with marks or without,
 * so a question typed with diacritics and the same question without them give the same tokens.
 */
function isFiller(syllable: string, folded: string): boolean {
  if (isAmbiguousUnaccented(folded)) return false;
  return isQuestionWord(syllable) || isQuestionWord(folded) || POLITENESS.has(folded);
}

/**
 * The topic words of a question, folded (no diacritics, i/y merged), lexicon shorthand replaced
 * by the catalogue's words ("cccd" → "the can cuoc"), fillers and politeness dropped: two
 * wordings of the same question give (nearly) the same tokens.
 */
export function wordingTokens(question: string, lexicon?: Lexicon): string[] {
  const accented = syllables(question);
  let words = accented.map((s) => ({ accented: s, folded: foldTerm(s) }));
  if (lexicon && lexicon.entries.length > 0) {
    const matches = matchLexicon(lexicon, words.map((w) => w.folded)).sort((a, b) => a.start - b.start || b.length - a.length);
    const out: Array<{ accented: string; folded: string }> = [];
    let at = 0;
    for (const m of matches) {
      if (m.start < at) continue; // overlaps an earlier, longer match
      out.push(...words.slice(at, m.start));
      // The first expansion is the catalogue's word for every term of the entry: one spelling for all.
      for (const s of syllables(m.entry.expansions[0] ?? '')) out.push({ accented: s, folded: foldTerm(s) });
      at = m.start + m.length;
    }
    out.push(...words.slice(at));
    words = out;
  }
  const folded = words.map((w) => w.folded);
  const tokens: string[] = [];
  for (let i = 0; i < words.length; ) {
    const phrase = FILLER_PHRASES.find((p) => p.every((s, j) => folded[i + j] === s));
    if (phrase) {
      i += phrase.length;
      continue;
    }
    const w = words[i++]!;
    // A repeated word ("thẻ thẻ căn cước" after the lexicon) counts once.
    if (!isFiller(w.accented, w.folded) && tokens[tokens.length - 1] !== w.folded) tokens.push(w.folded);
  }
  return tokens;
}

/** The tokens as one string: equal signatures are the same wording. */
export function wordingSignature(question: string, lexicon?: Lexicon): string {
  return wordingTokens(question, lexicon).join(' ');
}

/** Adjacent token pairs (the single token for a one-word question): what overlap is measured on. */
export function shingles(tokens: readonly string[]): string[] {
  if (tokens.length < 2) return [...tokens];
  const out = new Set<string>();
  for (let i = 0; i + 1 < tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]}`);
  return [...out];
}

/** |a ∩ b| / |a ∪ b| of two shingle sets; 0 when both are empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return common / (a.size + b.size - common);
}
