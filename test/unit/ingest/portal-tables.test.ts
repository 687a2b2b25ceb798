import { describe, expect, it } from 'vitest';
import { parseChannelTable, parseDocumentTable, parseLegalTable, parseResultSection } from '../../../ingest/portal-tables.js';

describe('parseChannelTable (cells glued without separators)', () => {
  it('splits labels, bare times and fees (1.001193 khai sinh)', () => {
    const s = 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí';
    expect(parseChannelTable(s)).toEqual([
      { kind: 'online', label: 'Trực tuyến', processingTime: '1', fee: 'Miễn phí', description: null },
      { kind: 'post', label: 'Dịch vụ bưu chính', processingTime: '1', fee: 'Miễn phí', description: null },
      { kind: 'in_person', label: 'Trực tiếp', processingTime: '1', fee: 'Miễn phí', description: null },
    ]);
  });

  it('keeps labels mentioned inside a description in the description, and the fee remark with the fee', () => {
    const s =
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việc50,000 Việt Nam Đồng(Phí : 50.000 Đồng - 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC).)+ Trực tiếp: nộp hồ sơ trực tiếp tại trụ sở Cục Quản lý xuất nhập cảnh. + Trực tuyến: nộp hồ sơ trực tuyến qua Cổng dịch vụ công quốc giaTrực tuyến5 Ngày làm việcMiễn phí';
    const rows = parseChannelTable(s);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      kind: 'in_person',
      processingTime: '5 Ngày làm việc',
      fee: '50,000 Việt Nam Đồng (Phí : 50.000 Đồng - 50.000đ/tem “AB” (Thông tư số 25/2021/TT-BTC).)',
    });
    expect(rows[0]!.description).toMatch(/^\+ Trực tiếp: nộp hồ sơ.*Cổng dịch vụ công quốc gia$/u);
    expect(rows[1]).toMatchObject({ kind: 'online', processingTime: '5 Ngày làm việc', fee: 'Miễn phí', description: null });
  });

  it('reads "Không có thông tin" as null and worded times up to the fee', () => {
    const s =
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phíBằng phương thức điện tửTrực tiếp15 NgàyKhông có thông tin\tnhận kết quả qua dịch vụ bưu chính công ích.';
    expect(parseChannelTable(s)).toEqual([
      { kind: 'online', label: 'Trực tuyến', processingTime: 'Không phải trả kết quả cho người nộp thuế', fee: 'Miễn phí', description: 'Bằng phương thức điện tử' },
      { kind: 'in_person', label: 'Trực tiếp', processingTime: '15 Ngày', fee: null, description: 'nhận kết quả qua dịch vụ bưu chính công ích.' },
    ]);
  });

  it('splits a bare time glued to an amount using the remark (1.000014: "120 VNĐ(20.000 vnđ /tờ khai)")', () => {
    const [row] = parseChannelTable('Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ(20.000 vnđ /tờ khai)');
    expect(row).toMatchObject({ processingTime: '1', fee: '20 VNĐ (20.000 vnđ /tờ khai)' });
  });
});

