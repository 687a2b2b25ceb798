import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { openReviewQueue } from '../../../src/review/open-review-queue.js';
import { runReviewCommand } from '../../../src/review/review-command.js';

let dataDir: string;
const NOW = new Date('2026-11-25T05:00:00Z');
const config = () => ({ DATA_DIR: dataDir, REVIEW_SAMPLE_PER_WEEK: 2 });

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-review-cli-'));
  const log = new SqliteQaLogStore({ dataDir });
  for (const [i, channel] of ['web', 'zalo', 'web'].entries()) {
    await log.record({ id: `t${i}`, at: `2026-11-2${3 + i}T02:00:00.000Z`, channel, userKey: 'u', sessionId: 's', question: 'q', answer: 'a', status: 'answered', procedureIds: [], aspect: null, composer: null, latencyMs: 1 });
  }
  await log.close();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const lines: string[] = [];
  const code = await runReviewCommand(argv, config(), (l) => lines.push(l), () => NOW);
  return { code, lines };
}

describe('review command', () => {
  it('draws the current Hanoi week by default, then nothing more', async () => {
    expect(await run('sample')).toEqual({ code: 0, lines: ['Tuần 2026-W48: thêm 2 câu trả lời, tổng 2 (mục tiêu 2), đã duyệt 0/2'] });
    expect((await run('sample', '--week', '2026-W48')).lines).toEqual(['Tuần 2026-W48: thêm 0 câu trả lời, tổng 2 (mục tiêu 2), đã duyệt 0/2']);
  });

  it('prints the reviewed accuracy, or that nothing was reviewed', async () => {
    expect((await run('summary')).lines).toEqual(['2026-11-02 → 2026-11-25: chưa có câu trả lời nào được duyệt']);
    await run('sample');
    const q = openReviewQueue(config(), { now: () => NOW });
    const [a, b] = q.items('2026-W48');
    q.mark(a!.id, { verdict: 'correct', reviewer: { id: '1', name: 'Lan' } });
    q.mark(b!.id, { verdict: 'incomplete', comment: 'Thiếu phí', reviewer: { id: '1', name: 'Lan' } });
    q.close();
    expect((await run('summary', '--from', '2026-11-23', '--to', '2026-11-29')).lines).toEqual([
      '2026-11-23 → 2026-11-29: 2 đã duyệt — đúng 1, sai 0, thiếu 1; độ chính xác 50,0%',
      '  [incomplete] Lan: Thiếu phí',
    ]);
  });

  it('refuses a bad week, half a range or an unknown action', async () => {
    expect((await run('sample', '--week', '2026-48')).code).toBe(2);
    expect((await run('summary', '--from', '2026-11-01')).code).toBe(2);
    expect((await run('draw')).code).toBe(2);
    expect((await run('sample', '--weeks', '3')).code).toBe(2);
  });
});
