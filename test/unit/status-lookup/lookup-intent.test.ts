import { describe, expect, it } from 'vitest';
import { asksApplicationStatus, cannotVerify, findVerificationDigits } from '../../../src/status-lookup/lookup-intent.js';
import { lastFourDigits, maskName, maskPhone } from '../../../src/status-lookup/personal-masking.js';

describe('asksApplicationStatus', () => {
  it.each([
    'hồ sơ của tôi đến đâu rồi?',
    'ho so cua toi den dau roi',
    'Tra cứu hồ sơ',
    'tra cuu tinh trang ho so',
    'kiểm tra tình trạng hồ sơ',
    'Hồ sơ đã xong chưa ạ',
    'ho so da co ket qua chua',
    'tiến độ giải quyết hồ sơ',
    'hồ sơ của mình nộp tuần trước bao giờ có kết quả',
    'tôi đã nộp hồ sơ từ tháng trước mà chưa có kết quả',
  ])('"%s" asks about an application', (q) => {
    expect(asksApplicationStatus(q)).toBe(true);
  });

  it.each([
    'hồ sơ đăng ký khai sinh gồm những gì',
    'đăng ký kết hôn bao lâu có kết quả',
    'nộp hồ sơ cấp lại căn cước ở đâu',
    'ai kiểm tra hồ sơ xin cấp phép xây dựng',
    'lệ phí đăng ký thường trú',
  ])('"%s" is a procedure question', (q) => {
    expect(asksApplicationStatus(q)).toBe(false);
  });
});

describe('findVerificationDigits', () => {
  it('reads four digits however they are written', () => {
    expect(findVerificationDigits('5678')?.digits).toBe('5678');
    expect(findVerificationDigits('4 số cuối là 56 78 ạ')?.digits).toBe('5678');
    expect(findVerificationDigits('5.6.7.8')?.digits).toBe('5678');
    expect(findVerificationDigits('số của tôi 0912345678')?.digits).toBe('5678');
  });

  it('refuses none, too few, too many or two different candidates', () => {
    expect(findVerificationDigits('không nhớ')).toBeNull();
    expect(findVerificationDigits('567')).toBeNull();
    expect(findVerificationDigits('56789')).toBeNull();
    expect(findVerificationDigits('1234 hoặc 5678')).toBeNull();
  });

  it('knows when the citizen cannot verify', () => {
    expect(cannotVerify('tôi không nhớ số điện thoại đăng ký')).toBe(true);
    expect(cannotVerify('quen mat so roi')).toBe(true);
    expect(cannotVerify('lệ phí bao nhiêu')).toBe(false);
  });
});

describe('personal masking', () => {
  it('keeps the family name and initials, never the length of the given names', () => {
    expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V** A**');
    expect(maskName('Trần Thị Hồng Nhung')).toBe('Trần T** H** N**');
    expect(maskName('đặng quốc hùng')).toBe('đặng Q** H**');
    expect(maskName('Madonna')).toBe('M**');
    // Decomposed input keeps its first letter whole.
    expect(maskName('Lê \u0110\u0103ng'.normalize('NFD'))).toBe('Lê Đ**');
  });

  it('shows only the last two phone digits and checks the last four', () => {
    expect(maskPhone('0912 345 678')).toBe('********78');
    expect(maskPhone('12')).toBe('****');
    expect(lastFourDigits('+84 912-345-678')).toBe('5678');
    expect(lastFourDigits('123')).toBeNull();
  });
});
