import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QaTurn } from '../../../src/qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';

const turn = (id: string, at: string): QaTurn => ({
  id,
  at,
  channel: 'web',
  userKey: 'abc123',
  sessionId: 's-1',
  question: 'lệ phí đăng ký khai sinh',
  answer: 'Miễn phí.',
  status: 'answered',
  procedureIds: ['1.001193'],
  aspect: 'fee',
  composer: 'grounded',
  latencyMs: 1.5,
});

describe('SqliteQaLogStore', () => {
  it('records turns and returns them newest first, with every field intact', async () => {
    const store = new SqliteQaLogStore(':memory:');
    await store.record(turn('a', '2026-11-29T10:00:00.000Z'));
    await store.record(turn('b', '2026-11-29T10:05:00.000Z'));
    expect(await store.count()).toBe(2);
    const recent = await store.recent(10);
    expect(recent.map((t) => t.id)).toEqual(['b', 'a']);
    expect(recent[0]).toEqual(turn('b', '2026-11-29T10:05:00.000Z'));
    await store.close();
  });

  it('keeps turns across reopening the file', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-qa-'));
    try {
      const first = new SqliteQaLogStore({ dataDir });
      await first.record(turn('a', '2026-11-29T10:00:00.000Z'));
      await first.close();
      const second = new SqliteQaLogStore({ dataDir });
      expect(await second.count()).toBe(1);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a duplicate turn id instead of overwriting what was stored', async () => {
    const store = new SqliteQaLogStore(':memory:');
    await store.record(turn('a', '2026-11-29T10:00:00.000Z'));
    await expect(store.record({ ...turn('a', '2026-11-29T11:00:00.000Z'), answer: 'khác' })).rejects.toThrow();
    expect((await store.recent(1))[0]?.answer).toBe('Miễn phí.');
    await store.close();
  });
});
