import type { AnswerStyle, Language } from '../domain/answer.js';
import { vietnameseDate } from './hanoi-date.js';
import type { OnlineOnlyEntry } from './online-only-list.js';

/** What the Center adds around an answer about one procedure, today. */
export interface LocalFacts {
  onlineOnly?: OnlineOnlyEntry | undefined;
  /** Hanoi date (YYYY-MM-DD) of the change, when the procedure changed in the last 30 days. */
  changedOn?: string | undefined;
  notes?: readonly string[] | undefined;
  url?: string | null | undefined;
}

export interface LocalNotices {
  /** Shown before the answer: what changes how the citizen must act. */
  before: string[];
  /** Shown after the answer: the staff's Hanoi notes. */
  after: string[];
}

const PORTAL = 'https://dichvucong.gov.vn';

/**
 * The notices around an answer. They are written here, not by the composer, because they come
 * from the Center's own lists and dates rather than from the procedure record that the answer
 * check compares the answer with.
 */
export function localNotices(facts: LocalFacts, style: AnswerStyle, language: Language): LocalNotices {
  const before: string[] = [];
  const after: string[] = [];
  const voice = style === 'voice';
  if (facts.onlineOnly) {
    const from = vietnameseDate(facts.onlineOnly.from);
    if (language === 'en') {
      before.push(
        voice
          ? `Since ${from} this procedure is accepted online only, on the National Public Service Portal or the iHanoi app.`
          : `Since ${from} Hanoi accepts this procedure **online only**: submit it on the National Public Service Portal (${facts.url ?? PORTAL}) or in the iHanoi app. If you need help scanning and submitting, an online public-service agent (Đại lý dịch vụ công trực tuyến) will help you free of charge.`,
      );
    } else {
      before.push(
        voice
          ? `Từ ngày ${from}, thủ tục này chỉ tiếp nhận hồ sơ trực tuyến, qua Cổng Dịch vụ công quốc gia hoặc ứng dụng iHanoi.`
          : `Từ ngày ${from}, thành phố **chỉ tiếp nhận hồ sơ trực tuyến** cho thủ tục này: anh/chị nộp trên Cổng Dịch vụ công quốc gia (${facts.url ?? PORTAL}) hoặc qua ứng dụng iHanoi. Nếu cần hỗ trợ scan giấy tờ và nộp hồ sơ, anh/chị có thể đến một Đại lý dịch vụ công trực tuyến để được hướng dẫn miễn phí.`,
      );
    }
  }
  if (facts.changedOn) {
    const on = vietnameseDate(facts.changedOn);
    before.push(
      language === 'en'
        ? `Note: this procedure was updated on ${on}; the answer follows the new version.`
        : `Lưu ý: thủ tục này vừa được cập nhật ngày ${on}; thông tin dưới đây theo bản mới nhất.`,
    );
  }
  const notes = facts.notes ?? [];
  // The phone reads at most three sentences; the staff's notes stay in the written channels.
  if (notes.length > 0 && !voice) {
    const heading = language === 'en' ? 'In Hanoi (notes in Vietnamese):' : 'Lưu ý tại Hà Nội:';
    after.push([heading, ...notes.map((n) => `• ${n}`)].join('\n'));
  }
  return { before, after };
}
