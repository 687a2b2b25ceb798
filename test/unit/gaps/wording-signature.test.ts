import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterByWording } from '../../../src/gaps/cluster-by-wording.js';
import { jaccard, shingles, wordingSignature, wordingTokens } from '../../../src/gaps/wording-signature.js';
import { loadLexicon } from '../../../src/text/lexicon.js';

const lexicon = loadLexicon(path.resolve('knowledge/lexicon.json'));

describe('wordingTokens', () => {
  it('gives the same tokens with and without diacritics, politeness and question words dropped', () => {
    const a = wordingSignature('Cho tôi hỏi làm giấy khai sinh cho con ở đâu ạ?', lexicon);
    expect(a).toBe(wordingSignature('lam giay khai sinh cho con o dau', lexicon));
    expect(a).toBe(wordingSignature('Dạ, làm giấy khai sinh cho con ở đâu vậy', lexicon));
    expect(a).toContain('khai sinh');
  });

  it('writes lexicon shorthand in the catalogue words ("cccd" = "căn cước công dân")', () => {
    expect(wordingSignature('làm lại cccd bị mất', lexicon)).toBe(wordingSignature('lam lai can cuoc cong dan bi mat', lexicon));
    expect(wordingTokens('cccd', lexicon)).toEqual(['the', 'can', 'cuoc']);
  });

  it('merges the i/y spellings and leaves only fillers empty', () => {
    expect(wordingSignature('đăng ký kết hôn', lexicon)).toBe(wordingSignature('dang ki ket hon', lexicon));
    expect(wordingSignature('xin chào ạ', lexicon)).toBe('');
  });
});

describe('shingles and jaccard', () => {
  it('pairs adjacent tokens; a single token stands alone', () => {
    expect(shingles(['khai', 'sinh', 'con'])).toEqual(['khai sinh', 'sinh con']);
    expect(shingles(['visa'])).toEqual(['visa']);
    expect(jaccard(new Set(['a b', 'b c']), new Set(['a b']))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });
});

describe('clusterByWording', () => {
  it('puts overlapping wordings together and keeps different questions apart, largest first', () => {
    const clusters = clusterByWording([
      { signature: 'lam dang ki khai sinh con', count: 3 },
      { signature: 'dang ki khai sinh con', count: 2 },
      { signature: 'dang ki ket hon nguoi nuoc ngoai', count: 4 },
      { signature: 'thue dat nam', count: 1 },
      { signature: '', count: 2 },
    ]);
    expect(clusters).toEqual([
      { representative: 'lam dang ki khai sinh con', signatures: ['lam dang ki khai sinh con', 'dang ki khai sinh con'], count: 5 },
      { representative: 'dang ki ket hon nguoi nuoc ngoai', signatures: ['dang ki ket hon nguoi nuoc ngoai'], count: 4 },
      { representative: '', signatures: [''], count: 2 },
      { representative: 'thue dat nam', signatures: ['thue dat nam'], count: 1 },
    ]);
  });

  it('is deterministic whatever the input order', () => {
    const items = [
      { signature: 'a b c', count: 1 },
      { signature: 'b c d', count: 1 },
      { signature: 'c d e', count: 1 },
      { signature: 'x y', count: 1 },
    ];
    expect(clusterByWording(items)).toEqual(clusterByWording([...items].reverse()));
    // "a b c" ~ "b c d" (1/3 < 0.5): apart; the threshold is what decides.
    expect(clusterByWording(items).map((c) => c.signatures.length)).toEqual([1, 1, 1, 1]);
    expect(clusterByWording(items, 0.3).map((c) => c.signatures)).toEqual([['a b c', 'b c d'], ['c d e'], ['x y']]);
  });
});
