import { fold } from '../../text/vietnamese.js';

/**
 * Reading a citizen's short answers inside a flow: yes or no, and "stop", typed with or without
 * diacritics ("có", "co", "dạ có ạ", "đồng ý", "ko", "không đồng ý"), or by number when the
 * question numbered its answers. Whole-message readings only: "không" inside a longer sentence
 * is not a refusal.
 */

/** Politeness and pronoun words that do not change a yes or a no ("dạ có ạ", "tôi đồng ý nhé"). */
const FILLER = new Set(['a', 'da', 'vang', 'nhe', 'nha', 'nhé', 'oi', 'em', 'anh', 'chi', 'toi', 'minh', 'ban', 'roi', 'thi', 'la', 'please', 'i', 'ok']);

const YES = new Set([
  'co', 'co a', 'dong y', 'toi dong y', 'duoc', 'dung', 'dung roi', 'dung vay', 'chinh xac', 'vang', 'da', 'u', 'uh', 'um', 'ok', 'oke', 'okay',
  'yes', 'y', 'yeah', 'yep', 'sure', 'agree', 'i agree', 'correct', 'right', 'that is right', 'thats right', 'co dong y', '1',
]);
const NO = new Set([
  'khong', 'ko', 'k', 'kg', 'khg', 'hong', 'khong dong y', 'khong can', 'khong can nua', 'thoi', 'thoi khong can', 'huy', 'huy bo', 'dung lai',
  'no', 'n', 'nope', 'cancel', 'stop', 'no thanks', 'no thank you', 'i do not agree', 'i dont agree', 'disagree', '2',
]);
/** "That number is wrong": asks for the number again rather than cancelling. */
const WRONG = new Set(['sai', 'sai roi', 'nham', 'nham roi', 'nham so', 'sai so', 'khong dung', 'chua dung', 'sua', 'sua lai', 'doi so', 'so khac', 'wrong', 'not right', 'incorrect', 'wrong number']);
/** Stops a flow whatever it asked. */
const STOP = new Set(['huy', 'huy bo', 'thoi', 'thoi khong can', 'thoi khong can nua', 'thoi khoi', 'khong can', 'khong can nua', 'huy yeu cau', 'dung lai', 'cancel', 'stop', 'quit', 'exit']);

/** The message's words, folded, punctuation dropped. */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Folded words without filler; a lone filler word ("dạ", "vâng", "ok") is kept, since it is the answer. */
function core(text: string): string {
  const all = words(text);
  const kept = all.filter((w) => !FILLER.has(w));
  return (kept.length > 0 ? kept : all).join(' ');
}

export function readYesNo(text: string): 'yes' | 'no' | null {
  const c = core(text);
  if (NO.has(c)) return 'no';
  if (YES.has(c)) return 'yes';
  return null;
}

/** "sai rồi", "nhầm số": the citizen corrects what was read back. */
export function saysWrong(text: string): boolean {
  return WRONG.has(core(text));
}

/** "hủy", "thôi", "không cần nữa": leave the flow. */
export function wantsToStop(text: string): boolean {
  return STOP.has(core(text)) || readYesNo(text) === 'no';
}

/** True when the message is a short reply (a few words), the kind that answers a flow's question. */
export function isShortReply(text: string, maxWords = 4): boolean {
  return words(text).length <= maxWords;
}
