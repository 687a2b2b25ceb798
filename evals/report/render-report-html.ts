import type { EvalRunReport, LatencySummary, ReportCase, ReportMetric, SuiteReport } from './eval-run-report.js';
import type { PreviousSuite } from './previous-reports.js';

/**
 * The staff's evaluation report: one self-contained HTML file (inline style and SVG, no script,
 * nothing fetched), Vietnamese headings. Headline metrics with the change since the previous
 * run, the reviewed accuracy of live answers with the reviewers' comments, the latency
 * distribution, then every failing case with question, expectation, answer and citation, and
 * the passing cases collapsed.
 */
export function renderReportHtml(report: EvalRunReport, previous: ReadonlyMap<string, PreviousSuite> = new Map()): string {
  const failing = report.suites.reduce((n, s) => n + s.cases.filter((c) => !c.pass).length, 0);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo đánh giá — ${esc(hanoiTime(report.createdAt))}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>Báo cáo đánh giá Công chức AI</h1>
<p>Lần chạy lúc ${esc(hanoiTime(report.createdAt))} (giờ Hà Nội) · ${report.suites.length} bộ đánh giá · <a href="#chua-dat">${failing} trường hợp chưa đạt</a></p></header>
<main>
<section id="chi-so"><h2>Chỉ số chính</h2>
${report.suites.map((s) => metricsTable(s, previous.get(s.name))).join('\n')}
</section>
${reviewedSection(report)}
${latencySection(report.suites)}
<section id="chua-dat"><h2>Các trường hợp chưa đạt (${failing})</h2>
${report.suites.map((s) => failingCases(s)).join('\n')}
</section>
<section id="da-dat"><h2>Các trường hợp đạt</h2>
${report.suites.map((s) => passingCases(s)).join('\n')}
</section>
</main>
</body>
</html>
`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1b1b1b;background:#fafafa;line-height:1.45}
header{background:#a3161b;color:#fff;padding:.8rem 1.2rem}header h1{margin:0;font-size:1.4rem}header p{margin:.3rem 0 0}header a{color:#fff}
main{padding:1rem 1.2rem;max-width:1200px}
h2{font-size:1.2rem;border-bottom:2px solid #a3161b;padding-bottom:.2rem;margin-top:1.8rem}h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.4rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #d6d6d6;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
td.num{text-align:right;white-space:nowrap}.better{color:#1e7b34;font-weight:600}.worse{color:#a3161b;font-weight:600}.same{color:#666}
.text{white-space:pre-wrap;overflow-wrap:anywhere;max-width:38rem}.why{color:#a3161b}
details{margin:.4rem 0 1rem}summary{cursor:pointer;font-weight:600}
.hint{color:#555}.hist{background:#fff;border:1px solid #d6d6d6}
`;

function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "29/11/2026 00:40" in Hanoi time. */
function hanoiTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

/** Vietnamese decimals: comma. */
const dec = (x: number, digits: number) => x.toFixed(digits).replace('.', ',');

function formatValue(m: ReportMetric): string {
  if (m.value === null) return '—';
  return m.format === 'share' ? `${dec(m.value * 100, 1)}%` : String(m.value);
}

/** The change since the previous run: percentage points for shares, a count otherwise; coloured by `better`. */
function formatDelta(m: ReportMetric, before: ReportMetric | undefined): string {
  if (!before || before.value === null || m.value === null) return '<span class="same">—</span>';
  const diff = m.value - before.value;
  const size = m.format === 'share' ? diff * 100 : diff;
  if (Math.abs(size) < 0.05) return '<span class="same">không đổi</span>';
  const text = m.format === 'share' ? `${size > 0 ? '+' : '−'}${dec(Math.abs(size), 1)} điểm %` : `${size > 0 ? '+' : '−'}${Math.abs(size)}`;
  const good = (diff > 0) === (m.better === 'higher');
  return `<span class="${good ? 'better' : 'worse'}">${text}</span>`;
}

function metricsTable(suite: SuiteReport, previous: PreviousSuite | undefined): string {
  const since = previous ? `so với lần chạy ${esc(hanoiTime(previous.createdAt))}` : 'chưa có lần chạy trước để so sánh';
  const rows = suite.metrics
    .map((m) => `<tr><td>${esc(m.label)}</td><td class="num">${formatValue(m)}</td><td class="num">${formatDelta(m, previous?.metrics.get(m.key))}</td></tr>`)
    .join('');
  return `<h3>${esc(suite.title)}</h3>
<table><thead><tr><th>Chỉ số</th><th>Giá trị</th><th>Thay đổi (${since})</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const VERDICTS: Record<string, string> = { correct: 'Đúng', incorrect: 'Sai', incomplete: 'Thiếu' };

function reviewedSection(report: EvalRunReport): string {
  const r = report.reviewed;
  const title = '<h2>Độ chính xác do cán bộ duyệt</h2>';
  if (!r || r.reviewed === 0) {
    const range = r ? ` (${esc(r.from)} – ${esc(r.to)})` : '';
    return `<section id="can-bo-duyet">${title}<p class="hint">4 tuần gần nhất${range}: chưa có câu trả lời nào được duyệt.</p></section>`;
  }
  const pct = (n: number) => `${dec((n / r.reviewed) * 100, 1)}%`;
  const comments = r.comments.length
    ? `<h3>Nhận xét của cán bộ (${r.comments.length})</h3>
<table><thead><tr><th>Tuần</th><th>Đánh giá</th><th>Câu hỏi</th><th>Nhận xét</th><th>Cán bộ</th></tr></thead><tbody>${r.comments
        .map((c) => `<tr><td>${esc(c.week)}</td><td>${esc(VERDICTS[c.verdict] ?? c.verdict)}</td><td class="text">${esc(c.question)}</td><td class="text">${esc(c.comment)}</td><td>${esc(c.reviewer)}</td></tr>`)
        .join('')}</tbody></table>`
    : '<p class="hint">Chưa có nhận xét nào.</p>';
  return `<section id="can-bo-duyet">${title}
<p>Câu trả lời thật được hỏi từ ${esc(r.from)} đến ${esc(r.to)} (4 tuần gần nhất), do cán bộ duyệt trong hàng đợi duyệt.</p>
<table><thead><tr><th>Đã duyệt</th><th>Đúng</th><th>Sai</th><th>Thiếu</th><th>Độ chính xác</th></tr></thead>
<tbody><tr><td class="num">${r.reviewed}</td><td class="num">${r.correct} (${pct(r.correct)})</td><td class="num">${r.incorrect} (${pct(r.incorrect)})</td><td class="num">${r.incomplete} (${pct(r.incomplete)})</td><td class="num">${r.accuracy === null ? '—' : `${dec(r.accuracy * 100, 1)}%`}</td></tr></tbody></table>
${comments}</section>`;
}

/** A bar per bin; counts in each bar's title (shown on hover). */
function histogramSvg(l: LatencySummary): string {
  const width = 480;
  const height = 120;
  const barWidth = width / l.histogram.length;
  const top = Math.max(1, ...l.histogram.map((b) => b.count));
  const bars = l.histogram
    .map((b, i) => {
      const h = Math.round((b.count / top) * (height - 20));
      return `<rect x="${(i * barWidth + 1).toFixed(1)}" y="${height - 16 - h}" width="${(barWidth - 2).toFixed(1)}" height="${h}" fill="#0b5cad"><title>${dec(b.from, 1)}–${dec(b.to, 1)} ms: ${b.count}</title></rect>`;
    })
    .join('');
  return `<svg class="hist" role="img" aria-label="Phân bố thời gian trả lời" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${bars}<text x="2" y="${height - 3}" font-size="11">0 ms</text><text x="${width - 2}" y="${height - 3}" font-size="11" text-anchor="end">${dec(l.max, 1)} ms</text></svg>`;
}

function latencySection(suites: readonly SuiteReport[]): string {
  const measured = suites.filter((s) => s.latency);
  const body = measured.length
    ? measured
        .map((s) => {
          const l = s.latency!;
          return `<h3>${esc(s.title)} (${l.n} lượt)</h3>
<table><thead><tr><th>p50</th><th>p90</th><th>p95</th><th>Lâu nhất</th></tr></thead><tbody><tr>${[l.p50, l.p90, l.p95, l.max].map((x) => `<td class="num">${dec(x, 1)} ms</td>`).join('')}</tr></tbody></table>
${histogramSvg(l)}`;
        })
        .join('\n')
    : '<p class="hint">Lần chạy này không đo thời gian trả lời.</p>';
  return `<section id="thoi-gian"><h2>Thời gian trả lời</h2>${body}</section>`;
}

function caseRows(cases: readonly ReportCase[], clip: number): string {
  const cut = (s: string) => ([...s].length > clip ? `${[...s].slice(0, clip).join('')}…` : s);
  return cases
    .map(
      (c) =>
        `<tr><td>${esc(c.id)}<br><small>${esc(c.group)}</small></td><td class="text">${esc(c.question)}</td><td class="text">${esc(c.expected)}</td><td class="text">${esc(cut(c.actual))}</td><td class="text">${esc(c.citation)}</td><td>${esc(c.status)}</td>${c.pass ? '' : `<td class="text why">${esc(c.reasons.join('; ') || '—')}</td>`}</tr>`,
    )
    .join('\n');
}

const HEAD = '<th>Mã</th><th>Câu hỏi</th><th>Kỳ vọng</th><th>Câu trả lời thực tế</th><th>Trích dẫn</th><th>Trạng thái</th>';

function failingCases(suite: SuiteReport): string {
  const failing = suite.cases.filter((c) => !c.pass);
  if (!failing.length) return `<h3>${esc(suite.title)}</h3><p class="hint">Tất cả ${suite.cases.length} trường hợp đều đạt.</p>`;
  return `<h3>${esc(suite.title)} (${failing.length}/${suite.cases.length})</h3>
<table class="failing"><thead><tr>${HEAD}<th>Lý do</th></tr></thead><tbody>
${caseRows(failing, 4000)}
</tbody></table>`;
}

function passingCases(suite: SuiteReport): string {
  const passing = suite.cases.filter((c) => c.pass);
  return `<details><summary>${esc(suite.title)}: ${passing.length} trường hợp đạt</summary>
<table class="passing"><thead><tr>${HEAD}</tr></thead><tbody>
${caseRows(passing, 400)}
</tbody></table></details>`;
}
