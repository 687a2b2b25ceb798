import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSharedCatalogue } from '../../evals/load-shared-catalogue.js';
import { LexicalRetriever } from '../../src/retrieval/lexical-retriever.js';
import { loadLexicon } from '../../src/text/lexicon.js';
import { fold } from '../../src/text/vietnamese.js';

/**
 * The team's own citizen phrasings (not the public eval questions): how people actually type,
 * with and without diacritics, in abbreviations and with typos. Each must find its procedure in
 * the top 5 over the real national catalogue, ingested from ../shared the way `npm run ingest` does.
 */
const PHRASINGS: ReadonlyArray<readonly [string, string, string]> = [
  // [style, question, expected official code]
  ['accented', 'con tôi vừa chào đời, cần làm giấy khai sinh cho cháu', '1.001193'],
  ['accented', 'hai đứa định cưới vào tháng sau, đăng ký kết hôn ở phường cần gì', '1.000894'],
  ['accented', 'bố tôi mất tuần trước, gia đình phải báo tử thế nào', '1.000656'],
  ['accented', 'chuyển về ở hẳn nhà mới thì nhập hộ khẩu ra sao', '1.004222'],
  ['accented', 'tôi sắp đi công tác xa nhà nửa năm, có phải khai báo tạm vắng không', '1.003677'],
  ['accented', 'mất căn cước rồi, làm lại thế nào', '1.014064'],
  ['accented', 'mở tiệm tạp hóa nhỏ thì đăng ký kinh doanh hộ gia đình thế nào', '1.001612'],
  ['accented', 'bằng lái ô tô hết hạn thì đổi ở đâu', '3.000347'],
  ['accented', 'muốn xin giấy xác nhận độc thân để đi đăng ký kết hôn', '1.004873'],
  ['accented', 'tách thửa mảnh đất của bố mẹ cho con', '1.012784'],
  ['unaccented', 'dang ky khai sinh cho be', '1.001193'],
  ['unaccented', 'thu tuc dang ky ket hon can giay to gi', '1.000894'],
  ['unaccented', 'dang ky thuong tru o dau', '1.004222'],
  ['unaccented', 'gia han tam tru', '1.002755'],
  ['unaccented', 'cap lai the can cuoc bi mat', '1.014064'],
  ['unaccented', 'dang ky thanh lap ho kinh doanh', '1.001612'],
  ['unaccented', 'doi giay phep lai xe', '3.000347'],
  ['unaccented', 'nhan con nuoi trong nuoc', '2.001263'],
  ['unaccented', 'dang ky giam ho cho chau mo coi', '1.004837'],
  ['abbreviated', 'làm lại cccd bị mất', '1.014064'],
  ['abbreviated', 'lam lai cmnd', '1.014064'],
  ['abbreviated', 'đổi gplx', '3.000347'],
  ['abbreviated', 'gplx het han doi o dau', '3.000347'],
  ['abbreviated', 'đăng ký kinh doanh hộ cá thể', '1.001612'],
  ['abbreviated', 'chia nho so do', '1.012784'],
  ['misspelled', 'dang ki khai sing', '1.001193'],
  ['misspelled', 'đăng kí kết hôn', '1.000894'],
  ['misspelled', 'dang ki ket hon', '1.000894'],
  ['misspelled', 'gia hang tam tru', '1.002755'],
  ['misspelled', 'khai bao tam vang', '1.003677'],
];

describe('retrieval on the national catalogue: the team\'s citizen phrasings', () => {
  let retriever: LexicalRetriever;
  beforeAll(async () => {
    const procedures = await loadSharedCatalogue();
    retriever = LexicalRetriever.build(procedures, loadLexicon(path.resolve(import.meta.dirname, '../../knowledge/lexicon.json')));
  });

  it.each(PHRASINGS)('%s: "%s" finds %s in the top 5', async (_style, question, code) => {
    const hits = await retriever.search({ text: question, limit: 5 });
    expect(hits.map((h) => h.procedureId)).toContain(code);
  });

  it('finds the same procedure first with and without diacritics for plain names', async () => {
    for (const q of ['Đăng ký khai sinh', 'Đăng ký kết hôn', 'Đăng ký thường trú', 'Cấp lại thẻ căn cước', 'Đổi giấy phép lái xe']) {
      const accented = await retriever.search({ text: q, limit: 1 });
      const folded = await retriever.search({ text: fold(q), limit: 1 });
      expect(folded[0]?.procedureId).toBe(accented[0]?.procedureId);
    }
  });

  it('filters by level on the real catalogue', async () => {
    const hits = await retriever.search({ text: 'trình báo mất hộ chiếu', limit: 10, filter: { level: 'tinh' } });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => h.procedureId)).toContain('1.001445');
    expect(hits.map((h) => h.procedureId)).not.toContain('1.010386');
  });

  it('answers a quoted official code with that procedure first', async () => {
    const hits = await retriever.search({ text: 'thủ tục 2.000635 cần gì', limit: 3 });
    expect(hits[0]?.procedureId).toBe('2.000635');
  });
});
