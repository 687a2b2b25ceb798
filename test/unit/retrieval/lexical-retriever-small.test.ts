import { describe, expect, it } from 'vitest';
import { Procedure, type ProcedureInput } from '../../../src/domain/procedure.js';
import { LexicalRetriever } from '../../../src/retrieval/lexical-retriever.js';
import type { SearchFilter } from '../../../src/retrieval/retriever.js';
import { EMPTY_LEXICON, parseLexicon } from '../../../src/text/lexicon.js';

/** A schema-valid procedure from the fields these tests care about. */
function proc(id: string, name: string, extra: Partial<ProcedureInput> = {}): Procedure {
  return Procedure.parse({
    id,
    name,
    sources: [{ kind: 'team_knowledge', file: 'x', repo: null, commit: null }],
    ...extra,
  });
}

const KHAI_SINH = '1.001193';
const KHAI_SINH_NN = '1.001695';
const KHAI_SINH_LD = '1.000894';
const KET_HON = '1.000656';
const LY_LICH = '2.000528';
const THUONG_TRU = '1.001120';
const XAY_DUNG = '2.001234';
const KHAI_TU = '1.002345';
const CAN_CUOC = '3.000123';

const PROCEDURES: Procedure[] = [
  proc(KHAI_SINH_NN, 'Đăng ký khai sinh có yếu tố nước ngoài', {
    field: 'Hộ tịch', levels: ['Cấp huyện'], agency: 'Phòng Tư pháp cấp huyện', result: 'Giấy khai sinh',
  }),
  proc(KHAI_SINH_LD, 'Đăng ký khai sinh lưu động', {
    field: 'Hộ tịch', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã', result: 'Giấy khai sinh',
  }),
  proc(KET_HON, 'Đăng ký kết hôn', {
    field: 'Hộ tịch', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã', result: 'Giấy chứng nhận kết hôn',
  }),
  proc(LY_LICH, 'Cấp phiếu lý lịch tư pháp cho công dân Việt Nam', {
    field: 'Lý lịch tư pháp', levels: ['Cấp tỉnh'], agency: 'Sở Tư pháp', result: 'Phiếu lý lịch tư pháp',
  }),
  proc(THUONG_TRU, 'Đăng ký thường trú', {
    field: 'Đăng ký, quản lý cư trú', levels: ['Cấp xã'], agency: 'Công an cấp xã', result: 'Thông báo kết quả',
  }),
  proc(XAY_DUNG, 'Cấp giấy phép xây dựng nhà ở riêng lẻ', {
    field: 'Hoạt động xây dựng', levels: ['Cấp huyện'], agency: 'Ủy ban nhân dân cấp huyện', result: 'Giấy phép xây dựng',
  }),
  proc(KHAI_SINH, 'Đăng ký khai sinh', {
    field: 'Hộ tịch', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã', result: 'Giấy khai sinh',
  }),
  proc(KHAI_TU, 'Đăng ký khai tử', {
    field: 'Hộ tịch', levels: ['Cấp xã'], agency: 'Ủy ban nhân dân cấp xã', result: 'Trích lục khai tử',
  }),
  proc(CAN_CUOC, 'Cấp lại thẻ căn cước', {
    field: 'Căn cước', levels: ['Cấp tỉnh', 'Cấp huyện'], agency: 'Công an tỉnh', competentAuthority: 'Bộ Công an',
    aliases: ['làm lại căn cước'], result: 'Thẻ căn cước',
  }),
];
const BY_ID = new Map(PROCEDURES.map((p) => [p.id, p]));

const LEXICON = parseLexicon(
  JSON.stringify({ version: 1, entries: [{ terms: ['cccd', 'cmnd'], expansions: ['thẻ căn cước'], replace: true }] }),
  'test-lexicon',
);

const retriever = LexicalRetriever.build(PROCEDURES, LEXICON);

const search = (text: string, limit = 10, filter?: SearchFilter) =>
  retriever.searchSync(filter ? { text, limit, filter } : { text, limit }).map((h) => h.procedureId);

