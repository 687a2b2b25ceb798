import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPrivacyCommand } from '../../../src/commands/privacy-command.js';
import { SqliteDeletionLog } from '../../../src/privacy/deletion-log.js';
import { hashSessionId } from '../../../src/privacy/session-hash.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { NOW, seedDataDir, ZALO, type SeededDataDir } from './seed-data-dir.js';

let seeded: SeededDataDir;
let lines: string[];
const run = (...argv: string[]) => runPrivacyCommand(argv, { dataDir: seeded.dataDir, retentionDays: 365, out: (l) => void lines.push(l), now: () => NOW });
const turns = async () => {
  const store = new SqliteQaLogStore({ dataDir: seeded.dataDir });
  try {
    return await store.count();
  } finally {
    await store.close();
  }
};

beforeEach(async () => {
  seeded = await seedDataDir();
  lines = [];
});
afterEach(() => fs.rmSync(seeded.dataDir, { recursive: true, force: true }));

describe('npm run cli -- privacy', () => {
  it('delete <sessionId> --reason erases the conversation and logs it as done from the command line', async () => {
    expect(await run('delete', ZALO.sessionId, '--reason', 'Đơn đề nghị ngày 28/11', '--by', 'lan')).toBe(0);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^Deleted conversation ${hashSessionId(ZALO.sessionId)} .*qaTurns 1, qaRatings 1`))]);
    expect(lines[0]).not.toContain(ZALO.sessionId);
    expect(await turns()).toBe(2);
    const log = new SqliteDeletionLog({ dataDir: seeded.dataDir });
    expect(log.list().map((d) => [d.staffId, d.reason])).toEqual([['cli:lan', 'Đơn đề nghị ngày 28/11']]);
    log.close();

    lines = [];
    expect(await run('delete', ZALO.sessionId, '--reason', 'lại lần nữa')).toBe(2);
    expect(lines).toEqual([expect.stringContaining('Nothing stored')]);
    lines = [];
    expect(await run('log')).toBe(0);
    expect(lines).toEqual([expect.stringContaining('cli:lan')]);
  });

  it('delete needs a session id and a reason', async () => {
    expect(await run('delete', ZALO.sessionId)).toBe(1);
    expect(await run('delete', '--reason', 'thiếu mã')).toBe(1);
    expect(await run('delete', 'bad id with spaces', '--reason', 'xoá')).toBe(1);
    expect(await turns()).toBe(3);
  });

  it('retention --dry-run counts, --run deletes, exactly one of them', async () => {
    expect(await run('retention', '--dry-run')).toBe(0);
    expect(lines[0]).toMatch(/^Would delete \(older than 365 days, before 2025-11-29T05:00:00.000Z\): qaTurns 1, qaRatings 1, /);
    expect(await turns()).toBe(3);
    expect(await run('retention', '--run')).toBe(0);
    expect(lines[1]).toMatch(/^Deleted \(older than 365 days/);
    expect(await turns()).toBe(2);
    expect(await run('retention')).toBe(1);
    expect(await run('retention', '--run', '--dry-run')).toBe(1);
    expect(await run('retention', '--run', '--days', 'many')).toBe(1);
  });

  it('retention --days overrides the setting', async () => {
    expect(await run('retention', '--run', '--days', '1')).toBe(0);
    expect(await turns()).toBe(0);
  });

  it('prints the usage for no or an unknown action', async () => {
    expect(await run()).toBe(1);
    expect(await run('purge')).toBe(1);
    expect(await run('--help')).toBe(0);
    expect(lines.at(-1)).toContain('privacy delete <sessionId>');
  });
});
