import { describe, expect, it } from 'vitest';
import { spokenSentences } from '../../../src/center/center-knowledge.js';
import { speakable } from '../../../src/text/speakable.js';
import { firstSentences, MAX_SPOKEN_SENTENCES, sentenceCount, spokenTextProblems } from '../../../src/text/spoken-text-check.js';

const kinds = (text: string) => spokenTextProblems(text).map((p) => p.slice(0, p.indexOf(':')));

describe('spokenTextProblems', () => {
  it.each([
    'Lệ phí là năm mươi nghìn đồng, thời hạn mười lăm ngày làm việc.',
    'Bạn nộp hồ sơ tại Ủy ban nhân dân phường. Tra cứu trên Cổng Dịch vụ công quốc gia.',
    'Gọi một chín không không, một không không chín để được hỗ trợ.',
    'Bạn cần mã OTP và thẻ ATM.',
    'Ứng dụng vê nê ai đi.',
  ])('finds nothing in speakable text: %j', (text) => {
    expect(spokenTextProblems(text)).toEqual([]);
  });

  it.each([
    ['Lệ phí 50.000 đồng.', 'digit: 50.000'],
    ['Hạn chót ngày 01/7/2025.', 'digit: 01/7/2025'],
    ['Gọi 1900 1009.', 'digit: 1900'],
    ['Mã 1.001193.', 'digit: 1.001193'],
    ['Nửa mức phí, ½ thôi.', 'digit: ½'],
  ])('reports digits in %j', (text, problem) => {
    expect(spokenTextProblems(text)).toContain(problem);
  });

  it.each([
    ['Xem https://dichvucong.gov.vn/p/home.', 'url'],
    ['Truy cập www.hanoi.gov.vn nhé.', 'url'],
    ['Truy cập dichvucong.gov.vn nhé.', 'url'],
    ['Gửi thư tới motcua@hanoi.gov.vn.', 'email'],
  ])('reports addresses in %j', (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it.each([
    ['Nộp tại UBND phường.', 'abbreviation: UBND'],
    ['Quyết định của TTg.', 'abbreviation: TTg'],
    ['Cài ứng dụng VNeID.', 'abbreviation: VNeID'],
    ['Dùng mẫu CT01.', 'abbreviation: CT01'],
    ['BAN HÀNH BIỂU MẪU', 'abbreviation: BAN'],
  ])('reports unread abbreviations in %j', (text, problem) => {
    expect(spokenTextProblems(text)).toContain(problem);
  });

  it('does not take a capitalised word or a lone capital for an abbreviation', () => {
    expect(spokenTextProblems('Ủy ban nhân dân thành phố Hà Nội. Điểm A.')).toEqual([]);
  });

  it.each([
    ['**Lệ phí** là miễn phí.', 'markdown'],
    ['Hồ sơ:\n- tờ khai', 'markdown'],
    ['# Lệ phí', 'markdown'],
    ['Xem [cổng](trang chủ)', 'markdown'],
    ['Mã `abc`', 'markdown'],
    ['cột một | cột hai', 'markdown'],
  ])('reports markdown in %j', (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it(`allows ${MAX_SPOKEN_SENTENCES} sentences and reports more`, () => {
    expect(spokenTextProblems('Một. Hai. Ba.')).toEqual([]);
    expect(spokenTextProblems('Một. Hai! Ba? Bốn.')).toEqual(['sentences: 4 (at most 3)']);
    expect(spokenTextProblems('Một.\nHai.\nBa.\nBốn')).toEqual(['sentences: 4 (at most 3)']);
  });

  it('counts sentences as the Center voice-text rule does (spokenSentences) on voice answers', () => {
    const voiceAnswers = [
      'Lệ phí là năm mươi nghìn đồng. Thời hạn mười lăm ngày làm việc.',
      'Bạn nộp tại Ủy ban nhân dân phường, từ thứ hai đến thứ sáu. Mang theo căn cước công dân. Gọi một chín không không, một không không chín nếu cần.',
      'Xin chào! Tôi có thể giúp gì cho bạn?',
      'Trung tâm làm việc từ tám giờ đến mười bảy giờ',
      'Dòng một\nDòng hai\nDòng ba',
    ];
    for (const text of voiceAnswers) expect(sentenceCount(text)).toBe(spokenSentences(text).length);
  });

  it('is clean for what speakable makes of a screen answer with every kind of problem', () => {
    const screen = '**Lệ phí**: 50.000đ/thẻ (NĐ 123/2015/NĐ-CP).\n- Nộp tại UBND Q. Hoàn Kiếm, 8h-17h\n- Xem https://dichvucong.gov.vn hoặc gọi 19001009';
    expect(kinds(screen)).toEqual(expect.arrayContaining(['digit', 'url', 'abbreviation', 'markdown']));
    expect(spokenTextProblems(speakable(screen))).toEqual([]);
  });
});

describe('firstSentences', () => {
  it('keeps the first n sentences as sentenceCount counts them', () => {
    const text = 'Câu một. Câu hai có số 1.001193 ở giữa. Câu ba! Câu bốn?';
    expect(firstSentences(text, 1)).toBe('Câu một.');
    expect(firstSentences(text, 2)).toBe('Câu một. Câu hai có số 1.001193 ở giữa.');
    expect(sentenceCount(firstSentences(text, 3))).toBe(3);
    expect(firstSentences(text, 9)).toBe(text);
  });
});
