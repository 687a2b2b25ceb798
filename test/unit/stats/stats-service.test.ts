import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { SqliteStatsSource } from '../../../src/stats/sqlite-stats-source.js';
import { StatsQueryError } from '../../../src/stats/stats-query.js';
import type { StatsFigures, StatsQuery } from '../../../src/stats/stats-report.js';
import { StatsService } from '../../../src/stats/stats-service.js';
import { P1, P2, P3, PROCEDURE_NAMES, seedKnownLog } from './stats-seed.js';

/** Expected figures: zeros and nulls unless given. */
function fig(f: Partial<Omit<StatsFigures, 'containment' | 'ratings'>> & { containment?: Partial<StatsFigures['containment']>; ratings?: Partial<StatsFigures['ratings']> } = {}): StatsFigures {
  return {
    users: 0,
    conversations: 0,
    turns: 0,
    calls: 0,
    talkSeconds: 0,
    avgTurnsPerConversation: null,
    handoffs: 0,
    unanswered: 0,
    refused: 0,
    ...f,
    containment: { conversations: null, calls: null, ...f.containment },
    ratings: { count: 0, positiveShare: null, meanScore: null, ...f.ratings },
  };
}

// Worked out by hand from stats-seed.ts.
const WEB = fig({ users: 2, conversations: 3, turns: 4, avgTurnsPerConversation: 4 / 3, handoffs: 1, containment: { conversations: 2 / 3 }, unanswered: 1, ratings: { count: 1, positiveShare: 1 } });
const ZALO = fig({ users: 1, conversations: 1, turns: 2, avgTurnsPerConversation: 2, handoffs: 1, containment: { conversations: 0 }, refused: 1, ratings: { count: 1, positiveShare: 0, meanScore: 2 } });
const MESSENGER = fig({ users: 1, conversations: 1, turns: 1, avgTurnsPerConversation: 1, containment: { conversations: 1 }, unanswered: 1, ratings: { count: 1, positiveShare: 1, meanScore: 4 } });
const VOICE = fig({ users: 3, conversations: 4, turns: 2, calls: 4, talkSeconds: 7210, avgTurnsPerConversation: 0.5, handoffs: 1, containment: { calls: 2 / 3 }, unanswered: 1, ratings: { count: 1, positiveShare: 1, meanScore: 5 } });
const NOV_28_30 = fig({
  users: 7,
  conversations: 9,
  turns: 9,
  calls: 4,
  talkSeconds: 7210,
  avgTurnsPerConversation: 1,
  handoffs: 3,
  containment: { conversations: 3 / 5, calls: 2 / 3 },
  unanswered: 3,
  refused: 1,
  ratings: { count: 4, positiveShare: 3 / 4, meanScore: 11 / 3 },
});
const NOV_28 = fig({ users: 2, conversations: 2, turns: 1, calls: 1, talkSeconds: 3600, avgTurnsPerConversation: 0.5, containment: { conversations: 1, calls: 1 } });
const NOV_29 = fig({
  users: 5,
  conversations: 4,
  turns: 6,
  calls: 2,
  talkSeconds: 3600,
  avgTurnsPerConversation: 1.5,
  handoffs: 3,
  containment: { conversations: 0, calls: 1 / 2 },
  unanswered: 2,
  refused: 1,
  ratings: { count: 3, positiveShare: 2 / 3, meanScore: 3.5 },
});
const NOV_30 = fig({ users: 3, conversations: 3, turns: 2, calls: 1, talkSeconds: 10, avgTurnsPerConversation: 2 / 3, containment: { conversations: 1 }, unanswered: 1, ratings: { count: 1, positiveShare: 1, meanScore: 4 } });

let dataDir: string;
let qa: SqliteQaLogStore;
let source: SqliteStatsSource;
let stats: StatsService;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-stats-'));
  qa = await seedKnownLog(dataDir);
  source = new SqliteStatsSource({ dataDir });
  stats = new StatsService({ source, procedureName: (id) => PROCEDURE_NAMES[id] ?? null });
});

