import { describe, expect, it } from 'vitest';
import { contentWordCount, endsInNumber, isBackchannel, spokenWords } from '../../../../src/telephony/media/spoken-words.js';

describe('spoken words', () => {
  it('splits a transcript into lower-case words without punctuation, composing decomposed text', () => {
    expect(spokenWords('Dạ, vâng ạ!')).toEqual(['dạ', 'vâng', 'ạ']);
    expect(spokenWords('Da\u0323 vâng'.normalize('NFD'))).toEqual(['dạ', 'vâng']);
  });

  it('tells backchannels from answers', () => {
    for (const t of ['dạ', 'Vâng.', 'ừ', 'ừm', 'ok', 'à', 'vâng ạ', 'dạ vâng']) expect(isBackchannel(t), t).toBe(true);
    for (const t of ['', 'không', 'dạ cho tôi hỏi', 'vâng tôi muốn làm căn cước']) expect(isBackchannel(t), t).toBe(false);
    expect(contentWordCount('dạ vâng ạ')).toBe(0);
    expect(contentWordCount('dạ cho tôi')).toBe(2);
  });

  it('sees a number being read out, but not a question ending in "không"', () => {
    expect(endsInNumber('số của tôi là không chín một hai')).toBe(true);
    expect(endsInNumber('không chín một hai, ba bốn năm')).toBe(true);
    expect(endsInNumber('mã hồ sơ 0912')).toBe(true);
    expect(endsInNumber('hai mươi lăm')).toBe(true);
    expect(endsInNumber('có cần mang giấy tờ gì không')).toBe(false);
    expect(endsInNumber('làm căn cước mất bao lâu')).toBe(false);
    expect(endsInNumber('')).toBe(false);
  });
});
