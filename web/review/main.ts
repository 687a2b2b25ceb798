import { byId, h } from '../shared/dom.js';
import { renderStaffNav, requireStaffLogin, showLoginPrompt } from '../shared/staff-nav.js';

/** The review API's shapes as this page reads them (see src/http/routes/review-api.ts). */
type Verdict = 'correct' | 'incorrect' | 'incomplete';
interface Progress {
  week: string;
  total: number;
  reviewed: number;
}
interface Item {
  id: string;
  week: string;
  at: string;
  channel: string;
  status: string;
  statusFamily: string;
  question: string;
  answer: string;
  citations: Array<{ id: string; name: string | null }>;
  verdict: Verdict | null;
  comment: string | null;
  reviewer: { id: string; name: string } | null;
  reviewedAt: string | null;
}
interface ItemsResponse {
  week: string;
  currentWeek: string;
  progress: Progress;
  weeks: Progress[];
  items: Item[];
}

const VERDICTS: ReadonlyArray<{ verdict: Verdict; label: string }> = [
  { verdict: 'correct', label: 'Đúng' },
  { verdict: 'incorrect', label: 'Sai' },
  { verdict: 'incomplete', label: 'Thiếu' },
];
const VERDICT_LABEL: Record<Verdict, string> = { correct: 'Đúng', incorrect: 'Sai', incomplete: 'Thiếu' };
const CHANNELS: Record<string, string> = { web: 'Trang web', messenger: 'Messenger', zalo: 'Zalo', mini_app: 'iHanoi', voice: 'Điện thoại', eval: 'Đánh giá' };
const FAMILIES: Record<string, string> = {
  answered: 'Đã trả lời',
  clarification: 'Hỏi lại cho rõ',
  unanswerable: 'Không trả lời được',
  guardrail: 'Từ chối (bảo vệ)',
  handoff: 'Chuyển cán bộ',
  status: 'Tra cứu hồ sơ',
  error: 'Lỗi',
};

class Unauthorized extends Error {}

async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) } });
  if (res.status === 401) throw new Unauthorized();
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `HTTP ${res.status}`);
  return body;
}

const state = { week: '', filter: '' as '' | 'pending' | 'done', mode: 'one' as 'one' | 'list', items: [] as Item[], index: 0, progress: { week: '', total: 0, reviewed: 0 } as Progress };

