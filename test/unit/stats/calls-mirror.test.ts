import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStatsSource } from '../../../src/stats/sqlite-stats-source.js';
import { StatsService } from '../../../src/stats/stats-service.js';
import type { CallState } from '../../../src/telephony/call-store.js';
import { SqliteCallStore } from '../../../src/telephony/sqlite-call-store.js';

const STATE = { phase: 'ask', expect: 'menu', lastSaid: '', lastListen: null, silences: 0, failures: 0, pendingQuestion: null, answered: 0, callerNumber: null, callbackNumber: null, after: null, lastTopic: null, sessionId: null } satisfies CallState;

let dataDir: string;
let now: Date;
let calls: SqliteCallStore;
let source: SqliteStatsSource;
let stats: StatsService;

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-calls-mirror-'));
  now = new Date('2026-11-29T03:00:00.000Z');
  source = new SqliteStatsSource({ dataDir });
  stats = new StatsService({ source });
});

afterEach(async () => {
  await calls?.close();
  await source.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const day = async () => {
  const r = await stats.report({ from: '2026-11-29', to: '2026-11-29', groupBy: 'day' });
  const { calls: n, users, talkSeconds, handoffs, containment } = r.totals;
  return { calls: n, users, talkSeconds, handoffs, containment: containment.calls, reasons: r.handoffReasons };
};

describe('calls in the statistics (the in-memory copy of calls.sqlite)', () => {
  it('counts zero before calls.sqlite exists, then follows new, running, ending and deleted calls', async () => {
    expect(await day()).toEqual({ calls: 0, users: 0, talkSeconds: 0, handoffs: 0, containment: null, reasons: [] });
    calls = new SqliteCallStore({ dataDir }, { now: () => now });
    await calls.begin({ callSid: 'A', userKey: 'c1', mode: 'turn', state: STATE });
    await calls.update('A', { turns: 1 });
    // Running: a call and a caller, no talk time, no outcome.
    expect(await day()).toEqual({ calls: 1, users: 1, talkSeconds: 0, handoffs: 0, containment: null, reasons: [] });

    await calls.update('A', { outcome: 'transferred', transferReason: 'complaint' });
    await calls.end('A', { endedAt: '2026-11-29T03:05:00.000Z', durationS: 300, status: 'completed' });
    now = new Date('2026-11-29T04:00:00.000Z');
    await calls.begin({ callSid: 'B', userKey: 'c1', mode: 'turn', state: STATE });
    await calls.end('B', { endedAt: '2026-11-29T04:00:10.000Z', durationS: 10, status: 'completed' });
    expect(await day()).toEqual({
      calls: 2,
      users: 1,
      talkSeconds: 310,
      handoffs: 1,
      containment: 0,
      reasons: [{ reason: 'complaint', channelKind: 'voice', count: 1 }],
    });

    // A call the day before ends after the later ones: it lands on its own day, not this one.
    now = new Date('2026-11-28T16:59:00.000Z');
    await calls.begin({ callSid: 'C', userKey: 'c2', mode: 'turn', state: STATE });
    await calls.update('C', { turns: 2 });
    expect((await day()).calls).toBe(2);
    await calls.end('C', { endedAt: '2026-11-28T17:02:00.000Z', durationS: 180, status: 'completed' });
    expect((await day()).calls).toBe(2);
    const both = await stats.report({ from: '2026-11-28', to: '2026-11-29', groupBy: 'day' });
    expect(both.series.map((s) => [s.period, s.calls, s.users, s.talkSeconds])).toEqual([
      ['2026-11-28', 1, 1, 180],
      ['2026-11-29', 2, 1, 310],
    ]);

    // Rows deleted behind its back: the copy is rebuilt from the table.
    const db = new Database(path.join(dataDir, 'calls.sqlite'));
    db.prepare("DELETE FROM calls WHERE call_sid = 'B'").run();
    db.close();
    expect(await day()).toEqual({ calls: 1, users: 1, talkSeconds: 300, handoffs: 1, containment: 0, reasons: [{ reason: 'complaint', channelKind: 'voice', count: 1 }] });
  });
});
