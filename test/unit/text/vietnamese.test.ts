import { describe, expect, it } from 'vitest';
import { bigrams, canonicalTone, fold, foldSpelling, foldTerm, hasDiacritics, normalize, syllables } from '../../../src/text/vietnamese.js';

/** Independent reference for `fold`, written from the specification rather than from the code. */
function referenceFold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().normalize('NFC');
}

/** grave, acute, hook above, tilde, dot below: the five marked Vietnamese tones. */
const TONE_MARKS = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'] as const;
/** Each vowel letter of the alphabet and its plain ASCII base. */
const VOWELS: ReadonlyArray<readonly [string, string]> = [
  ['a', 'a'], ['ă', 'a'], ['â', 'a'], ['e', 'e'], ['ê', 'e'], ['i', 'i'],
  ['o', 'o'], ['ô', 'o'], ['ơ', 'o'], ['u', 'u'], ['ư', 'u'], ['y', 'y'],
];

/** Every precomposed Vietnamese letter (all vowels × no tone + 5 tones, đ), lower and upper case, with its base. */
const LETTERS: ReadonlyArray<readonly [string, string]> = (() => {
  const out: Array<readonly [string, string]> = [];
  for (const [vowel, base] of VOWELS) {
    for (const mark of ['', ...TONE_MARKS]) {
      const lower = (vowel + mark).normalize('NFC');
      out.push([lower, base], [lower.toUpperCase(), base]);
    }
  }
  out.push(['đ', 'd'], ['Đ', 'd']);
  return out;
})();

describe('normalize', () => {
  it('lower-cases', () => {
    expect(normalize('ĐĂNG KÝ Khai Sinh')).toBe('đăng ký khai sinh');
    expect(normalize('ABC xyz 123')).toBe('abc xyz 123');
  });

  it('composes decomposed marks into one NFC code point', () => {
    const out = normalize('a\u0301');
    expect(out).toBe('á');
    expect(out).toHaveLength(1);
    expect(out).toBe('\u00e1');
    // ậ typed as a + circumflex + dot below, in either mark order, and upper case.
    expect(normalize('A\u0323\u0302')).toBe('ậ');
    expect(normalize('a\u0302\u0323')).toBe('ậ');
    expect(normalize('Đa\u0306ng ky\u0301')).toBe('đăng ký');
  });

  it('leaves already normalised text unchanged', () => {
    expect(normalize('thẻ căn cước')).toBe('thẻ căn cước');
    expect(normalize('')).toBe('');
  });
});

describe('fold', () => {
  it('generates the full list of precomposed letters (sanity of the test data)', () => {
    expect(LETTERS).toHaveLength(12 * 6 * 2 + 2);
    for (const [letter] of LETTERS) expect([...letter]).toHaveLength(1);
    expect(new Set(LETTERS.map(([l]) => l)).size).toBe(LETTERS.length);
  });

  it('folds every precomposed Vietnamese letter like the reference implementation', () => {
    for (const [letter, base] of LETTERS) {
      expect(fold(letter), letter).toBe(referenceFold(letter));
      expect(fold(letter), letter).toBe(base);
    }
  });

  it('folds every letter in context (inside a word and all letters in one string)', () => {
    const all = LETTERS.map(([l]) => l).join('');
    expect(fold(all)).toBe(referenceFold(all));
    expect(fold(all)).toBe(LETTERS.map(([, b]) => b).join(''));
    for (const [letter, base] of LETTERS) expect(fold(`ng${letter}n`)).toBe(`ng${base}n`);
  });

  it('folds the decomposed (NFD) form of every letter to the same result', () => {
    for (const [letter, base] of LETTERS) {
      const decomposed = letter.normalize('NFD');
      expect(fold(decomposed), JSON.stringify(decomposed)).toBe(base);
      expect(fold(decomposed)).toBe(referenceFold(decomposed));
    }
    expect(fold('Đa\u0306ng ky\u0301 khai sinh')).toBe('dang ky khai sinh');
  });

  it('removes diacritics from sentences and handles đ/Đ which have no decomposition', () => {
    expect(fold('Đăng ký thường trú')).toBe('dang ky thuong tru');
    expect(fold('ĐỒNG ĐỘI đi đâu')).toBe('dong doi di dau');
    expect(fold('Giấy chứng nhận quyền sử dụng đất')).toBe('giay chung nhan quyen su dung dat');
    expect(fold('Ủy ban nhân dân')).toBe('uy ban nhan dan');
  });

  it('leaves characters without diacritics alone (apart from lower case)', () => {
    expect(fold('abc xyz 0123456789')).toBe('abc xyz 0123456789');
    expect(fold('1.001193 - (a/b), "x"; 50%!?')).toBe('1.001193 - (a/b), "x"; 50%!?');
    expect(fold('你好 😀 ß ω')).toBe('你好 😀 ß ω');
    expect(fold('Ω')).toBe('ω');
    expect(fold('')).toBe('');
  });

  it('matches the reference on mixed and non-Vietnamese text', () => {
    const samples = [
      'Hà Nội – Việt Nam 2024',
      'Crème brûlée, naïve, Ñandú, São Paulo',
      'İstanbul Ærø Øresund Łódź',
      'Tên: Nguyễn Thị Ngọc Ánh; Mã số: 2.000779',
      'KHOẺ MẠNH, THUỶ LỢI, HOÁ ĐƠN',
    ];
    for (const s of samples) expect(fold(s), s).toBe(referenceFold(s));
  });

  it('gives the same answer when called again (the per-character cache does not change results)', () => {
    const s = 'Ngưỡng cửa Đường phố ỨNG';
    const first = fold(s);
    expect(fold(s)).toBe(first);
    expect(first).toBe('nguong cua duong pho ung');
  });
});