describe('parseDocumentTable', () => {
  it('reads case headings, quantities and keeps names whole (1.001193 khai sinh, abridged)', () => {
    const s =
      '* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.1 bản chính- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.1 bản chính* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Trường hợp gửi hồ sơ qua hệ thống bưu chính thì phải gửi kèm theo bản sao có chứng thực các giấy tờ phải xuất trình nêu trên.0 bản chính';
    expect(parseDocumentTable(s)).toEqual([
      { name: 'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.', quantity: '1 bản chính', forms: [], case: 'Giấy tờ phải nộp' },
      { name: 'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh.', quantity: '1 bản chính', forms: [], case: 'Giấy tờ phải nộp' },
      { name: 'Trường hợp gửi hồ sơ qua hệ thống bưu chính thì phải gửi kèm theo bản sao có chứng thực các giấy tờ phải xuất trình nêu trên.', quantity: '0 bản chính', forms: [], case: 'Giấy tờ phải xuất trình' },
    ]);
  });

  it.each([
    ['Văn bản đề nghị hủy tài khoản điện tử (NA20).Mau NA20-BCA.docx', 'Văn bản đề nghị hủy tài khoản điện tử (NA20).', ['Mau NA20-BCA.docx']],
    ['Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)101-Mau A17 tam tru cho nguoi nuoc ngoai.doc', 'Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)', ['101-Mau A17 tam tru cho nguoi nuoc ngoai.doc']],
    ['Tờ khai đề nghị cấp thị thực (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023.NA5.doc', 'Tờ khai đề nghị cấp thị thực (mẫu NA5) ban hành kèm theo Thông tư số 22/2023/TT-BCA ngày 30/6/2023.', ['NA5.doc']],
    ['Bản đồ khu vực đóng cửa mỏ khoáng sảnMau 09-Phu luc_39.2025.TT-BNNMT_02.7.2025.docx', 'Bản đồ khu vực đóng cửa mỏ khoáng sản', ['Mau 09-Phu luc_39.2025.TT-BNNMT_02.7.2025.docx']],
    ['Văn bản đề nghị xác nhận đối với khoáng sản nhóm IVMau 02 - Phu luc I_36.2025.TT-BNNMT_02.7.2025.doc', 'Văn bản đề nghị xác nhận đối với khoáng sản nhóm IV', ['Mau 02 - Phu luc I_36.2025.TT-BNNMT_02.7.2025.doc']],
    ['Danh sách hành khách (nếu có) theo mẫu;MauDanhsachhanhkhach.docxMauDanhsachthuyenvien (1).docx', 'Danh sách hành khách (nếu có) theo mẫu;', ['MauDanhsachhanhkhach.docx', 'MauDanhsachthuyenvien (1).docx']],
    ['Đơn đề nghị đóng tài khoản thanh toán theo Mẫu số 02 ban hành kèm theo Nghị định 52/2024/NĐ-CP ngày 15/5/2024Mus02.docx', 'Đơn đề nghị đóng tài khoản thanh toán theo Mẫu số 02 ban hành kèm theo Nghị định 52/2024/NĐ-CP ngày 15/5/2024', ['Mus02.docx']],
  ])('unglues the form file from the name: %s', (cell, name, forms) => {
    const [doc] = parseDocumentTable(`--Tên giấy tờMẫu đơn, tờ khaiSố lượng${cell}1 bản chính`);
    expect(doc).toEqual({ name, quantity: '1 bản chính', forms, case: null });
  });

  it('does not take a quantity inside a name for the quantity cell, and reads copies', () => {
    const s = '--Tên giấy tờMẫu đơn, tờ khaiSố lượngChứng nhận hợp quy (01 bản sao công chứng);0 bản chính,1 bản saoHộ chiếu1 bản chính';
    expect(parseDocumentTable(s)).toEqual([
      { name: 'Chứng nhận hợp quy (01 bản sao công chứng);', quantity: '0 bản chính, 1 bản sao', forms: [], case: null },
      { name: 'Hộ chiếu', quantity: '1 bản chính', forms: [], case: null },
    ]);
  });

  it('returns nothing for "Không có thông tin"', () => {
    expect(parseDocumentTable('Không có thông tin')).toEqual([]);
  });
});

describe('parseLegalTable', () => {
  it('splits name and code cells, including a name that is its own code (1.001193)', () => {
    const s =
      'Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 quy định chi tiết Luật Hộ tịch123/2015/NĐ-CPNghị quyết số 66.7/2025/NQ-CP của Chính phủ66.7/2025/NQ-CPLuật 60/2014/QH1360/2014/QH13';
    const t = parseLegalTable(s);
    expect(t.codes).toEqual(['85/2019/TT-BTC', '123/2015/NĐ-CP', '66.7/2025/NQ-CP', '60/2014/QH13']);
    expect(t.text!.split('\n')).toEqual([
      'Thông tư Hướng dẫn về phí và lệ phí (85/2019/TT-BTC)',
      'Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 quy định chi tiết Luật Hộ tịch (123/2015/NĐ-CP)',
      'Nghị quyết số 66.7/2025/NQ-CP của Chính phủ (66.7/2025/NQ-CP)',
      'Luật 60/2014/QH13 (60/2014/QH13)',
    ]);
  });

  it('repairs a year glued to the number and a code glued to the next code (1.000178)', () => {
    const t = parseLegalTable('Tên văn bản pháp lýMã văn bảnLuật Khiếu nại năm 201102/2011/QH13Nghị định 05/2012/NĐ-CP05/2012/NĐ-CP');
    expect(t.codes).toEqual(['02/2011/QH13', '05/2012/NĐ-CP']);
  });

  it('is empty for "Không có thông tin"', () => {
    expect(parseLegalTable('Không có thông tin')).toEqual({ text: null, codes: [] });
  });
});

describe('parseResultSection', () => {
  it('keeps the result code with the result and drops "Không có thông tin"', () => {
    expect(parseResultSection('Giấy khai sinhMã: KQ.G15.000031', 'Không có thông tin', 'Không có thông tin')).toEqual({
      result: 'Giấy khai sinh (mã kết quả KQ.G15.000031)',
      keywords: [],
      description: null,
    });
  });

  it('turns keywords into aliases', () => {
    expect(parseResultSection('Thẻ ABTC.Mã: KQ.G01.000084', 'Cấp mới thẻ ABTC (thực hiện tại cấp trung ương)', null).keywords).toEqual([
      'Cấp mới thẻ ABTC (thực hiện tại cấp trung ương)',
    ]);
  });
});
