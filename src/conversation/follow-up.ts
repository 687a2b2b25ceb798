import { isAmbiguousUnaccented } from '../text/question-words.js';
import { fold, foldTerm, hasDiacritics, syllables } from '../text/vietnamese.js';
import { ENGLISH_ASPECT_WORDS } from './english-aspects.js';
import { detectLanguage } from './language.js';
import { isFillerSyllable } from './procedure-name-vocabulary.js';
import { PhraseMatcher } from './phrase-matcher.js';

/** Words that point back at the procedure already under discussion. */
const ANAPHOR = new PhraseMatcher([
  'thủ tục này', 'thủ tục đó', 'thủ tục trên', 'thủ tục vừa rồi', 'cái này', 'cái đó', 'cái trên', 'việc này', 'việc đó',
  'trường hợp này', 'hồ sơ này', 'hồ sơ đó', 'như vậy', 'this procedure', 'that procedure', 'this one', 'that one', 'for it',
  'for this', 'for that',
]);

/** Syllables that ask for an aspect, or frame a question, rather than name a topic. */
const NON_TOPIC = new Set(
  [
    'lệ', 'phí', 'chi', 'tiền', 'thời', 'hạn', 'ngày', 'tháng', 'tuần', 'hồ', 'sơ', 'giấy', 'tờ', 'mang', 'theo', 'chuẩn', 'bị',
    'điều', 'kiện', 'trực', 'tuyến', 'online', 'mạng', 'nộp', 'đâu', 'chỗ', 'nơi', 'địa', 'chỉ', 'mấy', 'hết', 'mất', 'trình',
    'tự', 'bước', 'quy', 'trình', 'cách', 'thức', 'hướng', 'dẫn', 'kết', 'quả', 'pháp', 'lý', 'còn', 'ra', 'nhận',
    'lấy', 'qua', 'trên', 'bưu', 'điện', 'chính', 'gian', 'xử', 'giải', 'quyết', 'miễn', 'tốn', 'đóng', 'trả', 'bằng', 'văn',
    'bản', 'luật', 'nghị', 'định', 'thông', 'tư', 'ai', 'đến', 'lên', 'xuống', 'nhanh', 'chậm', 'trong', 'sau', 'mẫu', 'đơn',
    'tờ', 'cơ', 'quan', 'dịch', 'vụ', 'công', 'vneid', 'ạ', 'vậy', 'thì', 'sao', 'nhỉ', 'hả', 'ok', 'ừ', 'vâng', 'dạ',
    'được', 'không', 'ko', 'k', 'hông', 'hem', 'nữa', 'thêm', 'gì', 'nào', 'bao', 'nhiêu', 'lâu', 'làm', 'sao',
  ].map(fold),
);

const ENGLISH_FRAME = new Set([
  'what', 'about', 'the', 'a', 'an', 'and', 'how', 'is', 'it', 'does', 'do', 'i', 'can', 'for', 'this', 'that', 'of', 'to', 'in',
  'on', 'there', 'any', 'take', 'will', 'my', 'me', 'you', 'your', 'we', 'be', 'so', 'then', 'also', 'too', 'which', 'who',
  'when', 'much', 'many', 'long', 'need', 'have', 'get', 'at', 'by', 'or', 'there', 'are', 'should', 'please', 'ok',
]);

/**
 * The syllables of a question that could name a procedure: question words, aspect cues
 * ("lệ phí", "mấy ngày", "nộp online") and, in an English message only, English function words
 * (folded "the" and "can" are also thẻ and căn).
 */
export function topicWords(text: string): string[] {
  const english = detectLanguage(text) === 'en';
  return syllables(text)
    .filter((s) => !isFillerSyllable(s))
    .map(foldTerm)
    .filter((s) => !NON_TOPIC.has(s) && !(english && (ENGLISH_FRAME.has(s) || ENGLISH_ASPECT_WORDS.has(s))));
}

/**
 * True when a message names no procedure of its own, so it continues the current one:
 * "còn lệ phí thì sao?", "nộp online được không", "what about the fee?", "thủ tục này mất bao lâu".
 * A message that names a topic ("còn khai sinh thì sao?") is a new question. A lone leftover
 * syllable counts as no topic; two only when the message also asks for an aspect.
 */
export function isFollowUp(text: string, hasAspect: boolean): boolean {
  if (ANAPHOR.test(text)) return true;
  // Unaccented "can", "nhung", "the" are more likely cần, những, thế in a short follow-up than
  // căn, nhung, thẻ: they alone do not make it a new topic.
  const left = topicWords(text);
  const unaccented = !hasDiacritics(text);
  if (unaccented && left.every((s) => isAmbiguousUnaccented(s))) return true;
  return left.length === 0 || (left.length === 1 && hasAspect);
}