describe('LexicalRetriever over a small catalogue', () => {
  it('indexes every procedure', () => {
    expect(retriever.size).toBe(PROCEDURES.length);
    expect(new Set(PROCEDURES.map((p) => p.id)).size).toBe(PROCEDURES.length);
  });

  it('finds each procedure by its own name, first', () => {
    for (const p of PROCEDURES) expect(search(p.name)[0], p.name).toBe(p.id);
  });

  it('puts a procedure quoted by its official code first', () => {
    const hits = retriever.searchSync({ text: 'Thủ tục 2.000528 nộp ở đâu?', limit: 5 });
    expect(hits[0]).toEqual({ procedureId: LY_LICH, score: Number.MAX_SAFE_INTEGER });
    // The code wins over the words of another procedure, which still follow.
    const mixed = search('đăng ký khai sinh 1.000656');
    expect(mixed[0]).toBe(KET_HON);
    expect(mixed[1]).toBe(KHAI_SINH);
    expect(mixed.filter((id) => id === KET_HON)).toHaveLength(1);
  });

  it('ignores a code that is not in the catalogue and a code excluded by the filter', () => {
    expect(search('đăng ký khai sinh 9.999999')[0]).toBe(KHAI_SINH);
    const filtered = search('2.000528', 5, { level: 'xa' });
    expect(filtered).not.toContain(LY_LICH);
  });

  it('prefers the plain procedure over its longer variants for a plain query', () => {
    const ids = search('đăng ký khai sinh');
    expect(ids[0]).toBe(KHAI_SINH);
    expect(ids.indexOf(KHAI_SINH)).toBeLessThan(ids.indexOf(KHAI_SINH_NN));
    expect(ids.indexOf(KHAI_SINH)).toBeLessThan(ids.indexOf(KHAI_SINH_LD));
    expect(ids.slice(0, 3).sort()).toEqual([KHAI_SINH, KHAI_SINH_LD, KHAI_SINH_NN].sort());
    // A citizen question around the same words.
    expect(search('Tôi muốn đăng ký khai sinh cho con thì làm thế nào?')[0]).toBe(KHAI_SINH);
  });

  it('finds the variant when the query names it', () => {
    expect(search('khai sinh có yếu tố nước ngoài')[0]).toBe(KHAI_SINH_NN);
    expect(search('khai sinh luu dong')[0]).toBe(KHAI_SINH_LD);
  });

  it('finds the same procedures for an unaccented query', () => {
    expect(search('dang ky khai sinh')[0]).toBe(KHAI_SINH);
    expect(search('dang ky khai sinh').slice(0, 3).sort()).toEqual(search('đăng ký khai sinh').slice(0, 3).sort());
    expect(search('dang ky ket hon')[0]).toBe(KET_HON);
    expect(search('DANG KI THUONG TRU')[0]).toBe(THUONG_TRU);
    expect(search('cap giay phep xay dung nha o')[0]).toBe(XAY_DUNG);
    expect(search('ly lich tu phap')[0]).toBe(LY_LICH);
  });

  it('filters by level without diacritics or case', () => {
    const ids = search('đăng ký khai sinh', 10, { level: 'xa' });
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(BY_ID.get(id)!.levels, id).toContain('Cấp xã');
    expect(ids).not.toContain(KHAI_SINH_NN);
    expect(ids[0]).toBe(KHAI_SINH);
    const huyen = search('đăng ký khai sinh', 10, { level: 'Cấp Huyện' });
    expect(huyen[0]).toBe(KHAI_SINH_NN);
    for (const id of huyen) expect(BY_ID.get(id)!.levels).toContain('Cấp huyện');
    // A multi-level procedure passes for any of its levels.
    expect(search('cấp lại thẻ căn cước', 10, { level: 'huyen' })[0]).toBe(CAN_CUOC);
    expect(search('cấp lại thẻ căn cước', 10, { level: 'tinh' })[0]).toBe(CAN_CUOC);
    expect(search('cấp lại thẻ căn cước', 10, { level: 'bo' })).toEqual([]);
  });

  it('filters by agency or competent authority, without diacritics', () => {
    const ids = search('đăng ký', 10, { agency: 'cong an' });
    expect(ids).toEqual([THUONG_TRU]);
    // "Bộ Công an" is only the competent authority of the ID card procedure.
    expect(search('cấp lại thẻ', 10, { agency: 'Bộ Công An' })).toEqual([CAN_CUOC]);
    const tuPhap = search('khai sinh', 10, { agency: 'Tư pháp' });
    expect(tuPhap).toEqual([KHAI_SINH_NN]);
  });

  it('respects the limit', () => {
    expect(search('đăng ký', 1)).toHaveLength(1);
    expect(search('đăng ký', 3)).toHaveLength(3);
    expect(search('đăng ký', 3)).toEqual(search('đăng ký', 10).slice(0, 3));
    expect(search('đăng ký', 0)).toEqual([]);
    expect(search('1.001193 1.000656 2.000528', 2)).toEqual([KHAI_SINH, KET_HON]);
  });

  it('still finds khai sinh through a typo', () => {
    expect(search('khai sing')[0]).toBe(KHAI_SINH);
    expect(search('đăng ký khai sing')[0]).toBe(KHAI_SINH);
    // Without correction the typo is only an unknown word.
    const strict = LexicalRetriever.build(PROCEDURES, LEXICON, { correctTypos: false });
    const ids = strict.searchSync({ text: 'khai sing', limit: 10 }).map((h) => h.procedureId);
    expect(ids).toContain(KHAI_TU);
  });

  it('uses the lexicon to read abbreviations', () => {
    expect(search('làm lại cccd')[0]).toBe(CAN_CUOC);
    expect(search('cap lai cmnd')[0]).toBe(CAN_CUOC);
    const noLexicon = LexicalRetriever.build(PROCEDURES, EMPTY_LEXICON);
    expect(noLexicon.searchSync({ text: 'cccd', limit: 5 })).toEqual([]);
  });

  it('returns nothing for words that are in no procedure (with typo correction off)', () => {
    const strict = LexicalRetriever.build(PROCEDURES, LEXICON, { correctTypos: false });
    expect(strict.searchSync({ text: 'pháo hoa', limit: 5 })).toEqual([]);
    expect(search('qqqq zzzz')).toEqual([]);
  });

  it('returns scores in decreasing order and the async search agrees with searchSync', async () => {
    const query = { text: 'đăng ký khai sinh', limit: 10 };
    const hits = retriever.searchSync(query);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits.every((h) => h.score > 0)).toBe(true);
    expect(await retriever.search(query)).toEqual(hits);
  });
});
