import { byId, h } from '../shared/dom.js';
import { renderStaffNav, requireStaffLogin, showLoginPrompt } from '../shared/staff-nav.js';
import { ApiError, gapsApi, type GapAction, type GapGroup, type GapsPage, type OverlayResult } from './gaps-client.js';
import { download, groupsCsv } from './gaps-csv.js';
import { ACTIONS, CHANNELS, dateTime, hanoiDay, label, REASONS } from './gaps-labels.js';

/**
 * "Câu hỏi trợ lý chưa trả lời được": the failed turns grouped by wording or by procedure, and
 * per group the officer's actions (add an alias or a note to the procedure's overlay, mark the
 * group out of scope, or put it back).
 */
const PAGE_SIZE = 50;
const CODE = /^\d{1,2}\.\d{6}(\.\d{3}\.\d{2})?$/;
const OTHER = '__other__';

const el = {
  main: byId('gaps-main'),
  announce: byId('announce'),
  filters: byId<HTMLFormElement>('filters'),
  from: byId<HTMLInputElement>('from'),
  to: byId<HTMLInputElement>('to'),
  channel: byId<HTMLSelectElement>('channel'),
  by: byId<HTMLSelectElement>('by'),
  includeOut: byId<HTMLInputElement>('include-out'),
  exportCsv: byId<HTMLButtonElement>('export-csv'),
  filtersError: byId('filters-error'),
  summary: byId('summary'),
  feedback: byId('feedback'),
  colLabel: byId('col-label'),
  body: byId<HTMLTableSectionElement>('groups-body'),
  table: byId<HTMLTableElement>('groups-table'),
  empty: byId('groups-empty'),
  prev: byId<HTMLButtonElement>('prev-page'),
  next: byId<HTMLButtonElement>('next-page'),
  pageInfo: byId('page-info'),
  actions: byId<HTMLUListElement>('actions-list'),
  actionsEmpty: byId('actions-empty'),
  dialog: byId<HTMLDialogElement>('action-dialog'),
  form: byId<HTMLFormElement>('action-form'),
  dialogTitle: byId('dialog-title'),
  dialogGroup: byId('dialog-group'),
  procedureField: byId('procedure-field'),
  procedureSelect: byId<HTMLSelectElement>('procedure-select'),
  procedureCode: byId<HTMLInputElement>('procedure-code'),
  procedureCodeLabel: byId('procedure-code-label'),
  text: byId<HTMLTextAreaElement>('action-text'),
  textLabel: byId('action-text-label'),
  hint: byId('action-hint'),
  dialogError: byId('dialog-error'),
  submit: byId<HTMLButtonElement>('dialog-submit'),
  cancel: byId<HTMLButtonElement>('dialog-cancel'),
};

type DialogKind = 'alias' | 'note' | 'out_of_scope';
let page: GapsPage | null = null;
let offset = 0;
let dialog: { kind: DialogKind; group: GapGroup } | null = null;

function query(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ from: el.from.value, to: el.to.value, by: el.by.value, include_out_of_scope: el.includeOut.checked ? '1' : '0', ...extra });
  if (el.channel.value) q.set('channel', el.channel.value);
  return q.toString();
}

/** The filters from the address (so a reload or a shared link shows the same list), else the last 30 days. */
function readFilters(): void {
  const q = new URLSearchParams(location.search);
  el.from.value = q.get('from') ?? hanoiDay(29);
  el.to.value = q.get('to') ?? hanoiDay(0);
  el.channel.value = q.get('channel') ?? '';
  el.by.value = q.get('by') === 'procedure' ? 'procedure' : 'wording';
  el.includeOut.checked = q.get('include_out_of_scope') === '1';
}

function feedback(text: string, failed = false): void {
  el.feedback.textContent = text;
  el.feedback.classList.toggle('failed', failed);
  el.announce.textContent = text;
}

/** A 401 means the login expired: the page becomes the login prompt. */
function handle(err: unknown, show: (text: string) => void): void {
  if (err instanceof ApiError && err.status === 401) {
    showLoginPrompt();
    return;
  }
  show(err instanceof ApiError ? errorText(err) : 'Không kết nối được máy chủ. Vui lòng thử lại.');
}

