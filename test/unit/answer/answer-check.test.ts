import { beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer } from '../../../src/answer/answer-check.js';
import type { Procedure } from '../../../src/domain/procedure.js';
import { loadSharedCatalogue } from '../../../evals/load-shared-catalogue.js';
import { makeProcedure } from '../../support/procedures.js';

const birth = makeProcedure({
  id: '1.001193',
  name: 'Thủ tục đăng ký khai sinh',
  agency: 'Ủy ban nhân dân cấp xã',
  url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7',
  channels: [
    { kind: 'in_person', label: 'Trực tiếp', processingTime: '1 Ngày làm việc', fee: 'Miễn phí' },
    { kind: 'online', label: 'Trực tuyến', processingTime: '1 Ngày làm việc', fee: 'Miễn phí' },
  ],
  documents: [
    { name: 'Tờ khai đăng ký khai sinh theo mẫu', quantity: '1 bản chính' },
    { name: 'Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh.', quantity: '1 bản chính' },
    { name: 'Văn bản ủy quyền (được chứng thực) trong trường hợp ủy quyền', quantity: '1 bản chính' },
  ],
  steps: 'Nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo. Trong thời hạn 03 ngày làm việc, Ủy ban nhân dân cấp xã xác minh tình trạng hôn nhân của cha, mẹ.',
  legalBasis: 'Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ (123/2015/NĐ-CP)',
  legalCodes: ['123/2015/NĐ-CP'],
});

const licence = makeProcedure({
  id: '2.000779',
  name: 'Cấp giấy phép kinh doanh karaoke',
  url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/abc',
  channels: [{ kind: 'in_person', label: 'Trực tiếp', processingTime: '5 Ngày làm việc', fee: 'Phí : 4.000.000 Đồng (tại các thành phố trực thuộc trung ương)' }],
  documents: [
    { name: 'Đơn đề nghị cấp giấy phép theo Mẫu số 01', quantity: '1 bản chính' },
    { name: 'Bản sao Giấy chứng nhận đăng ký doanh nghiệp', quantity: '0 bản chính, 02 bản sao' },
  ],
});

const kinds = (text: string, records: Procedure[], options?: Parameters<typeof checkAnswer>[2]) =>
  checkAnswer(text, records, options).problems.map((p) => p.kind);

describe('checkAnswer: numbers', () => {
  it('passes amounts, durations and counts the record holds, whatever their format', () => {
    const text =
      'Thủ tục cấp giấy phép kinh doanh karaoke (2.000779) có phí 4.000.000 đồng (tức 4 triệu đồng, 4,000,000 VNĐ), giải quyết trong 05 ngày làm việc. ' +
      'Cần 2 bản sao Giấy chứng nhận đăng ký doanh nghiệp. Hỏi thêm: 1900 1009.';
    expect(checkAnswer(text, [licence])).toEqual({ ok: true, problems: [] });
  });

  it('catches a fee the record does not hold, including "50.000 đồng" for a free procedure', () => {
    expect(kinds('Lệ phí 50.000 đồng.', [birth])).toEqual(['number']);
    expect(kinds('Phí thẩm định là 3.000.000 đồng.', [licence])).toEqual(['number']);
    expect(kinds('Phí là 3 triệu đồng.', [licence])).toEqual(['number']);
    expect(checkAnswer('Lệ phí 50.000 đồng.', [birth]).problems[0]!.detail).toContain('50.000');
  });

  it('catches "free" when the record charges, and accepts it (or "0 đồng") when the record says so', () => {
    expect(kinds('Thủ tục này miễn phí.', [licence])).toEqual(['number']);
    expect(checkAnswer('Thủ tục này miễn phí, tức 0 đồng.', [birth]).ok).toBe(true);
  });

  it('a number must come with the same kind of unit: "3 ngày" is not backed by "3 bản"', () => {
    const r = makeProcedure({ id: '1.000001', name: 'X', documents: [{ name: 'Ảnh', quantity: '3 bản' }], channels: [{ kind: 'in_person', label: 'Trực tiếp', processingTime: '5 Ngày', fee: null }] });
    expect(checkAnswer('Nộp 3 bản ảnh, có kết quả sau 5 ngày.', [r]).ok).toBe(true);
    expect(kinds('Có kết quả sau 3 ngày.', [r])).toEqual(['number']);
    expect(kinds('Có kết quả sau 5 tháng.', [r])).toEqual(['number']);
  });

  it('checks dates, times of day and legal document numbers, and ignores bare single digits and list markers', () => {
    expect(checkAnswer('Theo Nghị định 123/2015/NĐ-CP ngày 15/11/2015; nộp trước 15 giờ (15h00).', [birth]).ok).toBe(true);
    expect(kinds('Theo Nghị định 99/2024/NĐ-CP.', [birth])).toEqual(['number']);
    expect(kinds('Áp dụng từ ngày 01/07/2024.', [birth])).toEqual(['number']);
    expect(kinds('Nộp trước 16h30.', [birth])).toEqual(['number']);
    expect(checkAnswer('Các bước:\n1. Nộp hồ sơ\n2. Nhận phiếu hẹn\nBước 3 là nhận kết quả.', [birth]).ok).toBe(true);
    expect(kinds('Có 25 trường hợp được miễn.', [birth])).toEqual(['number']);
  });

  it('accepts numbers from trusted extra text (e.g. the center’s opening hours)', () => {
    expect(kinds('Trung tâm làm việc từ 8h00 đến 17h00.', [birth])).toEqual(['number', 'number']);
    expect(checkAnswer('Trung tâm làm việc từ 8h00 đến 17h00.', [birth], { allowedText: ['Giờ làm việc: 8h00 - 17h00'] }).ok).toBe(true);
  });
});

