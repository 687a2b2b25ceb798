import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LookupSecrets, loadOrCreateLookupSecrets } from '../../../src/status-lookup/lookup-secrets.js';
import { SqliteStatusLookupGuard, STATUS_GUARD_FILE } from '../../../src/status-lookup/sqlite-status-lookup-guard.js';

const MIN = 60_000;
const t0 = new Date('2025-01-20T03:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ccai-guard-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SqliteStatusLookupGuard: wrong verifications', () => {
  it('locks a code on the third failure for 15 minutes, then unlocks with a fresh count', async () => {
    const guard = new SqliteStatusLookupGuard(':memory:');
    expect(await guard.recordFailure('code-a', at(0))).toEqual({ attemptsLeft: 2, lockedUntil: null });
    expect(await guard.recordFailure('code-a', at(MIN))).toEqual({ attemptsLeft: 1, lockedUntil: null });
    expect(await guard.lockedUntil('code-a', at(MIN))).toBeNull();
    const third = await guard.recordFailure('code-a', at(2 * MIN));
    expect(third).toEqual({ attemptsLeft: 0, lockedUntil: at(17 * MIN) });
    // Locked for everyone, and further wrong answers do not extend or reset it.
    expect(await guard.lockedUntil('code-a', at(16 * MIN))).toEqual(at(17 * MIN));
    expect(await guard.recordFailure('code-a', at(10 * MIN))).toEqual({ attemptsLeft: 0, lockedUntil: at(17 * MIN) });
    // Another code is not affected.
    expect(await guard.lockedUntil('code-b', at(3 * MIN))).toBeNull();
    // After 15 minutes the code is open again and the count starts over.
    expect(await guard.lockedUntil('code-a', at(17 * MIN))).toBeNull();
    expect(await guard.recordFailure('code-a', at(18 * MIN))).toEqual({ attemptsLeft: 2, lockedUntil: null });
    await guard.close();
  });

  it('forgets failures on success and after the failure window', async () => {
    const guard = new SqliteStatusLookupGuard(':memory:');
    await guard.recordFailure('c', at(0));
    await guard.recordFailure('c', at(MIN));
    await guard.recordSuccess('c');
    expect(await guard.recordFailure('c', at(2 * MIN))).toEqual({ attemptsLeft: 2, lockedUntil: null });
    // Two more, but the first is older than 15 minutes by then: no lock.
    await guard.recordFailure('c', at(3 * MIN));
    expect(await guard.recordFailure('c', at(30 * MIN))).toEqual({ attemptsLeft: 2, lockedUntil: null });
    await guard.close();
  });

  it('takes its numbers from the constructor', async () => {
    const guard = new SqliteStatusLookupGuard(':memory:', { maxFailures: 1, lockMs: 5 * MIN });
    expect(await guard.recordFailure('c', at(0))).toEqual({ attemptsLeft: 0, lockedUntil: at(5 * MIN) });
    await guard.close();
  });

  it('shares the lock between processes through the file', async () => {
    const dataDir = tmp();
    const a = new SqliteStatusLookupGuard({ dataDir });
    const b = new SqliteStatusLookupGuard({ dataDir });
    for (let i = 0; i < 3; i++) await a.recordFailure('c', at(i * 1000));
    expect(await b.lockedUntil('c', at(5000))).toEqual(at(2000 + 15 * MIN));
    await a.close();
    await b.close();
  });
});

describe('SqliteStatusLookupGuard: per-user rate limit', () => {
  it('allows 5 distinct codes per 10 minutes; repeating a code is free; the window slides', async () => {
    const guard = new SqliteStatusLookupGuard(':memory:');
    for (let i = 0; i < 5; i++) expect((await guard.allowLookup('user', `code-${i}`, at(i * MIN))).allowed).toBe(true);
    expect(await guard.allowLookup('user', 'code-5', at(5 * MIN))).toEqual({ allowed: false, retryAfterMs: 5 * MIN });
    expect((await guard.allowLookup('user', 'code-2', at(5 * MIN))).allowed).toBe(true);
    expect((await guard.allowLookup('other-user', 'code-5', at(5 * MIN))).allowed).toBe(true);
    // code-0 (looked up at minute 0) leaves the window after minute 10.
    expect((await guard.allowLookup('user', 'code-5', at(10 * MIN + 1))).allowed).toBe(true);
    expect((await guard.allowLookup('user', 'code-6', at(10 * MIN + 2))).allowed).toBe(false);
    await guard.close();
  });

  it('takes a smaller limit from the constructor', async () => {
    const guard = new SqliteStatusLookupGuard(':memory:', { maxCodesPerUser: 1, userWindowMs: MIN });
    expect((await guard.allowLookup('u', 'a', at(0))).allowed).toBe(true);
    expect((await guard.allowLookup('u', 'b', at(1000))).allowed).toBe(false);
    expect((await guard.allowLookup('u', 'b', at(MIN + 1))).allowed).toBe(true);
    await guard.close();
  });
});

describe('LookupSecrets', () => {
  it('hashes with the install secret and seals the pending code reversibly', () => {
    const a = new LookupSecrets(Buffer.alloc(32, 1));
    const b = new LookupSecrets(Buffer.alloc(32, 2));
    expect(a.hashCode('X')).toBe(a.hashCode('X'));
    expect(a.hashCode('X')).not.toBe(b.hashCode('X'));
    expect(a.hashCode('X')).not.toBe(a.hashUser('X'));
    const sealed = a.seal('000.00.18.H26-250115-0001');
    expect(sealed).not.toContain('250115');
    expect(a.open(sealed)).toBe('000.00.18.H26-250115-0001');
    expect(b.open(sealed)).toBeNull();
    expect(a.open(`${sealed.slice(0, -2)}AA`)).toBeNull();
  });

  it('creates the secret file once and reads it back', () => {
    const dataDir = tmp();
    const first = loadOrCreateLookupSecrets(dataDir);
    const second = loadOrCreateLookupSecrets(dataDir);
    expect(second.hashCode('X')).toBe(first.hashCode('X'));
    expect(readFileSync(path.join(dataDir, 'status-lookup.secret'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('stores hashes only: the guard file holds no code', async () => {
    const dataDir = tmp();
    const secrets = loadOrCreateLookupSecrets(dataDir);
    const guard = new SqliteStatusLookupGuard({ dataDir });
    await guard.allowLookup(secrets.hashUser('web:abc'), secrets.hashCode('000.00.18.H26-250115-0001'), at(0));
    await guard.recordFailure(secrets.hashCode('000.00.18.H26-250115-0001'), at(0));
    await guard.close();
    const bytes = readFileSync(path.join(dataDir, STATUS_GUARD_FILE)).toString('latin1');
    // The rows are there (so the file was read), as hashes.
    expect(bytes).toContain(secrets.hashCode('000.00.18.H26-250115-0001'));
    expect(bytes).not.toContain('250115');
    expect(bytes).not.toContain('web:abc');
  });
});
