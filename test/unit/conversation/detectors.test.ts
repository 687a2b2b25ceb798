import { describe, expect, it } from 'vitest';
import { isAbuse } from '../../../src/conversation/abuse.js';
import { isFollowUp, topicWords } from '../../../src/conversation/follow-up.js';
import { detectHandoff } from '../../../src/conversation/handoff.js';
import { chooseOption } from '../../../src/conversation/option-choice.js';
import { isOutOfScope } from '../../../src/conversation/out-of-scope.js';
import { PhraseMatcher } from '../../../src/conversation/phrase-matcher.js';
import { baseName, subjectSyllables } from '../../../src/conversation/procedure-name-vocabulary.js';
import { detectSmalltalk } from '../../../src/conversation/smalltalk.js';

describe('PhraseMatcher', () => {
  const m = new PhraseMatcher(['ngu'], ['may ngu']);
  it('matches accented text on accented forms and unaccented text on folded forms', () => {
    expect(m.test('bot này ngu quá')).toBe(true);
    expect(m.test('đội ngũ cán bộ')).toBe(false);
    expect(m.test('may ngu')).toBe(true);
    expect(m.test('ngu')).toBe(true);
    expect(m.test('ngư nghiệp')).toBe(false);
  });
});

describe('detectors keep precision on procedure words', () => {
  it.each(['đội ngũ', 'ngư dân đăng ký tàu cá', 'đeo khẩu trang', 'giết mổ gia súc', 'vải thiều xuất khẩu', 'lon bia', 'con chó nuôi có cần đăng ký'])(
    'not abuse: %s',
    (t) => expect(isAbuse(t)).toBe(false),
  );
  it.each(['thủ tục khiếu nại', 'khiếu nại quyết định hành chính', 'giải quyết tố cáo cấp tỉnh', 'mẫu đơn khiếu nại cán bộ'])('not handoff: %s', (t) =>
    expect(detectHandoff(t)).toBeNull(),
  );
  it.each(['giấy phép tổ chức giải bóng đá', 'đăng ký kinh doanh nhà hàng', 'thuế chuyển nhượng cổ phiếu'])('not out of scope: %s', (t) =>
    expect(isOutOfScope(t)).toBe(false),
  );
  it('smalltalk needs nothing but politeness', () => {
    expect(detectSmalltalk('chào ad ạ')).toBe('greeting');
    expect(detectSmalltalk('chào, cho hỏi làm sổ đỏ')).toBeNull();
    expect(detectSmalltalk('chào mừng ngày quốc khánh')).toBeNull();
  });
});

describe('follow-up topic words', () => {
  it('drops aspect cues and question words', () => {
    expect(topicWords('còn lệ phí thì sao?')).toEqual([]);
    expect(topicWords('lệ phí thẻ căn cước')).toEqual(['the', 'can', 'cuoc']);
    expect(isFollowUp('nộp ở phường được không', true)).toBe(true);
    expect(isFollowUp('còn khai sinh thì sao', false)).toBe(false);
  });
});

describe('option choice', () => {
  const options = [
    { id: 'a', name: 'Đăng ký khai sinh' },
    { id: 'b', name: 'Đăng ký khai tử' },
  ];
  it('by number, by name, or none', () => {
    expect(chooseOption('2', options)?.id).toBe('b');
    expect(chooseOption('khai tử', options)?.id).toBe('b');
    expect(chooseOption('đăng ký', options)).toBeUndefined();
    expect(chooseOption('3', options)).toBeUndefined();
    expect(chooseOption('số 1 và số 2', options)).toBeUndefined();
  });
});

describe('procedure names', () => {
  it('strips a level suffix and aspect words', () => {
    expect(baseName('Cấp lại thẻ căn cước (thực hiện tại cấp tỉnh)')).toBe('Cấp lại thẻ căn cước');
    expect(baseName('Quyết định đóng cửa mỏ khoáng sản (cấp Bộ)')).toBe('Quyết định đóng cửa mỏ khoáng sản');
    expect(subjectSyllables('lệ phí đăng ký khai sinh')).toEqual(['dang', 'ki', 'khai', 'sinh']);
  });
});