describe('checkAnswer: links and procedure codes', () => {
  it('accepts the record URL and the portal root, rejects any other link or bare domain', () => {
    expect(checkAnswer(`Xem chi tiết tại ${birth.url}. Hoặc https://dichvucong.gov.vn/`, [birth]).ok).toBe(true);
    expect(kinds('Nộp tại https://dichvucong-hanoi.example.com/khai-sinh', [birth])).toEqual(['link']);
    expect(kinds('Xem [hướng dẫn](https://evil.example.org/x).', [birth])).toEqual(['link']);
    expect(kinds('Truy cập hotro-khaisinh.vn để biết thêm.', [birth])).toEqual(['link']);
    expect(kinds('Xem https://dichvucong.gov.vn/thu-tuc-hanh-chinh/khac', [birth])).toEqual(['link']);
    expect(checkAnswer('Xem hanoi.gov.vn', [birth], { allowedUrls: ['https://hanoi.gov.vn'] }).ok).toBe(true);
  });

  it('rejects a procedure code that is not one of the records', () => {
    expect(checkAnswer('Thủ tục 1.001193 và thủ tục liên quan 2.000779.', [birth, licence]).ok).toBe(true);
    const r = checkAnswer('Anh/chị làm thủ tục 1.001194.', [birth]);
    expect(r.problems).toEqual([{ kind: 'citation', detail: expect.stringContaining('1.001194') }]);
  });
});

describe('checkAnswer: documents', () => {
  it('passes bullets that name the record’s documents, even shortened or with a quantity', () => {
    const text =
      'Hồ sơ gồm:\n- Tờ khai đăng ký khai sinh theo mẫu (01 bản chính)\n- **Giấy chứng sinh**: bản chính\n- Văn bản ủy quyền (nếu ủy quyền)';
    expect(checkAnswer(text, [birth], { aspect: 'documents' })).toEqual({ ok: true, problems: [] });
    // Without the aspect, a line like "Hồ sơ gồm:" is enough to know the bullets are documents.
    expect(checkAnswer(text, [birth]).ok).toBe(true);
  });

  it('catches an invented document', () => {
    const text = 'Anh/chị cần chuẩn bị:\n- Tờ khai đăng ký khai sinh theo mẫu\n- Giấy xác nhận tình trạng hôn nhân';
    const r = checkAnswer(text, [birth], { aspect: 'documents' });
    expect(r.problems).toEqual([{ kind: 'document', detail: expect.stringContaining('Giấy xác nhận tình trạng hôn nhân') }]);
    expect(checkAnswer(text, [birth]).ok).toBe(false);
  });

  it('leaves bullets of other answers (steps) and English answers alone', () => {
    expect(checkAnswer('Các bước:\n- Anh/chị đến bộ phận một cửa\n- Chờ cán bộ kiểm tra', [birth], { aspect: 'steps' }).ok).toBe(true);
    expect(checkAnswer('Documents:\n- Birth certificate from the hospital', [birth], { aspect: 'documents', language: 'en' }).ok).toBe(true);
  });

  it('reports every problem of an answer at once', () => {
    const text = 'Thủ tục 1.009999, lệ phí 50.000 đồng, xem https://example.com.\nHồ sơ gồm:\n- Sổ hộ khẩu gia đình bản gốc';
    expect(kinds(text, [birth]).sort()).toEqual(['citation', 'document', 'link', 'number']);
  });
});

