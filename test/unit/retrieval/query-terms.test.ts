import { describe, expect, it, vi } from 'vitest';
import {
  type AnalysedQuery,
  analyseQuery,
  DEFAULT_QUERY_WEIGHTS,
  documentTerms,
  type SyllableCorrector,
  TERM,
} from '../../../src/retrieval/query-terms.js';
import { EMPTY_LEXICON, parseLexicon } from '../../../src/text/lexicon.js';
import { foldTerm } from '../../../src/text/vietnamese.js';

const W = DEFAULT_QUERY_WEIGHTS;

function termMap(a: AnalysedQuery): Map<string, number> {
  return new Map(a.terms.map((t) => [t.term, t.weight]));
}

const accentedTerms = (a: AnalysedQuery) => a.terms.map((t) => t.term).filter((t) => t.startsWith('U:') || t.startsWith('B:'));

/**
 * An expansion's syllables are present as folded and accented unigrams and bigrams, each space
 * weighing every syllable of the expansion alike, and no term above the expansion multiplier of
 * its base weight. (The exact split between the spaces is a tuning choice, not pinned here.)
 */
function expectExpansion(terms: Map<string, number>, accented: string[]): void {
  const folded = accented.map(foldTerm);
  const space = (name: string, key: (i: number) => string, count: number, max: number) => {
    const first = terms.get(key(0));
    expect(first, `${name} ${key(0)}`).toBeDefined();
    expect(first!).toBeGreaterThan(0);
    expect(first!).toBeLessThanOrEqual(max + 1e-12);
    for (let i = 1; i < count; i++) expect(terms.get(key(i)), key(i)).toBeCloseTo(first!, 10);
  };
  space('folded unigram', (i) => `u:${folded[i]}`, folded.length, W.expansion * W.unigram);
  space('accented unigram', (i) => `U:${accented[i]}`, accented.length, W.expansion * W.unigram);
  space('folded bigram', (i) => `b:${folded[i]} ${folded[i + 1]}`, folded.length - 1, W.expansion * W.bigram);
  space('accented bigram', (i) => `B:${accented[i]} ${accented[i + 1]}`, accented.length - 1, W.expansion * W.bigram);
}

const LEXICON = parseLexicon(
  JSON.stringify({
    version: 1,
    entries: [
      { terms: ['cccd', 'căn cước công dân'], expansions: ['thẻ căn cước'], replace: true },
      { terms: ['hộ chiếu'], expansions: ['hộ chiếu phổ thông'] },
    ],
  }),
  'test-lexicon',
);

describe('TERM', () => {
  it('prefixes each term space distinctly', () => {
    expect(TERM.foldedUnigram('ho')).toBe('u:ho');
    expect(TERM.foldedBigram('ho', 'chieu')).toBe('b:ho chieu');
    expect(TERM.accentedUnigram('hộ')).toBe('U:hộ');
    expect(TERM.accentedBigram('hộ', 'chiếu')).toBe('B:hộ chiếu');
  });
});

describe('documentTerms', () => {
  it('emits folded unigrams and bigrams, and accented ones when asked', () => {
    expect(documentTerms('Đăng ký khai sinh', true)).toEqual([
      'u:dang', 'b:dang ki', 'U:đăng', 'B:đăng ký',
      'u:ki', 'b:ki khai', 'U:ký', 'B:ký khai',
      'u:khai', 'b:khai sinh', 'U:khai', 'B:khai sinh',
      'u:sinh', 'U:sinh',
    ]);
    expect(documentTerms('Đăng ký khai sinh', false)).toEqual(['u:dang', 'b:dang ki', 'u:ki', 'b:ki khai', 'u:khai', 'b:khai sinh', 'u:sinh']);
  });

  it('uses one tone placement and lower case', () => {
    expect(documentTerms('HOÁ ĐƠN', true)).toEqual(['u:hoa', 'b:hoa don', 'U:hóa', 'B:hóa đơn', 'u:don', 'U:đơn']);
    expect(documentTerms('Thuỷ lợi', true)).toEqual(documentTerms('thủy lợi', true));
  });

  it('is empty for missing text and appends to `out`', () => {
    expect(documentTerms(null, true)).toEqual([]);
    expect(documentTerms(undefined, true)).toEqual([]);
    expect(documentTerms('', true)).toEqual([]);
    expect(documentTerms(' , ', true)).toEqual([]);
    const out = ['existing'];
    const returned = documentTerms('Cấp xã', false, out);
    expect(returned).toBe(out);
    expect(out).toEqual(['existing', 'u:cap', 'b:cap xa', 'u:xa']);
  });
});

