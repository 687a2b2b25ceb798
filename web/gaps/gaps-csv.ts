import type { GapGroup } from './gaps-client.js';
import { CHANNELS, label, REASONS, STATUSES } from './gaps-labels.js';

/**
 * One CSV cell. Quotes as RFC 4180; a cell a spreadsheet would run as a formula (citizens'
 * words may start with = + - @) gets a leading apostrophe.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const counted = (items: Array<{ key: string; count: number }>, names: Record<string, string>) => items.map((c) => `${label(names, c.key)} (${c.count})`).join('; ');

/** The groups table as CSV (UTF-8 with BOM so Excel reads the Vietnamese). */
export function groupsCsv(groups: readonly GapGroup[], by: 'wording' | 'procedure'): string {
  const header = [by === 'wording' ? 'Câu hỏi tiêu biểu' : 'Thủ tục', 'Số lượt', 'Lý do', 'Trạng thái', 'Kênh', 'Thủ tục liên quan', 'Ví dụ', 'Lần đầu', 'Lần cuối', 'Ngoài phạm vi', 'Mã nhóm'];
  const rows = groups.map((g) => [
    g.label,
    g.count,
    counted(g.reasons, REASONS),
    counted(g.statuses, STATUSES),
    counted(g.channels, CHANNELS),
    g.procedures.map((p) => `${p.id}${p.name ? ` ${p.name}` : ''} (${p.count})`).join('; '),
    g.examples.join(' | '),
    g.firstSeen,
    g.lastSeen,
    g.outOfScope ? `Có (${g.outOfScope.by.name})` : '',
    g.key,
  ]);
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** Saves text as a file through a temporary link (no server round trip). */
export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
