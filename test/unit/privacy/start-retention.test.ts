import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { msUntilNextHanoiHour, startRetention } from '../../../src/privacy/start-retention.js';

describe('msUntilNextHanoiHour', () => {
  it('counts to the next 03:00 in Hanoi (20:00 UTC)', () => {
    expect(msUntilNextHanoiHour(new Date('2026-11-29T19:00:00Z'), 3)).toBe(3_600_000);
    expect(msUntilNextHanoiHour(new Date('2026-11-29T20:00:00Z'), 3)).toBe(24 * 3_600_000);
    expect(msUntilNextHanoiHour(new Date('2026-11-29T20:00:00.001Z'), 3)).toBe(24 * 3_600_000 - 1);
    // 16:59:59 UTC is 23:59:59 in Hanoi: three hours and a second to go.
    expect(msUntilNextHanoiHour(new Date('2026-11-29T16:59:59Z'), 3)).toBe(3 * 3_600_000 + 1000);
    expect(msUntilNextHanoiHour(new Date('2026-12-31T21:30:00Z'), 3)).toBe(22.5 * 3_600_000);
  });
});

describe('startRetention', () => {
  let dataDir: string;
  const logged: Array<{ level: string; obj: object; msg: string }> = [];
  const log = {
    info: (obj: object, msg: string) => void logged.push({ level: 'info', obj, msg }),
    error: (obj: object, msg: string) => void logged.push({ level: 'error', obj, msg }),
  };
  const cutoffs: string[] = [];
  const qaLog = {
    deleteTurnsBefore: async (cutoff: string) => {
      cutoffs.push(cutoff);
      return { turns: 2, ratings: 1 };
    },
    deleteSession: async () => ({ turns: 0, ratings: 0 }),
  };

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-'));
    logged.length = 0;
    cutoffs.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs at start-up, logs the counts, then every day at 03:00 Hanoi time', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-29T19:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const retention = startRetention({ dataDir, days: 30, log, qaLog });
    // runOnce while the start-up run is going joins it.
    const first = await retention.runOnce();
    expect(first).toMatchObject({ cutoff: '2026-10-30T19:00:00.000Z', qaTurns: 2, qaRatings: 1 });
    expect(logged).toEqual([{ level: 'info', obj: expect.objectContaining({ retention: first, days: 30 }), msg: expect.stringContaining('retention') }]);

    await vi.advanceTimersByTimeAsync(3_600_000 - 1);
    expect(cutoffs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(cutoffs).toEqual(['2026-10-30T19:00:00.000Z', '2026-10-30T20:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(cutoffs[2]).toBe('2026-10-31T20:00:00.000Z');

    retention.stop();
    await vi.advanceTimersByTimeAsync(48 * 3_600_000);
    expect(cutoffs).toHaveLength(3);
  });

  it('logs a failed run and tries again the next night', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-29T19:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let fail = true;
    const flaky = {
      ...qaLog,
      deleteTurnsBefore: async (cutoff: string) => {
        if (fail) throw new Error('disk I/O error');
        return qaLog.deleteTurnsBefore(cutoff);
      },
    };
    const retention = startRetention({ dataDir, days: 30, log, qaLog: flaky });
    await expect(retention.runOnce()).rejects.toThrow('disk I/O error');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(logged.filter((l) => l.level === 'error')).toHaveLength(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(cutoffs).toEqual(['2026-10-31T20:00:00.000Z']);
    retention.stop();
  });

  it('with 0 days schedules nothing and says retention is off', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-29T19:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const retention = startRetention({ dataDir, days: 0, log, qaLog });
    expect(vi.getTimerCount()).toBe(0);
    expect(logged.map((l) => l.msg)).toEqual([expect.stringContaining('off')]);
    expect(cutoffs).toEqual([]);
    retention.stop();
  });

  it('its timer does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const retention = startRetention({ dataDir, days: 30, log, qaLog });
    const timer = spy.mock.results.at(-1)!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    retention.stop();
    spy.mockRestore();
  });
});
