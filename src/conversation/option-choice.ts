import type { AnswerOption } from '../domain/answer.js';
import { fold, foldTerm, syllables } from '../text/vietnamese.js';
import { isFillerSyllable } from './procedure-name-vocabulary.js';

const ORDINALS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['1', 'mot', 'nhat', 'dau', 'first', 'one', '1st']],
  [2, ['2', 'hai', 'nhi', 'second', 'two', '2nd']],
  [3, ['3', 'ba', 'third', 'three', '3rd']],
  [4, ['4', 'bon', 'tu', 'fourth', 'four', '4th']],
  [5, ['5', 'nam', 'fifth', 'five', '5th']],
];

/** Words around a number that do not change which option is meant. */
const ORDINAL_OF: ReadonlyMap<string, number> = new Map(ORDINALS.flatMap(([n, list]) => list.map((w) => [w, n] as const)));

const NUMBER_FRAME = new Set(
  [
    'số', 'so', 'cái', 'thứ', 'phương', 'án', 'lựa', 'chọn', 'mục', 'ý', 'chọn', 'tôi', 'mình', 'em', 'lấy', 'là', 'nhé', 'nha',
    'ạ', 'thủ', 'tục', 'option', 'number', 'no', 'the', 'one', 'i', 'choose', 'pick', 'want', 'please', 'ok', 'dạ', 'vâng',
    'đó', 'này', 'đi', 'cho', 'xem', 'tiên', 'trên', 'ở',
  ].map(fold),
);

/**
 * The option a reply to a clarification picks: by number ("2", "số 2", "cái thứ hai", "the
 * first one") or by name (most of the reply's topic syllables appear in exactly one option's
 * name, e.g. "cấp xã" or "khai sinh lưu động"). Undefined when the reply picks none.
 */
export function chooseOption(text: string, options: readonly AnswerOption[]): AnswerOption | undefined {
  if (options.length === 0) return undefined;
  const words = (fold(text).match(/[\p{L}\p{N}]+/gu) ?? []);
  const byNumber = numberChoice(words, options.length);
  if (byNumber !== undefined) return options[byNumber - 1];
  return nameChoice(text, options);
}

function numberChoice(words: readonly string[], count: number): number | undefined {
  if (words.length === 0 || words.length > 6) return undefined;
  const numbers = new Set<number>();
  const hasOther = words.some((w) => w !== 'one' && ORDINAL_OF.has(w));
  for (const w of words) {
    // "the second one": "one" is a pronoun there, a number only when it stands alone.
    if (w === 'one' && hasOther) continue;
    const n = ORDINAL_OF.get(w);
    if (n !== undefined) numbers.add(n);
    else if (!NUMBER_FRAME.has(w)) return undefined;
  }
  if (numbers.size !== 1) return undefined;
  const [n] = numbers;
  return n! <= count ? n : undefined;
}

function topic(text: string): Set<string> {
  return new Set(
    syllables(text)
      .filter((s) => !isFillerSyllable(s))
      .map(foldTerm)
      .filter((s) => !NUMBER_FRAME.has(s)),
  );
}

function nameChoice(text: string, options: readonly AnswerOption[]): AnswerOption | undefined {
  const asked = topic(text);
  if (asked.size === 0) return undefined;
  const scored = options.map((o) => {
    const name = topic(o.name);
    let hit = 0;
    for (const s of asked) if (name.has(s)) hit++;
    // Ties between options are broken by how much of the name the reply says.
    return { o, share: hit / asked.size, hit, tie: name.size ? hit / name.size : 0 };
  });
  scored.sort((a, b) => b.share - a.share || b.tie - a.tie);
  const [best, second] = scored;
  if (!best || best.share < 0.6 || best.hit === 0) return undefined;
  if (second && second.share === best.share && second.tie === best.tie) return undefined;
  // Matching a syllable every option shares ("đăng ký") does not pick one.
  if (second && second.share === best.share && best.hit < 2) return undefined;
  return best.o;
}
