import { isQuestionWord } from '../text/question-words.js';
import { foldTerm, hasDiacritics, syllables } from '../text/vietnamese.js';
import type { CenterKnowledge, CenterTopic } from './center-knowledge.js';

/**
 * Words that make a message about the Center itself. Citizens name it many ways ("trung tâm",
 * "bộ phận một cửa", "bên mình") or name one of its channels (the hotline, iHanoi, agents).
 */
const CENTER_MARKERS = [
  'trung tâm', 'hành chính công', 'phục vụ hành chính', 'bộ phận một cửa', 'một cửa', 'bộ phận tiếp nhận', 'chi nhánh',
  'điểm phục vụ', 'tổng đài', 'hotline', 'đường dây nóng', 'ihanoi', 'i hanoi', 'công dân thủ đô số', 'đại lý dịch vụ công',
  'bên mình', 'bên bạn', 'bên em', 'bên trung tâm', 'chỗ mình', 'center', 'centre', 'one stop', 'your office',
];

/**
 * "trung tâm" followed by these is another centre (health, vehicle inspection, job centre…),
 * whose hours or address the assistant does not know: such a message is not about the Center.
 */
const OTHER_CENTRES = [
  'y tế', 'đăng kiểm', 'giáo dục', 'bảo trợ', 'trợ giúp pháp lý', 'thương mại', 'ngoại ngữ', 'tiếng anh', 'đào tạo',
  'sát hạch', 'kiểm định', 'quan trắc', 'phát triển quỹ đất', 'công tác xã hội', 'dịch vụ việc làm', 'giới thiệu việc làm',
  'văn hóa', 'thể thao', 'hội nghị', 'điều dưỡng', 'cai nghiện', 'bảo hành', 'tiêm chủng', 'xét nghiệm', 'dạy nghề',
  'luyện thi', 'mua sắm', 'kiểm soát bệnh tật', 'chăm sóc', 'gia sư', 'tin học',
];

/**
 * Places and offices other than the Center, and the subjects of procedures. Outside the cue
 * that matched, any of these means the question is about that place or procedure: "công an
 * phường mấy giờ mở cửa", "đăng ký khai sinh nộp ở đâu gần nhà" go to retrieval, not here.
 * Written with diacritics and compared syllable by syllable (see `sameSyllable`).
 */
const OTHER_PLACES = [
  'công an', 'ngân hàng', 'bưu điện', 'bệnh viện', 'trạm y tế', 'phòng khám', 'trường', 'tòa án', 'toà án', 'viện kiểm sát',
  'văn phòng công chứng', 'phòng công chứng', 'sở', 'cục', 'chi cục', 'đại sứ quán', 'lãnh sự', 'siêu thị', 'chợ', 'cửa hàng',
  'nhà hàng', 'quán', 'bảo hiểm xã hội', 'cơ quan thuế', 'chi cục thuế', 'kho bạc',
];

const PROCEDURE_SUBJECTS = [
  'khai sinh', 'khai tử', 'kết hôn', 'ly hôn', 'hôn nhân', 'hộ chiếu', 'căn cước', 'cccd', 'cmnd', 'chứng minh', 'định danh',
  'sổ đỏ', 'sổ hồng', 'giấy chứng nhận', 'quyền sử dụng', 'đất', 'đất đai', 'thửa', 'nhà ở', 'mua nhà', 'bán nhà', 'xây dựng',
  'giấy phép', 'kinh doanh', 'hộ kinh doanh', 'thành lập', 'thường trú', 'tạm trú', 'tạm vắng', 'hộ khẩu', 'cư trú', 'chứng thực',
  'công chứng', 'bản sao', 'lý lịch', 'lí lịch', 'tư pháp', 'bằng lái', 'lái xe', 'xe máy', 'ô tô', 'biển số', 'đăng ký xe',
  'sang tên', 'thuế', 'mã số thuế', 'bảo hiểm', 'bhxh', 'bhyt', 'trợ cấp', 'lương hưu', 'hưu trí', 'con nuôi', 'giám hộ',
  'hộ tịch', 'trích lục', 'visa', 'thị thực', 'đầu tư', 'quốc tịch', 'văn bằng', 'chứng chỉ', 'hành nghề', 'an toàn thực phẩm',
  'mai táng', 'tử tuất', 'người có công', 'khuyết tật', 'hộ nghèo', 'thất nghiệp', 'lao động', 'phòng cháy', 'môi trường',
  'quảng cáo', 'rượu', 'thuốc lá', 'karaoke', 'khám bệnh', 'khám chữa bệnh', 'tốt nghiệp', 'nhập học', 'chuyển trường',
  'đăng ký kinh doanh', 'giấy khai sinh', 'công ty', 'doanh nghiệp', 'passport', 'birth', 'marriage', 'land', 'driving', 'licence', 'license', 'visa',
  'residence', 'identity card', 'id card', 'business',
];

