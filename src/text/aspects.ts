import { fold, hasDiacritics, normalize } from './vietnamese.js';

/** What a question asks about a procedure. */
export type Aspect = 'fee' | 'time' | 'documents' | 'where' | 'online' | 'conditions' | 'steps' | 'result' | 'legal_basis';

/**
 * Cue phrases per aspect, in priority order: when a question names several aspects, the more
 * specific one wins ("làm thế nào" is in almost every question, so `steps` comes last; "quy định ở
 * đâu" asks for the legal basis, so `legal_basis` comes before `where`).
 * Written with diacritics; the folded forms are derived, so "le phi" works as well as "lệ phí".
 */
const CUES: ReadonlyArray<readonly [Aspect, readonly string[]]> = [
  ['fee', ['lệ phí', 'phí', 'chi phí', 'bao nhiêu tiền', 'mất tiền', 'tốn tiền', 'hết bao nhiêu', 'đóng tiền', 'nộp tiền', 'miễn phí', 'mất phí', 'giá bao nhiêu']],
  ['time', ['thời hạn', 'bao lâu', 'mấy ngày', 'bao nhiêu ngày', 'mấy tháng', 'thời gian giải quyết', 'thời gian xử lý', 'khi nào có', 'khi nào nhận', 'bao giờ có', 'bao giờ nhận', 'trong bao lâu', 'mất bao lâu']],
  ['documents', ['giấy tờ gì', 'giấy tờ nào', 'những giấy tờ', 'các giấy tờ', 'hồ sơ gồm', 'thành phần hồ sơ', 'hồ sơ cần', 'cần hồ sơ', 'chuẩn bị gì', 'chuẩn bị những gì', 'mang theo gì', 'mang theo những gì', 'mang gì', 'cần mang', 'mẫu đơn', 'tờ khai', 'cần giấy tờ', 'cần chuẩn bị', 'hồ sơ như thế nào', 'hồ sơ ra sao']],
  ['conditions', ['điều kiện', 'yêu cầu gì', 'có được không', 'có được phép', 'ai được', 'đủ điều kiện', 'trường hợp nào được']],
  ['online', ['trực tuyến', 'online', 'qua mạng', 'trên mạng', 'dịch vụ công', 'vneid', 'nộp mạng', 'làm online']],
  ['legal_basis', ['căn cứ pháp lý', 'căn cứ', 'văn bản pháp luật', 'văn bản nào', 'nghị định nào', 'thông tư nào', 'luật nào', 'quy định nào', 'quy định ở đâu']],
  ['where', ['ở đâu', 'chỗ nào', 'nơi nào', 'cơ quan nào', 'đi đâu', 'địa chỉ', 'nộp hồ sơ qua', 'hình thức nào', 'những hình thức', 'bưu điện', 'bưu chính', 'nộp qua', 'nộp tại']],
  ['result', ['kết quả', 'nhận được gì', 'được cấp gì', 'nhận lại gì']],
  ['steps', ['trình tự', 'các bước', 'quy trình', 'cách thức', 'như thế nào', 'thế nào', 'làm sao', 'ra sao', 'cách làm', 'hướng dẫn']],
];

interface CompiledCue {
  aspect: Aspect;
  accented: RegExp;
  folded: RegExp;
}

function phraseRegex(phrases: readonly string[]): RegExp {
  const escaped = phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // Syllable boundaries: \b is ASCII-only in JS, so use look-arounds on Unicode letters.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'u');
}

const COMPILED: readonly CompiledCue[] = CUES.map(([aspect, phrases]) => ({
  aspect,
  accented: phraseRegex(phrases.map(normalize)),
  folded: phraseRegex([...new Set(phrases.map(fold))]),
}));

/**
 * Every aspect the question names, most specific first. An accented question is matched on its
 * accented form so that "phi" in "phi nông nghiệp" is not read as "phí"; an unaccented one on
 * the folded form.
 */
export function detectAspects(text: string): Aspect[] {
  const accented = hasDiacritics(text);
  const subject = accented ? normalize(text) : fold(text);
  return COMPILED.filter((c) => (accented ? c.accented : c.folded).test(subject)).map((c) => c.aspect);
}

/** The main aspect a question asks about, or null when it asks about the procedure as a whole. */
export function detectAspect(text: string): Aspect | null {
  return detectAspects(text)[0] ?? null;
}

/** Every aspect, in detection priority order. */
export const ASPECTS: readonly Aspect[] = CUES.map(([aspect]) => aspect);
