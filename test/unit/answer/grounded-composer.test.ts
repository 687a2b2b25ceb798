import { beforeAll, describe, expect, it } from 'vitest';
import { loadSharedCatalogue } from '../../../evals/load-shared-catalogue.js';
import { collectAnswer, type AnswerEvent } from '../../../src/answer/answer-composer.js';
import { GroundedComposer, groundedAnswer, readableQuantity } from '../../../src/answer/grounded-composer.js';
import type { AnswerStyle, Language } from '../../../src/domain/answer.js';
import { HOTLINE } from '../../../src/domain/canned-replies.js';
import type { Procedure } from '../../../src/domain/procedure.js';
import { ASPECTS, type Aspect } from '../../../src/text/aspects.js';

let procedures: Map<string, Procedure>;

beforeAll(async () => {
  procedures = new Map((await loadSharedCatalogue()).map((p) => [p.id, p]));
}, 60_000);

function get(id: string): Procedure {
  const p = procedures.get(id);
  if (!p) throw new Error(`procedure ${id} is not in the shared catalogue`);
  return p;
}

function answer(id: string, aspect: Aspect | null, style: AnswerStyle = 'chat', language: Language = 'vi'): string {
  return groundedAnswer({ procedure: get(id), aspect, style, language }).text;
}

/** The record's content as one string: every number an answer states must be found in it. */
function recordText(p: Procedure): string {
  const { sources: _sources, contentHash: _hash, ingestedAt: _at, ...content } = p;
  return JSON.stringify(content);
}

const NUMBER = /\d+(?:[.,/]\d+)*/g;

function foreignNumbers(text: string, p: Procedure): string[] {
  const record = recordText(p);
  return [...text.matchAll(NUMBER)].map((m) => m[0]).filter((n) => n !== HOTLINE && !record.includes(n));
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
}

