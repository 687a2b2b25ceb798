import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionKey, SessionStore, Turn } from '../../../src/domain/conversation.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { MAX_SESSION_TURNS } from '../../../src/sessions/session-limits.js';
import { SqliteSessionStore } from '../../../src/sessions/sqlite-session-store.js';

const key: SessionKey = { channel: 'web', userId: 'u-1' };
const turn = (i: number): Turn => ({ role: i % 2 ? 'assistant' : 'user', text: `turn ${i}`, at: new Date(i * 1000).toISOString() });

class Clock {
  t = Date.parse('2026-03-01T08:00:00Z');
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const factories: Array<[string, (clock: Clock, ttlMs?: number) => SessionStore]> = [
  ['in-memory', (clock, ttlMs) => new InMemorySessionStore({ now: clock.now, ttlMs })],
  ['sqlite :memory:', (clock, ttlMs) => new SqliteSessionStore(':memory:', { now: clock.now, ttlMs })],
];

describe.each(factories)('%s session store', (_, make) => {
  it('returns a fresh unsaved session with a random UUID when none is live', async () => {
    const store = make(new Clock());
    const a = await store.load(key);
    const b = await store.load(key);
    expect(a).toMatchObject({ key, mode: 'bot', currentProcedureId: null, pendingOptions: null, turns: [] });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.id).not.toBe(a.id);
    await store.close();
  });

  it('saves and loads a session, keyed by channel and user', async () => {
    const store = make(new Clock());
    const s = await store.load(key);
    s.currentProcedureId = '1.001193';
    s.currentAspect = 'fee';
    s.pendingOptions = [{ id: '1.001193', name: 'Thủ tục đăng ký khai sinh' }];
    s.turns.push(turn(0));
    await store.save(s);
    const loaded = await store.load(key);
    expect(loaded).toMatchObject({ id: s.id, currentProcedureId: '1.001193', currentAspect: 'fee', pendingOptions: s.pendingOptions, turns: [turn(0)] });
    expect((await store.load({ channel: 'zalo', userId: 'u-1' })).id).not.toBe(s.id);
    await store.close();
  });

  it('expires a session after the TTL (default 30 minutes) since the last save', async () => {
    const clock = new Clock();
    const store = make(clock);
    const s = await store.load(key);
    await store.save(s);
    clock.advance(29 * 60 * 1000);
    expect((await store.load(key)).id).toBe(s.id);
    await store.save(await store.load(key)); // refreshes the expiry
    clock.advance(29 * 60 * 1000);
    expect((await store.load(key)).id).toBe(s.id);
    clock.advance(60 * 1000 + 1);
    expect((await store.load(key)).id).not.toBe(s.id);
    await store.close();
  });

  it('honours a configured TTL', async () => {
    const clock = new Clock();
    const store = make(clock, 1000);
    const s = await store.load(key);
    await store.save(s);
    clock.advance(1000);
    expect((await store.load(key)).id).not.toBe(s.id);
    await store.close();
  });

  it(`keeps at most the last ${MAX_SESSION_TURNS} turns`, async () => {
    const store = make(new Clock());
    const s = await store.load(key);
    for (let i = 0; i < 25; i++) s.turns.push(turn(i));
    await store.save(s);
    const loaded = await store.load(key);
    expect(loaded.turns).toHaveLength(MAX_SESSION_TURNS);
    expect(loaded.turns[0]).toEqual(turn(5));
    expect(loaded.turns.at(-1)).toEqual(turn(24));
    await store.close();
  });

  it('setMode stores the mode, creating the session when needed', async () => {
    const store = make(new Clock());
    await store.setMode(key, 'handoff_pending');
    expect((await store.load(key)).mode).toBe('handoff_pending');
    await store.setMode(key, 'staff');
    expect((await store.load(key)).mode).toBe('staff');
    await store.close();
  });
});

describe('SqliteSessionStore on disk', () => {
  it('persists across reopen, in WAL mode, and purges expired rows', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sessions-'));
    dirs.push(dataDir);
    const clock = new Clock();
    const first = new SqliteSessionStore({ dataDir }, { now: clock.now });
    const s = await first.load(key);
    s.currentProcedureId = '1.000894';
    await first.save(s);
    await first.save({ ...(await first.load({ channel: 'web', userId: 'other' })) });
    await first.close();
    expect(fs.existsSync(path.join(dataDir, 'sessions.sqlite'))).toBe(true);

    const second = new SqliteSessionStore({ dataDir }, { now: clock.now, purgeEveryMs: 0 });
    expect(await second.load(key)).toMatchObject({ id: s.id, currentProcedureId: '1.000894' });
    expect(second.rowCount()).toBe(2);
    clock.advance(31 * 60 * 1000);
    const fresh = await second.load(key);
    expect(fresh.id).not.toBe(s.id);
    await second.save(fresh); // a save purges lazily
    expect(second.rowCount()).toBe(1);
    await second.close();

    // Re-applying migrations on an existing file is a no-op.
    const third = new SqliteSessionStore({ dataDir }, { now: clock.now });
    expect((await third.load(key)).id).toBe(fresh.id);
    await third.close();
  });
});
