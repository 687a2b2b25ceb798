import { describe, expect, it } from 'vitest';
import type { StatsFigures as ServerFigures, StatsReport as ServerReport } from '../../../src/stats/stats-report.js';
import { headlineCards } from '../../../web/dashboard/dashboard-cards.js';
import { chartSpecs, fitLabel, shortLabel } from '../../../web/dashboard/dashboard-charts.js';
import type { StatsFigures, StatsReport } from '../../../web/dashboard/stats-types.js';

// The dashboard's copy of the contract must accept what the server sends (a compile error here
// means web/dashboard/stats-types.ts drifted from src/stats/stats-report.ts).
const sameFigures = (f: ServerFigures): StatsFigures => f;
const sameReport = (r: ServerReport): StatsReport => r;

function figures(over: Partial<StatsFigures> = {}): StatsFigures {
  return sameFigures({
    users: 0,
    conversations: 0,
    turns: 0,
    calls: 0,
    talkSeconds: 0,
    avgTurnsPerConversation: null,
    handoffs: 0,
    containment: { conversations: null, calls: null },
    unanswered: 0,
    refused: 0,
    ratings: { count: 0, positiveShare: null, meanScore: null },
    ...over,
  });
}

const REPORT: StatsReport = sameReport({
  query: { from: '2026-11-23', to: '2026-11-29', groupBy: 'week' },
  timeZone: 'Asia/Ho_Chi_Minh',
  totals: figures({
    users: 73568,
    conversations: 20000,
    turns: 564549,
    calls: 9021,
    talkSeconds: 734400,
    avgTurnsPerConversation: 2.25,
    handoffs: 1200,
    containment: { conversations: 0.94, calls: 0.875 },
    unanswered: 321,
    refused: 45,
    ratings: { count: 800, positiveShare: 0.853, meanScore: 4.2 },
  }),
  byChannel: [
    { channel: 'web', ...figures({ users: 10, conversations: 12, turns: 30, containment: { conversations: 0.5, calls: null } }) },
    { channel: 'voice', ...figures({ users: 4, conversations: 5, turns: 9, calls: 5, containment: { conversations: null, calls: 0.8 } }) },
  ],
  series: [
    { period: '2026-W47', ...figures({ turns: 7, users: 3, calls: 1 }) },
    { period: '2026-W48', ...figures({ turns: 32, users: 11, calls: 4 }) },
  ],
  handoffReasons: [
    { reason: 'citizen_request', channelKind: 'chat', count: 3 },
    { reason: 'caller_request', channelKind: 'voice', count: 2 },
    { reason: 'brand_new_reason', channelKind: 'chat', count: 1 },
  ],
  statuses: [
    { status: 'unanswerable_no_content', family: 'unanswerable', count: 4 },
    { status: 'guardrail_personal_data', family: 'guardrail', count: 1 },
  ],
  topProcedures: [
    { id: '1.001', name: 'Đăng ký khai sinh', count: 12 },
    { id: '2.002', name: null, count: 3 },
  ],
  topAspects: [{ aspect: 'fee', count: 5 }],
  summary: '73.568 lượt người dùng, 564.549 lượt hỏi đáp, 9.021 cuộc gọi, 204 giờ thoại',
});

describe('dashboard headline cards', () => {
  it('shows every figure of the totals, formatted vi-VN', () => {
    const cards = Object.fromEntries(headlineCards(REPORT.totals).map((c) => [c.label, c.value]));
    expect(cards).toMatchObject({
      'Lượt người dùng': '73.568',
      'Hội thoại': '20.000',
      'Lượt hỏi đáp': '564.549',
      'Cuộc gọi': '9.021',
      'Giờ thoại': '204',
      'Tỷ lệ tự phục vụ (hội thoại)': '94%',
      'Tỷ lệ tự phục vụ (cuộc gọi)': '87,5%',
      'Chuyển cán bộ': '1.200',
      'Chưa trả lời được': '321',
      'Từ chối': '45',
      'Hài lòng': '85,3%',
    });
    expect(cards['Số lượt hỏi trung bình mỗi hội thoại']).toMatch(/^2,[23]$/);
    expect(headlineCards(REPORT.totals).find((c) => c.key === 'satisfaction')?.detail).toBe('điểm trung bình 4,2/5 · 800 lượt đánh giá');
  });

  it('shows dashes, not zeros or NaN, when there is nothing to divide', () => {
    const cards = headlineCards(figures());
    expect(cards.find((c) => c.key === 'avg-turns')?.value).toBe('—');
    expect(cards.find((c) => c.key === 'containment-calls')?.value).toBe('—');
    expect(cards.find((c) => c.key === 'satisfaction')).toMatchObject({ value: '—', detail: 'chưa có lượt đánh giá' });
    expect(cards.map((c) => c.value).join(' ')).not.toMatch(/NaN|null|undefined/);
  });
});