afterAll(async () => {
  await qa.close();
  await source.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const q = (from: string, to: string, groupBy: StatsQuery['groupBy'] = 'day', channel?: string): StatsQuery => ({ from, to, groupBy, ...(channel ? { channel } : {}) });

describe('StatsService over the real stores', () => {
  it('reports every figure of a three-day range: totals, channels, days, reasons, statuses, procedures, aspects, summary', async () => {
    const report = await stats.report(q('2026-11-28', '2026-11-30'));
    expect(report).toEqual({
      query: { from: '2026-11-28', to: '2026-11-30', groupBy: 'day' },
      timeZone: 'Asia/Ho_Chi_Minh',
      totals: NOV_28_30,
      byChannel: [
        { channel: 'messenger', ...MESSENGER },
        { channel: 'voice', ...VOICE },
        { channel: 'web', ...WEB },
        { channel: 'zalo', ...ZALO },
      ],
      series: [
        { period: '2026-11-28', ...NOV_28 },
        { period: '2026-11-29', ...NOV_29 },
        { period: '2026-11-30', ...NOV_30 },
      ],
      handoffReasons: [
        { reason: 'complaint', channelKind: 'chat', count: 1 },
        { reason: 'unanswered_twice', channelKind: 'chat', count: 1 },
        { reason: 'caller_request', channelKind: 'voice', count: 1 },
      ],
      statuses: [
        { status: 'error_llm', family: 'error', count: 1 },
        { status: 'guardrail_injection', family: 'guardrail', count: 1 },
        { status: 'unanswerable_no_content', family: 'unanswerable', count: 1 },
        { status: 'unanswerable_out_of_scope', family: 'unanswerable', count: 1 },
      ],
      // t2 cites P1 twice: one turn, counted once.
      topProcedures: [
        { id: P1, name: 'Đăng ký khai sinh', count: 4 },
        { id: P2, name: 'Cấp bản sao trích lục hộ tịch', count: 2 },
        { id: P3, name: null, count: 1 },
      ],
      topAspects: [
        { aspect: 'fee', count: 3 },
        { aspect: 'documents', count: 1 },
        { aspect: 'time', count: 1 },
      ],
      summary: '7 lượt người dùng, 9 lượt hỏi đáp, 4 cuộc gọi, 2 giờ thoại',
    });
  });

  it('splits Hanoi days at midnight: 16:59:59Z is the evening before, 17:00:00Z the next day', async () => {
    const nov28 = await stats.report(q('2026-11-28', '2026-11-28'));
    expect(nov28.totals).toEqual(NOV_28);
    expect(nov28.series).toEqual([{ period: '2026-11-28', ...NOV_28 }]);
    expect(nov28.topAspects).toEqual([{ aspect: 'fee', count: 1 }]);
    expect(nov28.summary).toBe('2 lượt người dùng, 1 lượt hỏi đáp, 1 cuộc gọi, 1 giờ thoại');
    // The session that crossed midnight counts as a conversation on its first day only.
    const nov29 = await stats.report(q('2026-11-29', '2026-11-29'));
    expect(nov29.totals).toEqual(NOV_29);
    expect(nov29.topAspects).toEqual([{ aspect: 'documents', count: 1 }, { aspect: 'fee', count: 1 }, { aspect: 'time', count: 1 }]);
  });

  it('answers an empty range with zeros, nulls and a row per empty day', async () => {
    const report = await stats.report(q('2026-09-01', '2026-09-03'));
    expect(report.totals).toEqual(fig());
    expect(report.byChannel).toEqual([]);
    expect(report.series).toEqual(['2026-09-01', '2026-09-02', '2026-09-03'].map((period) => ({ period, ...fig() })));
    expect([report.handoffReasons, report.statuses, report.topProcedures, report.topAspects]).toEqual([[], [], [], []]);
    expect(report.summary).toBe('0 lượt người dùng, 0 lượt hỏi đáp, 0 cuộc gọi, 0 giờ thoại');
  });

  it('counts a call still running as a call and a user, outside containment and talk time', async () => {
    const report = await stats.report(q('2026-10-15', '2026-10-15'));
    expect(report.totals).toEqual(fig({ users: 1, conversations: 1, calls: 1, avgTurnsPerConversation: 0 }));
    expect(report.byChannel).toEqual([{ channel: 'voice', ...fig({ users: 1, conversations: 1, calls: 1, avgTurnsPerConversation: 0 }) }]);
  });

  it('filters one chat channel: its figures, statuses, procedures and handoff reasons only', async () => {
    const report = await stats.report(q('2026-11-28', '2026-11-30', 'day', 'web'));
    expect(report.query).toEqual({ from: '2026-11-28', to: '2026-11-30', groupBy: 'day', channel: 'web' });
    expect(report.totals).toEqual(WEB);
    expect(report.byChannel).toEqual([{ channel: 'web', ...WEB }]);
    expect(report.series.map((s) => [s.period, s.users, s.turns, s.conversations, s.handoffs])).toEqual([
      ['2026-11-28', 1, 1, 1, 0],
      ['2026-11-29', 2, 2, 1, 1],
      ['2026-11-30', 1, 1, 1, 0],
    ]);
    expect(report.handoffReasons).toEqual([{ reason: 'unanswered_twice', channelKind: 'chat', count: 1 }]);
    expect(report.statuses).toEqual([{ status: 'unanswerable_no_content', family: 'unanswerable', count: 1 }]);
    expect(report.topProcedures).toEqual([
      { id: P1, name: 'Đăng ký khai sinh', count: 2 },
      { id: P2, name: 'Cấp bản sao trích lục hộ tịch', count: 2 },
    ]);
    expect(report.summary).toBe('2 lượt người dùng, 4 lượt hỏi đáp, 0 cuộc gọi, 0 giờ thoại');
  });

  it('filters the voice channel: callers, calls, talk time and transfers', async () => {
    const report = await stats.report(q('2026-11-28', '2026-11-30', 'day', 'voice'));
    expect(report.totals).toEqual(VOICE);
    expect(report.handoffReasons).toEqual([{ reason: 'caller_request', channelKind: 'voice', count: 1 }]);
    expect(report.statuses).toEqual([{ status: 'unanswerable_out_of_scope', family: 'unanswerable', count: 1 }]);
    expect(report.summary).toBe('3 lượt người dùng, 2 lượt hỏi đáp, 4 cuộc gọi, 2 giờ thoại');
  });

  it('groups by ISO week across the year end (2026 has a week 53)', async () => {
    const report = await stats.report(q('2026-12-28', '2027-01-10', 'week'));
    expect(report.series).toEqual([
      { period: '2026-W53', ...fig({ users: 1, conversations: 2, turns: 2, avgTurnsPerConversation: 1, containment: { conversations: 1 } }) },
      { period: '2027-W01', ...fig({ users: 1, conversations: 1, turns: 1, avgTurnsPerConversation: 1, containment: { conversations: 1 } }) },
    ]);
    // One user on three days is one user of the range.
    expect(report.totals).toEqual(fig({ users: 1, conversations: 3, turns: 3, avgTurnsPerConversation: 1, containment: { conversations: 1 } }));
  });

  it('clips the first and last week to the range', async () => {
    const report = await stats.report(q('2026-11-29', '2026-12-01', 'week'));
    // 2026-11-29 is a Sunday (end of W48); Monday 11-30 starts W49.
    expect(report.series.map((s) => [s.period, s.turns])).toEqual([
      ['2026-W48', 6],
      ['2026-W49', 2],
    ]);
  });

  it('groups by month; whole months and partial edge months give the same procedure counts as the turns', async () => {
    const report = await stats.report(q('2026-11-01', '2027-01-31', 'month'));
    expect(report.series.map((s) => [s.period, s.users, s.turns, s.conversations, s.calls])).toEqual([
      ['2026-11', 7, 9, 9, 4],
      ['2026-12', 1, 1, 1, 0],
      ['2027-01', 1, 2, 2, 0],
    ]);
    expect(report.totals.users).toBe(8);
    expect(report.totals.turns).toBe(12);
    expect(report.topProcedures.map((p) => [p.id, p.count])).toEqual([
      [P1, 5],
      [P2, 4],
      [P3, 1],
    ]);
    // Head days 11-29..11-30, all of December from the monthly rollup, tail days 01-01..01-03.
    const partial = await stats.report(q('2026-11-29', '2027-01-03', 'month'));
    expect(partial.series.map((s) => s.period)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(partial.topProcedures.map((p) => [p.id, p.count])).toEqual([
      [P2, 4],
      [P1, 3],
      [P3, 1],
    ]);
    expect(partial.topAspects).toEqual([
      { aspect: 'fee', count: 3 },
      { aspect: 'documents', count: 1 },
      { aspect: 'time', count: 1 },
    ]);
  });

  it('refuses invalid queries', async () => {
    await expect(stats.report(q('2026-02-30', '2026-03-01'))).rejects.toThrow(StatsQueryError);
    await expect(stats.report(q('2026-12-01', '2026-11-01'))).rejects.toThrow(/from must not be after to/);
    await expect(stats.report(q('2025-01-01', '2026-01-02'))).rejects.toThrow(/at most 366 days/);
    await expect(stats.report(q('2025-01-01', '2026-01-01', 'week'))).resolves.toBeDefined();
  });

  it('keeps every figure after retention deletes all raw turns and a session is erased', async () => {
    const queries = [q('2026-11-28', '2026-11-30'), q('2026-11-01', '2027-01-31', 'month'), q('2026-11-28', '2026-11-30', 'day', 'web')];
    const before = await Promise.all(queries.map((x) => stats.report(x)));
    expect(await qa.deleteSession('sZ1')).toEqual({ turns: 2, ratings: 1 });
    expect(await qa.deleteTurnsBefore('2027-02-01T00:00:00.000Z')).toEqual({ turns: 10, ratings: 3 });
    expect(await qa.count()).toBe(0);
    expect(await Promise.all(queries.map((x) => stats.report(x)))).toEqual(before);
  });
});
