import { fold } from '../text/vietnamese.js';

export type SmalltalkKind = 'greeting' | 'thanks' | 'goodbye';

const PHRASES: ReadonlyArray<readonly [SmalltalkKind, readonly string[]]> = [
  ['goodbye', ['tạm biệt', 'chào tạm biệt', 'hẹn gặp lại', 'bye', 'bye bye', 'bai bai', 'bb', 'goodbye', 'good bye', 'see you', 'see ya']],
  ['thanks', ['cảm ơn', 'cám ơn', 'cảm ơn bạn', 'camon', 'cmon', 'thanks', 'thank you', 'thank', 'thx', 'tks', 'ty', 'many thanks', 'ok cảm ơn', 'đã hiểu']],
  [
    'greeting',
    ['xin chào', 'chào', 'chào bạn', 'alo', 'a lô', 'hello', 'hi', 'hey', 'helo', 'good morning', 'good afternoon', 'good evening', 'chào buổi sáng', 'chào buổi chiều'],
  ],
];

/** Politeness and address words that may surround a greeting without making it a question. */
const FILLER = new Set(
  [
    'bạn', 'ạ', 'nhé', 'nha', 'nhá', 'em', 'anh', 'chị', 'ad', 'admin', 'bot', 'shop', 'trợ', 'lý', 'ơi', 'nhiều', 'lắm', 'rất',
    'nhiều nhé', 'nhé', 'very', 'much', 'so', 'you', 'a', 'lot', 'there', 'all', 'everyone', 'ok', 'oke', 'okay', 'vâng', 'dạ',
    'ừ', 'uh', 'thôi', 'mình', 'tôi', 'cả', 'nhà', 'công', 'chức', 'ai', 'và', 'the', 'and', 'again',
  ].map(fold),
);

const COMPILED = PHRASES.map(([kind, list]) => ({
  kind,
  re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...new Set(list.map(fold))].sort((a, b) => b.length - a.length).join('|')})(?![\\p{L}\\p{N}])`, 'gu'),
}));

/**
 * "chào bạn", "cảm ơn nhiều", "bye" → the kind; null when anything beyond greetings, thanks,
 * goodbyes and politeness is left ("chào bạn, làm căn cước ở đâu?" is a question).
 */
export function detectSmalltalk(text: string): SmalltalkKind | null {
  let rest = fold(text);
  const found = new Set<SmalltalkKind>();
  for (const { kind, re } of COMPILED) {
    rest = rest.replace(re, () => {
      found.add(kind);
      return ' ';
    });
  }
  if (found.size === 0) return null;
  const left = (rest.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !FILLER.has(w));
  if (left.length > 0) return null;
  if (found.has('goodbye')) return 'goodbye';
  if (found.has('thanks')) return 'thanks';
  return 'greeting';
}