describe('analyseQuery: question words and topic terms', () => {
  it('gives accented question words no unigram term, and unaccented ones only a reduced weight', () => {
    const accented = termMap(analyseQuery('Tôi muốn làm hộ chiếu như thế nào?', EMPTY_LEXICON, undefined));
    for (const w of ['toi', 'muon', 'lam', 'nhu', 'the', 'nao']) expect(accented.has(`u:${w}`), w).toBe(false);
    for (const w of ['tôi', 'muốn', 'làm', 'như', 'thế', 'nào']) expect(accented.has(`U:${w}`), w).toBe(false);
    // Unaccented, "the" may be thẻ, "ho" hộ and "lam" lâm: a little weight, and IDF decides;
    // "toi", "muon", "nhu", "nao" are question words whatever their accents.
    const unaccented = termMap(analyseQuery('toi muon lam ho chieu nhu the nao', EMPTY_LEXICON, undefined));
    for (const w of ['lam', 'the', 'ho']) {
      expect(unaccented.get(`u:${w}`), w).toBeCloseTo(W.unigram * W.unaccentedQuestionWord, 10);
    }
    for (const w of ['toi', 'muon', 'nhu', 'nao']) expect(unaccented.has(`u:${w}`), w).toBe(false);
    expect(W.unaccentedQuestionWord).toBeLessThan(1);
    for (const terms of [accented, unaccented]) {
      expect(terms.get('u:chieu')).toBe(W.unigram);
      expect(terms.get('b:ho chieu')).toBeCloseTo(W.bigram, 10);
    }
    // "hộ" typed with its accent is a topic word and keeps its full unigram weight.
    expect(accented.get('u:ho')).toBe(W.unigram);
  });

  it('keeps topic bigrams, and bigrams of two question words at reduced weight', () => {
    const terms = termMap(analyseQuery('Tôi muốn đăng ký khai sinh', EMPTY_LEXICON, undefined));
    expect(terms.get('b:khai sinh')).toBeCloseTo(W.bigram, 10);
    expect(terms.get('b:dang ki')).toBeCloseTo(W.bigram, 10);
    // A bigram counts fully when either side is a topic word.
    expect(terms.get('b:muon dang')).toBeCloseTo(W.bigram, 10);
    expect(terms.get('b:toi muon')).toBeCloseTo(W.bigram * 0.3, 10);
  });

  it('keeps the highest weight when a term repeats', () => {
    const a = analyseQuery('hộ chiếu, hộ chiếu', EMPTY_LEXICON, undefined);
    const names = a.terms.map((t) => t.term);
    expect(new Set(names).size).toBe(names.length);
    expect(termMap(a).get('u:ho')).toBe(1);
  });

  it('counts aspect syllables little when the question asks about an aspect', () => {
    const fee = termMap(analyseQuery('lệ phí làm hộ chiếu', EMPTY_LEXICON, undefined));
    expect(fee.get('u:le')).toBeCloseTo(W.aspectCue, 10);
    expect(fee.get('u:phi')).toBeCloseTo(W.aspectCue, 10);
    expect(fee.get('u:ho')).toBe(1);
    // Without an aspect cue, "hồ sơ" is a topic and counts fully.
    const topic = termMap(analyseQuery('lưu trữ hồ sơ', EMPTY_LEXICON, undefined));
    expect(topic.get('u:ho')).toBe(1);
    expect(topic.get('u:so')).toBe(1);
  });

  it('scales by the given weights', () => {
    const base = termMap(analyseQuery('hộ chiếu', EMPTY_LEXICON, undefined));
    const weights = { ...W, unigram: 2, bigram: 3, accented: 2 * W.accented };
    const terms = termMap(analyseQuery('hộ chiếu', EMPTY_LEXICON, undefined, weights));
    expect(terms.get('u:ho')).toBe(2);
    expect(terms.get('b:ho chieu')).toBe(3);
    // A larger `accented` weight gives the accented terms more weight.
    expect(terms.get('U:hộ')!).toBeGreaterThan(base.get('U:hộ')!);
    expect(terms.get('B:hộ chiếu')!).toBeGreaterThan(base.get('B:hộ chiếu')!);
    const noAccents = termMap(analyseQuery('hộ chiếu', EMPTY_LEXICON, undefined, { ...W, accented: 0 }));
    expect(noAccents.has('U:hộ')).toBe(false);
    expect(noAccents.get('u:ho')).toBe(1);
  });

  it('returns the folded syllables of the question', () => {
    const a = analyseQuery('Làm hộ chiếu', EMPTY_LEXICON, undefined);
    expect([...a.querySyllables].sort()).toEqual(['chieu', 'ho', 'lam']);
  });

  it('returns nothing for an empty question', () => {
    const a = analyseQuery('  ?! ', EMPTY_LEXICON, undefined);
    expect(a.terms).toEqual([]);
    expect(a.querySyllables.size).toBe(0);
    expect(a.accented).toBe(false);
  });
});

