import { describe, expect, it } from 'vitest';
import { statsCsv } from '../../../src/stats/stats-csv.js';
import type { StatsReport } from '../../../src/stats/stats-report.js';

const report = {
  query: { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' },
  topProcedures: [
    { id: '1.1', name: 'Đăng ký kết hôn, có yếu tố nước ngoài', count: 3 },
    { id: '1.2', name: 'Cấp "bản sao"\ntừ sổ gốc', count: 2 },
    { id: '1.3', name: '=HYPERLINK("http://x")', count: 1 },
  ],
} as unknown as StatsReport;

describe('statsCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) and defuses formula-like text', () => {
    expect(statsCsv(report, 'procedures')).toBe(
      '\uFEFFMã thủ tục,Tên thủ tục,Số lượt hỏi\r\n' +
        '1.1,"Đăng ký kết hôn, có yếu tố nước ngoài",3\r\n' +
        '1.2,"Cấp ""bản sao""\ntừ sổ gốc",2\r\n' +
        `1.3,"'=HYPERLINK(""http://x"")",1\r\n`,
    );
  });
});