function errorText(err: ApiError): string {
  if (err.code === 'duplicate') return 'Nội dung này đã có trong thủ tục (không phân biệt chữ hoa, dấu).';
  if (err.code === 'broken_file') return 'Tệp bổ sung của thủ tục đang có lỗi; vui lòng báo nhóm kỹ thuật sửa trước.';
  if (err.status === 404) return 'Không tìm thấy thủ tục hoặc nhóm này (mã thủ tục có thể chưa được phục vụ).';
  if (err.status === 400) return 'Dữ liệu chưa hợp lệ, vui lòng kiểm tra lại.';
  if (err.status === 403) return 'Yêu cầu bị từ chối.';
  return `Máy chủ gặp sự cố (mã ${err.status}).`;
}

async function load(): Promise<void> {
  el.filtersError.textContent = '';
  if (el.from.value > el.to.value) {
    el.filtersError.textContent = '"Từ ngày" phải trước hoặc bằng "Đến ngày".';
    return;
  }
  history.replaceState(null, '', `${location.pathname}?${query()}`);
  el.summary.textContent = 'Đang tải…';
  try {
    page = await gapsApi<GapsPage>('GET', `/api/v1/gaps?${query({ limit: String(PAGE_SIZE), offset: String(offset) })}`);
  } catch (err) {
    el.summary.textContent = '';
    handle(err, (text) => (el.filtersError.textContent = text));
    return;
  }
  render(page);
  void loadActions();
}

function render(p: GapsPage): void {
  el.colLabel.textContent = p.by === 'wording' ? 'Câu hỏi tiêu biểu' : 'Thủ tục';
  const hidden = p.hidden > 0 && !el.includeOut.checked ? ` ${p.hidden} nhóm ngoài phạm vi đang ẩn.` : '';
  const cut = p.truncated ? ' Khoảng thời gian có quá nhiều lượt: chỉ các lượt gần nhất được nhóm.' : '';
  el.summary.textContent = `${p.turns.toLocaleString('vi-VN')} lượt chưa trả lời tốt, ${p.total.toLocaleString('vi-VN')} nhóm.${hidden}${cut}`;
  el.body.replaceChildren(...p.groups.map(row));
  el.empty.hidden = p.groups.length > 0;
  el.table.hidden = p.groups.length === 0;
  const pages = Math.max(1, Math.ceil(p.total / PAGE_SIZE));
  el.pageInfo.textContent = `Trang ${Math.floor(p.offset / PAGE_SIZE) + 1}/${pages}`;
  el.prev.disabled = p.offset === 0;
  el.next.disabled = p.offset + PAGE_SIZE >= p.total;
}

function row(g: GapGroup): HTMLTableRowElement {
  const examples = g.examples.filter((e) => e !== g.representative);
  const first = g.kind === 'wording' ? h('span', { class: 'rep' }, g.representative) : h('span', { class: 'rep' }, g.label);
  const sub =
    g.kind === 'procedure'
      ? h('ul', { class: 'examples', 'aria-label': 'Ví dụ câu hỏi' }, ...g.examples.slice(0, 3).map((e) => h('li', {}, e)))
      : examples.length > 0
        ? h('ul', { class: 'examples', 'aria-label': 'Cách hỏi khác' }, ...examples.slice(0, 4).map((e) => h('li', {}, e)))
        : null;
  const list = (items: Array<{ key: string; count: number }>, names: Record<string, string>) =>
    h('ul', { class: 'chips' }, ...items.map((c) => h('li', {}, `${label(names, c.key)}: ${c.count}`)));
  const procedures =
    g.procedures.length > 0
      ? h('ul', { class: 'chips' }, ...g.procedures.slice(0, 4).map((p) => h('li', {}, `${p.id}${p.name ? ` – ${p.name}` : ''}`)))
      : h('span', { class: 'hint' }, 'Chưa xác định');
  const name = g.kind === 'wording' ? g.representative : g.label;
  const actions = h('div', { class: 'row-actions' });
  // Also for a group without a cited procedure: the officer then types the code.
  actions.append(
    button('Thêm tên gọi khác', `Thêm tên gọi khác cho nhóm: ${name}`, () => openDialog('alias', g)),
    button('Thêm ghi chú', `Thêm ghi chú cho nhóm: ${name}`, () => openDialog('note', g)),
  );
  if (g.outOfScope) {
    actions.append(
      h('span', { class: 'mark-note' }, `Ngoài phạm vi: ${g.outOfScope.by.name}, ${dateTime(g.outOfScope.at)}${g.outOfScope.comment ? ` — ${g.outOfScope.comment}` : ''}`),
      button('Đưa lại vào danh sách', `Đưa lại vào danh sách: ${name}`, () => void unmark(g)),
    );
  } else {
    actions.append(button('Ngoài phạm vi', `Đánh dấu ngoài phạm vi: ${name}`, () => openDialog('out_of_scope', g)));
  }
  const tr = h(
    'tr',
    { class: g.outOfScope ? 'out-of-scope' : undefined, 'data-key': g.key },
    h('td', {}, first, sub),
    h('td', { class: 'num' }, String(g.count)),
    h('td', {}, list(g.reasons, REASONS)),
    h('td', {}, list(g.channels, CHANNELS)),
    h('td', {}, procedures),
    h('td', {}, `${dateTime(g.firstSeen)} – ${dateTime(g.lastSeen)}`),
    h('td', {}, actions),
  );
  return tr;
}