describe('analyseQuery: accents', () => {
  it('adds accented terms when the question has diacritics', () => {
    const a = analyseQuery('Làm hộ chiếu phổ thông', EMPTY_LEXICON, undefined);
    expect(a.accented).toBe(true);
    const terms = termMap(a);
    // Accented terms add precision on top of the folded ones, which still carry most weight.
    for (const [acc, fol] of [
      ['U:hộ', 'u:ho'],
      ['U:chiếu', 'u:chieu'],
      ['U:phổ', 'u:pho'],
      ['B:hộ chiếu', 'b:ho chieu'],
      ['B:phổ thông', 'b:pho thong'],
    ] as const) {
      expect(terms.get(acc), acc).toBeGreaterThan(0);
      expect(terms.get(acc)!, acc).toBeLessThan(terms.get(fol)!);
    }
    expect(terms.get('U:hộ')).toBeCloseTo(terms.get('U:phổ')!, 10);
    expect(terms.has('U:làm')).toBe(false);
  });

  it('adds no accented terms for an unaccented question and asks the restorer about every bigram', () => {
    const restore = vi.fn((bigram: string) => (bigram === 'ho chieu' ? 'hộ chiếu' : undefined));
    const a = analyseQuery('toi muon lam ho chieu pho thong', EMPTY_LEXICON, restore);
    expect(a.accented).toBe(false);
    expect(restore.mock.calls.map((c) => c[0])).toEqual(['toi muon', 'muon lam', 'lam ho', 'ho chieu', 'chieu pho', 'pho thong']);
    // Only the restored bigram is in the accented space, with the `restored` weight.
    expect(accentedTerms(a)).toEqual(['B:hộ chiếu']);
    const terms = termMap(a);
    expect(terms.get('B:hộ chiếu')!).toBeGreaterThan(0);
    expect(terms.get('B:hộ chiếu')!).toBeLessThan(terms.get('b:ho chieu')!);
  });

  it('adds no accented terms at all without a restorer', () => {
    const a = analyseQuery('lam ho chieu', EMPTY_LEXICON, undefined);
    expect(a.accented).toBe(false);
    expect(accentedTerms(a)).toEqual([]);
    expect(termMap(a).get('u:chieu')).toBe(1);
  });

  it('does not call the restorer when the question has diacritics', () => {
    const restore = vi.fn(() => 'x y');
    analyseQuery('làm hộ chiếu', EMPTY_LEXICON, restore);
    expect(restore).not.toHaveBeenCalled();
  });

  // foldTerm also merges the i/y spelling ("ky" → "ki"), which must not make "dang ky" look accented.
  it('treats an unaccented question containing "ky" as unaccented', () => {
    const restore = vi.fn((bigram: string) => (bigram === 'khai sinh' ? 'khai sinh' : undefined));
    const a = analyseQuery('dang ky khai sinh', EMPTY_LEXICON, restore);
    expect(a.accented).toBe(false);
    expect(restore).toHaveBeenCalledWith('khai sinh');
    expect(accentedTerms(a)).toEqual(['B:khai sinh']);
  });
});

