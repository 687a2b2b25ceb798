import { describe, expect, it } from 'vitest';
import { detectFeedbackIntent } from '../../../../src/handoff/flows/feedback-intent.js';
import { readOfferChoice } from '../../../../src/handoff/flows/office-hours-offer-flow.js';
import { findPhoneNumber, maskPhone } from '../../../../src/handoff/flows/phone-number.js';
import { readYesNo, saysWrong, wantsToStop } from '../../../../src/handoff/flows/read-choice.js';

describe('readYesNo', () => {
  it.each(['có', 'co', 'Có ạ', 'dạ có', 'đồng ý', 'dong y', 'tôi đồng ý', 'ok', 'vâng', 'yes', '1'])('%j is yes', (t) => expect(readYesNo(t)).toBe('yes'));
  it.each(['không', 'khong', 'ko', 'k', 'dạ không', 'không đồng ý', 'khong dong y', 'thôi', 'hủy', 'no', '2'])('%j is no', (t) => expect(readYesNo(t)).toBe('no'));
  it.each(['có phải nộp lệ phí không', 'không biết', 'đăng ký khai sinh'])('%j is neither', (t) => expect(readYesNo(t)).toBeNull());
  it('reads corrections and stops', () => {
    expect(saysWrong('sai rồi')).toBe(true);
    expect(saysWrong('khong dung')).toBe(true);
    expect(saysWrong('có')).toBe(false);
    expect(wantsToStop('thoi khong can nua')).toBe(true);
    expect(wantsToStop('Hủy')).toBe(true);
  });
});

describe('readOfferChoice', () => {
  it.each([
    ['1', 'message'], ['số 1', 'message'], ['chon 2', 'callback'], ['3 ạ', 'hotline'], ['hai', 'callback'],
    ['để lại lời nhắn', 'message'], ['de lai loi nhan', 'message'], ['goi lai cho toi', 'callback'], ['tổng đài', 'hotline'],
  ] as const)('%j → %s', (text, choice) => expect(readOfferChoice(text)).toBe(choice));
  it.each(['đăng ký khai sinh cần gì', '1 2', 'ok'])('%j → none', (text) => expect(readOfferChoice(text)).toBeNull());
});

describe('findPhoneNumber and maskPhone', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['số của tôi là 0912 345 678 nhé', '0912345678'],
    ['+84 912.345.678', '0912345678'],
    ['84912345678', '0912345678'],
    ['０９１２３４５６７８', '0912345678'],
    ['024 3825 1234', '02438251234'],
  ])('%j → %s', (text, phone) => expect(findPhoneNumber(text)).toBe(phone));
  it.each(['12345', '0123456789', 'mã hồ sơ 000.00.01.H26-250101-0001', 'CCCD 001203004567'])('%j → none', (t) => expect(findPhoneNumber(t)).toBeNull());
  it('masks all but the last three digits', () => expect(maskPhone('0912345678')).toBe('*******678'));
});

describe('detectFeedbackIntent', () => {
  it.each([
    ['tôi muốn phản ánh', 'feedback'],
    ['toi muon phan anh', 'feedback'],
    ['cho tôi góp ý', 'feedback'],
    ['tôi có kiến nghị', 'feedback'],
    ['Kiến nghị về giờ làm việc buổi trưa', 'feedback'],
    ['tôi muốn khiếu nại về thái độ cán bộ', 'complaint'],
    ['khieu nai ve thai do can bo', 'complaint'],
    ['tôi muốn phản ánh thái độ của nhân viên tiếp dân', 'complaint'],
    ['I want to give feedback', 'feedback'],
    ['I would like to make a complaint', 'complaint'],
  ] as const)('%j → %s', (text, kind) => expect(detectFeedbackIntent(text)?.kind).toBe(kind));

  it.each([
    'phản ánh ở đâu',
    'kênh phản ánh của trung tâm',
    'thủ tục khiếu nại quyết định hành chính',
    'mẫu đơn khiếu nại',
    'muốn khiếu nại thì làm thế nào?',
    'cán bộ phường đòi tiền bồi dưỡng, tôi muốn phản ánh',
    'tôi muốn phản ánh cán bộ quát tháo',
    'cán bộ phường hách dịch quá',
    'đăng ký khai sinh cần gì',
    'hồ sơ đã được góp ý chỉnh sửa chưa',
  ])('%j is not an intake', (text) => expect(detectFeedbackIntent(text)).toBeNull());

  it('counts what was said beyond the wish', () => {
    expect(detectFeedbackIntent('tôi muốn phản ánh')?.contentWords).toBe(0);
    expect(detectFeedbackIntent('tôi muốn phản ánh về thái độ cán bộ')?.contentWords).toBe(4);
    expect(detectFeedbackIntent('góp ý: nhà vệ sinh ở tầng 2 của trung tâm rất bẩn, đề nghị dọn thường xuyên')?.contentWords).toBeGreaterThanOrEqual(10);
  });
});