function button(text: string, aria: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', 'aria-label': aria }, text);
  b.addEventListener('click', onClick);
  return b;
}

function openDialog(kind: DialogKind, group: GapGroup): void {
  dialog = { kind, group };
  el.dialogError.textContent = '';
  el.text.value = '';
  el.dialogTitle.textContent = kind === 'alias' ? 'Thêm tên gọi khác cho thủ tục' : kind === 'note' ? 'Thêm ghi chú cho thủ tục' : 'Đánh dấu ngoài phạm vi';
  el.dialogGroup.textContent = `Nhóm: ${group.kind === 'wording' ? group.representative : group.label} (${group.count} lượt)`;
  el.procedureField.hidden = kind === 'out_of_scope';
  if (kind !== 'out_of_scope') {
    const options = group.procedures.map((p) => h('option', { value: p.id }, `${p.id}${p.name ? ` – ${p.name}` : ''}`));
    el.procedureSelect.replaceChildren(...options, h('option', { value: OTHER }, 'Thủ tục khác (nhập mã)…'));
    el.procedureSelect.value = group.procedures[0]?.id ?? OTHER;
    el.procedureCode.value = '';
    syncCodeField();
  }
  if (kind === 'alias') {
    el.textLabel.textContent = 'Tên gọi khác (cách công dân gọi thủ tục)';
    el.text.maxLength = 120;
    el.text.rows = 2;
    // The representative question is the usual starting point for an alias.
    el.text.value = group.kind === 'wording' ? group.representative.slice(0, 120) : '';
    el.hint.textContent = 'Từ 2 đến 120 ký tự. Trợ lý sẽ tìm thấy thủ tục theo tên này ngay sau khi lưu.';
  } else if (kind === 'note') {
    el.textLabel.textContent = 'Ghi chú (hiển thị sau câu trả lời về thủ tục)';
    el.text.maxLength = 300;
    el.text.rows = 3;
    el.hint.textContent = 'Từ 5 đến 300 ký tự, chỉ thông tin áp dụng tại Hà Nội.';
  } else {
    el.textLabel.textContent = 'Lý do (không bắt buộc)';
    el.text.maxLength = 500;
    el.text.rows = 2;
    el.hint.textContent = 'Nhóm sẽ được ẩn khỏi danh sách; có thể đưa lại bất cứ lúc nào.';
  }
  el.submit.textContent = kind === 'out_of_scope' ? 'Đánh dấu' : 'Lưu';
  el.dialog.showModal();
  (kind === 'out_of_scope' || group.procedures.length > 0 ? el.text : el.procedureCode).focus();
}

function syncCodeField(): void {
  const other = el.procedureSelect.value === OTHER;
  el.procedureCode.hidden = !other;
  el.procedureCodeLabel.hidden = !other;
  el.procedureCode.required = other;
}

