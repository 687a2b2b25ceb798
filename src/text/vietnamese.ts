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

/**
 * Removes diacritics: NFD, strip combining marks, `đ→d` (đ has no Unicode decomposition).
 * The result is NFC lower-case ASCII for Vietnamese input.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .normalize('NFC');
}

/** True when the text carries at least one Vietnamese diacritic (or đ). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== text.normalize('NFC').toLowerCase();
}

/** Tone on the first vowel of a final oa/oe/uy, the other placement, and the vowel without tone. */
const TONE_MOVES: ReadonlyArray<readonly [RegExp, string]> = (() => {
  const tones = [
    ['a', 'àáảãạ'],
    ['e', 'èéẻẽẹ'],
    ['y', 'ỳýỷỹỵ'],
  ] as const;
  const firstVowel = { a: ['o', 'òóỏõọ'], e: ['o', 'òóỏõọ'], y: ['u', 'ùúủũụ'] } as const;
  const moves: Array<readonly [RegExp, string]> = [];
  for (const [plain, toned] of tones) {
    const [v, vToned] = firstVowel[plain];
    for (let t = 0; t < 5; t++) {
      // "qu" + y keeps its tone on y ("quý"), so the u of "qu" is not a vowel here.
      moves.push([new RegExp(`(^|[^q])${v}${toned[t]}$`, 'u'), `$1${vToned[t]}${plain}`]);
    }
  }
  return moves;
})();

/**
 * One spelling per syllable: the catalogue writes both "hoá" and "hóa", "thuỷ" and "thủy"
 * (old and new tone placement); the tone goes on the first vowel of a final oa/oe/uy.
 */
export function canonicalTone(syllable: string): string {
  for (const [pattern, replacement] of TONE_MOVES) if (pattern.test(syllable)) return syllable.replace(pattern, replacement);
  return syllable;
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
