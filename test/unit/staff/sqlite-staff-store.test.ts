import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/staff/password-hash.js';
import { SqliteStaffStore } from '../../../src/staff/sqlite-staff-store.js';
import { StaffAccountError } from '../../../src/staff/staff-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'staff-'));
  dirs.push(d);
  return d;
}

describe('password hashing', () => {
  it('salts every hash and verifies only the right password', async () => {
    const a = await hashPassword('mật khẩu đủ dài');
    const b = await hashPassword('mật khẩu đủ dài');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('mật khẩu đủ dài', a)).toBe(true);
    expect(await verifyPassword('mật khẩu đủ dàI', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('SqliteStaffStore', () => {
  it('adds accounts with rules: unique lower-case username, role, password of 10+ characters', async () => {
    const store = new SqliteStaffStore(':memory:');
    const lan = await store.add({ username: 'Lan.Nguyen', displayName: 'Nguyễn Thị Lan', role: 'officer', password: 'correct horse' });
    expect(lan).toMatchObject({ username: 'lan.nguyen', displayName: 'Nguyễn Thị Lan', role: 'officer', disabled: false });
    await expect(store.add({ username: 'lan.nguyen', displayName: 'X', role: 'officer', password: 'correct horse' })).rejects.toThrow(/taken/);
    await expect(store.add({ username: 'minh', displayName: 'Minh', role: 'officer', password: 'short' })).rejects.toBeInstanceOf(StaffAccountError);
    await expect(store.add({ username: 'minh', displayName: 'Minh', role: 'admin' as never, password: 'long enough pw' })).rejects.toThrow(/role/);
    await expect(store.add({ username: 'a b', displayName: 'Minh', role: 'officer', password: 'long enough pw' })).rejects.toThrow(/username/);
    expect((await store.list()).map((a) => a.username)).toEqual(['lan.nguyen']);
    await store.close();
  });

  it('never stores the password or the session token in clear', async () => {
    const dir = tempDir();
    const store = new SqliteStaffStore({ dataDir: dir });
    const a = await store.add({ username: 'lan', displayName: 'Lan', role: 'officer', password: 'correct horse battery' });
    const { token } = await store.createSession(a.id);
    await store.close();
    const db = new Database(path.join(dir, 'staff.sqlite'), { readonly: true });
    const dump = JSON.stringify([db.prepare('SELECT * FROM staff').all(), db.prepare('SELECT * FROM staff_sessions').all()]);
    db.close();
    expect(dump).not.toContain('correct horse battery');
    expect(dump).not.toContain(token);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('verifies logins: wrong password, unknown user and disabled account all fail alike', async () => {
    const store = new SqliteStaffStore(':memory:');
    await store.add({ username: 'lan', displayName: 'Lan', role: 'officer', password: 'correct horse' });
    expect((await store.verifyLogin(' LAN ', 'correct horse'))?.username).toBe('lan');
    expect(await store.verifyLogin('lan', 'wrong horse!')).toBeNull();
    expect(await store.verifyLogin('nobody', 'correct horse')).toBeNull();
    await store.setDisabled('lan', true);
    expect(await store.verifyLogin('lan', 'correct horse')).toBeNull();
    await store.setDisabled('lan', false);
    expect(await store.verifyLogin('lan', 'correct horse')).not.toBeNull();
    await store.close();
  });

  it('sessions expire after the configured hours, end on logout, disable and password change', async () => {
    let t = Date.parse('2026-03-02T01:00:00Z');
    const store = new SqliteStaffStore(':memory:', { sessionHours: 8, now: () => new Date(t) });
    const a = await store.add({ username: 'lan', displayName: 'Lan', role: 'supervisor', password: 'correct horse' });

    const s1 = await store.createSession(a.id);
    expect(s1.expiresAt).toBe('2026-03-02T09:00:00.000Z');
    expect((await store.findSession(s1.token))?.staff.role).toBe('supervisor');
    expect(await store.findSession('not-a-token')).toBeUndefined();
    t += 8 * 3600_000;
    expect(await store.findSession(s1.token)).toBeUndefined();

    const s2 = await store.createSession(a.id);
    await store.deleteSession(s2.token);
    expect(await store.findSession(s2.token)).toBeUndefined();

    const s3 = await store.createSession(a.id);
    await store.setDisabled('lan', true);
    expect(await store.findSession(s3.token)).toBeUndefined();
    await expect(store.createSession(a.id)).rejects.toBeInstanceOf(StaffAccountError);
    await store.setDisabled('lan', false);

    const s4 = await store.createSession(a.id);
    await store.setPassword('lan', 'another long one');
    expect(await store.findSession(s4.token)).toBeUndefined();
    expect(await store.verifyLogin('lan', 'correct horse')).toBeNull();
    expect(await store.verifyLogin('lan', 'another long one')).not.toBeNull();
    await store.close();
  });
});
