import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { SqliteTicketStore, TicketNotFound } from '../../../src/handoff/sqlite-ticket-store.js';
import type { NewTicket } from '../../../src/handoff/ticket-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ticket = (over: Partial<NewTicket> = {}): NewTicket => ({
  kind: 'message',
  channel: 'zalo',
  userId: 'u1',
  sessionId: 's1',
  text: 'Tôi muốn hỏi về hồ sơ đất đai',
  phone: null,
  consentAt: null,
  procedureIds: [],
  ...over,
});

describe('SqliteTicketStore', () => {
  it('creates, lists newest first with a status filter, and marks done once', async () => {
    let t = Date.parse('2026-03-02T10:00:00Z');
    const store = new SqliteTicketStore(':memory:', { now: () => new Date((t += 1000)) });
    const first = await store.create(ticket());
    const second = await store.create(ticket({ kind: 'complaint', text: 'Phản ánh thái độ cán bộ', procedureIds: ['1.001193'] }));
    expect(first).toMatchObject({ status: 'open', handledBy: null, note: null });
    expect((await store.list()).map((x) => x.id)).toEqual([second.id, first.id]);

    const done = await store.markDone(first.id, 'officer-1', 'Đã gọi lại');
    expect(done).toMatchObject({ status: 'done', handledBy: 'officer-1', note: 'Đã gọi lại' });
    expect(done.handledAt).not.toBeNull();
    // A second officer does not overwrite the first one's note.
    expect(await store.markDone(first.id, 'officer-2', 'x')).toMatchObject({ handledBy: 'officer-1', note: 'Đã gọi lại' });
    expect((await store.list({ status: 'open' })).map((x) => x.id)).toEqual([second.id]);
    expect((await store.list({ status: 'done' })).map((x) => x.id)).toEqual([first.id]);
    expect(await store.list({ limit: 1 })).toHaveLength(1);
    await expect(store.markDone('missing', 'o', null)).rejects.toBeInstanceOf(TicketNotFound);
    await store.close();
  });

  it('stores a phone number only for a call-back with consent', async () => {
    const store = new SqliteTicketStore(':memory:');
    const withConsent = await store.create(ticket({ kind: 'callback', phone: '0912345678', consentAt: '2026-03-02T10:00:00Z' }));
    const noConsent = await store.create(ticket({ kind: 'callback', phone: '0912345678', consentAt: null }));
    const notCallback = await store.create(ticket({ kind: 'feedback', phone: '0912345678', consentAt: '2026-03-02T10:00:00Z' }));
    expect(withConsent).toMatchObject({ phone: '0912345678', consentAt: '2026-03-02T10:00:00Z' });
    expect(noConsent).toMatchObject({ phone: null, consentAt: null });
    expect(notCallback).toMatchObject({ phone: null, consentAt: null });
    await store.close();
  });

  it('shares handoff.sqlite with the queue', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tickets-'));
    dirs.push(dir);
    const q = new SqliteHandoffQueue({ dataDir: dir });
    const store = new SqliteTicketStore({ dataDir: dir });
    const t = await store.create(ticket());
    await store.close();
    const reopened = new SqliteTicketStore({ dataDir: dir });
    expect((await reopened.get(t.id))?.text).toBe('Tôi muốn hỏi về hồ sơ đất đai');
    await reopened.close();
    await q.close();
  });
});
