import { byId, clock, h } from '../shared/dom.js';
import { renderStaffNav } from '../shared/staff-nav.js';
import { api, ApiError, type ConversationDetail, type ConversationView, type Staff, type Ticket } from './console-api.js';
import { AUTHORS, CHANNELS, label, REASONS, STATUSES, TICKET_KINDS } from './console-labels.js';

/**
 * The staff console: login, the live queue, a conversation (the bot's transcript, then the
 * officer's exchange), claim / reply / hand back / close, and the open tickets.
 */
const el = {
  login: byId('login'),
  loginForm: byId<HTMLFormElement>('login-form'),
  username: byId<HTMLInputElement>('username'),
  password: byId<HTMLInputElement>('password'),
  loginError: byId('login-error'),
  app: byId('app'),
  who: byId('who'),
  whoName: byId('who-name'),
  logout: byId<HTMLButtonElement>('logout'),
  announce: byId('announce'),
  live: byId('live'),
  queue: byId<HTMLUListElement>('queue'),
  queueCount: byId('queue-count'),
  queueEmpty: byId('queue-empty'),
  detailTitle: byId('detail-title'),
  detailEmpty: byId('detail-empty'),
  detailBody: byId('detail-body'),
  detailMeta: byId('detail-meta'),
  transcript: byId<HTMLOListElement>('transcript'),
  messages: byId<HTMLOListElement>('messages'),
  claim: byId<HTMLButtonElement>('claim'),
  release: byId<HTMLButtonElement>('release'),
  replyForm: byId<HTMLFormElement>('reply-form'),
  replyText: byId<HTMLTextAreaElement>('reply-text'),
  closeForm: byId<HTMLFormElement>('close-form'),
  outcome: byId<HTMLSelectElement>('outcome'),
  detailError: byId('detail-error'),
  tickets: byId<HTMLUListElement>('tickets'),
  ticketsCount: byId('tickets-count'),
  ticketsEmpty: byId('tickets-empty'),
};

let me: Staff | null = null;
let selected: string | null = null;
let current: ConversationDetail | null = null;
let events: EventSource | null = null;
let ticketTimer: number | undefined;

function announce(text: string): void {
  el.announce.textContent = '';
  window.setTimeout(() => (el.announce.textContent = text), 50);
}

function showError(target: HTMLElement, err: unknown): void {
  if (err instanceof ApiError && err.status === 401) return signedOut();
  const messages: Record<number, string> = {
    403: 'Anh/chị không có quyền thực hiện thao tác này (cuộc trò chuyện do cán bộ khác xử lý).',
    409: 'Cuộc trò chuyện đã thay đổi trạng thái (có thể cán bộ khác đã nhận). Danh sách đã được cập nhật.',
  };
  target.textContent = err instanceof ApiError ? (messages[err.status] ?? `Lỗi: ${err.message}`) : 'Không kết nối được máy chủ.';
}

// ---------- login ----------

function signedIn(staff: Staff): void {
  me = staff;
  el.login.hidden = true;
  el.app.hidden = false;
  el.who.hidden = false;
  // The other staff pages (statistics, gaps, answer review) use the same login.
  byId('staff-nav').hidden = false;
  renderStaffNav('console');
  el.whoName.textContent = `${staff.name} (${staff.role === 'supervisor' ? 'giám sát' : 'cán bộ'})`;
  connect();
  void refreshQueue();
  void refreshTickets();
  window.clearInterval(ticketTimer);
  // Tickets have no live event: a look every 30 s is enough for messages left out of hours.
  ticketTimer = window.setInterval(() => void refreshTickets(), 30_000);
}

function signedOut(): void {
  me = null;
  events?.close();
  events = null;
  window.clearInterval(ticketTimer);
  selected = null;
  current = null;
  el.app.hidden = true;
  el.who.hidden = true;
  el.login.hidden = false;
  el.password.value = '';
  el.username.focus();
}

el.loginForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  el.loginError.textContent = '';
  api<{ staff: Staff }>('POST', '/api/v1/console/login', { username: el.username.value.trim(), password: el.password.value })
    .then(({ staff }) => {
      el.password.value = '';
      signedIn(staff);
      announce(`Đã đăng nhập: ${staff.name}.`);
      el.queue.querySelector('button')?.focus();
    })
    .catch((err: unknown) => {
      el.loginError.textContent =
        err instanceof ApiError && err.status === 429 ? 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.' : err instanceof ApiError ? 'Sai tên đăng nhập hoặc mật khẩu.' : 'Không kết nối được máy chủ.';
      el.password.focus();
    });
});

