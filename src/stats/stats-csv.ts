import type { StatsFigures, StatsReport } from './stats-report.js';

export const STATS_CSV_TABLES = ['totals', 'channels', 'series', 'reasons', 'statuses', 'procedures', 'aspects'] as const;
export type StatsCsvTable = (typeof STATS_CSV_TABLES)[number];

type Cell = string | number | null;

const FIGURE_HEADERS = [
  'Người dùng',
  'Cuộc hội thoại',
  'Lượt hỏi đáp',
  'Cuộc gọi',
  'Thời gian thoại (giây)',
  'Số lượt hỏi trung bình mỗi cuộc',
  'Chuyển cán bộ',
  'Tỷ lệ tự xử lý hội thoại',
  'Tỷ lệ tự xử lý cuộc gọi',
  'Chưa trả lời được',
  'Từ chối',
  'Lượt đánh giá',
  'Tỷ lệ đánh giá tích cực',
  'Điểm trung bình (1–5)',
];

function figureCells(f: StatsFigures): Cell[] {
  return [
    f.users,
    f.conversations,
    f.turns,
    f.calls,
    f.talkSeconds,
    f.avgTurnsPerConversation,
    f.handoffs,
    f.containment.conversations,
    f.containment.calls,
    f.unanswered,
    f.refused,
    f.ratings.count,
    f.ratings.positiveShare,
    f.ratings.meanScore,
  ];
}

/**
 * One table of a report as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads
 * Vietnamese as mojibake), CRLF line ends and RFC 4180 quoting; Vietnamese headers. Shares and
 * means keep a dot decimal separator and four decimals, so the file stays machine-readable.
 */
export function statsCsv(report: StatsReport, table: StatsCsvTable): string {
  let rows: Cell[][];
  switch (table) {
    case 'totals':
      rows = [['Từ ngày', 'Đến ngày', 'Kênh', ...FIGURE_HEADERS], [report.query.from, report.query.to, report.query.channel ?? 'Tất cả', ...figureCells(report.totals)]];
      break;
    case 'channels':
      rows = [['Kênh', ...FIGURE_HEADERS], ...report.byChannel.map((c) => [c.channel, ...figureCells(c)])];
      break;
    case 'series':
      rows = [['Kỳ', ...FIGURE_HEADERS], ...report.series.map((s) => [s.period, ...figureCells(s)])];
      break;
    case 'reasons':
      rows = [['Lý do', 'Loại kênh', 'Số lượt'], ...report.handoffReasons.map((r) => [r.reason, r.channelKind === 'voice' ? 'Thoại' : 'Trò chuyện', r.count])];
      break;
    case 'statuses':
      rows = [['Trạng thái', 'Nhóm', 'Số lượt'], ...report.statuses.map((s) => [s.status, s.family, s.count])];
      break;
    case 'procedures':
      rows = [['Mã thủ tục', 'Tên thủ tục', 'Số lượt hỏi'], ...report.topProcedures.map((p) => [p.id, p.name, p.count])];
      break;
    case 'aspects':
      rows = [['Nội dung hỏi', 'Số lượt hỏi'], ...report.topAspects.map((a) => [a.aspect, a.count])];
      break;
  }
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  // A text cell starting like a formula is shown as text, not run by the spreadsheet.
  const text =
    typeof value === 'number'
      ? Number.isInteger(value)
        ? String(value)
        : String(Math.round(value * 10_000) / 10_000)
      : /^[=+\-@\t\r]/.test(value)
        ? `'${value}`
        : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
