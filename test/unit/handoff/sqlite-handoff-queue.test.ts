import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { HandoffConflict, type EnqueueInput, type HandoffEvent, type HandoffEventOrigin } from '../../../src/handoff/handoff-queue.js';
import { movedPositions, SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';

class Clock {
  t = Date.parse('2026-03-02T02:00:00Z');
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

const dirs: string[] = [];
const queues: SqliteHandoffQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-'));
  dirs.push(d);
  return d;
}
function queue(dataDir: string, clock = new Clock(), pollMs = 20): SqliteHandoffQueue {
  const q = new SqliteHandoffQueue({ dataDir }, { now: clock.now, pollMs });
  queues.push(q);
  return q;
}
const input = (userId: string, channel = 'messenger'): EnqueueInput => ({
  channel,
  userId,
  sessionId: `s-${userId}`,
  reason: 'citizen_request',
  transcript: [{ role: 'user', text: 'đăng ký khai sinh cần gì', at: '2026-03-02T01:59:00Z' }],
  procedureIds: ['1.001193'],
});

describe('SqliteHandoffQueue', () => {
  it('queues a conversation once per citizen and channel, with its 1-based position', async () => {
    const q = queue(tempDir());
    const a = await q.enqueue(input('a'));
    const b = await q.enqueue(input('b'));
    const again = await q.enqueue({ ...input('a'), reason: 'complaint' });
    const otherChannel = await q.enqueue(input('a', 'zalo'));
    expect(a).toMatchObject({ created: true, position: 1 });
    expect(b).toMatchObject({ created: true, position: 2 });
    expect(again.created).toBe(false);
    expect(again.conversation.id).toBe(a.conversation.id);
    expect(again.conversation.reason).toBe('citizen_request');
    expect(otherChannel).toMatchObject({ created: true, position: 3 });
    expect((await q.findOpen('messenger', 'a'))?.id).toBe(a.conversation.id);
    expect(a.conversation).toMatchObject({ status: 'waiting', claimedBy: null, procedureIds: ['1.001193'] });
    expect(a.conversation.transcript[0]?.text).toBe('đăng ký khai sinh cần gì');
    expect((await q.open()).map((c) => c.userId)).toEqual(['a', 'b', 'a']);
  });

  it('claims atomically: a second claim is a conflict; messages are kept in order', async () => {
    const q = queue(tempDir());
    const { conversation } = await q.enqueue(input('a'));
    const claimed = await q.claim(conversation.id, 'officer-1');
    expect(claimed).toMatchObject({ status: 'claimed', claimedBy: 'officer-1' });
    await expect(q.claim(conversation.id, 'officer-2')).rejects.toBeInstanceOf(HandoffConflict);
    await expect(q.claim('nope', 'officer-2')).rejects.toBeInstanceOf(HandoffConflict);
    expect(await q.position(conversation.id)).toBeNull();

    await q.appendMessage(conversation.id, 'citizen', 'chào anh');
    await q.appendMessage(conversation.id, 'staff', 'Chào anh, tôi xem giúp.', 'officer-1');
    const msgs = await q.messages(conversation.id);
    expect(msgs.map((m) => [m.author, m.staffId, m.text])).toEqual([
      ['citizen', null, 'chào anh'],
      ['staff', 'officer-1', 'Chào anh, tôi xem giúp.'],
    ]);
  });

  it('two queues on one file: only one of two simultaneous claims wins', async () => {
    const dir = tempDir();
    const q1 = queue(dir);
    const q2 = queue(dir);
    const { conversation } = await q1.enqueue(input('a'));
    const results = await Promise.allSettled([q1.claim(conversation.id, 'o1'), q2.claim(conversation.id, 'o2')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof HandoffConflict)).toHaveLength(1);
  });

  it('release and end close the conversation; a closed one cannot be claimed, ended or written to', async () => {
    const q = queue(tempDir());
    const a = (await q.enqueue(input('a'))).conversation;
    await q.claim(a.id, 'o1');
    expect(await q.release(a.id, 'o1')).toMatchObject({ status: 'returned' });
    expect(await q.findOpen('messenger', 'a')).toBeUndefined();
    await expect(q.end(a.id, 'o1', 'done')).rejects.toBeInstanceOf(HandoffConflict);
    await expect(q.appendMessage(a.id, 'citizen', 'hello')).rejects.toBeInstanceOf(HandoffConflict);

    // The citizen can be queued again after the first conversation ended.
    const again = await q.enqueue(input('a'));
    expect(again.created).toBe(true);
    const ended = await q.end(again.conversation.id, 'o1', 'Đã hướng dẫn nộp hồ sơ');
    expect(ended).toMatchObject({ status: 'closed', outcome: 'Đã hướng dẫn nộp hồ sơ' });
    expect(ended.endedAt).not.toBeNull();
    await expect(q.claim(ended.id, 'o1')).rejects.toBeInstanceOf(HandoffConflict);
  });

  it('emits events for every change, and positions when the line moves', async () => {
    const q = queue(tempDir());
    const events: HandoffEvent[] = [];
    const origins: Array<HandoffEventOrigin | undefined> = [];
    const stop = q.subscribe((e, o) => {
      events.push(e);
      origins.push(o);
    });
    const a = (await q.enqueue(input('a'))).conversation;
    const b = (await q.enqueue(input('b'))).conversation;
    const c = (await q.enqueue(input('c'))).conversation;
    await q.claim(b.id, 'o1');
    await q.appendMessage(b.id, 'staff', 'xin chào', 'o1');
    await q.end(a.id, 'o1', 'no reply');
    stop();
    await q.enqueue(input('d'));
    expect(events.map((e) => e.type)).toEqual(['queued', 'queued', 'queued', 'claimed', 'positions', 'message', 'closed', 'positions']);
    expect(events[4]).toEqual({ type: 'positions', positions: [{ conversationId: c.id, position: 2 }] });
    expect(events[7]).toEqual({ type: 'positions', positions: [{ conversationId: c.id, position: 1 }] });
    expect(origins.every((o) => o?.local === true)).toBe(true);
    expect(await q.position(c.id)).toBe(1);
  });

  it('delivers events written by another queue instance on the same file (another process)', async () => {
    const dir = tempDir();
    const writer = queue(dir);
    const reader = queue(dir);
    const seen: Array<{ type: string; local: boolean | undefined }> = [];
    const stop = reader.subscribe((e, o) => seen.push({ type: e.type, local: o?.local }));
    const { conversation } = await writer.enqueue(input('a'));
    await writer.claim(conversation.id, 'o1');
    await writer.appendMessage(conversation.id, 'staff', 'chào anh', 'o1');
    await expect.poll(() => seen.length, { timeout: 2000, interval: 20 }).toBe(3);
    expect(seen).toEqual([
      { type: 'queued', local: false },
      { type: 'claimed', local: false },
      { type: 'message', local: false },
    ]);
    // The reader's own writes reach its listener once, marked local.
    await reader.enqueue(input('b'));
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.slice(3)).toEqual([{ type: 'queued', local: true }]);
    stop();
  });

  it('delivers events written by a separate OS process on the same file', async () => {
    const dir = tempDir();
    const reader = queue(dir);
    const seen: Array<{ type: string; local: boolean | undefined }> = [];
    reader.subscribe((e, o) => seen.push({ type: e.type, local: o?.local }));
    const module = path.resolve('src/handoff/sqlite-handoff-queue.ts');
    const script = `
      const { SqliteHandoffQueue } = await import(${JSON.stringify(module)});
      const q = new SqliteHandoffQueue({ dataDir: ${JSON.stringify(dir)} });
      const r = await q.enqueue({ channel: 'zalo', userId: 'u', sessionId: 's', reason: 'complaint', transcript: [], procedureIds: [] });
      await q.claim(r.conversation.id, 'o1');
      await q.close();
      console.log(r.conversation.id);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 15_000 });
    await expect.poll(() => seen.map((s) => s.type), { timeout: 3000, interval: 20 }).toEqual(['queued', 'claimed']);
    expect(seen.every((s) => s.local === false)).toBe(true);
    expect((await reader.get(stdout.trim()))?.status).toBe('claimed');
  });

  it('a new subscriber gets live changes, not the history', async () => {
    const dir = tempDir();
    const writer = queue(dir);
    const reader = queue(dir);
    await writer.enqueue(input('old'));
    const seen: string[] = [];
    reader.subscribe((e) => seen.push(e.type));
    reader.pollOnce();
    expect(seen).toEqual([]);
    await writer.enqueue(input('new'));
    reader.pollOnce();
    expect(seen).toEqual(['queued']);
  });

  it('averages the wait of the last claims', async () => {
    const clock = new Clock();
    const q = queue(tempDir(), clock);
    expect(await q.averageWaitMs()).toBeNull();
    const a = (await q.enqueue(input('a'))).conversation;
    const b = (await q.enqueue(input('b'))).conversation;
    clock.advance(60_000);
    await q.claim(a.id, 'o1');
    clock.advance(120_000);
    await q.claim(b.id, 'o1');
    expect(await q.averageWaitMs()).toBe(120_000);
  });

  it('keeps conversations across a restart', async () => {
    const dir = tempDir();
    const q1 = new SqliteHandoffQueue({ dataDir: dir });
    const { conversation } = await q1.enqueue(input('a'));
    await q1.close();
    const q2 = queue(dir);
    expect((await q2.get(conversation.id))?.status).toBe('waiting');
    expect(fs.existsSync(path.join(dir, 'handoff.sqlite'))).toBe(true);
  });
});

describe('movedPositions', () => {
  it('lists only conversations whose place changed', () => {
    expect(movedPositions(['a', 'b', 'c'], ['a', 'c'])).toEqual([{ conversationId: 'c', position: 2 }]);
    expect(movedPositions(['a', 'b'], ['a', 'b', 'c'])).toEqual([]);
    expect(movedPositions(['a', 'b', 'c'], ['b', 'c'])).toEqual([
      { conversationId: 'b', position: 1 },
      { conversationId: 'c', position: 2 },
    ]);
  });
});
