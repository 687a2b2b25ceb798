import { byId, h } from '../shared/dom.js';
import { renderStaffNav, requireStaffLogin, showLoginPrompt } from '../shared/staff-nav.js';
import { headlineCards } from './dashboard-cards.js';
import { chartSpecs, type ChartSpec } from './dashboard-charts.js';
import {
  CHANNEL_OPTIONS,
  csvHref,
  filtersFromQuery,
  filtersToQuery,
  GROUP_BY_OPTIONS,
  hanoiDay,
  rangeProblem,
  type DashboardFilters,
} from './dashboard-filters.js';
import { formatDay } from './dashboard-format.js';
import { CHANNEL_LABELS, label } from './dashboard-labels.js';
import { chartsAvailable, drawChart } from './chart-view.js';
import type { StatsGroupBy, StatsReport } from './stats-types.js';

/**
 * The statistics dashboard (`/dashboard`): filters kept in the URL, the headline figures and the
 * Center's summary sentence, charts with a table and a "Tải CSV" link each. Staff only: without
 * a login the page becomes the login prompt (shared staff nav).
 */
const el = {
  form: byId<HTMLFormElement>('filters'),
  from: byId<HTMLInputElement>('from'),
  to: byId<HTMLInputElement>('to'),
  groupBy: byId<HTMLSelectElement>('group-by'),
  channel: byId<HTMLSelectElement>('channel'),
  apply: byId<HTMLButtonElement>('apply'),
  filterError: byId('filter-error'),
  status: byId('status'),
  loadError: byId('load-error'),
  report: byId('report'),
  reportTitle: byId('report-title'),
  range: byId('range'),
  summary: byId('summary'),
  cards: byId<HTMLUListElement>('cards'),
  totalsCsv: byId<HTMLAnchorElement>('totals-csv'),
  charts: byId('charts'),
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    /** The API's Vietnamese explanation of a refused query (400), when it gave one. */
    readonly hint: string | null = null,
  ) {
    super(`HTTP ${status}`);
  }
}

let current: DashboardFilters = filtersFromQuery(location.search, new Date());
/** Only the latest request may draw: a slow answer for an older filter is dropped. */
let inFlight: AbortController | null = null;

function fillSelects(): void {
  el.groupBy.replaceChildren(...GROUP_BY_OPTIONS.map((o) => h('option', { value: o.value }, o.label)));
  el.channel.replaceChildren(...CHANNEL_OPTIONS.map((o) => h('option', { value: o.value }, o.label)));
}

function showFilters(f: DashboardFilters): void {
  el.from.value = f.from;
  el.to.value = f.to;
  el.groupBy.value = f.groupBy;
  el.channel.value = f.channel;
  const today = hanoiDay(new Date());
  el.from.max = today;
  el.to.min = f.from;
}

function readFilters(): DashboardFilters | null {
  const problem = rangeProblem(el.from.value, el.to.value, el.groupBy.value as StatsGroupBy, hanoiDay(new Date()));
  el.filterError.textContent = problem ?? '';
  el.from.setAttribute('aria-invalid', String(Boolean(problem)));
  el.to.setAttribute('aria-invalid', String(Boolean(problem)));
  if (problem) return null;
  return { from: el.from.value, to: el.to.value, groupBy: el.groupBy.value as StatsGroupBy, channel: el.channel.value };
}

async function fetchReport(f: DashboardFilters, signal: AbortSignal): Promise<StatsReport> {
  const res = await fetch(`/api/v1/stats?${filtersToQuery(f)}`, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { hint?: unknown };
    throw new HttpError(res.status, typeof body.hint === 'string' ? body.hint : null);
  }
  return (await res.json()) as StatsReport;
}

async function load(f: DashboardFilters): Promise<void> {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  el.status.textContent = 'Đang tải số liệu…';
  el.loadError.hidden = true;
  el.report.setAttribute('aria-busy', 'true');
  el.apply.disabled = true;
  try {
    const report = await fetchReport(f, controller.signal);
    if (inFlight !== controller) return;
    render(report, f);
    el.status.textContent = `Đã tải số liệu từ ${formatDay(f.from)} đến ${formatDay(f.to)}${f.channel ? `, kênh ${label(CHANNEL_LABELS, f.channel)}` : ''}.`;
  } catch (err) {
    if (controller.signal.aborted) return;
    if (err instanceof HttpError && err.status === 401) return showLoginPrompt();
    el.status.textContent = '';
    el.loadError.hidden = false;
    el.loadError.textContent =
      err instanceof HttpError && err.status === 400
        ? `Bộ lọc không hợp lệ: ${err.hint ?? 'khoảng thời gian hoặc kênh không đúng.'} Vui lòng chọn lại.`
        : err instanceof HttpError
          ? `Không tải được số liệu: máy chủ gặp sự cố (mã ${err.status}). Vui lòng thử lại sau.`
          : 'Không tải được số liệu: không kết nối được máy chủ. Vui lòng thử lại.';
  } finally {
    if (inFlight === controller) {
      inFlight = null;
      el.report.setAttribute('aria-busy', 'false');
      el.apply.disabled = false;
    }
  }
}

