import type { Language } from '../../domain/answer.js';
import { cannedReply } from '../../domain/canned-replies.js';
import type { OutboundMessage } from '../channel-sender.js';

// A Vietnamese reply nearly always carries a diacritic; the pipeline's English replies never do.
const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

/**
 * One outbound message as Zalo OA plain text: the OA customer-service text message has no quick
 * replies, so options become a numbered list answered by number, the "Gặp cán bộ" button a line
 * saying what to type, the rating buttons a "reply 1–5" prompt, citations a source line.
 */
export function renderZaloText(message: OutboundMessage): string {
  const language: Language = VIETNAMESE.test(message.text) ? 'vi' : 'en';
  const blocks: string[] = [];
  const head = message.author === 'staff' && message.staffName ? `${cannedReply('staff_signature', language, { name: message.staffName })}\n` : '';
  blocks.push(head + message.text.trim());

  const sources = (message.citations ?? [])
    .filter((c) => !message.text.includes(c.id))
    .map((c) => cannedReply('citation_line', language, { name: c.name, id: c.id }) + (c.url ? `\n${c.url}` : ''));
  if (sources.length) blocks.push(sources.join('\n'));

  if (message.options?.length) {
    // The clarification text already lists the choices by number; list them only when it does not.
    const listed = message.options.every((o, i) => message.text.includes(`${i + 1}. ${o.name}`));
    const list = listed ? '' : `${message.options.map((o, i) => `${i + 1}. ${o.name}`).join('\n')}\n`;
    blocks.push(list + cannedReply('options_reply_hint', language));
  }
  if (message.offerHandoff) blocks.push(cannedReply('handoff_text_hint', language));
  if (message.askRating) blocks.push(cannedReply('rating_text_prompt', language));
  return blocks.join('\n\n');
}
