import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { demoApplications, seedDemoApplications } from '../../src/status-lookup/seed-demo-applications.js';
import { SqliteStatusSource } from '../../src/status-lookup/sqlite-status-source.js';

/**
 * The status lookup end to end through the chat API, on the server as `npm start` builds it,
 * with the SQLite demo store seeded in its DATA_DIR.
 */
let dataDir: string;
let deps: Deps;
let app: FastifyInstance;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-status-'));
  const store = new SqliteStatusSource({ dataDir });
  seedDemoApplications(store);
  await store.close();
  deps = await createDeps(loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: path.resolve('knowledge'), LOG_LEVEL: 'silent' }));
  app = await buildApp(deps);
});
afterEach(async () => {
  await app.close();
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ChatBody {
  session_id: string;
  status: string;
  text: string;
  citations: Array<{ id: string }>;
}
async function say(message: string, sessionId?: string): Promise<ChatBody> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message, ...(sessionId ? { session_id: sessionId } : {}) } });
  expect(res.statusCode).toBe(200);
  return res.json<ChatBody>();
}

/** A demo application that is overdue, with its code and the phone's last four digits. */
function overdueApplication() {
  const now = new Date();
  const app = demoApplications(now).find((a) => a.dueAt && new Date(a.dueAt) < now && !a.completedAt && a.status === 'in_progress');
  if (!app) throw new Error('the demo set should hold an overdue application in progress');
  return { code: app.receiptCode, digits: app.phone.slice(-4), name: app.applicantName, phone: app.phone };
}

describe('status lookup through POST /api/v1/chat', () => {
  it('asks for the code, then the digits, then answers with the status, due date and overdue days, details masked', async () => {
    const a = overdueApplication();
    const first = await say('hồ sơ của tôi đến đâu rồi');
    expect(first.status).toBe('status_lookup_verify');
    const second = await say(`mã hồ sơ ${a.code}`, first.session_id);
    expect(second.status).toBe('status_lookup_verify');
    expect(second.text).toMatch(/4 số cuối/);
    const third = await say(a.digits, first.session_id);
    expect(third.status).toBe('status_lookup_answered');
    expect(third.text).toMatch(/quá hạn \d+ ngày/);
    expect(third.text).toMatch(/Ngày hẹn trả kết quả: \d{2}\/\d{2}\/\d{4}/);
    // Masked: neither the full name nor the phone number nor its last four digits.
    expect(third.text).not.toContain(a.name);
    expect(third.text).not.toContain(a.phone);
    expect(third.text).not.toContain(a.digits);
    expect(third.citations.length).toBeGreaterThan(0);
  });

  it('three wrong answers lock the code for everyone, even with the right digits afterwards', async () => {
    const a = overdueApplication();
    const wrong = a.digits === '0000' ? '1111' : '0000';
    const s = (await say(`tra cứu hồ sơ ${a.code}`)).session_id;
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await say(wrong, s));
    expect(replies.map((r) => r.status)).toEqual(['status_lookup_verify', 'status_lookup_verify', 'status_lookup_failed']);
    expect(replies[2]!.text).toMatch(/15 phút/);
    expect(replies[2]!.text).toMatch(/19001009/);
    // Another conversation with the right digits is refused while the lock holds.
    const other = (await say(`tra cứu hồ sơ ${a.code}`)).session_id;
    const retry = await say(a.digits, other);
    expect(retry.status).not.toBe('status_lookup_answered');
    expect(retry.text).not.toMatch(/Tình trạng:/);
  });

  it('the whole phone number given instead of its last four digits is accepted, and not stored', async () => {
    const a = overdueApplication();
    const s = (await say(`tra cứu hồ sơ ${a.code}`)).session_id;
    const reply = await say(a.phone, s);
    expect(reply.status).toBe('status_lookup_answered');
    expect(reply.text).not.toContain(a.phone);
    const turns = await deps.qaLog.recent(5);
    for (const t of turns) expect(t.question).not.toContain(a.phone);
  });

  it('an unknown code fails clearly, without asking for digits', async () => {
    const reply = await say('tra cứu hồ sơ 000.00.99.H26-991231-9999');
    expect(reply.status).toBe('status_lookup_failed');
    expect(reply.text).toMatch(/không tìm thấy/i);
  });

  it('never stores the receipt code and the digits together (Q&A log, sessions)', async () => {
    const a = overdueApplication();
    const s = (await say(`tra cứu hồ sơ ${a.code}`)).session_id;
    await say(a.digits, s);
    const turns = await deps.qaLog.recent(50);
    expect(turns.length).toBeGreaterThanOrEqual(2);
    for (const t of turns) {
      const stored = `${t.question}\n${t.answer}`;
      expect(stored.includes(a.code) && stored.includes(a.digits)).toBe(false);
      expect(t.question).not.toContain(a.digits);
    }
    // Nor anywhere in the SQLite files (and their write-ahead logs) of the data dir, in any table.
    for (const f of readdirSync(dataDir).filter((n) => n.includes('.sqlite') && !n.startsWith('status-demo'))) {
      const bytes = readFileSync(path.join(dataDir, f)).toString('latin1');
      expect(bytes.includes(a.code), `${f} holds the code`).toBe(false);
    }
  });
});
