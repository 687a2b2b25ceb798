import { PhraseMatcher } from './phrase-matcher.js';

/** The citizen asks for a person. */
const PERSON_REQUEST = new PhraseMatcher([
  'gặp cán bộ', 'gặp nhân viên', 'gặp người thật', 'gặp người', 'gặp tổng đài viên', 'gặp tư vấn viên', 'gặp chuyên viên',
  'gặp công chức', 'gặp trực tiếp cán bộ', 'nói chuyện với người', 'nói chuyện với cán bộ', 'nói chuyện với nhân viên',
  'nói chuyện trực tiếp', 'trao đổi với cán bộ', 'trao đổi với người thật', 'chuyển nhân viên', 'chuyển cán bộ',
  'chuyển người thật', 'chuyển cho nhân viên', 'chuyển cho cán bộ', 'chuyển máy', 'nối máy', 'người thật', 'tổng đài viên',
  'cần người hỗ trợ', 'cần cán bộ hỗ trợ', 'cán bộ hỗ trợ trực tiếp', 'talk to a human', 'talk to human', 'talk to a person',
  'talk to someone', 'speak to a human', 'speak to someone', 'speak to a person', 'real person', 'human agent', 'live agent',
  'talk to an officer', 'talk to an agent', 'speak to an officer', 'operator', 'connect me to', 'kết nối tôi với',
  'kết nối với nhân viên', 'kết nối với cán bộ', 'nhân viên tổng đài', 'nhân viên hỗ trợ', 'cần gặp người',
]);

/** Conduct of officers or of the service that calls for a person, not for a procedure record. */
const MISCONDUCT = new PhraseMatcher([
  'hách dịch', 'gây khó dễ', 'gây khó khăn', 'làm khó', 'nhũng nhiễu', 'hạch sách', 'cửa quyền', 'vòi tiền', 'đòi tiền',
  'đòi bồi dưỡng', 'tiền bồi dưỡng', 'tiêu cực', 'thái độ', 'thô lỗ', 'quát', 'quát tháo', 'mắng', 'to tiếng', 'khó chịu',
  'không nhiệt tình', 'thiếu tôn trọng', 'bắt đợi', 'hẹn lên hẹn xuống', 'đùn đẩy', 'ăn hối lộ', 'nhận hối lộ', 'vô trách nhiệm',
  'không trả lời', 'không giải quyết', 'không tiếp', 'trễ hẹn', 'ngâm hồ sơ', 'rude', 'unhelpful', 'bribe', 'disrespectful',
]);

const STAFF = new PhraseMatcher([
  'cán bộ', 'nhân viên', 'công chức', 'viên chức', 'người tiếp dân', 'bộ phận một cửa', 'một cửa', 'phường', 'xã', 'quận',
  'trung tâm', 'công an', 'officer', 'staff', 'clerk', 'employee', 'service',
]);

const COMPLAINT_VERB = new PhraseMatcher(['khiếu nại', 'phản ánh', 'phản ảnh', 'tố cáo', 'bức xúc', 'complain', 'complaint', 'report']);

/** Words that make it a question about a complaint procedure rather than a complaint. */
const PROCEDURE_MARKER = new PhraseMatcher([
  // "hồ sơ" alone is not a marker: citizens complaining about an officer talk about their dossier.
  'thủ tục', 'quyết định hành chính', 'hành vi hành chính', 'quyết định kỷ luật', 'đơn khiếu nại', 'mẫu đơn',
  'hồ sơ khiếu nại', 'hồ sơ tố cáo', 'hồ sơ gồm', 'cần hồ sơ', 'hồ sơ cần',
  'giải quyết khiếu nại', 'giải quyết tố cáo', 'khiếu nại lần', 'thời hiệu', 'procedure', 'form',
]);

export type HandoffKind = 'request' | 'complaint';

/**
 * "cho tôi gặp cán bộ" → request; "cán bộ phường hách dịch" → complaint; "thủ tục khiếu nại
 * quyết định hành chính" → null (a procedure question: the catalogue has complaint procedures).
 */
export function detectHandoff(text: string): HandoffKind | null {
  const procedureTalk = PROCEDURE_MARKER.test(text);
  if (!procedureTalk && STAFF.test(text) && (MISCONDUCT.test(text) || COMPLAINT_VERB.test(text))) return 'complaint';
  if (!procedureTalk && MISCONDUCT.test(text) && COMPLAINT_VERB.test(text)) return 'complaint';
  if (PERSON_REQUEST.test(text)) return 'request';
  return null;
}
