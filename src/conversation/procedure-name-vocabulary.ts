import type { Procedure } from '../domain/procedure.js';
import { detectAspects } from '../text/aspects.js';
import { isAmbiguousUnaccented, isQuestionWord } from '../text/question-words.js';
import { fold, foldTerm, syllables } from '../text/vietnamese.js';

/** "(thực hiện tại cấp tỉnh)", "(cấp xã)", "(cấp Bộ)": a level suffix, not part of what the procedure does. */
const LEVEL_SUFFIX = /\s*\((?:thực hiện )?(?:tại )?cấp [^)]*\)\s*$/iu;

/** Syllables that only ask for an aspect ("lệ phí", "bao lâu", "giấy tờ gì") or fill the sentence. */
const ASPECT_AND_FILLER = new Set(
  [
    'lệ', 'phí', 'chi', 'tiền', 'thời', 'hạn', 'ngày', 'tháng', 'hồ', 'sơ', 'giấy', 'tờ', 'mang', 'theo', 'chuẩn', 'bị',
    'điều', 'kiện', 'trực', 'tuyến', 'online', 'mạng', 'nộp', 'đâu', 'chỗ', 'nơi', 'địa', 'chỉ', 'mấy', 'hết', 'mất',
    'trình', 'tự', 'bước', 'quy', 'cách', 'thức', 'hướng', 'dẫn', 'kết', 'quả', 'pháp', 'lý', 'còn', 'ra',
    'nhận', 'lấy', 'qua', 'trên', 'thì', 'sao', 'bao', 'lâu', 'gian', 'xử', 'giải', 'quyết',
  ].map(fold),
);

/** The name without a trailing level suffix: variants that differ only by level share it. */
export function baseName(name: string): string {
  return name.replace(LEVEL_SUFFIX, '').trim();
}

/** True for a syllable that carries no topic; accented syllables are judged before folding. */
export function isFillerSyllable(syllable: string): boolean {
  if (!isQuestionWord(syllable)) return false;
  return !(syllable === fold(syllable) && isAmbiguousUnaccented(syllable));
}

/** Folded topic syllables of a text: no question words. */
export function topicSyllables(text: string): string[] {
  return syllables(text)
    .filter((s) => !isFillerSyllable(s))
    .map(foldTerm);
}

/**
 * Folded topic syllables of a question with the aspect cue words removed too, so that "còn lệ
 * phí thì sao?" leaves nothing and "lệ phí đăng ký khai sinh" leaves "đăng ký khai sinh".
 */
export function subjectSyllables(text: string): string[] {
  const words = topicSyllables(text);
  if (detectAspects(text).length === 0) return words;
  return words.filter((s) => !ASPECT_AND_FILLER.has(s));
}

/**
 * What the catalogue's procedure names say, syllable by syllable: how rare each folded
 * syllable is across names (for IDF-weighted coverage) and each procedure's name syllables.
 */
export class ProcedureNameVocabulary {
  private readonly df = new Map<string, number>();
  private readonly names = new Map<string, ReadonlySet<string>>();
  private readonly total: number;

  constructor(procedures: Iterable<Procedure>) {
    let n = 0;
    for (const p of procedures) {
      n++;
      const set = new Set([...topicSyllables(baseName(p.name)), ...p.aliases.flatMap(topicSyllables)]);
      this.names.set(p.id, set);
      for (const s of set) this.df.set(s, (this.df.get(s) ?? 0) + 1);
    }
    this.total = Math.max(n, 1);
  }

  /** Inverse document frequency over names; a syllable no name uses weighs like the rarest. */
  idf(syllable: string): number {
    const df = this.df.get(syllable) ?? 0;
    return Math.log(1 + this.total / (df + 0.5));
  }

  /** True when some procedure name or alias uses this folded syllable. */
  known(syllable: string): boolean {
    return this.df.has(syllable);
  }

  nameSyllables(id: string): ReadonlySet<string> {
    return this.names.get(id) ?? new Set();
  }

  /** IDF-weighted share of the question's syllables that the procedure's name contains. */
  queryCoverage(querySyllables: readonly string[], id: string): number {
    const name = this.nameSyllables(id);
    let all = 0;
    let hit = 0;
    for (const s of new Set(querySyllables)) {
      const w = this.idf(s);
      all += w;
      if (name.has(s)) hit += w;
    }
    return all ? hit / all : 0;
  }
}
