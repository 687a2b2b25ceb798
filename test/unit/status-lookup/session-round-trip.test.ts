import { describe, expect, it } from 'vitest';
import { newSession } from '../../../src/domain/conversation.js';
import { InMemorySessionStore } from '../../../src/sessions/in-memory-session-store.js';
import { SqliteSessionStore } from '../../../src/sessions/sqlite-session-store.js';

describe('a pending status lookup in the session', () => {
  it.each([
    ['SQLite', () => new SqliteSessionStore(':memory:')],
    ['in memory', () => new InMemorySessionStore()],
  ])('round-trips through the %s store, and so does its clearing', async (_name, make) => {
    const store = make();
    const key = { channel: 'web', userId: 'abc-12345' };
    const session = newSession(key, 'abc-12345', new Date());
    session.statusLookup = { codeHash: 'h'.repeat(32), codeCipher: 'iv.tag.body', attempts: 2, startedAt: '2025-01-20T03:00:00.000Z' };
    await store.save(session);
    expect((await store.load(key)).statusLookup).toEqual(session.statusLookup);
    await store.save({ ...session, statusLookup: null });
    expect((await store.load(key)).statusLookup).toBeNull();
    await store.close();
  });
});
