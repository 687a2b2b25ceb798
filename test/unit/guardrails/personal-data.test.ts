import { describe, expect, it } from 'vitest';
import { hasTopicalContent, PLACEHOLDERS, redactPersonalData, withoutPersonalData } from '../../../src/guardrails/personal-data.js';

type Kind = keyof typeof PLACEHOLDERS;

/** [input, expected text, expected kinds in order]. */
const POSITIVES: ReadonlyArray<readonly [string, string, readonly Kind[]]> = [
  // CCCD
  ['CCCD của tôi là 001234567890', 'CCCD của tôi là [CCCD]', ['cccd']],
  ['số căn cước 079203001234 bị sai ngày sinh', 'số căn cước [CCCD] bị sai ngày sinh', ['cccd']],
  ['cccd 001 234 567 890 cấp lại', 'cccd [CCCD] cấp lại', ['cccd']],
  ['CCCD: 001.234.567.890', 'CCCD: [CCCD]', ['cccd']],
  ['mã định danh 036095001122 của con', 'mã định danh [CCCD] của con', ['cccd']],
  ['làm lại thẻ 001234567890 bị mất', 'làm lại thẻ [CCCD] bị mất', ['cccd']],
  ['cccd 097123456789 sai', 'cccd [CCCD] sai', ['cccd']],
  // CMND
  ['CMND 123456789 hết hạn', 'CMND [CMND] hết hạn', ['cmnd']],
  ['chứng minh nhân dân số 012345678', 'chứng minh nhân dân số [CMND]', ['cmnd']],
  ['cmnd 123.456.789 đổi sang căn cước', 'cmnd [CMND] đổi sang căn cước', ['cmnd']],
  ['số 281234567 cấp năm 2010', 'số [CMND] cấp năm 2010', ['cmnd']],
  // phones
  ['sđt 0912345678', 'sđt [SĐT]', ['phone']],
  ['gọi 0912 345 678 nhé', 'gọi [SĐT] nhé', ['phone']],
  ['sdt: 091.234.5678', 'sdt: [SĐT]', ['phone']],
  ['số 0912-345-678 của tôi', 'số [SĐT] của tôi', ['phone']],
  ['liên hệ +84 912 345 678', 'liên hệ [SĐT]', ['phone']],
  ['+84912345678 là số tôi', '[SĐT] là số tôi', ['phone']],
  ['84 386 123 456 zalo', '[SĐT] zalo', ['phone']],
  ['bàn (024) 3825 1234', 'bàn [SĐT]', ['phone']],
  ['máy bàn 024.3825.1234', 'máy bàn [SĐT]', ['phone']],
  ['sđt0987654321', 'sđt [SĐT]', ['phone']],
  ['0912345678, 0387654321', '[SĐT], [SĐT]', ['phone', 'phone']],
  ['0912345678 0987654321', '[SĐT] [SĐT]', ['phone', 'phone']],
  ['số cũ 01234567890', 'số cũ [SĐT]', ['phone']],
  ['sđt 912345678 (thiếu số 0)', 'sđt [SĐT] (thiếu số 0)', ['phone']],
  // e-mail
  ['email nguyen.van.a@gmail.com nhé', 'email [EMAIL] nhé', ['email']],
  ['gửi về tran_thi-b+hs@cong-ty.com.vn.', 'gửi về [EMAIL].', ['email']],
  ['Email: NGUYEN123@YAHOO.COM', 'Email: [EMAIL]', ['email']],
  // tax codes
  ['mã số thuế 0101234567', 'mã số thuế [MST]', ['tax_code']],
  ['MST: 0101234567-001 của chi nhánh', 'MST: [MST] của chi nhánh', ['tax_code']],
  ['ma so thue 8012345678', 'ma so thue [MST]', ['tax_code']],
  ['công ty 0312345678-002', 'công ty [MST]', ['tax_code']],
  ['tax code 0101234567', 'tax code [MST]', ['tax_code']],
  // bank accounts
  ['stk 19034567890123 techcombank', 'stk [STK] techcombank', ['bank_account']],
  ['số tài khoản 0451000123456 Vietcombank', 'số tài khoản [STK] Vietcombank', ['bank_account']],
  ['tài khoản 12345678 ngân hàng', 'tài khoản [STK] ngân hàng', ['bank_account']],
  ['account 1234 5678 9012 3456', 'account [STK]', ['bank_account']],
  ['thẻ 9704123456789012', 'thẻ [STK]', ['bank_account']],
  ['STK: 123456789 BIDV', 'STK: [STK] BIDV', ['bank_account']],
  // addresses
  ['Tôi ở số 12 ngõ 34 phố Huế, phường Hai Bà Trưng', 'Tôi ở [ĐỊA CHỈ] phố Huế, phường Hai Bà Trưng', ['address']],
  ['nhà 12/3 đường Láng', '[ĐỊA CHỈ] đường Láng', ['address']],
  ['12/3 đường Láng, Đống Đa', '[ĐỊA CHỈ] đường Láng, Đống Đa', ['address']],
  ['nhà số 5 ngách 12/34 ngõ 56 Kim Mã', '[ĐỊA CHỈ] Kim Mã', ['address']],
  ['số 7 thôn Đông, xã Yên Viên', '[ĐỊA CHỈ] thôn Đông, xã Yên Viên', ['address']],
  ['so 7 thon Dong xa Yen Vien', '[ĐỊA CHỈ] thon Dong xa Yen Vien', ['address']],
  ['số nhà 15B, tổ 3, phường Dịch Vọng', '[ĐỊA CHỈ], phường Dịch Vọng', ['address']],
  ['tôi ở số 5 Tràng Thi', 'tôi ở [ĐỊA CHỈ] Tràng Thi', ['address']],
  ['địa chỉ: 25 Lý Thường Kiệt', 'địa chỉ: [ĐỊA CHỈ] Lý Thường Kiệt', ['address']],
  ['thường trú tại 8 ngõ 4 Huế', 'thường trú tại [ĐỊA CHỈ] Huế', ['address']],
  ['Số 333-335 Nguyễn Trãi', '[ĐỊA CHỈ] Nguyễn Trãi', ['address']],
  // several in one message
  [
    'Tôi tên Lan, CCCD 001234567890, sđt 0912345678, email lan@gmail.com, ở số 12 ngõ 34 phố Huế, muốn cấp lại hộ chiếu',
    'Tôi tên Lan, CCCD [CCCD], sđt [SĐT], email [EMAIL], ở [ĐỊA CHỈ] phố Huế, muốn cấp lại hộ chiếu',
    ['cccd', 'phone', 'email', 'address'],
  ],
];