describe('groundedAnswer on real records', () => {
  it('1.001193 khai sinh: the fee is "Miễn phí" once for every channel, cited', () => {
    const p = get('1.001193');
    const { text, citations } = groundedAnswer({ procedure: p, aspect: 'fee', style: 'chat', language: 'vi' });
    expect(text).toContain('Miễn phí');
    expect(text.match(/Miễn phí/g)).toHaveLength(1);
    for (const label of ['Trực tiếp', 'Trực tuyến', 'Dịch vụ bưu chính']) expect(text).toContain(label);
    expect(text).toContain('Nguồn: Thủ tục đăng ký khai sinh (mã 1.001193)');
    expect(text).toContain(p.url!);
    expect(citations).toEqual([{ id: '1.001193', name: 'Thủ tục đăng ký khai sinh', url: p.url }]);
  });

  it('1.001193 khai sinh voice: one sentence naming the procedure, no link', () => {
    const text = answer('1.001193', 'fee', 'voice');
    expect(text).toBe('Lệ phí thủ tục đăng ký khai sinh là Miễn phí, áp dụng cho mọi hình thức nộp.');
  });

  it('1.001193 time "1" has no unit in the record: quoted bare, the missing unit said, none invented', () => {
    const text = answer('1.001193', 'time');
    expect(text).toContain('1 (dữ liệu không ghi đơn vị)');
    expect(text).not.toMatch(/ngày|giờ/i);
  });

  it('quotes a time unit as written ("60 Ngày làm việc")', () => {
    const p = [...procedures.values()].find((x) => x.channels.length > 0 && x.channels.every((c) => c.processingTime === '60 Ngày làm việc'));
    expect(p).toBeDefined();
    const text = groundedAnswer({ procedure: p!, aspect: 'time', style: 'chat', language: 'vi' }).text;
    expect(text).toContain('60 Ngày làm việc');
    expect(text.match(/60 Ngày làm việc/g)).toHaveLength(1);
  });

  it('1.000271: different fees per channel are listed per channel, amounts verbatim', () => {
    const text = answer('1.000271', 'fee');
    expect(text).toContain('• Trực tuyến, Trực tiếp: 4,000,000 VNĐ');
    expect(text).toContain('• Dịch vụ bưu chính: 2,000,000 VNĐ');
    const voice = answer('1.000271', 'fee', 'voice');
    expect(voice).toContain('Trực tuyến và Trực tiếp 4,000,000 VNĐ');
    expect(voice).toContain('Dịch vụ bưu chính 2,000,000 VNĐ');
  });

  it('1.000094: a fee set by the provincial council is said as the record says it, with no amount', () => {
    const text = answer('1.000094', 'fee');
    expect(text).toContain('Theo dữ liệu chính thức: Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định.');
    const body = text.split('\n\nNguồn:')[0]!;
    expect(body).not.toMatch(/\d|VNĐ|\bĐồng\b/u);
    const voice = answer('1.000094', 'fee', 'voice');
    expect(voice).toContain('Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định');
    expect(voice).not.toMatch(/Miễn phí/);
  });

  it('1.013225: "Theo quy định của Hội đồng nhân dân cấp tỉnh" is repeated, not turned into a figure', () => {
    const voice = answer('1.013225', 'fee', 'voice');
    expect(voice).toContain('Theo quy định của Hội đồng nhân dân cấp tỉnh');
    expect(voice.match(/\d/g)).toBeNull();
  });

  it('1.001193: documents are grouped by case with readable quantities, notes last', () => {
    const text = answer('1.001193', 'documents');
    const submit = text.indexOf('Giấy tờ phải nộp:');
    const show = text.indexOf('Giấy tờ phải xuất trình:');
    expect(submit).toBeGreaterThan(0);
    expect(show).toBeGreaterThan(submit);
    expect(text).toContain('• Giấy chứng sinh; trường hợp không có Giấy chứng sinh');
    expect(text).toContain('— 1 bản chính');
    // "0 bản chính" is a note row, not a paper to bring: no quantity is shown for it.
    expect(text).not.toContain('0 bản chính');
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).toContain(`Xem đầy đủ: ${get('1.001193').url}`);
  });

  it('1.000894 kết hôn: the documents to show are named, the notes are not read out first', () => {
    const chat = answer('1.000894', 'documents');
    expect(chat).toContain('Thành phần hồ sơ của thủ tục “đăng ký kết hôn”:');
    expect(chat).toContain('Giấy tờ phải xuất trình:');
    expect(chat).toContain('• Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước');
    const voice = answer('1.000894', 'documents', 'voice');
    expect(voice.startsWith('Hồ sơ thủ tục đăng ký kết hôn gồm Hộ chiếu/Thẻ căn cước công dân')).toBe(true);
    expect(voice).not.toContain('Lưu ý');
    expect(sentences(voice).length).toBeLessThanOrEqual(3);
  });

  it('names the forms of a document', () => {
    const text = answer('1.000028', 'documents');
    expect(text).toContain('• Đơn đề nghị theo mẫu quy định — 1 bản chính (mẫu: văn bản đề nghị)');
  });

  it('1.001193 has no conditions: says the record does not state them and points to the page', () => {
    const p = get('1.001193');
    expect(p.conditions).toBeNull();
    const chat = answer('1.001193', 'conditions');
    expect(chat).toContain('Dữ liệu chính thức của thủ tục này chưa ghi điều kiện thực hiện.');
    expect(chat).toContain(p.url!);
    expect(chat).toContain(HOTLINE);
    const voice = answer('1.001193', 'conditions', 'voice');
    expect(voice).toBe('Dữ liệu chính thức của thủ tục đăng ký khai sinh chưa ghi điều kiện thực hiện. Anh/chị vui lòng gọi tổng đài 19001009 để được hỗ trợ.');
    const en = answer('1.001193', 'conditions', 'chat', 'en');
    expect(en).toContain('The official record of this procedure does not state the conditions.');
  });

  it('a list-only record without a URL points to the hotline for everything it lacks', () => {
    const p = get('1.002544');
    expect(p.url).toBeNull();
    const text = answer('1.002544', 'fee');
    expect(text).toContain('chưa ghi lệ phí');
    expect(text).toContain(`gọi tổng đài ${HOTLINE}`);
    expect(text).toContain('Nguồn: Hợp nhất công ty luật nước ngoài (mã 1.002544)');
    const overview = answer('1.002544', null);
    expect(overview).toContain('• Cơ quan thực hiện: Cục Bổ trợ tư pháp');
    expect(overview).toContain('• Lệ phí: chưa ghi');
  });

  it('where / online: agency, channels, online availability and the portal page', () => {
    const p = get('1.000894');
    const where = answer('1.000894', 'where');
    expect(where).toContain('• Cơ quan thực hiện: Ủy ban Nhân dân xã, phường, thị trấn.');
    expect(where).toContain('• Hình thức nộp: Trực tuyến, Dịch vụ bưu chính, Trực tiếp');
    expect(where).toContain(`• Trang thủ tục: ${p.url}`);
    expect(answer('1.000894', 'online').startsWith('Thủ tục này có thể nộp hồ sơ trực tuyến.')).toBe(true);
    const offline = [...procedures.values()].find((x) => x.channels.length > 0 && !x.channels.some((c) => c.kind === 'online'))!;
    const text = groundedAnswer({ procedure: offline, aspect: 'online', style: 'voice', language: 'vi' }).text;
    expect(text.startsWith('Theo dữ liệu chính thức, thủ tục này không có hình thức nộp trực tuyến.')).toBe(true);
  });

  it('steps: bullet artefacts cleaned, one bullet per step, cut at an item with the portal link', () => {
    const text = answer('1.001193', 'steps');
    expect(text).toContain('Trình tự thực hiện thủ tục “đăng ký khai sinh”:');
    expect(text).toContain('• Nếu lựa chọn hình thức nộp hồ sơ trực tiếp');
    expect(text).not.toMatch(/^• [-+]/mu);
    expect(text).not.toContain('\n- ');
    expect(text.length).toBeLessThanOrEqual(1500);
  });

  it('legal basis: codes with the record’s titles; voice names the first codes', () => {
    const chat = answer('1.001193', 'legal_basis');
    expect(chat).toContain('• 123/2015/NĐ-CP: Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ');
    const voice = answer('1.001193', 'legal_basis', 'voice');
    expect(voice).toContain('85/2019/TT-BTC, 104/2022/NĐ-CP, 123/2015/NĐ-CP, 08/2025/TT-BTP và một số văn bản khác');
  });

  it('result is quoted; voice drops the bracketed code', () => {
    expect(answer('1.001193', 'result')).toContain('Giấy khai sinh (mã kết quả KQ.G15.000031)');
    expect(answer('1.001193', 'result', 'voice')).toBe('Kết quả thực hiện thủ tục đăng ký khai sinh: Giấy khai sinh.');
  });

  it('overview: name, field, level, agency, time, fee, documents, channels and the offer', () => {
    const text = answer('1.001193', null);
    expect(text.startsWith('Thủ tục “đăng ký khai sinh” thuộc lĩnh vực Hộ tịch, cấp thực hiện: Cấp xã.')).toBe(true);
    expect(text).toContain('• Cơ quan thực hiện: Ủy ban nhân dân cấp xã');
    expect(text).toContain('• Lệ phí: Miễn phí');
    expect(text).toContain('• Hồ sơ gồm: Văn bản ủy quyền; Giấy chứng sinh');
    expect(text).toContain('• Cách nộp: Trực tuyến, Dịch vụ bưu chính, Trực tiếp');
    expect(text).toContain('Anh/chị muốn biết thêm về hồ sơ, lệ phí hay nơi nộp?');
    const voice = answer('1.001193', null, 'voice');
    expect(sentences(voice)).toHaveLength(3);
    expect(voice.endsWith('Anh/chị muốn biết thêm về hồ sơ, lệ phí hay nơi nộp?')).toBe(true);
  });

  it('English frames quote the Vietnamese values as they are', () => {
    const text = answer('1.001193', 'fee', 'chat', 'en');
    expect(text).toContain('Fee (every channel: Trực tuyến, Dịch vụ bưu chính, Trực tiếp): “Miễn phí”');
    expect(text).toContain('Source: Thủ tục đăng ký khai sinh (code 1.001193)');
    expect(answer('1.000271', 'fee', 'voice', 'en')).toContain('Trực tuyến and Trực tiếp 4,000,000 VNĐ');
  });
});

