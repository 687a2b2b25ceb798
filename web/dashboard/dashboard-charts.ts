import type { CsvTable } from './dashboard-filters.js';
import { formatCount, formatPeriod, formatShare } from './dashboard-format.js';
import { ASPECT_LABELS, CHANNEL_KIND_LABELS, CHANNEL_LABELS, FAMILY_LABELS, label, REASON_LABELS, STATUS_LABELS } from './dashboard-labels.js';
import type { StatsReport } from './stats-types.js';

/**
 * What each chart of the dashboard draws, and the table that says the same in text (for screen
 * readers and for anyone who wants the numbers), mapped from a report. Pure: the page hands the
 * spec to Chart.js and renders the table; the mapping is unit-tested in Node.
 */
export interface ChartSpec {
  id: 'series' | 'channels' | 'reasons' | 'statuses' | 'procedures' | 'aspects';
  title: string;
  /** The table behind "Tải CSV". */
  csv: CsvTable;
  kind: 'line' | 'bar';
  /** Bars along the y axis: long labels (procedure names, reasons) stay readable at 360 px. */
  horizontal: boolean;
  labels: string[];
  datasets: Array<{ label: string; data: number[] }>;
  table: { columns: string[]; rows: string[][] };
  /** One sentence for the canvas' accessible name. */
  description: string;
}

/** Chart axis labels longer than this are cut with "…" (the table keeps them whole). */
const AXIS_LABEL_MAX = 42;

export function shortLabel(text: string, max = AXIS_LABEL_MAX): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A category label cut to what fits in about 40% of a chart `width` px wide (≈ 6.5 px a character). */
export function fitLabel(text: string, width: number): string {
  return shortLabel(text, Math.max(10, Math.floor((width * 0.4) / 6.5)));
}

export function chartSpecs(report: StatsReport): ChartSpec[] {
  const groupBy = report.query.groupBy;
  const series = report.series;
  const channels = report.byChannel;
  const periodWord = groupBy === 'week' ? 'tuần' : groupBy === 'month' ? 'tháng' : 'ngày';
  return [
    {
      id: 'series',
      title: `Theo thời gian (theo ${periodWord})`,
      csv: 'series',
      kind: 'line',
      horizontal: false,
      labels: series.map((s) => formatPeriod(s.period, groupBy)),
      datasets: [
        { label: 'Lượt hỏi đáp', data: series.map((s) => s.turns) },
        { label: 'Lượt người dùng', data: series.map((s) => s.users) },
        { label: 'Cuộc gọi', data: series.map((s) => s.calls) },
      ],
      table: {
        columns: ['Kỳ', 'Lượt hỏi đáp', 'Lượt người dùng', 'Cuộc gọi', 'Hội thoại', 'Chuyển cán bộ', 'Chưa trả lời được'],
        rows: series.map((s) => [
          formatPeriod(s.period, groupBy),
          formatCount(s.turns),
          formatCount(s.users),
          formatCount(s.calls),
          formatCount(s.conversations),
          formatCount(s.handoffs),
          formatCount(s.unanswered),
        ]),
      },
      description: `Biểu đồ đường: lượt hỏi đáp, lượt người dùng và cuộc gọi theo ${periodWord}, ${series.length} kỳ.`,
    },
    {
      id: 'channels',
      title: 'Theo kênh',
      csv: 'channels',
      kind: 'bar',
      horizontal: false,
      labels: channels.map((c) => label(CHANNEL_LABELS, c.channel)),
      datasets: [
        { label: 'Lượt hỏi đáp', data: channels.map((c) => c.turns) },
        { label: 'Lượt người dùng', data: channels.map((c) => c.users) },
        { label: 'Hội thoại', data: channels.map((c) => c.conversations) },
      ],
      table: {
        columns: ['Kênh', 'Lượt người dùng', 'Hội thoại', 'Lượt hỏi đáp', 'Cuộc gọi', 'Chuyển cán bộ', 'Tự phục vụ', 'Hài lòng'],
        rows: channels.map((c) => [
          label(CHANNEL_LABELS, c.channel),
          formatCount(c.users),
          formatCount(c.conversations),
          formatCount(c.turns),
          formatCount(c.calls),
          formatCount(c.handoffs),
          formatShare(c.channel === 'voice' ? c.containment.calls : c.containment.conversations),
          formatShare(c.ratings.positiveShare),
        ]),
      },
      description: `Biểu đồ cột: lượt hỏi đáp, lượt người dùng và hội thoại của ${channels.length} kênh.`,
    },
    countChart(
      'reasons',
      'Lý do chuyển cán bộ',
      'reasons',
      ['Lý do', 'Loại', 'Số lượt'],
      report.handoffReasons.map((r) => ({
        axis: `${label(REASON_LABELS, r.reason)} (${label(CHANNEL_KIND_LABELS, r.channelKind)})`,
        cells: [label(REASON_LABELS, r.reason), label(CHANNEL_KIND_LABELS, r.channelKind)],
        count: r.count,
      })),
      'Số lượt chuyển',
    ),
    countChart(
      'statuses',
      'Chưa trả lời được và từ chối, theo trạng thái',
      'statuses',
      ['Trạng thái', 'Nhóm', 'Số lượt'],
      report.statuses.map((s) => ({
        axis: label(STATUS_LABELS, s.status),
        cells: [label(STATUS_LABELS, s.status), label(FAMILY_LABELS, s.family)],
        count: s.count,
      })),
      'Số lượt hỏi',
    ),
    countChart(
      'procedures',
      'Thủ tục được hỏi nhiều nhất',
      'procedures',
      ['Mã thủ tục', 'Tên thủ tục', 'Số lượt hỏi'],
      report.topProcedures.map((p) => ({ axis: p.name ?? p.id, cells: [p.id, p.name ?? '—'], count: p.count })),
      'Số lượt hỏi',
    ),
    countChart(
      'aspects',
      'Nội dung được hỏi nhiều nhất',
      'aspects',
      ['Nội dung hỏi', 'Số lượt'],
      report.topAspects.map((a) => ({ axis: label(ASPECT_LABELS, a.aspect), cells: [label(ASPECT_LABELS, a.aspect)], count: a.count })),
      'Số lượt hỏi',
    ),
  ];
}

/** A one-dataset horizontal bar chart of counts, and its table (the cells, then the count). */
function countChart(
  id: ChartSpec['id'],
  title: string,
  csv: CsvTable,
  columns: string[],
  items: Array<{ axis: string; cells: string[]; count: number }>,
  datasetLabel: string,
): ChartSpec {
  return {
    id,
    title,
    csv,
    kind: 'bar',
    horizontal: true,
    labels: items.map((i) => shortLabel(i.axis)),
    datasets: [{ label: datasetLabel, data: items.map((i) => i.count) }],
    table: { columns, rows: items.map((i) => [...i.cells, formatCount(i.count)]) },
    description: `Biểu đồ thanh: ${title.toLowerCase()}, ${items.length} mục.`,
  };
}