async function submitDialog(): Promise<void> {
  if (!dialog) return;
  const { kind, group } = dialog;
  const text = el.text.value.trim();
  el.dialogError.textContent = '';
  let procedureId = '';
  if (kind !== 'out_of_scope') {
    procedureId = el.procedureSelect.value === OTHER ? el.procedureCode.value.trim() : el.procedureSelect.value;
    if (!CODE.test(procedureId)) {
      el.dialogError.textContent = 'Mã thủ tục chưa đúng định dạng (ví dụ đúng: 1.001193).';
      return;
    }
    const min = kind === 'alias' ? 2 : 5;
    if (text.length < min) {
      el.dialogError.textContent = kind === 'alias' ? 'Vui lòng nhập tên gọi (ít nhất 2 ký tự).' : 'Vui lòng nhập ghi chú (ít nhất 5 ký tự).';
      return;
    }
  }
  el.submit.disabled = true;
  try {
    if (kind === 'out_of_scope') {
      await gapsApi('POST', '/api/v1/gaps/out-of-scope', { key: group.key, label: group.kind === 'wording' ? group.representative.slice(0, 300) : group.label.slice(0, 300), ...(text ? { comment: text } : {}) });
      feedback(`Đã đánh dấu ngoài phạm vi: ${group.kind === 'wording' ? group.representative : group.label}.`);
    } else {
      const body = kind === 'alias' ? { procedureId, alias: text, groupKey: group.key } : { procedureId, note: text, groupKey: group.key };
      const result = await gapsApi<OverlayResult>('POST', `/api/v1/gaps/${kind}`, body);
      const what = kind === 'alias' ? `tên gọi "${text}"` : 'ghi chú';
      const proc = `${result.procedureId}${result.name ? ` – ${result.name}` : ''}`;
      feedback(
        result.reloaded
          ? `Đã thêm ${what} cho thủ tục ${proc}; trợ lý dùng ngay.`
          : `Đã lưu ${what} cho thủ tục ${proc}, nhưng chưa nạp lại được tri thức; vui lòng báo nhóm kỹ thuật.`,
        !result.reloaded,
      );
    }
    el.dialog.close();
    dialog = null;
    await load();
  } catch (err) {
    handle(err, (message) => (el.dialogError.textContent = message));
  } finally {
    el.submit.disabled = false;
  }
}

async function unmark(group: GapGroup): Promise<void> {
  try {
    await gapsApi('DELETE', `/api/v1/gaps/out-of-scope/${encodeURIComponent(group.key)}`);
    feedback(`Đã đưa lại vào danh sách: ${group.kind === 'wording' ? group.representative : group.label}.`);
    await load();
  } catch (err) {
    handle(err, (message) => feedback(message, true));
  }
}

async function loadActions(): Promise<void> {
  try {
    const { actions } = await gapsApi<{ actions: GapAction[] }>('GET', '/api/v1/gaps/actions?limit=20');
    el.actions.replaceChildren(
      ...actions.map((a) =>
        h(
          'li',
          {},
          `${dateTime(a.at)} — ${a.by.name}: ${label(ACTIONS, a.action)}`,
          a.procedureId ? ` (thủ tục ${a.procedureId})` : '',
          a.text ? ` “${a.text}”` : '',
          a.comment ? ` — ${a.comment}` : '',
        ),
      ),
    );
    el.actionsEmpty.hidden = actions.length > 0;
  } catch (err) {
    handle(err, () => undefined);
  }
}

/** Every group of the current filters (all pages), as CSV. */
async function exportCsv(): Promise<void> {
  el.exportCsv.disabled = true;
  try {
    const groups: GapGroup[] = [];
    let total = Infinity;
    for (let at = 0; at < total && at < 5000; at += 500) {
      const part = await gapsApi<GapsPage>('GET', `/api/v1/gaps?${query({ limit: '500', offset: String(at) })}`);
      total = part.total;
      groups.push(...part.groups);
    }
    const by = el.by.value === 'procedure' ? 'procedure' : 'wording';
    download(`chua-tra-loi-duoc_${by === 'wording' ? 'theo-cach-hoi' : 'theo-thu-tuc'}_${el.from.value}_${el.to.value}.csv`, groupsCsv(groups, by));
    feedback(`Đã xuất ${groups.length} nhóm ra tệp CSV.`);
  } catch (err) {
    handle(err, (message) => feedback(message, true));
  } finally {
    el.exportCsv.disabled = false;
  }
}

async function start(): Promise<void> {
  renderStaffNav('gaps');
  const staff = await requireStaffLogin();
  if (!staff) return;
  el.main.hidden = false;
  readFilters();
  el.filters.addEventListener('submit', (e) => {
    e.preventDefault();
    offset = 0;
    void load();
  });
  el.by.addEventListener('change', () => {
    offset = 0;
    void load();
  });
  el.prev.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE);
    void load();
  });
  el.next.addEventListener('click', () => {
    offset += PAGE_SIZE;
    void load();
  });
  el.exportCsv.addEventListener('click', () => void exportCsv());
  el.procedureSelect.addEventListener('change', syncCodeField);
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submitDialog();
  });
  el.cancel.addEventListener('click', () => {
    el.dialog.close();
    dialog = null;
  });
  await load();
}

void start();
