import { describe, expect, it } from 'vitest';
import { ASPECTS, type Aspect, detectAspect, detectAspects } from '../../../src/text/aspects.js';
import { fold, hasDiacritics } from '../../../src/text/vietnamese.js';

/** Citizen-style questions whose main aspect is the key; each is checked accented and folded. */
const QUESTIONS: Record<Aspect, readonly string[]> = {
  fee: [
    'Lệ phí đăng ký kết hôn là bao nhiêu?',
    'Làm hộ chiếu phổ thông hết bao nhiêu tiền vậy?',
    'Cấp lại thẻ căn cước có mất phí không ạ?',
    'Đăng ký khai sinh cho con có miễn phí không?',
    'Chi phí cấp giấy phép xây dựng nhà ở riêng lẻ',
  ],
  time: [
    'Cấp giấy phép xây dựng mất bao lâu?',
    'Thời hạn giải quyết cấp phiếu lý lịch tư pháp',
    'Bao giờ nhận được giấy phép lái xe mới?',
    'Đăng ký thường trú mấy ngày thì xong?',
  ],
  documents: [
    'Đăng ký thường trú cần chuẩn bị những giấy tờ gì?',
    'Hồ sơ gồm những gì khi đăng ký hộ kinh doanh?',
    'Tôi phải mang theo gì khi đi làm hộ chiếu?',
    'Xin tờ khai đăng ký khai tử',
  ],
  conditions: [
    'Điều kiện để được cấp chứng chỉ hành nghề dược là gì?',
    'Người nước ngoài có được phép mua nhà ở Việt Nam không?',
    'Ai được đứng tên đăng ký hộ kinh doanh?',
    'Tôi đủ điều kiện hưởng trợ cấp thất nghiệp chưa?',
  ],
  online: [
    'Có thể đăng ký tạm trú trực tuyến không?',
    'Tôi muốn nộp hồ sơ cấp đổi giấy phép lái xe qua mạng',
    'Làm lý lịch tư pháp trên VNeID được không?',
    'Đăng ký khai sinh trên cổng dịch vụ công',
  ],
  where: [
    'Làm hộ chiếu ở đâu tại Hà Nội?',
    'Đăng ký kết hôn với người nước ngoài thì đi đâu?',
    'Cơ quan nào cấp giấy phép xây dựng nhà ở riêng lẻ?',
    'Gửi hồ sơ tách thửa qua bưu điện được chứ?',
  ],
  legal_basis: [
    'Căn cứ pháp lý của thủ tục cấp sổ đỏ là gì?',
    'Đăng ký hộ kinh doanh theo nghị định nào?',
    'Thông tư nào hướng dẫn cấp giấy phép lái xe?',
    'Luật nào áp dụng cho việc ly hôn?',
  ],
  result: [
    'Đăng ký kết hôn xong thì nhận được gì?',
    'Sau khi chuyển nhượng đất tôi được cấp gì?',
    'Kết quả của thủ tục tách thửa đất',
    'Khai tử xong gia đình nhận lại gì?',
  ],
  steps: [
    'Trình tự đăng ký khai sinh cho con',
    'Làm sao để xin giấy phép xây dựng?',
    'Hướng dẫn các bước đăng ký hộ kinh doanh',
    'Tách hộ khẩu như thế nào?',
  ],
};

describe('ASPECTS', () => {
  it('lists every aspect once, in priority order', () => {
    expect(ASPECTS).toEqual(['fee', 'time', 'documents', 'conditions', 'online', 'legal_basis', 'where', 'result', 'steps']);
    expect(new Set(ASPECTS).size).toBe(ASPECTS.length);
    expect([...ASPECTS].sort()).toEqual(Object.keys(QUESTIONS).sort());
  });
});