el.logout.addEventListener('click', () => {
  void api('POST', '/api/v1/console/logout').finally(signedOut);
});

// ---------- live events ----------

function connect(): void {
  events?.close();
  events = new EventSource('/api/v1/console/events');
  events.addEventListener('open', () => (el.live.textContent = 'Đang cập nhật trực tiếp.'));
  events.addEventListener('error', () => {
    el.live.textContent = 'Mất kết nối, đang kết nối lại…';
    // A stream that ends because the login expired: find out, and show the login form.
    api<{ staff: Staff }>('GET', '/api/v1/console/me').catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) signedOut();
    });
  });
  for (const type of ['queued', 'claimed', 'returned', 'closed', 'message', 'positions']) {
    events.addEventListener(type, (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as { conversation?: ConversationView };
      scheduleQueueRefresh();
      if (type === 'queued') announce('Có công dân mới trong hàng chờ.');
      if (data.conversation && data.conversation.id === selected) void openConversation(selected, false);
    });
  }
}

let queueRefresh: number | undefined;
function scheduleQueueRefresh(): void {
  window.clearTimeout(queueRefresh);
  queueRefresh = window.setTimeout(() => void refreshQueue(), 150);
}

// ---------- queue ----------

async function refreshQueue(): Promise<void> {
  let conversations: ConversationView[];
  try {
    ({ conversations } = await api<{ conversations: ConversationView[] }>('GET', '/api/v1/console/queue'));
  } catch (err) {
    return showError(el.live, err);
  }
  const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.['id'];
  el.queue.replaceChildren(
    ...conversations.map((c) => {
      const open = h(
        'button',
        { type: 'button', class: 'item-open', 'data-id': c.id, 'aria-current': c.id === selected ? 'true' : undefined },
        h('span', { class: 'item-title' }, `${label(CHANNELS, c.channel)} · ${label(REASONS, c.reason)}`),
        h('span', { class: 'item-sub' }, h('span', { class: `badge ${c.status}` }, label(STATUSES, c.status)), c.position ? ` · vị trí ${c.position}` : '', c.claimedBy ? ` · ${c.claimedBy.name}` : '', ` · từ ${clock(c.waitingSince)}`),
        c.lastMessage ? h('span', { class: 'item-sub' }, `${label(AUTHORS, c.lastMessage.author)}: ${c.lastMessage.text}`) : null,
      );
      open.addEventListener('click', () => void openConversation(c.id, true));
      return h('li', { class: c.id === selected ? 'selected' : undefined }, open);
    }),
  );
  el.queueCount.textContent = `(${conversations.length})`;
  el.queueEmpty.hidden = conversations.length > 0;
  // Re-rendering must not throw the keyboard user's focus away.
  if (focusedId) (el.queue.querySelector(`[data-id="${CSS.escape(focusedId)}"]`) as HTMLElement | null)?.focus();
}

// ---------- a conversation ----------

async function openConversation(id: string, moveFocus: boolean): Promise<void> {
  selected = id;
  el.detailError.textContent = '';
  try {
    current = await api<ConversationDetail>('GET', `/api/v1/console/conversations/${encodeURIComponent(id)}`);
  } catch (err) {
    return showError(el.detailError, err);
  }
  renderDetail(current);
  for (const li of el.queue.querySelectorAll('li')) li.classList.toggle('selected', li.querySelector('button')?.dataset['id'] === id);
  if (moveFocus) el.detailTitle.focus();
}