describe('hasDiacritics', () => {
  it('is true when any Vietnamese diacritic or đ is present', () => {
    expect(hasDiacritics('đăng ký')).toBe(true);
    expect(hasDiacritics('dang ký')).toBe(true);
    expect(hasDiacritics('đ')).toBe(true);
    expect(hasDiacritics('ĐANG')).toBe(true);
    expect(hasDiacritics('a\u0301')).toBe(true);
    for (const [letter, base] of LETTERS) expect(hasDiacritics(letter), letter).toBe(letter.toLowerCase() !== base);
  });

  it('is false for plain text in any case', () => {
    expect(hasDiacritics('dang ky khai sinh')).toBe(false);
    expect(hasDiacritics('DANG KY KHAI SINH')).toBe(false);
    expect(hasDiacritics('')).toBe(false);
    expect(hasDiacritics('1.001193 ?!')).toBe(false);
  });
});

describe('canonicalTone', () => {
  it('moves the tone of a final oa/oe/uy onto the first vowel, for every tone', () => {
    const tonedA = 'àáảãạ';
    const tonedE = 'èéẻẽẹ';
    const tonedY = 'ỳýỷỹỵ';
    const tonedO = 'òóỏõọ';
    const tonedU = 'ùúủũụ';
    for (let t = 0; t < 5; t++) {
      expect(canonicalTone(`ho${tonedA[t]}`)).toBe(`h${tonedO[t]}a`);
      expect(canonicalTone(`kho${tonedE[t]}`)).toBe(`kh${tonedO[t]}e`);
      expect(canonicalTone(`thu${tonedY[t]}`)).toBe(`th${tonedU[t]}y`);
    }
  });

  it('handles the examples from the catalogue', () => {
    expect(canonicalTone('hoá')).toBe('hóa');
    expect(canonicalTone('thuỷ')).toBe('thủy');
    expect(canonicalTone('uỷ')).toBe('ủy');
    expect(canonicalTone('khoẻ')).toBe('khỏe');
    expect(canonicalTone('xoè')).toBe('xòe');
    expect(canonicalTone('tuý')).toBe('túy');
  });

  it('keeps qu + y on the y', () => {
    expect(canonicalTone('quý')).toBe('quý');
    expect(canonicalTone('quỳ')).toBe('quỳ');
    expect(canonicalTone('quỹ')).toBe('quỹ');
  });

  it('leaves syllables without a toned final oa/oe/uy unchanged', () => {
    for (const s of ['hoàn', 'hóa', 'hoa', 'quá', 'quà', 'mía', 'của', 'thủy', 'khỏe', 'ai', 'á', 'y', '', 'tuyển', 'khuya', 'ủy'])
      expect(canonicalTone(s), s).toBe(s);
  });

  it('is idempotent', () => {
    for (const s of ['hoá', 'thuỷ', 'khoẻ', 'quý', 'hoàn']) expect(canonicalTone(canonicalTone(s))).toBe(canonicalTone(s));
  });
});

