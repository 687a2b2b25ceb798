import fs from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerPrivacyApi } from '../../src/http/routes/privacy-api.js';
import { STAFF_COOKIE } from '../../src/http/staff-guard.js';
import { SqliteDeletionLog } from '../../src/privacy/deletion-log.js';
import { PrivacyService } from '../../src/privacy/privacy-service.js';
import { hashSessionId } from '../../src/privacy/session-hash.js';
import { SqliteQaLogStore } from '../../src/qa-log/sqlite-qa-log-store.js';
import { SqliteStaffStore } from '../../src/staff/sqlite-staff-store.js';
import { openSqliteDatabase } from '../../src/sqlite/open-sqlite-database.js';
import { findText, seedDataDir, ZALO, type SeededDataDir } from '../unit/privacy/seed-data-dir.js';

/** The privacy routes on a real Fastify app over a seeded DATA_DIR, with real staff logins. */
let seeded: SeededDataDir;
let app: FastifyInstance;
let staff: SqliteStaffStore;
let qaLog: SqliteQaLogStore;
let log: SqliteDeletionLog;
let cookies: { officer: string; supervisor: string };
let officerId: string;

const CSRF = { 'x-requested-with': 'console' };
const PASSWORD = 'correct horse battery';

beforeEach(async () => {
  seeded = await seedDataDir();
  const { dataDir } = seeded;
  staff = new SqliteStaffStore({ dataDir }, { sessionHours: 12 });
  qaLog = new SqliteQaLogStore({ dataDir });
  log = new SqliteDeletionLog({ dataDir });
  const officer = await staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: PASSWORD });
  const boss = await staff.add({ username: 'boss', displayName: 'Lê Văn Hùng', role: 'supervisor', password: PASSWORD });
  officerId = officer.id;
  cookies = {
    officer: `${STAFF_COOKIE}=${(await staff.createSession(officer.id)).token}`,
    supervisor: `${STAFF_COOKIE}=${(await staff.createSession(boss.id)).token}`,
  };
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } } });
  registerErrorHandling(app, {});
  registerPrivacyApi(app, { privacy: new PrivacyService({ dataDir, qaLog, log }), staff });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  log.close();
  await qaLog.close();
  await staff.close();
  fs.rmSync(seeded.dataDir, { recursive: true, force: true });
});

const del = (body: object, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/v1/privacy/delete-conversation', payload: body, headers });

describe('POST /api/v1/privacy/delete-conversation', () => {
  it('401 without a staff session, 403 without the CSRF header; nothing deleted', async () => {
    expect((await del({ sessionId: ZALO.sessionId, reason: 'Yêu cầu' }, CSRF)).statusCode).toBe(401);
    expect((await del({ sessionId: ZALO.sessionId, reason: 'Yêu cầu' }, { cookie: `${STAFF_COOKIE}=forged`, ...CSRF })).statusCode).toBe(401);
    const noCsrf = await del({ sessionId: ZALO.sessionId, reason: 'Yêu cầu' }, { cookie: cookies.officer });
    expect(noCsrf.statusCode).toBe(403);
    expect(await qaLog.count()).toBe(3);
  });

  it('an officer deletes a conversation; the reply and the log carry the hash, never the id', async () => {
    const res = await del({ sessionId: ZALO.sessionId, reason: 'Công dân đề nghị tại quầy' }, { cookie: cookies.officer, ...CSRF });
    expect(res.statusCode).toBe(200);
    const { deletion } = res.json();
    expect(deletion).toMatchObject({ staffId: officerId, sessionHash: hashSessionId(ZALO.sessionId), reason: 'Công dân đề nghị tại quầy', counts: { qaTurns: 1, sessions: 1 } });
    expect(res.body).not.toContain(ZALO.sessionId);
    expect(await qaLog.count()).toBe(2);
    expect(findText(seeded.dataDir, ZALO.sessionId, (f) => openSqliteDatabase({ dataDir: seeded.dataDir }, f))).toEqual([]);
  });

  it('400 for a missing reason or a malformed id, 404 for nothing stored, 409 while the conversation is open', async () => {
    const headers = { cookie: cookies.officer, ...CSRF };
    expect((await del({ sessionId: ZALO.sessionId }, headers)).statusCode).toBe(400);
    expect((await del({ sessionId: ZALO.sessionId, reason: '   ' }, headers)).statusCode).toBe(400);
    expect((await del({ sessionId: 'id with spaces', reason: 'Yêu cầu' }, headers)).statusCode).toBe(400);
    expect((await del({ sessionId: 'x'.repeat(129), reason: 'Yêu cầu' }, headers)).statusCode).toBe(400);
    const missing = await del({ sessionId: 'not-a-session-1234', reason: 'Yêu cầu' }, headers);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('not_found');

    const queue = new SqliteHandoffQueue({ dataDir: seeded.dataDir });
    await queue.enqueue({ channel: 'zalo', userId: ZALO.userId, sessionId: ZALO.sessionId, reason: 'complaint', transcript: [], procedureIds: [] });
    await queue.close();
    const open = await del({ sessionId: ZALO.sessionId, reason: 'Yêu cầu' }, headers);
    expect(open.statusCode).toBe(409);
    expect(await qaLog.count()).toBe(3);
    expect(log.list()).toEqual([]);
  });
});

describe('GET /api/v1/privacy/deletions', () => {
  it('401 without a session, 403 for an officer, the log for a supervisor (filterable by session id)', async () => {
    await del({ sessionId: ZALO.sessionId, reason: 'Đơn đề nghị xoá dữ liệu' }, { cookie: cookies.officer, ...CSRF });
    expect((await app.inject({ url: '/api/v1/privacy/deletions' })).statusCode).toBe(401);
    const officer = await app.inject({ url: '/api/v1/privacy/deletions', headers: { cookie: cookies.officer } });
    expect(officer.statusCode).toBe(403);
    const res = await app.inject({ url: '/api/v1/privacy/deletions', headers: { cookie: cookies.supervisor } });
    expect(res.statusCode).toBe(200);
    expect(res.json().deletions).toEqual([expect.objectContaining({ staffId: officerId, reason: 'Đơn đề nghị xoá dữ liệu', sessionHash: hashSessionId(ZALO.sessionId) })]);
    const filtered = await app.inject({ url: `/api/v1/privacy/deletions?session_id=other-session`, headers: { cookie: cookies.supervisor } });
    expect(filtered.json().deletions).toEqual([]);
    const mine = await app.inject({ url: `/api/v1/privacy/deletions?session_id=${ZALO.sessionId}&limit=5`, headers: { cookie: cookies.supervisor } });
    expect(mine.json().deletions).toHaveLength(1);
  });
});
