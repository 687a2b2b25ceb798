import { describe, expect, it } from 'vitest';
import {
  containsReceiptCode,
  findReceiptCode,
  hasReceiptCodeCue,
  isPlainReceiptCode,
  maskReceiptCode,
  normaliseReceiptCode,
  receiptCodeTail,
} from '../../../src/status-lookup/receipt-code.js';

describe('findReceiptCode', () => {
  it('finds the printed Hanoi and national shapes anywhere, without a cue', () => {
    expect(findReceiptCode('hồ sơ 000.00.18.H26-250115-0001 của tôi đến đâu rồi')).toEqual({ code: '000.00.18.H26-250115-0001', strict: true });
    expect(findReceiptCode('H26.99-250101-0002')).toEqual({ code: 'H26.99-250101-0002', strict: true });
    expect(findReceiptCode('ma 000.31.07.h26-241225-0013 nhe')?.code).toBe('000.31.07.H26-241225-0013');
  });

  it('normalises case, typed spaces around separators and typographic dashes', () => {
    expect(findReceiptCode('mã hồ sơ: 000.00.18.h26 – 250115 – 0001.')?.code).toBe('000.00.18.H26-250115-0001');
    expect(findReceiptCode('H26.99 - 250101 - 0002')?.code).toBe('H26.99-250101-0002');
    expect(findReceiptCode('000.00.18.H26\u200B-250115-0001')?.code).toBe('000.00.18.H26-250115-0001');
    expect(normaliseReceiptCode(' h26.99 -250101-0002 ')).toBe('H26.99-250101-0002');
  });

  it('never takes a procedure code, a date, an amount or a legal number for a receipt', () => {
    expect(findReceiptCode('thủ tục 1.001193 và 2.002189.000.00.00.H26', { lenient: true })).toBeNull();
    expect(findReceiptCode('nộp ngày 15.01.2025, lệ phí 1.500.000 đồng', { lenient: true })).toBeNull();
    expect(findReceiptCode('theo Nghị định 61/2018/NĐ-CP', { lenient: true })).toBeNull();
    expect(findReceiptCode('hồ sơ đăng ký khai sinh gồm những gì')).toBeNull();
  });

  it('takes a plain alphanumeric code only when told a code is there', () => {
    expect(findReceiptCode('25011500123')).toBeNull();
    expect(findReceiptCode('mã hồ sơ 25011500123', { lenient: hasReceiptCodeCue('mã hồ sơ 25011500123') })).toEqual({ code: '25011500123', strict: false });
    expect(findReceiptCode('so bien nhan HS-2025-001234', { lenient: true })?.code).toBe('HS-2025-001234');
    expect(isPlainReceiptCode('ABC123')).toBe(false); // too short
    expect(isPlainReceiptCode('ABCDEFGH12')).toBe(false); // too few digits
    expect(isPlainReceiptCode('HS..2025.0012')).toBe(false);
  });

  it('recognises the cues with and without accents', () => {
    expect(hasReceiptCodeCue('Mã hồ sơ của tôi là')).toBe(true);
    expect(hasReceiptCodeCue('so bien nhan')).toBe(true);
    expect(hasReceiptCodeCue('hồ sơ khai sinh')).toBe(false);
  });
});

describe('masking a receipt code in stored text', () => {
  it('replaces every spelling of the code and leaves the rest', () => {
    const text = 'Hồ sơ 000.00.18.h26 - 250115 - 0001 đến đâu rồi? (000.00.18.H26-250115-0001)';
    const masked = maskReceiptCode(text, '000.00.18.H26-250115-0001');
    expect(masked).toBe('Hồ sơ [mã hồ sơ] đến đâu rồi? ([mã hồ sơ])');
    expect(containsReceiptCode(masked, '000.00.18.H26-250115-0001')).toBe(false);
    expect(containsReceiptCode(text, '000.00.18.H26-250115-0001')).toBe(true);
  });

  it('names a code by its last four characters only', () => {
    expect(receiptCodeTail('000.00.18.H26-250115-0001')).toBe('0001');
  });
});