describe('syllables', () => {
  it('splits on spaces and punctuation and lower-cases', () => {
    expect(syllables('Đăng ký, khai-sinh (lần đầu); cấp/đổi!')).toEqual(['đăng', 'ký', 'khai', 'sinh', 'lần', 'đầu', 'cấp', 'đổi']);
    expect(syllables('  ')).toEqual([]);
    expect(syllables('...?!')).toEqual([]);
    expect(syllables('')).toEqual([]);
  });

  it('keeps digits, also inside syllables', () => {
    expect(syllables('Mẫu TK1-TS năm 2024')).toEqual(['mẫu', 'tk1', 'ts', 'năm', '2024']);
    expect(syllables('thủ tục 1.001193')).toEqual(['thủ', 'tục', '1', '001193']);
  });

  it('applies canonicalTone to every syllable', () => {
    expect(syllables('Hoá đơn')).toEqual(['hóa', 'đơn']);
    expect(syllables('THUỶ LỢI')).toEqual(['thủy', 'lợi']);
    expect(syllables('Uỷ ban')).toEqual(['ủy', 'ban']);
    expect(syllables('quý hoàn khoẻ')).toEqual(['quý', 'hoàn', 'khỏe']);
  });

  it('composes decomposed input before splitting', () => {
    // "hoá" typed with a combining acute; without NFC the mark would split or survive.
    expect(syllables('Ho\u0061\u0301 \u0111o\u031b\u0300n')).toEqual(['hóa', 'đờn']);
    expect(syllables('đa\u0306ng ky\u0301')).toEqual(['đăng', 'ký']);
  });
});

describe('bigrams', () => {
  it('joins adjacent pairs with a space', () => {
    expect(bigrams(['đăng', 'ký', 'khai', 'sinh'])).toEqual(['đăng ký', 'ký khai', 'khai sinh']);
    expect(bigrams(['a', 'b'])).toEqual(['a b']);
  });

  it('is empty for fewer than two tokens and does not modify its input', () => {
    expect(bigrams([])).toEqual([]);
    expect(bigrams(['một'])).toEqual([]);
    const input = ['x', 'y', 'z'];
    bigrams(input);
    expect(input).toEqual(['x', 'y', 'z']);
  });
});

describe('foldSpelling', () => {
  it('spells a syllable whose only vowel is y with i', () => {
    expect(foldSpelling('ky')).toBe('ki');
    expect(foldSpelling('ly')).toBe('li');
    expect(foldSpelling('my')).toBe('mi');
    expect(foldSpelling('ty')).toBe('ti');
    expect(foldSpelling('sy')).toBe('si');
    expect(foldSpelling('thy')).toBe('thi');
    expect(foldSpelling('ngy')).toBe('ngi');
  });

  it('leaves y that is part of a longer rhyme or after qu/hu alone', () => {
    for (const s of ['huy', 'quy', 'khuy', 'tuy', 'y', 'ay', 'kyo', 'ki', 'li', 'yen', 'uy', 'qy']) expect(foldSpelling(s), s).toBe(s);
  });
});

describe('foldTerm', () => {
  it('folds diacritics and merges i/y spellings', () => {
    expect(foldTerm('ký')).toBe('ki');
    expect(foldTerm('Kỳ')).toBe('ki');
    expect(foldTerm('kí')).toBe('ki');
    expect(foldTerm('Lý')).toBe('li');
    expect(foldTerm('Mỹ')).toBe('mi');
    expect(foldTerm('mĩ')).toBe('mi');
    expect(foldTerm('đăng')).toBe('dang');
  });

  it('does not merge y in other rhymes', () => {
    expect(foldTerm('quý')).toBe('quy');
    expect(foldTerm('Huỳnh')).toBe('huynh');
    expect(foldTerm('thủy')).toBe('thuy');
    expect(foldTerm('huy')).toBe('huy');
  });
});
