import { PhraseMatcher } from '../../conversation/phrase-matcher.js';
import { fold } from '../../text/vietnamese.js';

/**
 * Does the citizen want to file feedback or a complaint with the bot ("tôi muốn phản ánh",
 * "cho tôi góp ý", "kiến nghị về giờ làm việc", "tôi muốn khiếu nại về thái độ cán bộ")?
 *
 * How this sits with route-intent's handoff detector (`src/conversation/handoff.ts`), which
 * sends complaints to a person: the intake flow runs first and takes only an explicit wish to
 * file (a filing verb said as the point of the message), so that
 *  - "tôi muốn phản ánh / góp ý / kiến nghị …" and "khiếu nại về thái độ cán bộ" → a ticket;
 *  - misconduct that needs a person now (money asked for, bribes, threats, insults, shouting:
 *    `SERIOUS`) → left to the detector → an officer (outside hours, the out-of-hours offer,
 *    which keeps the complaint with whatever is left);
 *  - a grievance told without a filing verb ("cán bộ phường hách dịch quá") → the detector, as
 *    before;
 *  - questions about how or where to complain ("phản ánh ở đâu", "thủ tục khiếu nại", "mẫu đơn
 *    khiếu nại") → left to the Center's answer or the catalogue's complaint procedures.
 */
export type FeedbackKind = 'feedback' | 'complaint';

export interface FeedbackIntent {
  kind: FeedbackKind;
  /** Words the citizen said beyond the wish and the verb ("về thái độ cán bộ…"): 0 when the message is only the wish. */
  contentWords: number;
}

const FILING_VERB = /\b(phan anh|kien nghi|gop y|dong gop y kien|gui y kien|khieu nai|feedback|complain|complaint|suggestion)\b/;
/** A wish to file, before the verb: "tôi muốn", "cho tôi", "xin được", "tôi cần", "I want to". */
const WISH_BEFORE = /\b(muon|can(?! bo\b)|xin|cho (toi|minh|em)|de nghi|(toi|minh|em|chau) co|want to|would like to|wish to|like to|file a|make a|give|leave|send)\b(\s+\S+){0,3}\s*$/;
const COMPLAINT_WORDS = /\b(khieu nai|to cao|complain|complaint)\b/;
/** Misconduct that makes it a complaint rather than feedback. */
const CONDUCT = new PhraseMatcher([
  'thái độ', 'hách dịch', 'gây khó dễ', 'gây khó khăn', 'làm khó', 'cửa quyền', 'không nhiệt tình', 'thiếu tôn trọng', 'bắt đợi',
  'hẹn lên hẹn xuống', 'đùn đẩy', 'vô trách nhiệm', 'trễ hẹn', 'ngâm hồ sơ', 'rude', 'unhelpful', 'disrespectful',
]);
/** Misconduct that goes to a person, not to a ticket. */
const SERIOUS = new PhraseMatcher([
  'vòi tiền', 'đòi tiền', 'bồi dưỡng', 'hối lộ', 'nhũng nhiễu', 'hạch sách', 'tiêu cực', 'phong bì', 'chung chi', 'quát', 'quát tháo', 'mắng',
  'chửi', 'xúc phạm', 'đe dọa', 'đe doạ', 'đánh người', 'thô lỗ', 'bribe', 'threat', 'insult', 'shouted', 'yelled',
]);
/** The citizen asks how, where or with which procedure: an answer, not an intake. */
const QUESTION = new PhraseMatcher([
  'ở đâu', 'chỗ nào', 'kênh', 'qua đâu', 'thế nào', 'như thế nào', 'làm sao', 'cách nào', 'cách', 'thủ tục', 'hồ sơ khiếu nại',
  'đơn khiếu nại', 'mẫu đơn', 'quyết định hành chính', 'hành vi hành chính', 'khiếu nại lần', 'thời hiệu', 'giải quyết khiếu nại',
  'luật khiếu nại', 'where', 'how', 'procedure', 'form',
]);

/** Pronouns, greetings and particles that carry no content ("tôi", "về", "ạ"). */
const FILLER = new Set(['toi', 'minh', 'em', 'chau', 'anh', 'chi', 'ban', 'i', 'we', 'xin', 'chao', 'a', 'nhe', 'nha', 've', 'about', 'to', 'the', 'voi', 'cho', 'la', 'rang']);

export function detectFeedbackIntent(text: string): FeedbackIntent | null {
  const folded = fold(text).replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  const verb = FILING_VERB.exec(folded);
  if (!verb) return null;
  if (SERIOUS.test(text) || QUESTION.test(text) || text.includes('?')) return null;
  const before = folded.slice(0, verb.index).trim();
  // The verb opens the message ("góp ý về…", "khiếu nại thái độ…") or follows a wish ("tôi muốn…").
  const opens = before === '' || /^(toi|minh|em|chau|anh|chi|i|we|xin chao|chao)( (toi|minh|em))?$/.test(before);
  if (!opens && !WISH_BEFORE.test(before)) return null;
  const kind: FeedbackKind = COMPLAINT_WORDS.test(folded) || CONDUCT.test(text) ? 'complaint' : 'feedback';
  const wish = WISH_BEFORE.exec(before);
  const rest = `${wish ? before.slice(0, wish.index) : opens ? '' : before} ${folded.slice(verb.index + verb[0].length)}`.trim();
  const contentWords = rest.split(' ').filter((w) => w !== '' && !FILLER.has(w)).length;
  return { kind, contentWords };
}
