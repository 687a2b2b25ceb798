import { fold, hasDiacritics, normalize } from '../text/vietnamese.js';

/**
 * A list of phrases matched on syllable boundaries. Written with diacritics: an accented
 * message is matched on its accented form (so "ngũ" is not "ngu"), an unaccented one on the
 * folded forms — the same policy as aspect detection.
 */
export class PhraseMatcher {
  private readonly accented: RegExp | null;
  private readonly folded: RegExp | null;

  /**
   * @param phrases matched in both forms
   * @param foldedOnly phrases only tried on unaccented messages (where the accented form would be too loose)
   * @param accentedOnly phrases only tried on accented messages (their folded form is an innocent word: lồn/lon)
   */
  constructor(phrases: readonly string[], foldedOnly: readonly string[] = [], accentedOnly: readonly string[] = []) {
    this.accented = phraseRegex([...phrases, ...accentedOnly].map(normalize));
    this.folded = phraseRegex([...new Set([...phrases, ...foldedOnly].map(fold))]);
  }

  test(text: string): boolean {
    const re = hasDiacritics(text) ? this.accented : this.folded;
    return re !== null && re.test(hasDiacritics(text) ? normalize(text) : fold(text));
  }
}

function phraseRegex(phrases: readonly string[]): RegExp | null {
  const list = phrases.filter((p) => p.trim() !== '');
  if (list.length === 0) return null;
  const escaped = list.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}