describe('readableQuantity', () => {
  it('renders the portal’s count formats and drops zero or implausible counts', () => {
    expect(readableQuantity('1 bản chính')).toBe('1 bản chính');
    expect(readableQuantity('0 bản chính, 1 bản sao')).toBe('1 bản sao');
    expect(readableQuantity('Bản chính: 1 / Bản sao: 0')).toBe('1 bản chính');
    expect(readableQuantity('Bản chính: 1 / Bản sao: 1')).toBe('1 bản chính, 1 bản sao');
    expect(readableQuantity('Bản chính: 0 / Bản sao: 0')).toBeNull();
    expect(readableQuantity('0 bản chính')).toBeNull();
    expect(readableQuantity('01 bản chính')).toBe('01 bản chính');
    expect(readableQuantity('20261 bản chính, 1 bản sao')).toBeNull();
    expect(readableQuantity(null)).toBeNull();
  });
});

describe('GroundedComposer stream', () => {
  const composer = new GroundedComposer();
  const input = (aspect: Aspect | null, style: AnswerStyle) => ({
    question: 'hỏi',
    procedure: get('1.001193'),
    related: [],
    aspect,
    style,
    language: 'vi' as const,
  });

  it('yields deltas that add up to groundedAnswer, then citations, then done', async () => {
    const events: AnswerEvent[] = [];
    for await (const e of composer.compose(input('documents', 'chat'), { signal: new AbortController().signal })) events.push(e);
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-2)?.type).toBe('citations');
    expect(events.at(-1)).toEqual({ type: 'done' });
    const collected = await collectAnswer(composer.compose(input('documents', 'chat'), { signal: new AbortController().signal }));
    expect(collected).toEqual(groundedAnswer(input('documents', 'chat')));
    expect(composer.id).toBe('grounded');
  });

  it('voice streams sentence by sentence', async () => {
    const collected = await collectAnswer(composer.compose(input(null, 'voice'), { signal: new AbortController().signal }));
    expect(collected.text).toBe(groundedAnswer(input(null, 'voice')).text);
  });

  it('stops when the signal is aborted', async () => {
    const before = new AbortController();
    before.abort();
    const none: AnswerEvent[] = [];
    for await (const e of composer.compose(input('steps', 'chat'), { signal: before.signal })) none.push(e);
    expect(none).toEqual([]);

    const during = new AbortController();
    const seen: AnswerEvent[] = [];
    for await (const e of composer.compose(input('documents', 'chat'), { signal: during.signal })) {
      seen.push(e);
      during.abort();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!.type).toBe('delta');
  });
});