/** Codes, legal numbers, amounts, durations, years and dates that must come through unchanged. */
const NEGATIVES: readonly string[] = [
  'thủ tục 1.000894 cần giấy tờ gì',
  'mã thủ tục 2.002189.000.00.00.H26',
  'tra cứu hồ sơ 000.00.12.H26-240101-0001',
  'theo Nghị định 123/2015/NĐ-CP',
  'Thông tư 85/2019/TT-BTC quy định lệ phí',
  'Quyết định QĐ/0001-BCA',
  'nghị định số 13/2023/NĐ-CP về dữ liệu cá nhân',
  'lệ phí 50.000 đồng',
  'phí 1.500.000 VNĐ',
  'phí 150.000.000 đồng',
  'nộp 150000000 đồng',
  'tài khoản có 2000000 đồng',
  'giải quyết trong 15 ngày làm việc',
  'năm 2024 có thay đổi không',
  'các năm 2021 2022 2023 2024',
  'hẹn trả ngày 12/05/2024',
  'ngày 12-05-2024 hoặc 12.05.2024',
  'mẫu tờ khai TK1-TS',
  'mẫu số 01 ban hành kèm theo',
  'Quyết định số 12 ngày 5/3',
  'Điều 5 Nghị định 154/2024/NĐ-CP',
  'gọi tổng đài 1900 1009',
  'hotline 19001009',
  'mã hồ sơ 2401010001',
  'số biên nhận 123456789',
  'tôi ở 2 năm rồi',
  'có 2 đường để nộp hồ sơ',
  'nhà 2 tầng có cần giấy phép xây dựng không',
  'ngõ 34 phố Huế thuộc phường nào',
  'diện tích 120 m2',
  'thửa đất số 123 tờ bản đồ số 45',
  'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.000894',
];

