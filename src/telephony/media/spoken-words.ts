/**
 * Word-level cues in a (partial) transcript that the turn-taking needs: is the caller only
 * backchannelling ("dạ", "vâng ạ"), and are they in the middle of reading out a number?
 */

// Acknowledgements a Vietnamese caller says while listening; they neither interrupt nor ask.
const BACKCHANNEL = new Set(['dạ', 'vâng', 'ừ', 'ừm', 'ừa', 'ờ', 'ợ', 'à', 'ạ', 'ok', 'okay', 'okê', 'ô', 'kê', 'uh', 'um', 'uhm', 'hm', 'hmm', 'ừ hử', 'hử']);

// Digits as read aloud, with their variants (mốt/tư/lăm/lẻ/linh/ngàn/bẩy) and the place words of a
// number said as a quantity ("hai mươi ba", "một nghìn").
const NUMBER_WORDS = new Set([
  'không', 'một', 'mốt', 'hai', 'ba', 'bốn', 'tư', 'năm', 'lăm', 'sáu', 'bảy', 'bẩy', 'tám', 'chín',
  'mười', 'mươi', 'trăm', 'nghìn', 'ngàn', 'triệu', 'linh', 'lẻ',
]);

/** Lower-case words of a transcript, punctuation dropped (NFC first: some recognisers send decomposed text). */
export function spokenWords(text: string): string[] {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Words that are not acknowledgements. */
export function contentWordCount(text: string): number {
  return spokenWords(text).filter((w) => !BACKCHANNEL.has(w)).length;
}

/** True for "dạ", "vâng ạ", "ừm ok"…: some words, all of them acknowledgements. */
export function isBackchannel(text: string): boolean {
  const words = spokenWords(text);
  return words.length > 0 && words.every((w) => BACKCHANNEL.has(w));
}

/**
 * True when the transcript ends while a number is being read: a token with a digit, or at least
 * two number words in a row. One number word is not enough — "không" closes most yes/no questions
 * ("có cần mang giấy tờ gì không") and "năm", "ba" are ordinary words — and waiting longer after
 * every such question would make the bot slow for everybody.
 */
export function endsInNumber(text: string): boolean {
  const words = spokenWords(text);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  if (/\p{N}/u.test(last)) return true;
  let run = 0;
  for (let i = words.length - 1; i >= 0 && NUMBER_WORDS.has(words[i]!); i--) run++;
  return run >= 2;
}