describe('property: every record × aspect × style × language', () => {
  it('the number check catches a figure the record does not hold', () => {
    const p = get('1.001193');
    expect(foreignNumbers(`Khoảng 7,5 ngày, phí 123.456 đồng; gọi ${HOTLINE}`, p)).toEqual(['7,5', '123.456']);
    expect(foreignNumbers('Nghị định 123/2015/NĐ-CP, mã 1.001193', p)).toEqual([]);
  });

  it('never throws, stays short, speaks no link and states no number the record lacks', () => {
    const failures: string[] = [];
    let checked = 0;
    for (const p of procedures.values()) {
      for (const aspect of [null, ...ASPECTS]) {
        for (const style of ['chat', 'voice'] as const) {
          for (const language of ['vi', 'en'] as const) {
            const where = `${p.id} ${aspect} ${style} ${language}`;
            let text: string;
            try {
              const out = groundedAnswer({ procedure: p, aspect, style, language });
              text = out.text;
              if (out.citations.length !== 1 || out.citations[0]!.id !== p.id) failures.push(`${where}: citation`);
            } catch (e) {
              failures.push(`${where}: threw ${(e as Error).message}`);
              continue;
            }
            checked++;
            if (text.trim().length === 0) failures.push(`${where}: empty`);
            if (style === 'chat' && text.length > 1600) failures.push(`${where}: ${text.length} chars`);
            if (style === 'voice') {
              if (sentences(text).length > 3) failures.push(`${where}: ${sentences(text).length} sentences`);
              if (/http|www\./i.test(text)) failures.push(`${where}: link`);
              if (/[•]/.test(text)) failures.push(`${where}: bullet`);
            }
            const foreign = foreignNumbers(text, p);
            if (foreign.length) failures.push(`${where}: numbers not in the record ${foreign.join(' ')}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2800 * 40);
    expect(failures.slice(0, 20)).toEqual([]);
  }, 120_000);
});