/** English function words: they neither make a cue specific nor count as a topic of their own. */
const ENGLISH_FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'is', 'are', 'do', 'does', 'i', 'you', 'your', 'can', 'what', 'how', 'where', 'when', 'to', 'of', 'in',
  'on', 'at', 'for', 'my', 'me', 'please', 'there', 'it', 'we',
]);

/** Words that frame a question about the Center without adding a topic of their own. */
const FRAME_WORDS = new Set(
  [
    'hà', 'nội', 'hanoi', 'hn', 'thành', 'phố', 'tp', 'nộp', 'hồ', 'sơ', 'giấy', 'tờ', 'thủ', 'tục', 'hành', 'chính', 'công',
    'dịch', 'vụ', 'phục', 'trung', 'tâm', 'bạn', 'tôi', 'mình', 'em', 'anh', 'chị', 'ơi', 'ạ', 'nhé', 'nha', 'vậy', 'thế',
    'thì', 'là', 'gì', 'nào', 'sao', 'không', 'ko', 'k', 'có', 'được', 'hỏi', 'xin', 'cho', 'biết', 'muốn', 'cần', 'làm',
    'việc', 'giờ', 'hôm', 'nay', 'mai', 'sáng', 'chiều', 'người', 'dân', 'ở', 'tại', 'đến', 'đi', 'lên', 'của', 'với', 'và',
    'hay', 'như', 'nào', 'cách', 'thức', 'hướng', 'dẫn', 'bây', 'hiện', 'đang', 'vui', 'lòng', 'giúp', 'ai', 'đâu', 'mấy',
    'bao', 'nhiêu', ...ENGLISH_FUNCTION_WORDS,
  ].map(foldTerm),
);

/** A message with more topic words than this beyond the cue is about something else too. */
const MAX_LEFTOVER_WORDS = 3;
/** "trung tâm có nhận hồ sơ đăng ký kinh doanh online không" still asks what the Center does. */
const MAX_LEFTOVER_WORDS_WITH_PROCEDURE = 8;

interface Phrase {
  accented: string[];
  folded: string[];
  /**
   * One accented syllable ("sở", "đất", "chợ"): its folded form is too often another word
   * ("hồ sơ", "đặt", "chờ"), so it is only matched where the citizen typed the accents.
   */
  accentedOnly: boolean;
}

interface CompiledCue extends Phrase {
  standalone: boolean;
  /** Longer and more specific cues win: "giờ làm việc" beats "là gì". */
  score: number;
}

interface CompiledTopic {
  topic: CenterTopic;
  cues: CompiledCue[];
}

interface Tokens {
  accented: string[];
  folded: string[];
  /** Per syllable: typed with accents. */
  accentedAt: boolean[];
}

/** `strict`: a one-syllable accented phrase is matched only where the citizen typed accents. */
function phrase(text: string, strict = false): Phrase {
  const accented = syllables(text);
  return { accented, folded: accented.map(foldTerm), accentedOnly: strict && accented.length === 1 && hasDiacritics(text) };
}

const MARKERS = CENTER_MARKERS.map((p) => phrase(p));
const OTHER_CENTRE_PHRASES = OTHER_CENTRES.map((p) => phrase(p));
const FOREIGN = [...OTHER_PLACES, ...PROCEDURE_SUBJECTS].map((p) => phrase(p, true));
const OTHER_PLACE_PHRASES = OTHER_PLACES.map((p) => phrase(p, true));
const TRUNG_TAM = phrase('trung tâm');

/** Cues compiled once per loaded knowledge object. */
const COMPILED = new WeakMap<CenterKnowledge, CompiledTopic[]>();

function compile(knowledge: CenterKnowledge): CompiledTopic[] {
  let compiled = COMPILED.get(knowledge);
  if (!compiled) {
    compiled = knowledge.topics.map((topic) => ({
      topic,
      cues: [
        ...topic.cues.map((c) => ({ ...phrase(c), standalone: false })),
        ...topic.standaloneCues.map((c) => ({ ...phrase(c), standalone: true })),
      ]
        .filter((c) => c.folded.length > 0)
        .map((c) => ({ ...c, score: cueScore(c.folded) })),
    }));
    COMPILED.set(knowledge, compiled);
  }
  return compiled;
}

/** Words that carry meaning count ten times a question word; length breaks ties. */
function cueScore(folded: string[]): number {
  return folded.filter((s) => !isQuestionWord(s) && !ENGLISH_FUNCTION_WORDS.has(s)).length * 10 + folded.length;
}

/** The y-vowels as i-vowels: "ký"/"kí", "lý"/"lí" are the same word spelled two ways. */
function iy(syllable: string): string {
  return syllable.replace(/[yýỳỷỹỵ]/g, (ch) => 'iíìỉĩị'['yýỳỷỹỵ'.indexOf(ch)]!);
}

