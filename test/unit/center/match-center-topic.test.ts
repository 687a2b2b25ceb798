import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CenterKnowledge, loadCenterKnowledge, parseCenterKnowledge } from '../../../src/center/center-knowledge.js';
import { matchCenterTopic } from '../../../src/center/match-center-topic.js';

const knowledge = loadCenterKnowledge(path.resolve(import.meta.dirname, '../../../knowledge')) as CenterKnowledge;

/** Questions about the Center itself, accented and not, and the topic each must get. */
const CENTER_QUESTIONS: ReadonlyArray<readonly [string, string]> = [
  // opening hours
  ['trung tâm làm việc giờ nào', 'opening_hours'],
  ['trung tam lam viec gio nao', 'opening_hours'],
  ['Trung tâm mấy giờ mở cửa ạ?', 'opening_hours'],
  ['giờ làm việc của trung tâm hành chính công', 'opening_hours'],
  ['thu 7 trung tam co lam viec khong', 'opening_hours'],
  ['bộ phận một cửa có làm việc chủ nhật không', 'opening_hours'],
  ['mấy giờ mở cửa vậy bạn', 'opening_hours'],
  ['chi nhanh cau giay may gio dong cua', 'opening_hours'],
  ['What are your opening hours?', 'opening_hours'],
  // hotline
  ['tổng đài bao nhiêu', 'hotline'],
  ['tong dai bao nhieu', 'hotline'],
  ['số điện thoại của trung tâm là gì', 'hotline'],
  ['so dien thoai trung tam hanh chinh cong', 'hotline'],
  ['cho mình xin số hotline', 'hotline'],
  ['gọi 19001009 có được không', 'hotline'],
  ['what is the hotline number', 'hotline'],
  // branches
  ['nộp hồ sơ ở đâu gần nhà', 'branches'],
  ['nop ho so o dau gan nha', 'branches'],
  ['trung tâm ở đâu', 'branches'],
  ['địa chỉ trung tâm phục vụ hành chính công hà nội', 'branches'],
  ['chi nhánh gần nhất ở đâu', 'branches'],
  ['where is the center', 'branches'],
  // online submission
  ['nộp hồ sơ trực tuyến như thế nào', 'online_submission'],
  ['cach nop ho so online', 'online_submission'],
  ['cổng dịch vụ công quốc gia là gì', 'online_submission'],
  ['nộp qua VNeID được không', 'online_submission'],
  ['trung tâm có nhận hồ sơ online không', 'online_submission'],
  // iHanoi
  ['iHanoi là gì', 'ihanoi'],
  ['ihanoi co mini app khong', 'ihanoi'],
  ['tải app iHanoi ở đâu', 'ihanoi'],
  ['ứng dụng công dân thủ đô số dùng để làm gì', 'ihanoi'],
  ['trung tâm có app không', 'ihanoi'],
  // online public-service agents
  ['đại lý dịch vụ công là gì', 'online_agents'],
  ['dai ly dich vu cong truc tuyen la gi', 'online_agents'],
  ['tôi không biết nộp online thì nhờ ai', 'online_agents'],
  ['có ai nộp hộ hồ sơ cho người già không', 'online_agents'],
  ['xe dịch vụ công lưu động là gì', 'online_agents'],
  // what the Center does
  ['trung tâm có làm hộ chiếu không', 'center_scope'],
  ['trung tam co lam ho chieu khong', 'center_scope'],
  ['trung tâm làm những việc gì', 'center_scope'],
  ['trung tâm có giải quyết tranh chấp đất đai không', 'center_scope'],
  ['trung tâm là cơ quan gì', 'about_center'],
  ['bộ phận một cửa là gì', 'about_center'],
  // fees and payment
  ['thanh toán lệ phí online thế nào', 'fees_payment'],
  ['nop phi truc tuyen duoc khong', 'fees_payment'],
  ['trung tâm có thu thêm tiền không', 'fees_payment'],
  // feedback
  ['phản ánh kiến nghị ở đâu', 'complaints_feedback'],
  ['muốn góp ý cho trung tâm', 'complaints_feedback'],
  // queue numbers
  ['lấy số thứ tự online thế nào', 'appointment_queue'],
  ['lay so thu tu o trung tam', 'appointment_queue'],
  ['đặt lịch hẹn làm thủ tục', 'appointment_queue'],
  ['dat hen lay so', 'appointment_queue'],
  // results by post
  ['nhận kết quả qua bưu điện được không', 'result_by_post'],
  ['trung tam co gui ket qua ve nha khong', 'result_by_post'],
  // boundaries
  ['có được nộp hồ sơ ở phường khác không', 'non_geographic'],
  ['nop o quan khac duoc khong', 'non_geographic'],
  ['thủ tục phi địa giới là gì', 'non_geographic'],
];

