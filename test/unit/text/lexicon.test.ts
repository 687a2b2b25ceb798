import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EMPTY_LEXICON, inCatalogueWords, type Lexicon, loadLexicon, matchLexicon, parseLexicon } from '../../../src/text/lexicon.js';
import { foldTerm, syllables } from '../../../src/text/vietnamese.js';

const SHIPPED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../knowledge/lexicon.json');

/** The query's folded syllables, as the retriever passes them to matchLexicon. */
const folded = (text: string): string[] => syllables(text).map(foldTerm);

function lexiconOf(entries: unknown[]): Lexicon {
  return parseLexicon(JSON.stringify({ version: 1, entries }), 'test.json');
}

describe('parseLexicon', () => {
  it('parses a valid file into folded syllable terms', () => {
    const lex = parseLexicon(
      JSON.stringify({
        version: 1,
        description: 'extra top-level keys are allowed',
        entries: [
          { terms: ['Sổ Đỏ', 'bìa đỏ'], expansions: ['giấy chứng nhận quyền sử dụng đất'], replace: true, note: 'n' },
          { terms: ['Đăng ký kết hôn'], expansions: ['kết hôn'] },
        ],
      }),
    );
    expect(lex.entries).toHaveLength(2);
    expect(lex.entries[0]).toEqual({
      terms: [
        ['so', 'do'],
        ['bia', 'do'],
      ],
      expansions: ['giấy chứng nhận quyền sử dụng đất'],
      replace: true,
    });
    // replace defaults to false; ký is folded with the i/y merge.
    expect(lex.entries[1]).toEqual({ terms: [['dang', 'ki', 'ket', 'hon']], expansions: ['kết hôn'], replace: false });
  });

  it('accepts an empty entry list', () => {
    expect(parseLexicon('{"version":1,"entries":[]}').entries).toEqual([]);
  });

  it('names the file when the JSON is malformed', () => {
    expect(() => parseLexicon('{"version":1,', 'knowledge/broken.json')).toThrow(/^knowledge\/broken\.json: not valid JSON/);
    expect(() => parseLexicon('', 'x.json')).toThrow(/^x\.json: not valid JSON/);
  });

  it('uses a default name when none is given', () => {
    expect(() => parseLexicon('nope')).toThrow(/^lexicon: not valid JSON/);
  });

  it('names the path of a value with the wrong shape', () => {
    expect(() => parseLexicon('{"version":1,"entries":[{"terms":["a"]}]}', 'f.json')).toThrow(/^f\.json: entries\.0\.expansions: /);
    expect(() =>
      parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: ['a'], expansions: ['b'] }, { terms: ['c'], expansions: 'd' }] }), 'f.json'),
    ).toThrow(/^f\.json: entries\.1\.expansions: /);
    expect(() => parseLexicon('{"version":2,"entries":[]}', 'f.json')).toThrow(/^f\.json: version: /);
    expect(() => parseLexicon('{"version":1}', 'f.json')).toThrow(/^f\.json: entries: /);
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: ['a'], expansions: ['b'], replace: 'yes' }] }), 'f.json')).toThrow(
      /entries\.0\.replace/,
    );
  });

  it('rejects empty terms and expansions', () => {
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: [], expansions: ['x'] }] }), 'f.json')).toThrow(
      /^f\.json: entries\.0\.terms: /,
    );
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: [''], expansions: ['x'] }] }), 'f.json')).toThrow(
      /^f\.json: entries\.0\.terms\.0: /,
    );
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: ['a'], expansions: [] }] }), 'f.json')).toThrow(
      /entries\.0\.expansions/,
    );
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: ['a'], expansions: [''] }] }), 'f.json')).toThrow(
      /entries\.0\.expansions\.0/,
    );
  });

  // A term with no letters or digits (" ", "!!") could never match: it is an authoring error.
  it('rejects a term that has no syllables', () => {
    expect(() => parseLexicon(JSON.stringify({ version: 1, entries: [{ terms: [' '], expansions: ['x'] }] }), 'f.json')).toThrow(/f\.json/);
  });
});