describe('detectAspect', () => {
  for (const aspect of Object.keys(QUESTIONS) as Aspect[]) {
    describe(aspect, () => {
      it.each(QUESTIONS[aspect].map((q) => [q]))('accented: %s', (q) => {
        expect(hasDiacritics(q)).toBe(true);
        expect(detectAspect(q)).toBe(aspect);
      });
      it.each(QUESTIONS[aspect].map((q) => [fold(q)]))('unaccented: %s', (q) => {
        expect(hasDiacritics(q)).toBe(false);
        expect(detectAspect(q)).toBe(aspect);
      });
    });
  }

  it('is null for a bare topic, accented or not', () => {
    expect(detectAspect('đăng ký khai sinh')).toBeNull();
    expect(detectAspect('dang ky khai sinh')).toBeNull();
    expect(detectAspect('Cấp lại thẻ căn cước')).toBeNull();
    expect(detectAspect('')).toBeNull();
    expect(detectAspects('đăng ký khai sinh')).toEqual([]);
  });

  it('ignores case and decomposed marks', () => {
    expect(detectAspect('LỆ PHÍ LÀM HỘ CHIẾU')).toBe('fee');
    expect(detectAspect('LE PHI LAM HO CHIEU')).toBe('fee');
    expect(detectAspect('le\u0323 phi\u0301 la\u0300m ho\u0323 chie\u0302\u0301u')).toBe('fee');
    expect(detectAspect('Thời Hạn Giải Quyết')).toBe('time');
  });

  it('matches cues only on whole syllables', () => {
    // "phím" and "phía" contain "phí"/"phi" but are other words.
    expect(detectAspect('bàn phím máy tính')).toBeNull();
    expect(detectAspect('ban phim may tinh')).toBeNull();
    expect(detectAspect('phía bắc')).toBeNull();
    // "trình tự" is a cue, "trình tựa" is not (no such word, but a partial match must not count).
    expect(detectAspect('trình tựa')).toBeNull();
  });
});

describe('priority', () => {
  it('prefers the more specific aspect when several are named', () => {
    expect(detectAspect('Lệ phí đăng ký khai sinh là bao nhiêu và làm thế nào?')).toBe('fee');
    expect(detectAspects('Lệ phí đăng ký khai sinh là bao nhiêu và làm thế nào?')).toEqual(['fee', 'steps']);
    expect(detectAspects(fold('Lệ phí đăng ký khai sinh là bao nhiêu và làm thế nào?'))).toEqual(['fee', 'steps']);
    expect(detectAspects('Mẫu đơn xin tách thửa lấy ở đâu?')).toEqual(['documents', 'where']);
    expect(detectAspects('Nộp hồ sơ qua mạng mất bao lâu?')).toEqual(['time', 'online', 'where']);
    expect(detectAspects('Điều kiện và trình tự cấp giấy phép lái xe')).toEqual(['conditions', 'steps']);
    expect(detectAspects('Căn cứ pháp lý và kết quả của thủ tục')).toEqual(['legal_basis', 'result']);
  });

  it('detectAspects lists aspects in ASPECTS order', () => {
    const q = 'Hướng dẫn thủ tục, kết quả, căn cứ, nộp ở đâu, trực tuyến, điều kiện, giấy tờ gì, bao lâu, lệ phí';
    expect(detectAspects(q)).toEqual([...ASPECTS]);
    expect(detectAspects(fold(q))).toEqual([...ASPECTS]);
    expect(detectAspect(q)).toBe('fee');
  });

  // "quy định ở đâu" contains the `where` cue "ở đâu"; legal_basis must take precedence.
  it('"quy định ở đâu" (where is it regulated) asks for the legal basis', () => {
    expect(detectAspect('Thủ tục đăng ký kết hôn được quy định ở đâu?')).toBe('legal_basis');
  });
});

describe('"phí" versus "phi"', () => {
  it('does not read "phi nông nghiệp" (non-agricultural) as a fee when typed with accents', () => {
    const q = 'Chuyển mục đích sử dụng đất sang đất phi nông nghiệp';
    expect(detectAspects(q)).not.toContain('fee');
    expect(detectAspect(q)).toBeNull();
    expect(detectAspect('đất phi nông nghiệp')).toBeNull();
  });

  it('still reads the accented fee words next to "phi nông nghiệp"', () => {
    expect(detectAspect('Lệ phí chuyển sang đất phi nông nghiệp')).toBe('fee');
    expect(detectAspect('chuyển sang đất phi nông nghiệp mất phí không')).toBe('fee');
  });

  it('reads unaccented "le phi" as a fee', () => {
    expect(detectAspect('le phi chuyen muc dich su dung dat')).toBe('fee');
    expect(detectAspect('phi lam ho chieu')).toBe('fee');
  });
});
