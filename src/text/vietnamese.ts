/**
 * Vietnamese text primitives. Citizens type with and without diacritics, with decomposed
 * marks from some keyboards, and in any case; matching happens on folded forms while the
 * accented forms are kept to add precision when the citizen did type them.
 */

const COMBINING_MARKS = /\p{M}+/gu;
/** A syllable: a run of letters and digits. Vietnamese words are written syllable by syllable. */
const SYLLABLE = /[\p{L}\p{N}]+/gu;

/** NFC and lower case: some keyboards send decomposed marks, which would never match NFC text. */
export function normalize(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Folded form of each non-ASCII character seen so far; folding runs on every indexed syllable. */
const FOLDED_CHAR = new Map<string, string>();

function foldChar(ch: string): string {
  let folded = FOLDED_CHAR.get(ch);
  if (folded === undefined) {
    folded = ch.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    FOLDED_CHAR.set(ch, folded);
  }
  return folded;
}

/**
 * Removes diacritics: NFD, strip combining marks, `đ→d` (đ has no Unicode decomposition),
 * lower case. Decomposed input is composed first so each letter folds as one character.
 */
export function fold(text: string): string {
  const composed = text.normalize('NFC');
  let out = '';
  for (let i = 0; i < composed.length; i++) {
    const code = composed.charCodeAt(i);
    if (code < 128) out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : composed[i];
    else out += foldChar(composed[i]!);
  }
  return out;
}

/** True when the text carries at least one Vietnamese diacritic (or đ). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== text.normalize('NFC').toLowerCase();
}

/** Toned final a/e/y → [the first vowel's toned form, the plain final vowel, the first vowel]. */
const TONE_MOVES: ReadonlyMap<string, readonly [string, string, string]> = (() => {
  const moves = new Map<string, readonly [string, string, string]>();
  const groups = [
    ['a', 'àáảãạ', 'o', 'òóỏõọ'],
    ['e', 'èéẻẽẹ', 'o', 'òóỏõọ'],
    ['y', 'ỳýỷỹỵ', 'u', 'ùúủũụ'],
  ] as const;
  for (const [plain, toned, first, firstToned] of groups) {
    for (let t = 0; t < 5; t++) moves.set(toned[t]!, [firstToned[t]!, plain, first]);
  }
  return moves;
})();

/**
 * One spelling per syllable: the catalogue writes both "hoá" and "hóa", "thuỷ" and "thủy"
 * (old and new tone placement); the tone goes on the first vowel of a final oa/oe/uy.
 * This runs on every indexed syllable, so it is a table lookup rather than regexes.
 */
export function canonicalTone(syllable: string): string {
  const n = syllable.length;
  if (n < 2) return syllable;
  const move = TONE_MOVES.get(syllable[n - 1]!);
  if (!move || syllable[n - 2] !== move[2]) return syllable;
  // "qu" + y keeps its tone on y ("quý"): the u of "qu" is part of the consonant.
  if (move[2] === 'u' && syllable[n - 3] === 'q') return syllable;
  return syllable.slice(0, n - 2) + move[0] + move[1];
}

/** Normalised (accented, lower-case, one tone placement) syllables in order. */
export function syllables(text: string): string[] {
  const found = normalize(text).match(SYLLABLE) ?? [];
  return found.map(canonicalTone);
}

/** Adjacent pairs joined by a space: "khai sinh" approximates a compound word without a segmenter. */
export function bigrams(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

/** A syllable whose only vowel is y: "ký/kí", "lý/lí", "mỹ/mĩ" are spelled both ways. */
const SOLE_Y = /^(?:b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|nh|p|ph|r|s|t|th|tr|v|x)y$/;

/**
 * Folded syllable with the i/y spelling variants merged ("dang ki" = "dang ky"), the most
 * common way citizens and even official texts spell the same word differently.
 */
export function foldSpelling(foldedSyllable: string): string {
  return SOLE_Y.test(foldedSyllable) ? `${foldedSyllable.slice(0, -1)}i` : foldedSyllable;
}

/** The folded form used for matching: diacritics removed and i/y spelling variants merged. */
export function foldTerm(syllable: string): string {
  return foldSpelling(fold(syllable));
}
