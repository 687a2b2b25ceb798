import { clock, h, safeHref } from '../shared/dom.js';
import type { AnswerOption, ChatMessage, Citation } from './chat-types.js';

const AUTHOR: Record<ChatMessage['author'] | 'user', string> = {
  user: 'Anh/chị',
  bot: 'Trợ lý',
  staff: 'Cán bộ',
  system: 'Thông báo',
};

/** A bot answer being written as its pieces arrive. */
export interface StreamingAnswer {
  element: HTMLElement;
  append(text: string): void;
  citations(citations: Citation[]): void;
  /** Marks the answer complete: screen readers read it now, once, instead of piece by piece. */
  finish(): void;
  /** Removes an answer that never got any text (a message forwarded to an officer). */
  discardIfEmpty(): boolean;
}

/** Renders the conversation into the `role=log` region. */
export class ChatView {
  constructor(private readonly log: HTMLElement) {}

  user(text: string): HTMLElement {
    return this.add(this.bubble('user', text));
  }

  /** An empty bot bubble, busy until `finish()`. */
  startAnswer(): StreamingAnswer {
    const text = h('p', { class: 'msg-text' });
    const el = this.bubble('bot', '', text);
    el.setAttribute('aria-busy', 'true');
    el.classList.add('msg-streaming');
    this.add(el);
    let written = '';
    return {
      element: el,
      append: (piece) => {
        written += piece;
        text.textContent = written;
        this.scroll();
      },
      citations: (citations) => {
        const list = citationList(citations);
        if (list) el.append(list);
      },
      finish: () => {
        el.removeAttribute('aria-busy');
        el.classList.remove('msg-streaming');
        this.scroll();
      },
      discardIfEmpty: () => {
        if (written.trim()) return false;
        el.remove();
        return true;
      },
    };
  }

  /** A whole message: a further reply of a turn, or one from the officer's event stream. */
  message(message: ChatMessage): HTMLElement {
    const el = this.bubble(message.author, message.text, undefined, message.author === 'staff' ? message.staffName : undefined, message.at);
    const list = citationList(message.citations ?? []);
    if (list) el.append(list);
    return this.add(el);
  }

  /** Clarification choices as buttons; pressing one sends its number. */
  options(options: AnswerOption[], onChoose: (index: number, option: AnswerOption) => void): HTMLElement {
    const group = h('div', { class: 'options', role: 'group', 'aria-label': 'Chọn thủ tục' });
    options.forEach((option, i) => {
      const button = h('button', { type: 'button', class: 'option' }, h('span', { class: 'option-number' }, `${i + 1}.`), ` ${option.name}`);
      button.addEventListener('click', () => {
        for (const b of group.querySelectorAll('button')) b.disabled = true;
        button.setAttribute('aria-pressed', 'true');
        onChoose(i, option);
      });
      group.append(button);
    });
    return this.add(group);
  }

  /** An inline "Gặp cán bộ" offer under an answer the assistant could not give. */
  handoffOffer(onPress: () => void): HTMLElement {
    const button = h('button', { type: 'button', class: 'secondary inline-handoff' }, 'Gặp cán bộ');
    button.addEventListener('click', () => {
      button.disabled = true;
      onPress();
    });
    return this.add(h('div', { class: 'offer' }, button));
  }

  clear(): void {
    for (const el of [...this.log.children]) if (!el.classList.contains('msg-welcome')) el.remove();
  }

  private bubble(author: ChatMessage['author'] | 'user', text: string, textEl?: HTMLElement, staffName?: string, at?: string): HTMLElement {
    const name = author === 'staff' && staffName ? `${AUTHOR.staff} ${staffName}` : AUTHOR[author];
    return h(
      'div',
      { class: `msg msg-${author}` },
      h('p', { class: 'msg-author' }, name, h('span', { class: 'msg-time' }, ` · ${clock(at)}`)),
      textEl ?? h('p', { class: 'msg-text' }, text),
    );
  }

  private add<T extends HTMLElement>(el: T): T {
    this.log.append(el);
    this.scroll();
    return el;
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

/** "Nguồn:" with each cited procedure as a link to its page on the national portal. */
function citationList(citations: Citation[]): HTMLElement | null {
  if (!citations.length) return null;
  const list = h('ul', { class: 'citations', 'aria-label': 'Nguồn' });
  for (const c of citations) {
    const href = safeHref(c.url);
    const label = `${c.name} (mã ${c.id})`;
    list.append(
      h('li', {}, href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'citation' }, label, h('span', { class: 'visually-hidden' }, ' (mở trang mới)')) : label),
    );
  }
  return h('div', { class: 'sources' }, h('p', { class: 'sources-title' }, 'Nguồn:'), list);
}
