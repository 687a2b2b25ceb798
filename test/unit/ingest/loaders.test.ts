import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../ingest/detect-format.js';
import { loadNormalisedJsonl } from '../../../ingest/load-normalised-jsonl.js';
import { loadPortalList } from '../../../ingest/load-portal-list.js';
import { loadPortalRaw } from '../../../ingest/load-portal-raw.js';
import type { LoadItem } from '../../../ingest/load-result.js';
import { loadWordExport } from '../../../ingest/load-word-export.js';
import { splitLines } from '../../../ingest/read-lines.js';
import { collect, tthc } from './shared-data.js';

const raw = (folder: string, code: string) => {
  const file = tthc('chatbot-tthc/raw', folder, `${code}.json`);
  return collect(loadPortalRaw(file, readFileSync(file)));
};
const only = (items: LoadItem[]) => {
  expect(items).toHaveLength(1);
  const item = items[0]!;
  if (!item.ok) throw new Error(`rejected: ${item.reason}`);
  return item.record;
};

describe('portal raw pages', () => {
  it('parses 1.001193 (đăng ký khai sinh) from raw_text', async () => {
    const r = only(await raw('bo-tu-phap', '1.001193'));
    expect(r.name).toBe('Thủ tục đăng ký khai sinh');
    expect(r.levels).toEqual(['Cấp xã']);
    expect(r.field).toBe('Hộ tịch');
    expect(r.decisionNo).toBe('163/QĐ-BTP');
    expect(r.ministry).toBe('Bộ Tư pháp');
    expect(r.url).toBe('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7');
    expect(r.channels.map((c) => [c.kind, c.processingTime, c.fee])).toEqual([
      ['online', '1', 'Miễn phí'],
      ['post', '1', 'Miễn phí'],
      ['in_person', '1', 'Miễn phí'],
    ]);
    expect(r.documents[0]).toEqual({
      name: 'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập.',
      quantity: '1 bản chính',
      forms: [],
      case: 'Giấy tờ phải nộp',
    });
    expect(r.documents.some((d) => d.name.startsWith('Giấy chứng sinh; trường hợp không có Giấy chứng sinh'))).toBe(true);
    expect(r.documents.filter((d) => d.case === 'Giấy tờ phải xuất trình').length).toBeGreaterThan(3);
    expect(r.legalCodes).toEqual(expect.arrayContaining(['85/2019/TT-BTC', '123/2015/NĐ-CP', '60/2014/QH13', '66.7/2025/NQ-CP']));
    expect(r.result).toBe('Giấy khai sinh (mã kết quả KQ.G15.000031)');
    expect(r.agency).toBeNull();
    expect(r.conditions).toBeNull();
    expect(r.aliases).toEqual([]);
    expect(r.sources).toEqual([{ kind: 'portal_raw', file: expect.stringContaining('1.001193.json'), repo: null, commit: null }]);
  });

  it('re-cuts sections the crawler split wrong (3.000344: fee remark says "Căn cứ pháp lý:")', async () => {
    const file = tthc('chatbot-tthc/raw/bo-cong-an/3.000344.json');
    const page = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    // The crawler's legal section starts inside the fee remark of the channel table.
    expect(page.can_cu_phap_ly!.startsWith(': Thông tư 269/2016/TT-BTC')).toBe(true);
    const r = only(await raw('bo-cong-an', '3.000344'));
    expect(r.legalBasis).toBeNull();
    expect(r.legalCodes).toEqual([]);
    expect(r.agency).toBe('Cục an ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao');
    expect(r.channels).toHaveLength(3);
    expect(r.channels[0]).toMatchObject({ kind: 'online', processingTime: '3 Ngày' });
    expect(r.channels[0]!.fee).toMatch(/^200 VNĐ \(Căn cứ pháp lý: Thông tư 269\/2016\/TT-BTC/u);
  });

  it('reads keywords as aliases and forms glued to names (1.000811, 1.000232)', async () => {
    expect(only(await raw('bo-cong-an', '1.000811')).aliases).toEqual(['Cấp mới thẻ ABTC (thực hiện tại cấp trung ương)']);
    const docs = only(await raw('bo-cong-an', '1.000232')).documents;
    expect(docs).toEqual([
      { name: 'Văn bản đề nghị hủy tài khoản điện tử (NA20).', quantity: '1 bản chính', forms: ['Mau NA20-BCA.docx'], case: null },
    ]);
  });

  it('rejects all 17 pages that show another procedure, and only those', async () => {
    const expected = [
      'bo-cong-an/1.014208', 'bo-cong-an/2.001428', 'bo-cong-an/2.001709', 'bo-cong-an/3.000224',
      'bo-cong-an/3.000226', 'bo-cong-an/3.000243', 'bo-cong-an/3.000244', 'bo-cong-an/3.000246',
      'bo-cong-an/3.000272', 'bo-cong-an/3.000274', 'bo-cong-an/3.000283', 'bo-cong-an/3.000284',
      'bo-cong-an/3.000285', 'bo-cong-an/3.000286', 'bo-cong-an/3.000331', 'bo-cong-an/3.000332',
      'bo-tu-phap/1.002544',
    ];
    const rejected: string[] = [];
    let accepted = 0;
    const root = tthc('chatbot-tthc/raw');
    for (const folder of readdirSync(root).sort()) {
      for (const name of readdirSync(path.join(root, folder)).sort()) {
        const file = path.join(root, folder, name);
        for await (const item of loadPortalRaw(file, readFileSync(file))) {
          if (item.ok) accepted++;
          else {
            expect(item.code).toBe('code_mismatch');
            expect(item.reason).toMatch(/thủ tục khác/u);
            rejected.push(`${folder}/${name.replace('.json', '')}`);
          }
        }
      }
    }
    expect(rejected).toEqual(expected);
    expect(accepted).toBe(2625);
  }, 60_000);

  it('rejects a page whose code differs, naming both codes', async () => {
    const [item] = await raw('bo-tu-phap', '1.002544');
    expect(item).toMatchObject({ ok: false, code: 'code_mismatch', id: '1.002544' });
    expect((item as { reason: string }).reason).toMatch(/1\.002544.*Mã thủ tục \d\.\d{6}/u);
  });
});

describe('Word export (nhdandz-bqp)', () => {
  it('maps 1.013124 with rows kept as rows', async () => {
    const file = tthc('nhdandz-bqp/extracted_fixed/1.013124.json');
    const r = only(await collect(loadWordExport(file, readFileSync(file))));
    expect(r.name).toBe('Thủ tục thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu của các cơ sở, dự án dầu khí ngoài khơi');
    expect(r.decisionNo).toBe('6225/QĐ-BQP');
    expect(r.levels).toEqual(['Cấp bộ']);
    expect(r.ministry).toBe('Bộ Quốc phòng');
    expect(r.channels.map((c) => [c.kind, c.processingTime, c.fee])).toEqual([
      ['in_person', '30 Ngày làm việc', 'Phí : 0 Đồng'],
      ['online', '30 Ngày làm việc', 'Phí : 0 Đồng'],
      ['post', '30 Ngày làm việc', 'Phí : 0 Đồng'],
    ]);
    expect(r.documents[1]).toEqual({
      name: 'Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II ban hành kèm theo Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ',
      quantity: 'Bản chính: 1 / Bản sao: 0',
      forms: ['5-PHLCII.doc'],
      case: null,
    });
    expect(r.legalCodes).toEqual(['12/2021/QĐ-TTg']);
    expect(r.agency).toBe('Văn phòng Ủy ban Quốc gia Ứng phó sự cố, thiên tai và Tìm kiếm cứu nạn');
    expect(r.aliases).toEqual([]);
  });
});

describe('official list export (.xlsx)', () => {
  it('finds the header below the title block and reads rows as list records', async () => {
    const file = tthc('chatbot-tthc/lists/danh-sach-tthc-BoTuPhap.xlsx');
    const items = await collect(loadPortalList(file, readFileSync(file)));
    expect(items.every((i) => i.ok)).toBe(true);
    expect(items).toHaveLength(271);
    const first = (items[0] as { record: { [k: string]: unknown } }).record;
    expect(first).toMatchObject({
      id: '1.014966',
      name: 'Cấp lại chứng chỉ hành nghề Quản tài viên trong trường hợp bị thu hồi chứng chỉ hành nghề',
      ministry: 'Bộ Tư pháp',
      agency: 'Chủ tịch ủy ban nhân dân cấp tỉnh; Sở Tư Pháp',
      field: 'Quản tài viên',
      completeness: 'list',
      channels: [],
    });
  });

  it('reports a broken workbook instead of throwing', async () => {
    const items = await collect(loadPortalList('bad.xlsx', Buffer.from('PK\u0003\u0004 not really a zip')));
    expect(items).toEqual([expect.objectContaining({ ok: false, code: 'invalid_xlsx', file: 'bad.xlsx' })]);
  });
});

describe('normalised JSONL', () => {
  const line = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      id: '1.001193', name: 'Thủ tục đăng ký khai sinh', field: 'Hộ tịch', level: 'Cấp bộ, Cấp tỉnh',
      decision_no: '163/QĐ-BTP', channel_details: [{ channel: 'Trực tuyến', processing_time: '1', fee: 'Miễn phí', description: null }],
      documents: [{ name: 'Giấy chứng sinh', quantity: '1 bản chính', forms: null, case: '* Giấy tờ phải nộp' }],
      legal_codes: ['123/2015/NĐ-CP'], result: 'Giấy khai sinh', result_codes: ['KQ.G15.000031'], ministry_list: 'Bộ Tư pháp',
      url: 'https://dichvucong.gov.vn/x', source: { repo: 'chatbot-tthc/chatbot_tthc', path: 'p', commit: 'abc' },
      ...over,
    });

  it('maps snake_case fields, splits levels and maps channel labels', async () => {
    const items = await collect(loadNormalisedJsonl('p.jsonl', Buffer.from(`${line()}\n`)));
    const r = only(items);
    expect(r.levels).toEqual(['Cấp bộ', 'Cấp tỉnh']);
    expect(r.channels).toEqual([{ kind: 'online', label: 'Trực tuyến', processingTime: '1', fee: 'Miễn phí', description: null }]);
    expect(r.documents).toEqual([{ name: 'Giấy chứng sinh', quantity: '1 bản chính', forms: [], case: 'Giấy tờ phải nộp' }]);
    expect(r.result).toBe('Giấy khai sinh (mã kết quả KQ.G15.000031)');
    expect(r.sources[0]).toEqual({ kind: 'normalised_jsonl', file: 'p.jsonl', repo: 'chatbot-tthc/chatbot_tthc', commit: 'abc' });
  });

  it('rejects bad lines with line numbers and zod paths, and goes on', async () => {
    const body = [line(), '{"id": "1.000001", "name": 4', line({ id: '1.000002', name: 42 }), '', line({ id: '1.000003' })].join('\n');
    const items = await collect(loadNormalisedJsonl('p.jsonl', Buffer.from(body)));
    expect(items.map((i) => (i.ok ? i.record.id : `${i.code}@${i.line}`))).toEqual([
      '1.001193', 'invalid_json@2', 'invalid_record@3', '1.000003',
    ]);
    expect((items[2] as { reason: string }).reason).toMatch(/name: /u);
  });

  it('reads the real procedures.jsonl: 2,832 valid records', async () => {
    let ok = 0;
    const bad: string[] = [];
    for await (const item of loadNormalisedJsonl(tthc('procedures.jsonl'))) {
      if (item.ok) ok++;
      else bad.push(item.reason);
    }
    expect(bad).toEqual([]);
    expect(ok).toBe(2832);
  }, 60_000);
});