describe('redactPersonalData', () => {
  it.each(POSITIVES)('redacts %j', (input, expected, kinds) => {
    const result = redactPersonalData(input);
    expect(result.text).toBe(expected);
    expect(result.redactions.map((r) => r.kind)).toEqual(kinds);
    for (const r of result.redactions) expect(r.placeholder).toBe(PLACEHOLDERS[r.kind]);
  });

  it.each(NEGATIVES)('leaves %j intact', (input) => {
    expect(redactPersonalData(input)).toEqual({ text: input, redactions: [] });
  });

  it('uses one typed placeholder per kind', () => {
    expect(PLACEHOLDERS).toEqual({
      cccd: '[CCCD]',
      cmnd: '[CMND]',
      phone: '[SĐT]',
      email: '[EMAIL]',
      tax_code: '[MST]',
      bank_account: '[STK]',
      address: '[ĐỊA CHỈ]',
    });
  });

  it('never keeps any digit of a redacted number', () => {
    const { text } = redactPersonalData('cccd 001234567890 sđt 0912 345 678 stk 19034567890123');
    expect(text).not.toMatch(/\d/);
  });

  it('labels a social insurance number by its cue', () => {
    const result = redactPersonalData('mã BHXH 0123456789');
    expect(result.text).toBe('mã BHXH [MÃ BHXH]');
    expect(result.redactions).toEqual([{ kind: 'tax_code', placeholder: '[MÃ BHXH]' }]);
  });

  it('keeps codes next to personal data', () => {
    const result = redactPersonalData('hồ sơ 000.00.12.H26-240101-0001 của CCCD 001234567890, lệ phí 50.000 đồng theo 85/2019/TT-BTC');
    expect(result.text).toBe('hồ sơ 000.00.12.H26-240101-0001 của CCCD [CCCD], lệ phí 50.000 đồng theo 85/2019/TT-BTC');
  });

  it('returns the same string when there is nothing to find', () => {
    const text = 'Đăng ký khai sinh cần giấy tờ gì?';
    expect(redactPersonalData(text).text).toBe(text);
  });
});

describe('hasTopicalContent', () => {
  it.each([
    ['CCCD của tôi là [CCCD]', false],
    ['Xin chào, sđt của tôi là [SĐT] ạ', false],
    ['[SĐT]', false],
    ['email: [EMAIL] nhé', false],
    ['[CCCD], [SĐT], [ĐỊA CHỈ]', false],
    ['my phone number is [SĐT]', false],
    ['cấp lại CCCD [CCCD] ở đâu', true],
    ['[ĐỊA CHỈ] phố Huế thuộc phường nào', true],
    ['CMND [CMND] bị mất thì làm sao', true],
    ['how do I renew my passport [SĐT]', true],
  ] as const)('%j → %s', (text, expected) => {
    expect(hasTopicalContent(text)).toBe(expected);
  });
});

describe('withoutPersonalData', () => {
  it.each([
    ['Số CCCD của tôi là [CCCD], tôi cần mang theo gì?', 'tôi cần mang theo gì?'],
    ['sđt: [SĐT], khai sinh ở đâu', 'khai sinh ở đâu'],
    ['so dien thoai cua toi la [SĐT] dang ky ket hon can gi', 'dang ky ket hon can gi'],
    // Without "là"/":" the cue word is the topic itself and stays.
    ['cccd [CCCD] bi mat, lam lai the nao', 'cccd bi mat, lam lai the nao'],
    ['tôi ở [ĐỊA CHỈ] phố Huế, làm căn cước ở đâu', 'tôi ở phố Huế, làm căn cước ở đâu'],
    ['đăng ký khai sinh cần gì', 'đăng ký khai sinh cần gì'],
  ])('%s → %s', (input, expected) => {
    expect(withoutPersonalData(input)).toBe(expected);
  });
});
