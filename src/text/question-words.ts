import { fold } from './vietnamese.js';

/**
 * Syllables that carry no topic in a citizen's question: pronouns, question words, politeness,
 * fillers. They are dropped as single terms but still form bigrams with their neighbours, where
 * IDF decides ("tôi muốn" is in no procedure name and scores nothing).
 */
const QUESTION_WORDS = [
  'tôi', 'mình', 'em', 'anh', 'chị', 'chúng', 'tụi', 'bạn', 'ạ', 'ơi', 'nhé', 'nha', 'vậy', 'thì', 'là', 'gì', 'nào', 'sao',
  'thế', 'nào', 'bao', 'nhiêu', 'lâu', 'đâu', 'không', 'có', 'được', 'phải', 'cần', 'muốn', 'làm', 'những', 'các', 'và',
  'hay', 'hoặc', 'để', 'với', 'của', 'ở', 'tại', 'thủ', 'tục', 'như', 'giờ', 'hiện', 'nay', 'mới', 'vừa', 'đang', 'sẽ',
  'đã', 'rồi', 'nữa', 'thêm', 'đi', 'gồm', 'bị', 'do', 'khi', 'nếu', 'mà', 'này', 'đó',
  'kia', 'ai', 'họ', 'ông', 'bà', 'cô', 'chú', 'hỏi', 'xin', 'giúp', 'cho', 'biết', 'ạ', 'à', 'ư',
  'nhỉ', 'chứ', 'cũng', 'rất', 'lắm', 'quá', 'thật', 'cái', 'chiếc', 'hiện', 'tại', 'trước',
  'đây', 'kể', 'từ', 
] as const;

const ACCENTED = new Set<string>(QUESTION_WORDS);
// Folded forms cover unaccented questions; "co" also folds "cơ", but "cơ quan" survives as a bigram.
const FOLDED = new Set<string>(QUESTION_WORDS.map(fold));

/** True when the syllable carries no topic. Accented syllables are checked exactly. */
export function isQuestionWord(syllable: string): boolean {
  return syllable === fold(syllable) ? FOLDED.has(syllable) : ACCENTED.has(syllable);
}

/**
 * Unaccented syllables that fold like a question word but, in the catalogue, are far more
 * often a topic word: "chung" (chứng thực), "ban" (bản sao), "ho" (hộ tịch), "the" (thẻ),
 * "dang" (đăng ký), "tu" (tư pháp). Derived from the catalogue's procedure names: the folded
 * question words that stand, with other accents, in 20 or more of the 2,849 names.
 */
const AMBIGUOUS_UNACCENTED = new Set([
  'dang', 'chung', 'tu', 'bao', 'co', 'dau', 'tai', 'ho', 'nha', 'ban', 'de', 'do', 'hoi', 'chu', 'chi', 'the',
  'moi', 'thu', 'ke', 'can', 'khi', 'cua', 'thi', 'qua', 'ma', 'biet', 'cai', 'nhung', 'lam',
]);

/** True for an unaccented syllable that may well be a topic word although it folds like a question word. */
export function isAmbiguousUnaccented(syllable: string): boolean {
  return AMBIGUOUS_UNACCENTED.has(syllable);
}