describe('splitLines', () => {
  it('drops a 20 MB line without holding it, keeping the lines around it', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x61);
    const chunks = function* () {
      yield Buffer.from('first\n');
      for (let i = 0; i < big.length; i += 1024 * 1024) yield big.subarray(i, i + 1024 * 1024);
      yield Buffer.from('\nlast');
    };
    const lines = await collect(splitLines(chunks()));
    expect(lines).toEqual([
      { line: 1, text: 'first' },
      { line: 2, tooLong: true, bytes: big.length },
      { line: 3, text: 'last' },
    ]);
  });
});

describe('detectFormat', () => {
  const detect = (file: string, text: string | Buffer) => detectFormat(file, Buffer.isBuffer(text) ? text : Buffer.from(text), true);
  it('recognises each format by extension and content', () => {
    expect(detect('a.json', '{"ma_thu_tuc":"1.000001","raw_text":"x"}')).toMatchObject({ ok: true, kind: 'portal_raw' });
    expect(detect('a.json', '{"metadata":{},"tables":{}}')).toMatchObject({ ok: true, kind: 'word_export' });
    expect(detect('a.jsonl', `${JSON.stringify({ id: 'x', name: 'y', channel_details: [], decision_no: null })}\n`)).toMatchObject({ ok: true, kind: 'normalised_jsonl' });
    expect(detect('a.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toMatchObject({ ok: true, kind: 'portal_list' });
  });
  it('rejects empty, binary, unknown and other-shaped files with a reason', () => {
    expect(detect('a.json', '')).toMatchObject({ ok: false, code: 'empty_file' });
    expect(detect('a.bin', Buffer.from([0, 1, 2, 3, 255]))).toMatchObject({ ok: false, code: 'binary_file' });
    expect(detect('notes.md', '# hello')).toMatchObject({ ok: false, code: 'unknown_format' });
    expect(detect('a.json', '{"foo":1}')).toMatchObject({ ok: false, code: 'unknown_format' });
    expect(detect('a.json', '{"ma_thu_tuc":')).toMatchObject({ ok: false, code: 'invalid_json' });
    expect(detect('q.jsonl', '{"question":"?"}\n')).toMatchObject({ ok: false, code: 'unknown_format' });
  });
});
