import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import type { Migration } from '../catalogue/sqlite-migrations.js';
import { dummyHash, hashPassword, verifyPassword } from './password-hash.js';
import {
  MIN_PASSWORD_LENGTH,
  STAFF_ROLES,
  StaffAccountError,
  type NewStaffAccount,
  type StaffAccount,
  type StaffLogin,
  type StaffRole,
  type StaffStore,
} from './staff-store.js';

const STAFF_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'staff accounts and console sessions',
    sql: `
      CREATE TABLE staff (
        id             TEXT PRIMARY KEY,
        username       TEXT NOT NULL UNIQUE,
        display_name   TEXT NOT NULL,
        role           TEXT NOT NULL CHECK (role IN ('officer', 'supervisor')),
        password_hash  TEXT NOT NULL,
        disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at     TEXT NOT NULL
      ) WITHOUT ROWID;

      -- token_hash: SHA-256 of the cookie value; a copy of this file does not log anyone in.
      CREATE TABLE staff_sessions (
        token_hash  TEXT PRIMARY KEY,
        staff_id    TEXT NOT NULL REFERENCES staff (id),
        created_at  TEXT NOT NULL,
        expires_ms  INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
      CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_ms);
    `,
  },
];

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export interface SqliteStaffStoreOptions {
  /** How long a console login lasts (CONSOLE_SESSION_HOURS; default 12). */
  sessionHours?: number;
  now?: () => Date;
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Accounts and console sessions in `${dataDir}/staff.sqlite` (WAL), shared by the server processes. */
export class SqliteStaffStore implements StaffStore {
  private readonly db: Database.Database;
  private readonly sessionMs: number;
  private readonly now: () => Date;
  private readonly stmt;

  constructor(location: SqliteLocation, options: SqliteStaffStoreOptions = {}) {
    if (location === ':memory:') {
      this.db = new Database(':memory:');
    } else {
      mkdirSync(location.dataDir, { recursive: true });
      this.db = new Database(join(location.dataDir, 'staff.sqlite'));
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db, STAFF_MIGRATIONS);
    this.sessionMs = (options.sessionHours ?? 12) * 3600_000;
    this.now = options.now ?? (() => new Date());
    this.stmt = {
      insert: this.db.prepare(
        `INSERT INTO staff (id, username, display_name, role, password_hash, created_at)
         VALUES (@id, @username, @displayName, @role, @passwordHash, @createdAt)`,
      ),
      get: this.db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?'),
      byUsername: this.db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE username = ?'),
      list: this.db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY username'),
      setDisabled: this.db.prepare<[number, string]>('UPDATE staff SET disabled = ? WHERE id = ?'),
      setHash: this.db.prepare<[string, string]>('UPDATE staff SET password_hash = ? WHERE id = ?'),
      insertSession: this.db.prepare<[string, string, string, number]>(
        'INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_ms) VALUES (?, ?, ?, ?)',
      ),
      session: this.db.prepare<[string, number], StaffRow & { expires_ms: number }>(
        `SELECT staff.*, s.expires_ms FROM staff_sessions s JOIN staff ON staff.id = s.staff_id
         WHERE s.token_hash = ? AND s.expires_ms > ? AND staff.disabled = 0`,
      ),
      deleteSession: this.db.prepare<[string]>('DELETE FROM staff_sessions WHERE token_hash = ?'),
      deleteSessionsOf: this.db.prepare<[string]>('DELETE FROM staff_sessions WHERE staff_id = ?'),
      purge: this.db.prepare<[number]>('DELETE FROM staff_sessions WHERE expires_ms <= ?'),
    };
  }

  async add(account: NewStaffAccount): Promise<StaffAccount> {
    const username = normaliseUsername(account.username);
    const displayName = account.displayName.trim();
    if (!displayName || displayName.length > 80) throw new StaffAccountError('display name must be 1–80 characters');
    if (!STAFF_ROLES.includes(account.role)) throw new StaffAccountError(`role must be ${STAFF_ROLES.join(' or ')}`);
    checkPassword(account.password);
    if (this.stmt.byUsername.get(username)) throw new StaffAccountError(`username "${username}" is taken`);
    const id = randomUUID();
    this.stmt.insert.run({
      id,
      username,
      displayName,
      role: account.role,
      passwordHash: await hashPassword(account.password),
      createdAt: this.now().toISOString(),
    });
    return toAccount(this.stmt.get.get(id)!);
  }

  async get(id: string): Promise<StaffAccount | undefined> {
    const row = this.stmt.get.get(id);
    return row ? toAccount(row) : undefined;
  }

  async findByUsername(username: string): Promise<StaffAccount | undefined> {
    const row = this.stmt.byUsername.get(username.trim().toLowerCase());
    return row ? toAccount(row) : undefined;
  }

  async list(): Promise<StaffAccount[]> {
    return this.stmt.list.all().map(toAccount);
  }

  async setDisabled(username: string, disabled: boolean): Promise<StaffAccount> {
    const row = this.mustFind(username);
    this.db.transaction(() => {
      this.stmt.setDisabled.run(disabled ? 1 : 0, row.id);
      if (disabled) this.stmt.deleteSessionsOf.run(row.id);
    })();
    return toAccount(this.stmt.get.get(row.id)!);
  }

  async setPassword(username: string, password: string): Promise<void> {
    const row = this.mustFind(username);
    checkPassword(password);
    const hash = await hashPassword(password);
    // Whoever knew the old password may hold a session: it ends with the change.
    this.db.transaction(() => {
      this.stmt.setHash.run(hash, row.id);
      this.stmt.deleteSessionsOf.run(row.id);
    })();
  }

  async verifyLogin(username: string, password: string): Promise<StaffAccount | null> {
    const row = this.stmt.byUsername.get(username.trim().toLowerCase());
    // Always one scrypt, against a throwaway hash when there is no such user.
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
    if (!row || !ok || row.disabled) return null;
    return toAccount(row);
  }

  async createSession(staffId: string): Promise<StaffLogin> {
    const row = this.stmt.get.get(staffId);
    if (!row || row.disabled) throw new StaffAccountError('no enabled account with that id');
    const now = this.now();
    const token = randomBytes(32).toString('base64url');
    const expiresMs = now.getTime() + this.sessionMs;
    this.stmt.insertSession.run(tokenHash(token), staffId, now.toISOString(), expiresMs);
    this.stmt.purge.run(now.getTime());
    return { token, expiresAt: new Date(expiresMs).toISOString() };
  }

  async findSession(token: string): Promise<{ staff: StaffAccount; expiresAt: string } | undefined> {
    if (!token) return undefined;
    const row = this.stmt.session.get(tokenHash(token), this.now().getTime());
    return row ? { staff: toAccount(row), expiresAt: new Date(row.expires_ms).toISOString() } : undefined;
  }

  async deleteSession(token: string): Promise<void> {
    this.stmt.deleteSession.run(tokenHash(token));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private mustFind(username: string): StaffRow {
    const row = this.stmt.byUsername.get(username.trim().toLowerCase());
    if (!row) throw new StaffAccountError(`no account "${username}"`);
    return row;
  }
}

function normaliseUsername(username: string): string {
  const u = username.trim().toLowerCase();
  if (!USERNAME.test(u)) throw new StaffAccountError('username must be 2–40 characters: letters, digits, dot, dash, underscore');
  return u;
}

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new StaffAccountError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 200) throw new StaffAccountError('password must be at most 200 characters');
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toAccount(r: StaffRow): StaffAccount {
  return { id: r.id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
}