describe('analyseQuery: lexicon', () => {
  it('adds the expansion terms (accented, at most the expansion weight) and replace drops the citizen\'s unigrams', () => {
    const a = analyseQuery('cấp lại cccd', LEXICON, undefined);
    const terms = termMap(a);
    expect(terms.has('u:cccd')).toBe(false);
    expect(terms.has('U:cccd')).toBe(false);
    expect(terms.get('u:cap')).toBe(1);
    expectExpansion(terms, ['thẻ', 'căn', 'cước']);
    expect([...a.querySyllables].sort()).toEqual(['can', 'cap', 'cuoc', 'lai', 'the']);
  });

  it('replaces multi-syllable citizen words too, also for an unaccented question', () => {
    const a = analyseQuery('cap lai can cuoc cong dan', LEXICON, undefined);
    const terms = termMap(a);
    expect(a.accented).toBe(false);
    expect(terms.has('u:cong')).toBe(false);
    expect(terms.has('u:dan')).toBe(false);
    // Expansions are the catalogue's spelling, so their accented terms are added even to an
    // unaccented question, whose own words get none.
    for (const t of ['u:the', 'u:can', 'u:cuoc', 'U:thẻ', 'U:căn', 'U:cước', 'B:thẻ căn', 'B:căn cước']) {
      expect(terms.get(t), t).toBeGreaterThan(0);
      expect(terms.get(t)!, t).toBeLessThanOrEqual(W.expansion * W.bigram);
    }
    expect(terms.has('U:cap')).toBe(false);
    expect(terms.get('u:cap')).toBe(1);
    expect(a.querySyllables.has('cong')).toBe(false);
    expect(a.querySyllables.has('the')).toBe(true);
  });

  it('keeps the citizen\'s words when the entry does not replace them', () => {
    const terms = termMap(analyseQuery('làm hộ chiếu', LEXICON, undefined));
    expect(terms.get('u:ho')).toBe(1);
    expect(terms.get('u:chieu')).toBe(1);
    expect(terms.get('b:ho chieu')).toBeCloseTo(W.bigram, 10);
    expectExpansion(terms, ['phổ', 'thông']);
    expect(terms.get('u:pho')!).toBeLessThan(terms.get('u:chieu')!);
  });

  it('adds nothing from the lexicon when no term matches', () => {
    const terms = termMap(analyseQuery('đăng ký kết hôn', LEXICON, undefined));
    expect(terms.has('u:the')).toBe(false);
    expect(terms.has('u:pho')).toBe(false);
  });
});

describe('analyseQuery: typo correction', () => {
  it('replaces an unknown syllable with the corrected one at a lower weight', () => {
    const calls: Array<[string, string | undefined, string | undefined]> = [];
    const correct: SyllableCorrector = (s, prev, next) => {
      calls.push([s, prev, next]);
      return s === 'sing' ? 'sinh' : undefined;
    };
    const a = analyseQuery('khai sing cho con', EMPTY_LEXICON, undefined, W, correct);
    const terms = termMap(a);
    expect(terms.has('u:sing')).toBe(false);
    expect(terms.get('u:sinh')).toBeCloseTo(W.corrected, 10);
    expect(terms.get('u:sinh')!).toBeLessThan(1);
    expect(terms.get('u:khai')).toBe(1);
    expect(terms.get('b:khai sinh')).toBeCloseTo(W.bigram, 10);
    expect(terms.has('b:khai sing')).toBe(false);
    expect(a.querySyllables.has('sinh')).toBe(true);
    expect(a.querySyllables.has('sing')).toBe(false);
    // Short syllables and question words ("cho") are not offered to the corrector.
    expect(calls).toEqual([
      ['khai', undefined, 'sing'],
      ['sing', 'khai', 'cho'],
      ['con', 'cho', undefined],
    ]);
  });

  it('leaves the query alone when the corrector has no suggestion', () => {
    const plain = analyseQuery('khai sing', EMPTY_LEXICON, undefined);
    const withCorrector = analyseQuery('khai sing', EMPTY_LEXICON, undefined, W, () => undefined);
    expect(withCorrector).toEqual(plain);
    expect(termMap(plain).get('u:sing')).toBe(1);
  });
});