/** Procedure questions and other questions that must stay with retrieval (or routing). */
const NOT_CENTER_QUESTIONS: readonly string[] = [
  'đăng ký khai sinh nộp ở đâu',
  'dang ky khai sinh nop o dau',
  'làm hộ chiếu mất bao lâu',
  'lam ho chieu mat bao lau',
  'lệ phí cấp sổ đỏ',
  'le phi cap so do bao nhieu',
  'đăng ký kết hôn cần giấy tờ gì',
  'cấp lại căn cước nộp online được không',
  'khai sinh nộp online được không',
  'đăng ký kết hôn nộp ở đâu gần nhà',
  'làm căn cước ở đâu gần nhất',
  'thủ tục thành lập chi nhánh công ty',
  'thanh lap chi nhanh doanh nghiep',
  'đặt lịch làm căn cước',
  'nhận sổ đỏ qua bưu điện được không',
  'thanh toán lệ phí trước bạ ô tô',
  'công an phường mấy giờ mở cửa',
  'trung tâm đăng kiểm mấy giờ mở cửa',
  'trung tâm y tế quận ở đâu',
  'bệnh viện bạch mai ở đâu',
  'ngân hàng mấy giờ đóng cửa',
  'bưu điện mấy giờ mở cửa',
  'tra cứu mã số thuế cá nhân',
  'đăng ký thường trú cần gì',
  'xin giấy phép xây dựng nhà ở',
  'chứng thực bản sao ở đâu',
  'cấp phiếu lý lịch tư pháp mất mấy ngày',
  'how long does a passport take',
  'where do I register a birth',
  'thời tiết hà nội hôm nay',
  'chào bạn',
  'hồ sơ nộp ở trung tâm đến đâu rồi',
  'nộp hồ sơ cấp sổ đỏ tại trung tâm cần giấy tờ gì',
  'làm hộ chiếu ở trung tâm mất bao lâu',
  'góp ý dự thảo luật',
  'đăng ký tạm trú online ở đâu',
  'gần nhà tôi có chỗ nào công chứng không',
  'xin giấy xác nhận độc thân ở đâu gần nhà',
  'đặt lịch khám bệnh',
  'trung tâm thương mại mấy giờ mở cửa',
  'how much is the passport fee',
  'cap doi giay phep lai xe online',
  'lam can cuoc gan nha',
];

describe('matchCenterTopic: questions about the Center', () => {
  it('has enough phrasings, accented and not', () => {
    expect(CENTER_QUESTIONS.length).toBeGreaterThanOrEqual(40);
    expect(NOT_CENTER_QUESTIONS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CENTER_QUESTIONS)('%s → %s', (text, id) => {
    expect(matchCenterTopic(text, knowledge)?.id ?? null).toBe(id);
  });

  it('reads decomposed (NFD) input like composed input', () => {
    expect(matchCenterTopic('trung tâm làm việc giờ nào'.normalize('NFD'), knowledge)?.id).toBe('opening_hours');
  });
});

describe('matchCenterTopic: procedure and other questions stay out', () => {
  it.each(NOT_CENTER_QUESTIONS)('%s → null', (text) => {
    expect(matchCenterTopic(text, knowledge)).toBeNull();
  });

  it('matches nothing without knowledge, or for an empty message', () => {
    expect(matchCenterTopic('trung tâm làm việc giờ nào', null)).toBeNull();
    expect(matchCenterTopic('  ?! ', knowledge)).toBeNull();
  });
});

describe('matchCenterTopic: cue rules', () => {
  const k = parseCenterKnowledge(
    JSON.stringify({
      version: 1,
      name: 'Trung tâm',
      hotline: '19001009',
      topics: [
        { id: 'general', title: 'Chung', cues: ['là gì'], answer: 'a', voiceAnswer: 'a', sources: [], confidence: 'team' },
        { id: 'hours', title: 'Giờ', cues: ['mấy giờ'], standaloneCues: ['giờ làm việc'], answer: 'b', voiceAnswer: 'b', sources: [], confidence: 'team' },
      ],
    }),
  );

  it('an ordinary cue needs the Center to be named; a standalone cue does not', () => {
    expect(matchCenterTopic('mấy giờ', k)).toBeNull();
    expect(matchCenterTopic('trung tâm mấy giờ', k)?.id).toBe('hours');
    expect(matchCenterTopic('giờ làm việc', k)?.id).toBe('hours');
  });

  it('the more specific cue wins over a question frame', () => {
    expect(matchCenterTopic('trung tâm là gì', k)?.id).toBe('general');
    expect(matchCenterTopic('giờ làm việc của trung tâm là gì', k)?.id).toBe('hours');
  });

  it('a message with many words of its own is about something else', () => {
    expect(matchCenterTopic('giờ làm việc của nhân viên bán thời gian ca đêm', k)).toBeNull();
  });
});