describe('loadLexicon', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexicon-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads and parses a file', () => {
    const file = path.join(dir, 'ok.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, entries: [{ terms: ['cccd'], expansions: ['thẻ căn cước'] }] }));
    expect(loadLexicon(file).entries).toEqual([{ terms: [['cccd']], expansions: ['thẻ căn cước'], replace: false }]);
  });

  it('names the file in parse errors', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{ not json');
    expect(() => loadLexicon(file)).toThrow(`${file}: not valid JSON`);
  });

  it('fails for a missing file', () => {
    expect(() => loadLexicon(path.join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});

describe('matchLexicon', () => {
  const lex = lexiconOf([
    { terms: ['sổ đỏ', 'bìa đỏ'], expansions: ['giấy chứng nhận quyền sử dụng đất'], replace: true },
    { terms: ['đăng ký kết hôn'], expansions: ['kết hôn'] },
    { terms: ['đỏ'], expansions: ['màu đỏ'] },
  ]);
  const [soDo, ketHon, red] = lex.entries;

  it('matches accented and unaccented spellings of a term on folded syllables', () => {
    for (const q of ['sổ đỏ', 'so do', 'SỔ ĐỎ', 'So Do', 'so\u0309 \u0111o\u0309']) {
      const matches = matchLexicon(lex, folded(`làm ${q} mất bao lâu`));
      const m = matches.find((x) => x.entry === soDo);
      expect(m, q).toEqual({ entry: soDo, start: 1, length: 2 });
    }
  });

  it('matches with i/y spelling variants', () => {
    expect(matchLexicon(lex, folded('dang ki ket hon'))).toEqual([{ entry: ketHon, start: 0, length: 4 }]);
    expect(matchLexicon(lex, folded('Đăng kí kết hôn'))).toEqual([{ entry: ketHon, start: 0, length: 4 }]);
  });

  it('does not match a different first syllable or a partial syllable', () => {
    const q = ['xổ đỏ', 'sổ đỏa', 'sổđỏ', 'sổ', 'đỏ sổ', 'ổ đỏ', 'sổ xanh đỏ'];
    for (const text of q) expect(matchLexicon(lex, folded(text)).some((m) => m.entry === soDo), text).toBe(false);
  });

  it('matches only whole syllables for single-syllable terms', () => {
    expect(matchLexicon(lex, folded('đỏm dáng'))).toEqual([]);
    expect(matchLexicon(lex, folded('hoa đỏ'))).toEqual([{ entry: red, start: 1, length: 1 }]);
  });

  it('reports every matching entry, once per entry, at the first matching term', () => {
    const matches = matchLexicon(lex, folded('bìa đỏ và sổ đỏ'));
    // Entry order: soDo (its first term "sổ đỏ" found at 3), then red (first "đỏ" at 1).
    expect(matches).toEqual([
      { entry: soDo, start: 3, length: 2 },
      { entry: red, start: 1, length: 1 },
    ]);
    expect(matchLexicon(lex, folded('bìa đỏ')).find((m) => m.entry === soDo)).toEqual({ entry: soDo, start: 0, length: 2 });
  });

  it('finds nothing in an empty query or an empty lexicon', () => {
    expect(matchLexicon(lex, [])).toEqual([]);
    expect(matchLexicon(EMPTY_LEXICON, folded('sổ đỏ'))).toEqual([]);
  });
});

describe('the shipped knowledge/lexicon.json', () => {
  const lexicon = loadLexicon(SHIPPED);

  const expansionsFor = (query: string): string[] => matchLexicon(lexicon, folded(query)).flatMap((m) => m.entry.expansions);

  it('loads and has entries whose terms are all non-empty', () => {
    expect(lexicon.entries.length).toBeGreaterThan(20);
    for (const e of lexicon.entries) {
      expect(e.terms.length).toBeGreaterThan(0);
      for (const t of e.terms) expect(t.length).toBeGreaterThan(0);
      expect(e.expansions.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['cccd', 'thẻ căn cước'],
    ['làm lại CCCD', 'thẻ căn cước'],
    ['gplx', 'giấy phép lái xe'],
    ['bằng lái xe máy', 'giấy phép lái xe'],
    ['sổ đỏ', 'quyền sử dụng đất'],
    ['so do', 'quyền sử dụng đất'],
    ['dkkd', 'đăng ký kinh doanh'],
    ['bhxh', 'bảo hiểm xã hội'],
    ['bhyt', 'bảo hiểm y tế'],
    ['mst', 'mã số thuế'],
    ['ubnd', 'ủy ban nhân dân'],
    ['nhập hộ khẩu cho con', 'thường trú'],
    ['nhap ho khau', 'thường trú'],
  ])('"%s" expands to something containing "%s"', (query, expected) => {
    const expansions = expansionsFor(query);
    expect(expansions.some((e) => e.includes(expected)), JSON.stringify(expansions)).toBe(true);
  });

  it('replaces the citizen\'s abbreviation for cccd', () => {
    const m = matchLexicon(lexicon, folded('cccd'));
    expect(m.some((x) => x.entry.replace && x.entry.expansions.includes('thẻ căn cước'))).toBe(true);
  });

  it('does not expand a question without any lexicon words', () => {
    expect(expansionsFor('kiểm tra')).toEqual([]);
  });
});

describe('inCatalogueWords', () => {
  const lexicon = parseLexicon(
    JSON.stringify({
      version: 1,
      entries: [
        { terms: ['sổ đỏ'], expansions: ['giấy chứng nhận quyền sử dụng đất'], replace: true },
        { terms: ['cccd'], expansions: ['thẻ căn cước'] },
      ],
    }),
  );
  it('replaces what an entry replaces and appends the expansions', () => {
    expect(inCatalogueWords('Sổ đỏ bị cháy', lexicon)).toBe('bị cháy giấy chứng nhận quyền sử dụng đất');
    expect(inCatalogueWords('so do bi chay', lexicon)).toBe('bi chay giấy chứng nhận quyền sử dụng đất');
  });
  it('keeps the words of an entry that does not replace them', () => {
    expect(inCatalogueWords('làm lại cccd', lexicon)).toBe('làm lại cccd thẻ căn cước');
  });
  it('returns the text unchanged when nothing matches', () => {
    expect(inCatalogueWords('Đăng ký khai sinh?', lexicon)).toBe('Đăng ký khai sinh?');
  });
});
