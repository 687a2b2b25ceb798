import { describe, expect, it } from 'vitest';
import { cannedReply } from '../../../../src/domain/canned-replies.js';
import type { Session } from '../../../../src/domain/conversation.js';
import { createDetectLanguageStep } from '../../../../src/pipeline/steps/detect-language.js';
import { createRouteIntentStep } from '../../../../src/pipeline/steps/route-intent.js';
import { context } from '../../conversation/helpers.js';

const detect = createDetectLanguageStep();
const route = createRouteIntentStep();
function run(text: string, over: Partial<Session> = {}) {
  const ctx = context(text, over);
  detect.run(ctx);
  route.run(ctx);
  return ctx;
}

describe('route-intent: smalltalk', () => {
  it.each([
    ['chào bạn', 'greeting'], ['xin chao', 'greeting'], ['Xin chào ạ!', 'greeting'], ['hello', 'greeting'], ['hi bot', 'greeting'],
    ['alo', 'greeting'], ['cảm ơn nhiều', 'thanks'], ['cam on ban nhe', 'thanks'], ['thanks', 'thanks'], ['Thank you very much!', 'thanks'],
    ['cám ơn ạ', 'thanks'], ['bye', 'goodbye'], ['tạm biệt', 'goodbye'], ['tam biet nhe', 'goodbye'], ['ok cảm ơn, tạm biệt', 'goodbye'],
    ['Goodbye!', 'goodbye'],
  ] as const)('%s → %s', (text, kind) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('smalltalk');
    expect(ctx.result?.status).toBe('answered_smalltalk');
    expect(ctx.result?.text).toBe(cannedReply(kind, ctx.language));
  });

  it.each(['chào bạn, làm căn cước ở đâu?', 'xin chao, dang ky khai sinh can gi', 'hello, how do I register a birth?', 'cảm ơn, còn đăng ký kết hôn thì sao'])(
    'a greeting with a question is not smalltalk: %s',
    (text) => {
      const ctx = run(text);
      expect(ctx.intent).toBe('procedure_question');
      expect(ctx.done).toBe(false);
    },
  );
});

describe('route-intent: handoff', () => {
  it.each([
    'cho tôi gặp cán bộ', 'muốn nói chuyện với người thật', 'chuyển nhân viên giúp tôi', 'talk to a human', 'gặp tổng đài viên',
    'cho toi gap can bo', 'muon noi chuyen voi nguoi that', 'chuyen nhan vien', 'I want to speak to a person', 'gap tong dai vien',
    'tôi cần cán bộ hỗ trợ trực tiếp', 'Kết nối tôi với nhân viên tổng đài được không?',
  ])('request: %s', (text) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('handoff');
    expect(ctx.result).toMatchObject({ status: 'handoff_requested', handoff: true, text: cannedReply('handoff_requested', ctx.language) });
  });

  it.each([
    'cán bộ phường hách dịch', 'tôi muốn khiếu nại thái độ cán bộ', 'nhân viên gây khó dễ', 'can bo phuong hach dich',
    'toi muon khieu nai thai do can bo', 'nhan vien gay kho de', 'cán bộ một cửa đòi tiền bồi dưỡng', 'phản ánh nhân viên thô lỗ',
    'The officer was rude to me', 'cán bộ nhũng nhiễu người dân',
    'Tôi nộp hồ sơ quá hạn 2 tuần rồi mà cán bộ không trả lời, tôi muốn khiếu nại',
    'can bo doi tien boi duong moi giai quyet ho so, toi muon to cao',
  ])('complaint: %s', (text) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('handoff');
    expect(ctx.result).toMatchObject({ status: 'handoff_requested', handoff: true, text: cannedReply('complaint_handoff', ctx.language) });
  });
});

describe('route-intent: abuse', () => {
  it.each([
    'đm bot ngu', 'vcl', 'mày ngu thế', 'may ngu the', 'đồ chó', 'do cho', 'óc chó à', 'dm tra loi cai gi vay', 'khốn nạn',
    'mat day', 'fuck you', 'you are stupid', 'tao sẽ giết mày', 'câm mồm đi', 'Đồ vô dụng, trả lời như c*t', 'do vo dung',
  ])('%s', (text) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('abuse');
    expect(ctx.result).toMatchObject({ status: 'guardrail_abuse', text: cannedReply('abuse', ctx.language) });
  });
});

describe('route-intent: out of scope', () => {
  it.each([
    'Thời tiết Hà Nội ngày mai thế nào?', 'thoi tiet ha noi', 'Tỉ số trận đấu tối qua', 'Cách nấu phở bò ngon tại nhà?',
    'Giá Bitcoin hôm nay là bao nhiêu?', 'mã cổ phiếu nào nên mua', 'giải giúp em bài tập toán', 'làm một bài thơ về Hà Nội',
    'tôi bị sốt thì uống thuốc gì', 'bạn bao nhiêu tuổi', 'ban bao nhieu tuoi', 'What is the weather tomorrow?', 'write me a poem',
    'Who will win the football match?', 'Ai là người giàu nhất thế giới hiện nay?',
  ])('%s', (text) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('out_of_scope');
    expect(ctx.result).toMatchObject({ status: 'unanswerable_out_of_scope', text: cannedReply('out_of_scope', ctx.language) });
  });
});