describe('checkAnswer on real records of the national catalogue', () => {
  let byId: Map<string, Procedure>;
  beforeAll(async () => {
    byId = new Map((await loadSharedCatalogue()).map((p) => [p.id, p]));
  }, 60_000);
  const get = (id: string): Procedure => {
    const p = byId.get(id);
    if (!p) throw new Error(`${id} not in the shared catalogue`);
    return p;
  };

  it('passes, for every record, an answer quoting its fee, time, first documents and link in reformatted numbers', () => {
    const failures: string[] = [];
    for (const p of byId.values()) {
      const c = p.channels[0];
      if (!c) continue;
      const feeNumber = /^([\d.,]+)\s/.exec(c.fee ?? '')?.[1];
      const fee = feeNumber ? `${Number(feeNumber.replace(/[.,]/g, '')).toLocaleString('de-DE')} đồng` : (c.fee ?? 'chưa có thông tin');
      const time = /^(\d+) (Ngày làm việc|Ngày|Tháng|Giờ)/.exec(c.processingTime ?? '');
      const docs = p.documents.filter((d) => d.name.length < 120).slice(0, 3);
      const text = [
        `Thủ tục ${p.name} (${p.id}): lệ phí ${fee}, thời hạn ${time ? `${time[1]!.padStart(2, '0')} ${time[2]!.toLowerCase()}` : 'theo quy định'}.`,
        'Hồ sơ gồm:',
        ...docs.map((d) => `- ${d.name}${d.quantity ? ` (${d.quantity.replace(/(\d+) bản/g, (_, n: string) => `${n.padStart(2, '0')} bản`)})` : ''}`),
        `Chi tiết: ${p.url ?? 'https://dichvucong.gov.vn'}`,
      ].join('\n');
      const r = checkAnswer(text, [p], { aspect: 'documents' });
      if (!r.ok) failures.push(`${p.id}: ${JSON.stringify(r.problems)}`);
    }
    expect(failures).toEqual([]);
  });

  it('passes a correct answer built from the birth registration record (1.001193)', () => {
    const p = get('1.001193');
    const text = [
      `Thủ tục đăng ký khai sinh (mã 1.001193) được miễn phí. Hồ sơ gồm:`,
      '- Tờ khai đăng ký khai sinh theo mẫu (1 bản chính)',
      '- Giấy chứng sinh (1 bản chính)',
      '- Văn bản ủy quyền (được chứng thực) trong trường hợp ủy quyền',
      `Chi tiết: ${p.url}`,
    ].join('\n');
    expect(checkAnswer(text, [p], { aspect: 'documents' })).toEqual({ ok: true, problems: [] });
  });

  it('catches a wrong fee, an invented document, a foreign link and a wrong code in real records', () => {
    const birthRecord = get('1.001193');
    const paid = get('1.002441');
    expect(checkAnswer('Lệ phí cấp Giấy chứng nhận huấn luyện viên chính là 100.000 đồng, trong 02 ngày làm việc.', [paid]).ok).toBe(true);
    expect(kinds('Lệ phí 50.000 đồng.', [birthRecord])).toEqual(['number']);
    expect(kinds('Lệ phí là 150.000 đồng.', [paid])).toEqual(['number']);
    expect(kinds('Hồ sơ gồm:\n- Tờ khai đăng ký khai sinh theo mẫu\n- Giấy xác nhận tình trạng hôn nhân', [birthRecord], { aspect: 'documents' })).toEqual(['document']);
    expect(kinds('Nộp online tại https://khaisinh-nhanh.example.vn', [birthRecord])).toEqual(['link']);
    expect(kinds('Đây là thủ tục 1.000894.', [birthRecord])).toEqual(['citation']);
    // The same code is fine when that record (marriage registration) is among the records.
    expect(checkAnswer('Đây là thủ tục 1.000894.', [birthRecord, get('1.000894')]).ok).toBe(true);
  });
});