function renderDetail({ conversation: c, transcript, messages }: ConversationDetail): void {
  el.detailEmpty.hidden = true;
  el.detailBody.hidden = false;
  el.detailTitle.textContent = `Cuộc trò chuyện — ${label(CHANNELS, c.channel)}`;
  const row = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
  el.detailMeta.replaceChildren(
    ...row('Trạng thái', label(STATUSES, c.status) + (c.position ? ` (vị trí ${c.position})` : '')),
    ...row('Lý do', label(REASONS, c.reason)),
    ...row('Chờ từ', clock(c.waitingSince)),
    ...row('Thủ tục', c.procedureIds.length ? c.procedureIds.join(', ') : '—'),
    ...row('Cán bộ', c.claimedBy?.name ?? '—'),
  );
  el.transcript.replaceChildren(
    ...transcript.map((t) => h('li', { class: `from-${t.role}` }, h('span', { class: 'who-label' }, `${label(AUTHORS, t.role)}${t.at ? ` · ${clock(t.at)}` : ''}`), t.text)),
  );
  if (!transcript.length) el.transcript.append(h('li', {}, 'Không có.'));
  const previous = el.messages.children.length;
  el.messages.replaceChildren(
    ...messages.map((m) =>
      h('li', { class: `from-${m.author}` }, h('span', { class: 'who-label' }, `${m.author === 'staff' && m.staffName ? `Cán bộ ${m.staffName}` : label(AUTHORS, m.author)} · ${clock(m.at)}`), m.text),
    ),
  );
  if (messages.length > previous && messages.at(-1)?.author === 'citizen') announce('Công dân vừa nhắn thêm.');
  el.messages.scrollTop = el.messages.scrollHeight;

  const mine = c.status === 'claimed' && c.claimedBy?.id === me?.id;
  const supervisor = me?.role === 'supervisor';
  el.claim.hidden = c.status !== 'waiting';
  el.release.hidden = !(mine || (supervisor && c.status === 'claimed'));
  el.replyForm.hidden = !mine;
  el.closeForm.hidden = !(mine || (supervisor && (c.status === 'claimed' || c.status === 'waiting')));
}

async function act(path: string, body: unknown, done: string): Promise<boolean> {
  if (!selected) return false;
  el.detailError.textContent = '';
  try {
    await api('POST', `/api/v1/console/conversations/${encodeURIComponent(selected)}/${path}`, body);
    announce(done);
    return true;
  } catch (err) {
    showError(el.detailError, err);
    return false;
  } finally {
    await openConversation(selected, false);
    void refreshQueue();
  }
}

el.claim.addEventListener('click', () => {
  void act('claim', undefined, 'Đã nhận xử lý cuộc trò chuyện.').then((ok) => ok && el.replyText.focus());
});

el.release.addEventListener('click', () => {
  void act('release', undefined, 'Đã trả cuộc trò chuyện lại cho trợ lý.');
});

el.replyForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = el.replyText.value.trim();
  if (!text) {
    el.detailError.textContent = 'Nhập nội dung trả lời.';
    el.replyText.focus();
    return;
  }
  void act('messages', { text }, 'Đã gửi trả lời.').then((ok) => {
    if (ok) el.replyText.value = '';
    el.replyText.focus();
  });
});

el.replyText.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) el.replyForm.requestSubmit();
});

el.closeForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void act('close', { outcome: el.outcome.value }, 'Đã kết thúc cuộc trò chuyện.');
});

// ---------- tickets ----------

async function refreshTickets(): Promise<void> {
  let tickets: Ticket[];
  try {
    ({ tickets } = await api<{ tickets: Ticket[] }>('GET', '/api/v1/console/tickets?status=open'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signedOut();
    return;
  }
  el.tickets.replaceChildren(
    ...tickets.map((t) => {
      const noteId = `note-${t.id}`;
      const note = h('input', { id: noteId, class: 'ticket-note', maxlength: 500 });
      const done = h('button', { type: 'button' }, 'Đã xử lý');
      done.setAttribute('aria-label', `Đánh dấu đã xử lý: ${label(TICKET_KINDS, t.kind)} lúc ${clock(t.createdAt)}`);
      done.addEventListener('click', () => {
        done.disabled = true;
        api('POST', `/api/v1/console/tickets/${encodeURIComponent(t.id)}/done`, { note: note.value.trim() || undefined })
          .then(() => announce('Đã đánh dấu phiếu là đã xử lý.'))
          .catch((err: unknown) => showError(el.live, err))
          .finally(() => void refreshTickets());
      });
      return h(
        'li',
        {},
        h('span', { class: 'item-title' }, `${label(TICKET_KINDS, t.kind)} · ${label(CHANNELS, t.channel)} · ${clock(t.createdAt)}`),
        h('span', { class: 'item-sub' }, t.text),
        t.phone ? h('span', { class: 'item-sub' }, `Số điện thoại (công dân đồng ý lưu): ${t.phone}`) : null,
        t.procedureIds.length ? h('span', { class: 'item-sub' }, `Thủ tục: ${t.procedureIds.join(', ')}`) : null,
        h('label', { for: noteId, class: 'item-sub' }, 'Ghi chú xử lý'),
        note,
        done,
      );
    }),
  );
  el.ticketsCount.textContent = `(${tickets.length})`;
  el.ticketsEmpty.hidden = tickets.length > 0;
}

// ---------- start ----------

api<{ staff: Staff }>('GET', '/api/v1/console/me')
  .then(({ staff }) => signedIn(staff))
  .catch(() => signedOut());