/**
 * One message syllable against one phrase syllable. A syllable typed without accents matches
 * any accented form ("ho" is hộ, hồ, họ); one typed with accents must match them ("hồ" is not
 * "hộ"), so "nộp hồ sơ" never reads as "nộp hộ". Judged per syllable because citizens often
 * accent only some words.
 */
function sameSyllable(tokens: Tokens, i: number, p: Phrase, j: number): boolean {
  if (tokens.folded[i] !== p.folded[j]) return false;
  if (!tokens.accentedAt[i]) return !p.accentedOnly;
  return iy(tokens.accented[i]!) === iy(p.accented[j]!);
}

/** Start positions where `p` occurs in the message. */
function occurrences(tokens: Tokens, p: Phrase): number[] {
  const n = p.folded.length;
  const out: number[] = [];
  if (n === 0) return out;
  outer: for (let i = 0; i + n <= tokens.folded.length; i++) {
    for (let j = 0; j < n; j++) if (!sameSyllable(tokens, i + j, p, j)) continue outer;
    out.push(i);
  }
  return out;
}

/** Positions of the Center's names and channels. */
function markerSpans(tokens: Tokens): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of MARKERS) {
    for (const at of occurrences(tokens, m)) spans.push([at, at + m.folded.length]);
  }
  return spans;
}

/** True when another centre is named ("trung tâm đăng kiểm"). */
function namesOtherCentre(tokens: Tokens): boolean {
  return occurrences(tokens, TRUNG_TAM).some((at) =>
    OTHER_CENTRE_PHRASES.some((o) => occurrences(tokens, o).includes(at + TRUNG_TAM.folded.length)),
  );
}

function covered(spans: ReadonlyArray<readonly [number, number]>, from: number, to: number): boolean {
  return spans.some(([s, e]) => s <= from && to <= e);
}

interface Candidate {
  topic: CenterTopic;
  cue: CompiledCue;
  span: [number, number];
}

/**
 * The Center topic a message asks about, or null when it is not about the Center (or is a
 * procedure question that mentions it: those go to retrieval, which knows the procedure).
 *
 * A topic is chosen by its best cue. Ordinary cues count only when the message names the
 * Center or one of its channels; standalone cues ("giờ làm việc", "iHanoi", "lấy số thứ tự")
 * count alone. Either way the rest of the message must not name a procedure or another office,
 * and must not carry more than a few words of its own.
 */
export function matchCenterTopic(text: string, knowledge: CenterKnowledge | null): CenterTopic | null {
  if (!knowledge) return null;
  const accented = syllables(text);
  if (accented.length === 0) return null;
  const folded = accented.map(foldTerm);
  const tokens: Tokens = { accented, folded, accentedAt: accented.map((s, i) => s !== folded[i] && hasDiacritics(s)) };
  if (namesOtherCentre(tokens)) return null;

  const markers = markerSpans(tokens);
  const aboutCenter = markers.length > 0;
  const candidates: Candidate[] = [];
  for (const { topic, cues } of compile(knowledge)) {
    let best: Candidate | null = null;
    for (const cue of cues) {
      if (!cue.standalone && !aboutCenter) continue;
      const at = occurrences(tokens, cue)[0];
      if (at === undefined) continue;
      if (!best || cue.score > best.cue.score) best = { topic, cue, span: [at, at + cue.folded.length] };
    }
    if (best) candidates.push(best);
  }
  // Stable: equal scores keep the file's order, so staff decide ties by ordering topics.
  candidates.sort((a, b) => b.cue.score - a.cue.score);
  return candidates.find((c) => fitsOnlyTheCenter(tokens, markers, c))?.topic ?? null;
}

/** The rule that keeps procedure questions out: nothing else of substance in the message. */
function fitsOnlyTheCenter(tokens: Tokens, markers: ReadonlyArray<readonly [number, number]>, c: Candidate): boolean {
  const spans = [...markers, c.span];
  const allowProcedure = c.topic.allowsProcedureMention;
  const foreign = allowProcedure ? OTHER_PLACE_PHRASES : FOREIGN;
  for (const f of foreign) {
    for (const at of occurrences(tokens, f)) {
      if (!covered(spans, at, at + f.folded.length)) return false;
    }
  }
  let leftover = 0;
  tokens.folded.forEach((s, i) => {
    if (covered(spans, i, i + 1) || FRAME_WORDS.has(s) || isQuestionWord(s) || /^\d+$/.test(s)) return;
    leftover++;
  });
  return leftover <= (allowProcedure ? MAX_LEFTOVER_WORDS_WITH_PROCEDURE : MAX_LEFTOVER_WORDS);
}
