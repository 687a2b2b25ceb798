import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelSenders, type ChannelSender, type OutboundMessage } from '../../../src/channels/channel-sender.js';
import { cannedReply } from '../../../src/domain/canned-replies.js';
import type { EnqueueInput } from '../../../src/handoff/handoff-queue.js';
import { relayHandoffEvents } from '../../../src/handoff/relay-handoff-events.js';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { SqliteStaffStore } from '../../../src/staff/sqlite-staff-store.js';

class RecordingSender implements ChannelSender {
  readonly sent: Array<{ userId: string; message: OutboundMessage }> = [];
  failNext = false;
  constructor(readonly channel: string) {}
  async send(userId: string, message: OutboundMessage) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('platform down');
    }
    this.sent.push({ userId, message });
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dataDir?: string) {
  let t = Date.parse('2026-03-02T02:00:00Z');
  const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
  const handoff = new SqliteHandoffQueue(dataDir ? { dataDir } : ':memory:', { now: clock.now, pollMs: 20 });
  const staff = new SqliteStaffStore(':memory:');
  const sessions = new InMemorySessionStore();
  const messenger = new RecordingSender('messenger');
  const senders = new ChannelSenders();
  senders.register(messenger);
  const errors: string[] = [];
  const log = { warn: () => {}, error: (_o: object, msg: string) => void errors.push(msg) };
  const relay = relayHandoffEvents({ handoff, senders, sessions, staff, log, now: clock.now });
  cleanups.push(() => relay.stop(), () => handoff.close(), () => staff.close());
  const officer = await staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: 'correct horse' });
  return { clock, handoff, staff, sessions, messenger, senders, relay, errors, officer };
}

const input = (userId: string, text = 'tôi cần gặp cán bộ'): EnqueueInput => ({
  channel: 'messenger',
  userId,
  sessionId: `s-${userId}`,
  reason: 'citizen_request',
  transcript: [{ role: 'user', text, at: '2026-03-02T01:59:00Z' }],
  procedureIds: [],
});

describe('relayHandoffEvents', () => {
  it('tells the citizen about the claim, relays staff messages, and hands back to the bot', async () => {
    const { handoff, sessions, messenger, relay, officer } = await setup();
    const key = { channel: 'messenger', userId: 'psid-1' };
    await sessions.setMode(key, 'handoff_pending');
    const { conversation } = await handoff.enqueue(input('psid-1'));
    await handoff.claim(conversation.id, officer.id);
    await handoff.appendMessage(conversation.id, 'citizen', 'alo');
    await handoff.appendMessage(conversation.id, 'staff', 'Chào anh, tôi là Lan.', officer.id);
    await relay.idle();
    expect((await sessions.load(key)).mode).toBe('staff');
    await handoff.release(conversation.id, officer.id);
    await relay.idle();
    expect((await sessions.load(key)).mode).toBe('bot');
    expect(messenger.sent).toEqual([
      { userId: 'psid-1', message: { author: 'system', text: cannedReply('handoff_claimed', 'vi', { staff: 'Nguyễn Thị Lan' }) } },
      { userId: 'psid-1', message: { author: 'staff', text: 'Chào anh, tôi là Lan.', staffName: 'Nguyễn Thị Lan' } },
      { userId: 'psid-1', message: { author: 'system', text: cannedReply('handoff_returned', 'vi') } },
    ]);
  });

  it('on close: bot mode again and a rating request, in the citizen\'s language', async () => {
    const { handoff, sessions, messenger, relay, officer } = await setup();
    const { conversation } = await handoff.enqueue(input('psid-2', 'how do I register a birth, I want to talk to an officer'));
    await handoff.claim(conversation.id, officer.id);
    await handoff.end(conversation.id, officer.id, 'resolved');
    await relay.idle();
    expect((await sessions.load({ channel: 'messenger', userId: 'psid-2' })).mode).toBe('bot');
    expect(messenger.sent.at(0)?.message.text).toBe(cannedReply('handoff_claimed', 'en', { staff: 'Nguyễn Thị Lan' }));
    expect(messenger.sent.at(-1)?.message).toEqual({ author: 'system', text: cannedReply('handoff_closed', 'en'), askRating: true });
  });

  it('sends an updated place in the line to those who moved, at most once a minute each', async () => {
    const { clock, handoff, messenger, relay, officer } = await setup();
    const ids: string[] = [];
    for (const u of ['a', 'b', 'c', 'd']) ids.push((await handoff.enqueue(input(u))).conversation.id);
    clock.advance(90_000);
    await handoff.claim(ids[0]!, officer.id);
    await relay.idle();
    const notices = () => messenger.sent.filter((s) => s.message.text.startsWith('Cuộc trò chuyện của anh/chị đang chờ'));
    expect(notices().map((s) => s.userId)).toEqual(['b', 'c', 'd']);
    expect(notices()[0]?.message.text).toBe(cannedReply('handoff_waiting', 'vi', { position: 1, wait: ', dự kiến khoảng 2 phút' }));

    // Within the minute: the line moves again but nobody hears twice.
    clock.advance(10_000);
    await handoff.claim(ids[1]!, officer.id);
    await relay.idle();
    expect(notices()).toHaveLength(3);
    clock.advance(60_000);
    await handoff.end(ids[2]!, officer.id, 'left');
    await relay.idle();
    expect(notices().map((s) => s.userId)).toEqual(['b', 'c', 'd', 'd']);
    expect(notices().at(-1)?.message.text).toContain('vị trí 1');
  });

  it('does not relay events another process wrote (that process relays them)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { handoff, messenger, relay, officer } = await setup(dir);
    const remote: string[] = [];
    cleanups.push(handoff.subscribe((e, o) => void (o?.local === false && remote.push(e.type))));
    const other = new SqliteHandoffQueue({ dataDir: dir });
    cleanups.push(() => other.close());
    const { conversation } = await other.enqueue(input('psid-9'));
    await other.claim(conversation.id, officer.id);
    await other.appendMessage(conversation.id, 'staff', 'xin chào', officer.id);
    await expect.poll(() => remote, { timeout: 2000, interval: 20 }).toEqual(['queued', 'claimed', 'message']);
    await relay.idle();
    expect(messenger.sent).toEqual([]);
  });

  it('logs a failed send and goes on', async () => {
    const { handoff, messenger, relay, officer, errors } = await setup();
    const { conversation } = await handoff.enqueue(input('psid-3'));
    messenger.failNext = true;
    await handoff.claim(conversation.id, officer.id);
    await handoff.appendMessage(conversation.id, 'staff', 'còn đó không anh?', officer.id);
    await relay.idle();
    expect(errors).toEqual(['handoff notice could not be sent']);
    expect(messenger.sent.map((s) => s.message.text)).toEqual(['còn đó không anh?']);
  });
});
