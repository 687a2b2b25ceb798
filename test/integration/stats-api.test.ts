import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerStatsApi } from '../../src/http/routes/stats-api.js';
import { STAFF_COOKIE } from '../../src/http/staff-guard.js';
import type { SqliteQaLogStore } from '../../src/qa-log/sqlite-qa-log-store.js';
import { SqliteStaffStore } from '../../src/staff/sqlite-staff-store.js';
import { SqliteStatsSource } from '../../src/stats/sqlite-stats-source.js';
import type { StatsReport } from '../../src/stats/stats-report.js';
import { StatsService } from '../../src/stats/stats-service.js';
import { P1, PROCEDURE_NAMES, seedKnownLog } from '../unit/stats/stats-seed.js';

/** The statistics API on a real Fastify app over the known log in a temporary DATA_DIR. */
let dataDir: string;
let app: FastifyInstance;
let qa: SqliteQaLogStore;
let source: SqliteStatsSource;
let staff: SqliteStaffStore;
let cookie: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stats-api-'));
  qa = await seedKnownLog(dataDir);
  source = new SqliteStatsSource({ dataDir });
  staff = new SqliteStaffStore({ dataDir }, { sessionHours: 12 });
  const officer = await staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: 'correct horse battery' });
  cookie = `${STAFF_COOKIE}=${(await staff.createSession(officer.id)).token}`;
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } } });
  registerErrorHandling(app, {});
  registerStatsApi(app, {
    stats: new StatsService({ source, procedureName: (id) => PROCEDURE_NAMES[id] ?? null }),
    staff,
    now: () => new Date('2026-11-30T10:00:00.000Z'),
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await Promise.all([qa.close(), source.close(), staff.close()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, withCookie = true) => app.inject({ method: 'GET', url, headers: withCookie ? { cookie } : {} });

describe('GET /api/v1/stats', () => {
  it('answers 401 without a staff session, and with an unknown one', async () => {
    for (const res of [await get('/api/v1/stats', false), await app.inject({ method: 'GET', url: '/api/v1/stats', headers: { cookie: `${STAFF_COOKIE}=nope` } })]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
    }
    expect((await get('/api/v1/stats.csv?table=totals', false)).statusCode).toBe(401);
  });

  it('returns the report as JSON, every field through the response schema', async () => {
    const res = await get('/api/v1/stats?from=2026-11-28&to=2026-11-30&group_by=day');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<StatsReport>();
    const direct = await new StatsService({ source, procedureName: (id) => PROCEDURE_NAMES[id] ?? null }).report({ from: '2026-11-28', to: '2026-11-30', groupBy: 'day' });
    expect(body).toEqual(direct);
    expect(body.summary).toBe('7 lượt người dùng, 9 lượt hỏi đáp, 4 cuộc gọi, 2 giờ thoại');
    expect(body.totals.containment).toEqual({ conversations: 0.6, calls: 2 / 3 });
  });

  it('defaults to the last 30 Hanoi days by day, and filters a channel', async () => {
    const body = (await get('/api/v1/stats')).json<StatsReport>();
    expect(body.query).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' });
    expect(body.series).toHaveLength(30);
    const zalo = (await get('/api/v1/stats?from=2026-11-01&to=2026-11-30&group_by=week&channel=zalo')).json<StatsReport>();
    expect(zalo.query).toEqual({ from: '2026-11-01', to: '2026-11-30', groupBy: 'week', channel: 'zalo' });
    expect(zalo.byChannel.map((c) => c.channel)).toEqual(['zalo']);
    expect(zalo.totals.turns).toBe(2);
    expect(zalo.series.map((s) => s.period)).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48', '2026-W49']);
  });

  it('answers 400 for bad dates, from after to, a range too long, a bad grouping', async () => {
    for (const [url, message] of [
      ['/api/v1/stats?from=2026-02-30&to=2026-03-01', /from must be a date/],
      ['/api/v1/stats?from=2026-12-01&to=2026-11-01', /from must not be after to/],
      ['/api/v1/stats?from=2025-01-01&to=2026-01-02', /at most 366 days/],
      ['/api/v1/stats?group_by=year', /group_by/],
      ['/api/v1/stats.csv?table=everything', /table/],
      ['/api/v1/stats.csv', /table/],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message, url).toMatch(message);
    }
    expect((await get('/api/v1/stats?from=2025-01-01&to=2026-01-02')).json().hint).toMatch(/tối đa 366 ngày/);
  });
});

describe('GET /api/v1/stats.csv', () => {
  it('sends one table as UTF-8 CSV with a BOM, Vietnamese headers and RFC 4180 quoting', async () => {
    const res = await get('/api/v1/stats.csv?table=procedures&from=2026-11-28&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="thong-ke-procedures-2026-11-28-2026-11-30.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body).toBe(`\uFEFFMã thủ tục,Tên thủ tục,Số lượt hỏi\r\n${P1},Đăng ký khai sinh,4\r\n2.000488,Cấp bản sao trích lục hộ tịch,2\r\n1.003002,,1\r\n`);
  });

  it('exports totals, channels, series, reasons, statuses and aspects', async () => {
    const csv = async (table: string, extra = '') => (await get(`/api/v1/stats.csv?table=${table}&from=2026-11-28&to=2026-11-30${extra}`)).body.slice(1).split('\r\n');
    const totals = await csv('totals');
    expect(totals[0]).toBe(
      'Từ ngày,Đến ngày,Kênh,Người dùng,Cuộc hội thoại,Lượt hỏi đáp,Cuộc gọi,Thời gian thoại (giây),Số lượt hỏi trung bình mỗi cuộc,Chuyển cán bộ,Tỷ lệ tự xử lý hội thoại,Tỷ lệ tự xử lý cuộc gọi,Chưa trả lời được,Từ chối,Lượt đánh giá,Tỷ lệ đánh giá tích cực,Điểm trung bình (1–5)',
    );
    expect(totals[1]).toBe('2026-11-28,2026-11-30,Tất cả,7,9,9,4,7210,1,3,0.6,0.6667,3,1,4,0.75,3.6667');
    expect((await csv('channels')).map((l) => l.split(',')[0])).toEqual(['Kênh', 'messenger', 'voice', 'web', 'zalo', '']);
    expect((await csv('channels'))[2]).toBe('voice,3,4,2,4,7210,0.5,1,,0.6667,1,0,1,1,5');
    expect((await csv('series')).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'Kỳ,Người dùng,Cuộc hội thoại,Lượt hỏi đáp',
      '2026-11-28,2,2,1',
      '2026-11-29,5,4,6',
      '2026-11-30,3,3,2',
      '',
    ]);
    expect(await csv('reasons')).toEqual(['Lý do,Loại kênh,Số lượt', 'complaint,Trò chuyện,1', 'unanswered_twice,Trò chuyện,1', 'caller_request,Thoại,1', '']);
    expect(await csv('statuses', '&channel=zalo')).toEqual(['Trạng thái,Nhóm,Số lượt', 'guardrail_injection,guardrail,1', '']);
    expect(await csv('aspects')).toEqual(['Nội dung hỏi,Số lượt hỏi', 'fee,3', 'documents,1', 'time,1', '']);
  });
});
