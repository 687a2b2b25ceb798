import { describe, expect, it } from 'vitest';
import { OutboundQueue, SendError, splitMessage, SqliteOutboundFailureLog } from '../../../src/channels/outbound-queue.js';
import { SqliteMessageDedupe } from '../../../src/channels/sqlite-message-dedupe.js';

describe('OutboundQueue', () => {
  it('retries a 429 and a 5xx with backoff, then delivers', async () => {
    const failures = new SqliteOutboundFailureLog(':memory:');
    const q = new OutboundQueue({ channel: 'messenger', failures, backoffMs: 5 });
    const outcomes = [new SendError('rate limited', true, 429), new SendError('bad gateway', true, 502)];
    let calls = 0;
    await q.send('u1', { text: 'x' }, async () => {
      calls++;
      const next = outcomes.shift();
      if (next) throw next;
    });
    expect(calls).toBe(3);
    expect(await failures.list(10)).toEqual([]);
  });

  it('a permanent failure is not retried and is kept with the message', async () => {
    const failures = new SqliteOutboundFailureLog(':memory:');
    const q = new OutboundQueue({ channel: 'zalo', failures, backoffMs: 5 });
    let calls = 0;
    await expect(
      q.send('u2', { recipient: { user_id: 'u2' }, message: { text: 'Xin chào' } }, async () => {
        calls++;
        throw new SendError('user blocked the OA', false, 400);
      }),
    ).rejects.toThrow('user blocked');
    expect(calls).toBe(1);
    const [f] = await failures.list(10);
    expect(f).toMatchObject({ channel: 'zalo', userId: 'u2', attempts: 1, error: '400 user blocked the OA' });
    expect(JSON.parse(f!.payload)).toEqual({ recipient: { user_id: 'u2' }, message: { text: 'Xin chào' } });
  });

  it('gives up after the retries and keeps the message; network errors count as retryable', async () => {
    const failures = new SqliteOutboundFailureLog(':memory:');
    const q = new OutboundQueue({ channel: 'messenger', failures, backoffMs: 1, retries: 2 });
    let calls = 0;
    await expect(
      q.send('u3', { text: 'y' }, async () => {
        calls++;
        throw new Error('ECONNRESET');
      }),
    ).rejects.toThrow('ECONNRESET');
    expect(calls).toBe(3);
    expect((await failures.list(10))[0]?.attempts).toBe(3);
  });

  it('honours Retry-After when it is longer than the backoff', async () => {
    const failures = new SqliteOutboundFailureLog(':memory:');
    const q = new OutboundQueue({ channel: 'messenger', failures, backoffMs: 1 });
    const started = Date.now();
    let first = true;
    await q.send('u4', {}, async () => {
      if (first) {
        first = false;
        throw new SendError('slow down', true, 429, 0.2);
      }
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('splitMessage', () => {
  it('keeps short text whole', () => {
    expect(splitMessage('Xin chào.', 2000)).toEqual(['Xin chào.']);
  });

  it('cuts long text on sentence boundaries, every part within the limit, nothing lost', () => {
    const sentence = 'Hồ sơ gồm tờ khai và giấy chứng sinh bản chính. ';
    const text = sentence.repeat(120).trim();
    const parts = splitMessage(text, 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(2000);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('falls back to words when a sentence is longer than the limit', () => {
    const parts = splitMessage('từ '.repeat(1000).trim(), 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts.join(' ').split(' ')).toHaveLength(1000);
  });
});

describe('SqliteMessageDedupe', () => {
  it('says first only once per key, and forgets keys after the TTL', async () => {
    let t = 1_000_000;
    const d = new SqliteMessageDedupe(':memory:', 60_000, () => t);
    expect(await d.firstSeen('messenger:m1')).toBe(true);
    expect(await d.firstSeen('messenger:m1')).toBe(false);
    expect(await d.firstSeen('zalo:m1')).toBe(true);
    t += 61_000;
    // Swept on the 1000th write; push writes past it.
    for (let i = 0; i < 1000; i++) await d.firstSeen(`k${i}`);
    expect(await d.firstSeen('messenger:m1')).toBe(true);
    await d.close();
  });
});