describe('dashboard chart data', () => {
  const specs = Object.fromEntries(chartSpecs(REPORT).map((s) => [s.id, s]));

  it('draws six charts, each tied to its CSV table', () => {
    expect(chartSpecs(REPORT).map((s) => [s.id, s.csv])).toEqual([
      ['series', 'series'],
      ['channels', 'channels'],
      ['reasons', 'reasons'],
      ['statuses', 'statuses'],
      ['procedures', 'procedures'],
      ['aspects', 'aspects'],
    ]);
  });

  it('maps the series to turns, users and calls per period', () => {
    const s = specs['series']!;
    expect(s.kind).toBe('line');
    expect(s.title).toBe('Theo thời gian (theo tuần)');
    expect(s.labels).toEqual(['Tuần 47/2026', 'Tuần 48/2026']);
    expect(s.datasets).toEqual([
      { label: 'Lượt hỏi đáp', data: [7, 32] },
      { label: 'Lượt người dùng', data: [3, 11] },
      { label: 'Cuộc gọi', data: [1, 4] },
    ]);
    expect(s.table.rows[1]).toEqual(['Tuần 48/2026', '32', '11', '4', '0', '0', '0']);
  });

  it('names channels in Vietnamese and takes the call containment for voice', () => {
    const c = specs['channels']!;
    expect(c.labels).toEqual(['Trang web', 'Tổng đài (thoại)']);
    expect(c.datasets[0]).toEqual({ label: 'Lượt hỏi đáp', data: [30, 9] });
    expect(c.table.rows.map((r) => r[6])).toEqual(['50%', '80%']);
  });

  it('labels reasons, statuses, procedures and aspects, keeping unknown codes visible', () => {
    expect(specs['reasons']!.labels).toEqual([
      'Công dân yêu cầu gặp cán bộ (nhắn tin)',
      'Người gọi muốn gặp tổng đài viên (thoại)',
      'brand_new_reason (nhắn tin)',
    ]);
    expect(specs['reasons']!.datasets).toEqual([{ label: 'Số lượt chuyển', data: [3, 2, 1] }]);
    expect(specs['statuses']!.table.rows).toEqual([
      ['Chưa có thông tin', 'Chưa trả lời được', '4'],
      ['Từ chối: có dữ liệu cá nhân', 'Từ chối', '1'],
    ]);
    expect(specs['procedures']!.labels).toEqual(['Đăng ký khai sinh', '2.002']);
    expect(specs['procedures']!.table.rows[1]).toEqual(['2.002', '—', '3']);
    expect(specs['aspects']!.table.rows).toEqual([['Lệ phí', '5']]);
    expect(specs['aspects']!.horizontal).toBe(true);
  });

  it('keeps chart axis labels short and tables whole', () => {
    const long = 'Thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân';
    expect(shortLabel(long)).toHaveLength(42);
    expect(shortLabel(long).endsWith('…')).toBe(true);
    expect(shortLabel('Ngắn')).toBe('Ngắn');
    const spec = chartSpecs({ ...REPORT, topProcedures: [{ id: 'x', name: long, count: 1 }] }).find((s) => s.id === 'procedures')!;
    expect(spec.table.rows[0]![1]).toBe(long);
  });

  it('cuts bar labels to the chart\'s width, never below ten characters', () => {
    const long = 'Người gọi muốn gặp tổng đài viên (thoại)';
    expect(fitLabel(long, 1200)).toBe(long);
    expect(fitLabel(long, 322)).toHaveLength(19);
    expect(fitLabel(long, 100)).toHaveLength(10);
    expect(fitLabel('Lệ phí', 100)).toBe('Lệ phí');
  });

  it('gives every canvas a description for screen readers', () => {
    for (const s of chartSpecs(REPORT)) expect(s.description.length).toBeGreaterThan(20);
    expect(specs['series']!.description).toContain('2 kỳ');
  });
});
