import type { AnswerOption, Language } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { OutboundMessage } from '../channel-sender.js';
import { HANDOFF_PAYLOAD } from '../handle-inbound.js';
import { splitMessage } from '../outbound-queue.js';

/** Send API limits (developers.facebook.com/docs/messenger-platform/send-messages/quick-replies). */
export const MESSENGER_TEXT_LIMIT = 2000;
export const MAX_QUICK_REPLIES = 13;
export const QUICK_REPLY_TITLE_LIMIT = 20;

export interface QuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

/** The `message` object of one Send API request. */
export interface MessengerMessageBody {
  text: string;
  quick_replies?: QuickReply[];
}

/**
 * An outbound message as the `message` objects of one or more Send API requests: the text (with
 * the officer's name, and a source line for a cited procedure the text does not name) split to
 * 2,000 characters on sentence boundaries; quick replies, which Messenger shows under the last
 * bubble only, on the last part.
 */
export function renderMessengerMessage(message: OutboundMessage): MessengerMessageBody[] {
  const language = guessLanguage(message.text);
  let text = message.text.trim();
  if (message.author === 'staff' && message.staffName) text = `${cannedReply('staff_signature', language, { name: message.staffName })}\n${text}`;
  const sources = (message.citations ?? [])
    .filter((c) => !text.includes(c.id))
    .map((c) => `${cannedReply('citation_line', language, { name: shorten(c.name, 120), id: c.id })}${c.url ? ` ${c.url}` : ''}`);
  if (sources.length) text = `${text}\n\n${sources.join('\n')}`;

  const parts = splitMessage(text, MESSENGER_TEXT_LIMIT);
  const quickReplies = quickRepliesFor(message, language);
  if (parts.length === 0) {
    if (!quickReplies.length) return [];
    // A quick reply needs a bubble to hang from.
    parts.push('…');
  }
  return parts.map((part, i) => (i === parts.length - 1 && quickReplies.length ? { text: part, quick_replies: quickReplies } : { text: part }));
}

/** Options first (the question is waiting on them), then the officer button, then the rating. */
export function quickRepliesFor(message: OutboundMessage, language: Language = 'vi'): QuickReply[] {
  const replies: QuickReply[] = [];
  const options = message.options ?? [];
  const room = MAX_QUICK_REPLIES - (message.offerHandoff ? 1 : 0);
  const shown = options.slice(0, room);
  const titles = optionTitles(shown);
  shown.forEach((o, i) => replies.push({ content_type: 'text', title: titles[i]!, payload: o.id }));
  if (message.offerHandoff) replies.push({ content_type: 'text', title: cannedReply('button_handoff', language), payload: HANDOFF_PAYLOAD });
  if (message.askRating) {
    replies.push({ content_type: 'text', title: cannedReply('button_useful_yes', language), payload: 'RATE_USEFUL:yes' });
    replies.push({ content_type: 'text', title: cannedReply('button_useful_no', language), payload: 'RATE_USEFUL:no' });
    for (let score = 1; score <= 5; score++) replies.push({ content_type: 'text', title: `${score} ★`, payload: `RATE:${score}` });
  }
  return replies.slice(0, MAX_QUICK_REPLIES);
}

/**
 * "1. Cấp lại", "2. Đổi", "3. Cấp quốc tế" for three driving-licence procedures: the words every
 * option shares say nothing about the choice, so they go before the name is cut to 20 characters.
 * The full names are in the message text above the buttons.
 */
export function optionTitles(options: readonly AnswerOption[]): string[] {
  const words = options.map((o) => o.name.split(/\s+/).filter(Boolean));
  const key = (w: string) => w.toLowerCase().replace(/[,.;:()“”"]/g, '');
  const common = new Set<string>(
    options.length > 1 ? (words[0] ?? []).map(key).filter((k) => k && words.every((ws) => ws.some((w) => key(w) === k))) : [],
  );
  return options.map((_, i) => {
    const own = words[i]!.filter((w) => !common.has(key(w)));
    const name = (own.length ? own : words[i]!).join(' ').replace(/[\s,;:]+$/, '');
    return shorten(`${i + 1}. ${name}`, QUICK_REPLY_TITLE_LIMIT);
  });
}

/** Cut to `limit` characters (code points), at a word when one ends late enough, with "…". */
export function shorten(text: string, limit: number): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  const head = chars.slice(0, limit - 1).join('');
  const space = head.lastIndexOf(' ');
  return `${(space >= limit / 2 ? head.slice(0, space) : head).replace(/[\s,;:.]+$/, '')}…`;
}

/** Labels follow the answer's language; the pipeline answers English only in English. */
function guessLanguage(text: string): Language {
  return /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i.test(text) || !text.trim() ? 'vi' : 'en';
}
