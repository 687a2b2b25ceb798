import { byId } from '../shared/dom.js';
import { messageId, openEvents, streamTurn } from './chat-api.js';
import { ChatStorage } from './chat-storage.js';
import type { ChatMessage } from './chat-types.js';
import { ChatView } from './chat-view.js';

/**
 * The citizen's chat page: sends questions, streams answers, shows the procedures cited, the
 * clarification choices, the "Gặp cán bộ" button, officers' replies, and a rating.
 */
const log = byId('log');
const status = byId('status');
const form = byId<HTMLFormElement>('composer');
const input = byId<HTMLTextAreaElement>('message');
const sendButton = byId<HTMLButtonElement>('send');
const handoffButton = byId<HTMLButtonElement>('handoff');
const rating = byId('rating');
const newChat = byId<HTMLButtonElement>('new-chat');

const view = new ChatView(log);
const store = new ChatStorage();
let events: EventSource | null = null;
let busy = false;

/** Says something to screen readers without adding it to the conversation. */
function announce(text: string): void {
  status.textContent = '';
  // A new text node each time, so the same sentence twice is read twice.
  window.setTimeout(() => (status.textContent = text), 50);
}

function setBusy(on: boolean): void {
  busy = on;
  sendButton.disabled = on;
  handoffButton.disabled = on;
  log.setAttribute('aria-busy', on ? 'true' : 'false');
}

function showMessage(message: ChatMessage, remember = true): void {
  view.message(message);
  if (remember) store.push({ role: message.author, text: message.text, message });
  if (message.options?.length) view.options(message.options, (i, o) => void send(String(i + 1), { shown: o.name }));
  if (message.offerHandoff) view.handoffOffer(() => void requestHandoff());
  if (message.askRating) showRating(true);
}

function listen(sessionId: string): void {
  if (events) return;
  events = openEvents(sessionId, store.lastEventId, (message, id) => {
    if (id && id <= store.lastEventId) return;
    if (id) store.lastEventId = id;
    showMessage(message);
    if (message.author === 'staff') announce(`Cán bộ ${message.staffName ?? ''} đã trả lời.`.replace('  ', ' '));
  });
}

interface SendOptions {
  payload?: string;
  /** What the citizen's bubble shows (an option's name rather than its number). */
  shown?: string;
}

/** Sends run one after another: a rating pressed while an answer streams waits its turn. */
let queue: Promise<void> = Promise.resolve();
function send(text: string, options: SendOptions = {}): Promise<void> {
  queue = queue.then(() => sendNow(text, options));
  return queue;
}

async function sendNow(text: string, options: SendOptions): Promise<void> {
  const message = text.trim();
  if (!message) return;
  setBusy(true);
  const shown = options.shown ?? message;
  view.user(shown);
  store.push({ role: 'user', text: shown });
  const answer = view.startAnswer();
  let written = '';
  let sessionId = store.sessionId;
  await streamTurn(
    { ...(sessionId ? { session_id: sessionId } : {}), message, ...(options.payload ? { payload: options.payload } : {}), message_id: messageId() },
    {
      meta: (id) => {
        sessionId = id;
        if (store.sessionId !== id) store.sessionId = id;
        listen(id);
      },
      delta: (piece) => {
        written += piece;
        answer.append(piece);
      },
      citations: (citations) => {
        answer.citations(citations);
        if (written.trim()) store.push({ role: 'bot', text: written, message: { author: 'bot', text: written, citations } });
      },
      replies: (replies) => {
        answer.finish();
        for (const reply of replies) showMessage(reply);
      },
      done: (done) => {
        answer.finish();
        if (answer.discardIfEmpty()) announce(done.outcome === 'forwarded' ? 'Tin nhắn đã được chuyển tới cán bộ.' : 'Đã gửi.');
        if (done.options?.length) view.options(done.options, (i, o) => void send(String(i + 1), { shown: o.name }));
        if (done.offer_handoff) view.handoffOffer(() => void requestHandoff());
        // A real answer (not a queue notice or a rating) can be rated.
        if (done.outcome === 'answered' && done.status.startsWith('answered')) showRating(false);
      },
      error: (errorText) => {
        answer.finish();
        answer.discardIfEmpty();
        showMessage({ author: 'system', text: errorText });
      },
    },
  );
  setBusy(false);
  input.focus();
}

function requestHandoff(): Promise<void> {
  return send('Gặp cán bộ', { payload: 'HANDOFF' });
}

/** The rating panel; `reset` when the conversation asks for a new rating (an officer closed it). */
function showRating(reset: boolean): void {
  if (reset) {
    rating.dataset['done'] = '';
    for (const b of rating.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', 'false');
      b.disabled = false;
    }
  }
  if (rating.dataset['done'] === 'yes') return;
  rating.hidden = false;
}

rating.addEventListener('click', (ev) => {
  const button = (ev.target as HTMLElement).closest('button');
  if (!button || button.disabled) return;
  const useful = button.dataset['useful'];
  const score = button.dataset['score'];
  const group = button.parentElement;
  for (const b of group?.querySelectorAll('button') ?? []) b.setAttribute('aria-pressed', String(b === button));
  if (useful) void send(useful === 'yes' ? 'Câu trả lời hữu ích' : 'Câu trả lời chưa hữu ích', { payload: `RATE_USEFUL:${useful}` });
  if (score) {
    for (const b of group?.querySelectorAll('button') ?? []) b.disabled = true;
    rating.dataset['done'] = 'yes';
    void send(`Đánh giá ${score}/5`, { payload: `RATE:${score}` }).then(() => {
      rating.hidden = true;
    });
  }
});

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  if (busy) {
    announce('Trợ lý đang trả lời, anh/chị vui lòng đợi.');
    return;
  }
  const text = input.value;
  if (!text.trim()) {
    announce('Anh/chị vui lòng nhập câu hỏi.');
    input.focus();
    return;
  }
  input.value = '';
  void send(text);
});

// Enter sends, Shift+Enter breaks the line (the hint under the box says so).
input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    form.requestSubmit();
  }
});

handoffButton.addEventListener('click', () => void requestHandoff());

newChat.addEventListener('click', () => {
  events?.close();
  events = null;
  store.clear();
  view.clear();
  rating.hidden = true;
  announce('Đã bắt đầu cuộc trò chuyện mới.');
  input.focus();
});

// Back after a reload (or the widget reopening): the conversation as it was, and its officer stream.
for (const item of store.items) {
  if (item.role === 'user') view.user(item.text);
  else view.message(item.message ?? { author: item.role, text: item.text });
}
if (store.sessionId) listen(store.sessionId);
if (new URLSearchParams(location.search).has('embed')) document.documentElement.classList.add('embedded');