const when = (at: string) => new Date(at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });
/** "Tuần 48/2026 (23/11 – 29/11)" from `2026-W48`. */
function weekLabel(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return week;
  const year = Number(m[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000;
  const day = (t: number) => new Date(t).toISOString().slice(5, 10).split('-').reverse().join('/');
  return `Tuần ${Number(m[2])}/${year} (${day(monday)} – ${day(monday + 6 * 86_400_000)})`;
}

function announce(text: string): void {
  byId('announce').textContent = text;
}

function showError(err: unknown): void {
  if (err instanceof Unauthorized) return showLoginPrompt();
  byId('error').textContent = `Không thực hiện được: ${(err as Error).message}`;
}

function renderProgress(): void {
  const { total, reviewed } = state.progress;
  byId('progress-text').textContent = `đã duyệt ${reviewed}/${total}`;
  const bar = byId<HTMLProgressElement>('progress');
  bar.max = Math.max(1, total);
  bar.value = reviewed;
}

function renderWeeks(response: ItemsResponse): void {
  const select = byId<HTMLSelectElement>('week');
  select.replaceChildren(
    ...response.weeks.map((w) =>
      h('option', { value: w.week, selected: w.week === response.week }, `${weekLabel(w.week)}${w.week === response.currentWeek ? ' — tuần này' : ''} · ${w.reviewed}/${w.total}`),
    ),
  );
}

function itemCard(item: Item, heading: string): HTMLElement {
  const comment = h('textarea', { class: 'comment', rows: 2, maxlength: 2000, id: `comment-${item.id}`, placeholder: 'Nhận xét (không bắt buộc): sai ở đâu, thiếu gì…' });
  comment.value = item.comment ?? '';
  const buttons = VERDICTS.map(({ verdict, label }) => {
    const b = h('button', { type: 'button', class: `v-${verdict}`, 'aria-pressed': item.verdict === verdict ? 'true' : 'false', 'data-verdict': verdict }, label);
    b.addEventListener('click', () => void mark(item, verdict, comment.value));
    return b;
  });
  return h(
    'article',
    { class: 'card item', 'data-item': item.id, 'aria-labelledby': `title-${item.id}` },
    h('h2', { id: `title-${item.id}` }, heading, ' ', item.verdict ? h('span', { class: `badge v-${item.verdict}` }, VERDICT_LABEL[item.verdict]) : h('span', { class: 'badge' }, 'Chưa duyệt')),
    h(
      'dl',
      { class: 'meta' },
      h('dt', {}, 'Kênh'),
      h('dd', {}, CHANNELS[item.channel] ?? item.channel),
      h('dt', {}, 'Kết quả'),
      h('dd', {}, `${FAMILIES[item.statusFamily] ?? item.statusFamily} (${item.status})`),
      h('dt', {}, 'Thời gian'),
      h('dd', {}, when(item.at)),
    ),
    h('p', { class: 'label' }, 'Câu hỏi của người dân (đã ẩn thông tin cá nhân)'),
    h('p', { class: 'text question' }, item.question),
    h('p', { class: 'label' }, 'Câu trả lời của trợ lý'),
    h('p', { class: 'text answer' }, item.answer || '—'),
    h('p', { class: 'label' }, 'Thủ tục được trích dẫn'),
    item.citations.length
      ? h('ul', { class: 'citations' }, ...item.citations.map((c) => h('li', {}, c.name ? `${c.id} — ${c.name}` : c.id)))
      : h('p', { class: 'hint' }, 'Không trích dẫn thủ tục nào.'),
    h('div', { class: 'verdicts', role: 'group', 'aria-label': 'Đánh giá câu trả lời' }, ...buttons),
    h('label', { class: 'label', for: `comment-${item.id}` }, 'Nhận xét'),
    comment,
    item.reviewer && item.reviewedAt ? h('p', { class: 'marked' }, `Đánh giá bởi ${item.reviewer.name} lúc ${when(item.reviewedAt)}`) : null,
  );
}

function render(): void {
  byId('error').textContent = '';
  renderProgress();
  byId('view-one').setAttribute('aria-pressed', String(state.mode === 'one'));
  byId('view-list').setAttribute('aria-pressed', String(state.mode === 'list'));
  const list = byId('items');
  byId('empty').hidden = state.items.length > 0;
  byId('empty').textContent = state.filter === 'pending' && state.progress.total > 0 ? 'Đã duyệt hết các câu của tuần này. Cảm ơn anh/chị!' : 'Tuần này chưa có câu trả lời nào để duyệt.';
  const pager = byId('pager');
  if (state.items.length === 0) {
    list.replaceChildren();
    pager.hidden = true;
    return;
  }
  if (state.mode === 'list') {
    list.replaceChildren(...state.items.map((item, i) => itemCard(item, `Câu ${i + 1}`)));
    pager.hidden = true;
    return;
  }
  state.index = Math.min(Math.max(0, state.index), state.items.length - 1);
  list.replaceChildren(itemCard(state.items[state.index]!, `Câu ${state.index + 1}/${state.items.length}`));
  pager.hidden = false;
  byId('position').textContent = `${state.index + 1}/${state.items.length}`;
  byId<HTMLButtonElement>('prev').disabled = state.index === 0;
  byId<HTMLButtonElement>('next').disabled = state.index >= state.items.length - 1;
}

async function load(week?: string): Promise<void> {
  const params = new URLSearchParams();
  if (week) params.set('week', week);
  if (state.filter) params.set('status', state.filter);
  try {
    const response = await api<ItemsResponse>(`/api/v1/review/items${params.size ? `?${params}` : ''}`);
    state.week = response.week;
    state.items = response.items;
    state.progress = response.progress;
    // One at a time starts at the first answer nobody has marked yet.
    const pending = state.items.findIndex((i) => i.verdict === null);
    state.index = pending < 0 ? 0 : pending;
    renderWeeks(response);
    render();
  } catch (err) {
    showError(err);
  }
}

async function mark(item: Item, verdict: Verdict, comment: string): Promise<void> {
  try {
    const body = await api<{ item: Item; progress: Progress }>(`/api/v1/review/items/${encodeURIComponent(item.id)}/mark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'console' },
      body: JSON.stringify({ verdict, comment: comment.trim() || null }),
    });
    const at = state.items.findIndex((i) => i.id === item.id);
    if (at >= 0) state.items[at] = body.item;
    state.progress = body.progress;
    announce(`Đã ghi: ${VERDICT_LABEL[verdict]}. Đã duyệt ${body.progress.reviewed}/${body.progress.total}.`);
    if (state.mode === 'one') {
      // On to the next answer still waiting, if any.
      const next = state.items.findIndex((i, n) => n > state.index && i.verdict === null);
      if (next >= 0) state.index = next;
    }
    render();
    const week = byId<HTMLSelectElement>('week').selectedOptions[0];
    if (week) week.textContent = `${weekLabel(state.week)} · ${state.progress.reviewed}/${state.progress.total}`;
  } catch (err) {
    showError(err);
  }
}

async function start(): Promise<void> {
  renderStaffNav('review');
  const officer = await requireStaffLogin();
  if (!officer) return;
  byId('review').hidden = false;
  byId<HTMLSelectElement>('week').addEventListener('change', (e) => void load((e.target as HTMLSelectElement).value));
  byId<HTMLSelectElement>('filter').addEventListener('change', (e) => {
    state.filter = (e.target as HTMLSelectElement).value as typeof state.filter;
    void load(state.week);
  });
  byId('view-one').addEventListener('click', () => {
    state.mode = 'one';
    render();
  });
  byId('view-list').addEventListener('click', () => {
    state.mode = 'list';
    render();
  });
  byId('prev').addEventListener('click', () => {
    state.index--;
    render();
  });
  byId('next').addEventListener('click', () => {
    state.index++;
    render();
  });
  await load(new URLSearchParams(location.search).get('week') ?? undefined);
}

void start();