function render(report: StatsReport, f: DashboardFilters): void {
  el.report.hidden = false;
  el.range.textContent = `Từ ${formatDay(report.query.from)} đến ${formatDay(report.query.to)} (giờ Hà Nội) · ${
    f.channel ? `kênh ${label(CHANNEL_LABELS, f.channel)}` : 'tất cả kênh'
  }`;
  el.summary.textContent = report.summary;
  el.cards.replaceChildren(
    ...headlineCards(report.totals).map((c) =>
      h(
        'li',
        { class: 'stat-card', 'data-card': c.key },
        h('span', { class: 'stat-label' }, c.label),
        h('span', { class: 'stat-value' }, c.value),
        c.detail ? h('span', { class: 'stat-detail' }, c.detail) : null,
      ),
    ),
  );
  el.totalsCsv.href = csvHref('totals', f);
  el.totalsCsv.setAttribute('aria-label', 'Tải CSV: bảng tổng hợp');

  const specs = chartSpecs(report);
  const panels = specs.map((spec) => chartPanel(spec, f));
  el.charts.replaceChildren(...panels.map((p) => p.panel));
  const drawn = panels.every((p) => !p.canvas || drawChart(p.canvas, p.spec));
  if (!drawn || !chartsAvailable()) {
    el.charts.prepend(h('p', { class: 'error', role: 'alert' }, 'Không tải được thư viện biểu đồ; số liệu vẫn có trong các bảng bên dưới.'));
  }
}

function chartPanel(spec: ChartSpec, f: DashboardFilters): { panel: HTMLElement; canvas: HTMLCanvasElement | null; spec: ChartSpec } {
  const titleId = `chart-${spec.id}-title`;
  const empty = spec.labels.length === 0 || spec.datasets.every((d) => d.data.every((v) => v === 0));
  const canvas = empty
    ? null
    : h('canvas', { id: `chart-${spec.id}`, role: 'img', 'aria-label': `${spec.description} Số liệu chi tiết trong bảng bên dưới.` });
  const tall = spec.horizontal && spec.labels.length > 6;
  // Columns whose every cell is a number are right-aligned, header included.
  const numeric = spec.table.columns.map((_, i) => i > 0 && spec.table.rows.length > 0 && spec.table.rows.every((r) => isNumeric(r[i] ?? '')));
  const table = h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, spec.title),
    h('thead', {}, h('tr', {}, ...spec.table.columns.map((c, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : undefined }, c)))),
    h(
      'tbody',
      {},
      ...spec.table.rows.map((row) =>
        h('tr', {}, ...row.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', { class: numeric[i] ? 'num' : undefined }, cell)))),
      ),
    ),
  );
  const panel = h(
    'section',
    { class: `card chart-panel${spec.id === 'series' ? ' wide' : ''}`, 'aria-labelledby': titleId, 'data-chart': spec.id },
    h('h2', { id: titleId }, spec.title),
    canvas ? h('div', { class: `chart-box${tall ? ' tall' : ''}` }, canvas) : h('p', { class: 'chart-empty' }, 'Không có số liệu trong khoảng thời gian này.'),
    spec.table.rows.length
      ? h('details', { class: 'data-table' }, h('summary', {}, `Xem bảng số liệu (${spec.table.rows.length} dòng)`), h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': `Bảng số liệu: ${spec.title}` }, table))
      : null,
    h(
      'p',
      { class: 'csv' },
      h('a', { class: 'csv-link', href: csvHref(spec.csv, f), download: true, 'aria-label': `Tải CSV: ${spec.title}`, 'data-table': spec.csv }, 'Tải CSV'),
    ),
  );
  return { panel, canvas, spec };
}

function isNumeric(cell: string): boolean {
  return /^[\d.,%/—\s-]+$/.test(cell);
}

function apply(f: DashboardFilters, push: boolean): void {
  current = f;
  const query = `?${filtersToQuery(f)}`;
  if (push && query !== location.search) history.pushState(null, '', query);
  else history.replaceState(null, '', query);
  showFilters(f);
  void load(f);
}

el.form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = readFilters();
  if (f) apply(f, true);
  else el.from.focus();
});
el.from.addEventListener('change', () => (el.to.min = el.from.value));
// Back and forward move between filter views (each is in the URL).
window.addEventListener('popstate', () => apply(filtersFromQuery(location.search, new Date()), false));

async function start(): Promise<void> {
  renderStaffNav('dashboard');
  fillSelects();
  showFilters(current);
  const staff = await requireStaffLogin();
  if (!staff) return;
  apply(current, false);
}

void start();