describe('route-intent: procedure questions that look like something else', () => {
  it.each([
    'thủ tục khiếu nại quyết định hành chính', 'khiếu nại quyết định hành chính lần hai', 'thu tuc khieu nai', 'thủ tục tố cáo cán bộ',
    'giấy phép tổ chức giải bóng đá', 'đăng ký kinh doanh quán ăn', 'cấp giấy phép hoạt động khám chữa bệnh', 'đội ngũ cán bộ hỗ trợ đăng ký doanh nghiệp',
    'giấy chứng nhận cơ sở giết mổ', 'xin giấy phép nấu rượu', 'đăng ký hộ kinh doanh bán phở', 'cấp chứng chỉ hành nghề dược',
    'hồ sơ hưởng trợ cấp thai sản', 'đăng ký thường trú cho con', 'How do I register a birth?',
  ])('%s', (text) => {
    const ctx = run(text);
    expect(ctx.intent).toBe('procedure_question');
    expect(ctx.done).toBe(false);
  });
});

describe('route-intent: aspect', () => {
  it('detects the aspect of the message', () => {
    expect(run('lệ phí đăng ký khai sinh').aspect).toBe('fee');
    expect(run('dang ky ket hon o dau').aspect).toBe('where');
    expect(run('what about the fee?').aspect).toBe('fee');
    expect(run('đăng ký khai sinh').aspect).toBeNull();
  });
});

describe('route-intent: follow-up vs new topic', () => {
  const current = { currentProcedureId: '1.001193', currentAspect: 'documents' as const };
  it.each([
    'còn lệ phí thì sao?', 'nộp online được không', 'mất mấy ngày', 'cần giấy tờ gì', 'ở đâu', 'what about the fee?', 'con le phi thi sao',
    'nop online duoc khong', 'thủ tục này làm ở phường được không', 'cái đó mất bao lâu', 'how long does it take?', 'bao nhiêu tiền', 'can chuan bi nhung gi', 'co the nop online khong',
  ])('follow-up: %s', (text) => {
    const ctx = run(text, current);
    expect(ctx.intent).toBe('follow_up');
    expect(ctx.done).toBe(false);
  });

  it.each(['còn đăng ký kết hôn thì sao?', 'lệ phí cấp lại căn cước', 'lệ phí thẻ căn cước', 'le phi the can cuoc', 'lệ phí khai sinh', 'dang ky thuong tru can gi', 'còn khai sinh thì sao', 'What about a marriage certificate?'])(
    'new topic: %s',
    (text) => expect(run(text, current).intent).toBe('procedure_question'),
  );

  it('without a current procedure, a bare aspect question is a procedure question', () => {
    expect(run('còn lệ phí thì sao?').intent).toBe('procedure_question');
  });
});

describe('route-intent: option choice', () => {
  const pendingOptions = [
    { id: '1.001193', name: 'Thủ tục đăng ký khai sinh' },
    { id: '1.000656', name: 'Thủ tục đăng ký khai sinh lưu động' },
    { id: '2.000001', name: 'Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)' },
  ];
  it.each([
    ['1', 0], ['số 2', 1], ['cái thứ hai', 1], ['the first one', 0], ['so 3', 2], ['thứ ba', 2], ['lựa chọn 1', 0], ['2.', 1], ['số một ạ', 0],
    ['second', 1], ['cái đầu tiên', 0],
  ] as const)('by number: %s', (text, index) => {
    const ctx = run(text, { pendingOptions });
    expect(ctx.intent).toBe('option_choice');
    expect(ctx.chosenOption).toEqual(pendingOptions[index]);
  });

  it.each([
    ['khai sinh lưu động', 1], ['dang ky khai sinh luu dong', 1], ['đăng ký khai sinh', 0], ['cấp lại căn cước', 2], ['can cuoc', 2],
  ] as const)('by name: %s', (text, index) => {
    const ctx = run(text, { pendingOptions });
    expect(ctx.intent).toBe('option_choice');
    expect(ctx.chosenOption).toEqual(pendingOptions[index]);
  });

  it('a number beyond the list, or a new question, is not a choice', () => {
    expect(run('số 7', { pendingOptions }).intent).not.toBe('option_choice');
    expect(run('đăng ký kết hôn cần gì', { pendingOptions }).intent).toBe('procedure_question');
  });

  it('level variants are told apart by the level', () => {
    const options = [
      { id: 'a', name: 'Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)' },
      { id: 'b', name: 'Cấp lại thẻ căn cước (thực hiện tại cấp xã)' },
    ];
    expect(run('cấp xã', { pendingOptions: options }).chosenOption?.id).toBe('b');
    expect(run('cap tinh', { pendingOptions: options }).chosenOption?.id).toBe('a');
    expect(run('cấp lại thẻ căn cước', { pendingOptions: options }).intent).toBe('procedure_question');
  });
});
