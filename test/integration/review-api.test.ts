import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStatus } from '../../src/domain/answer.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerReviewApi } from '../../src/http/routes/review-api.js';
import { STAFF_COOKIE } from '../../src/http/staff-guard.js';
import { SqliteQaLogStore } from '../../src/qa-log/sqlite-qa-log-store.js';
import { openReviewQueue } from '../../src/review/open-review-queue.js';
import type { ReviewQueue } from '../../src/review/review-queue.js';
import { SqliteStaffStore } from '../../src/staff/sqlite-staff-store.js';

/** The review API on a real Fastify app over real SQLite files (qa-log, review, staff) in a temporary DATA_DIR. */
let dataDir: string;
let app: FastifyInstance;
let staff: SqliteStaffStore;
let review: ReviewQueue;
let cookie: string;
const CSRF = { 'x-requested-with': 'console' };
// Wednesday 25/11/2026 in Hanoi: week 2026-W48.
const NOW = new Date('2026-11-25T05:00:00Z');

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-api-'));
  const log = new SqliteQaLogStore({ dataDir });
  const statuses: Array<[string, AnswerStatus]> = [
    ['web', 'answered'],
    ['web', 'answered'],
    ['web', 'unanswerable_no_content'],
    ['zalo', 'answered'],
    ['voice', 'guardrail_abuse'],
  ];
  for (const [i, [channel, status]] of statuses.entries()) {
    await log.record({
      id: `t${i}`,
      at: new Date(Date.parse('2026-11-23T02:00:00Z') + i * 3_600_000).toISOString(),
      channel,
      userKey: `u${i}`,
      sessionId: `s${i}`,
      question: `lệ phí khai sinh ${i}`,
      answer: `Miễn phí ${i}`,
      status,
      procedureIds: ['1.001193'],
      aspect: 'fee',
      composer: 'grounded',
      latencyMs: 2,
    });
  }
  await log.close();
  staff = new SqliteStaffStore({ dataDir }, { sessionHours: 12 });
  const lan = await staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: 'correct horse battery' });
  cookie = `${STAFF_COOKIE}=${(await staff.createSession(lan.id)).token}`;
  review = openReviewQueue({ DATA_DIR: dataDir, REVIEW_SAMPLE_PER_WEEK: 4 }, { now: () => NOW });
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } } });
  registerErrorHandling(app, {});
  registerReviewApi(app, { review, staff, procedures: new Map([['1.001193', { name: 'Đăng ký khai sinh' }]]), now: () => NOW });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  review.close();
  await staff.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('review API', () => {
  it('answers 401 without a staff session on every route', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/review/items'],
      ['GET', '/api/v1/review/summary'],
      ['POST', '/api/v1/review/items/x/mark'],
    ] as const) {
      const res = await app.inject({ method, url, headers: CSRF, ...(method === 'POST' ? { payload: { verdict: 'correct' } } : {}) });
      expect(res.statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: '/api/v1/review/items', headers: { cookie: `${STAFF_COOKIE}=forged` } })).statusCode).toBe(401);
  });

  it("draws this week's sample when opened, one per stratum and proportional, with citation names", async () => {
    const res = await app.inject({ url: '/api/v1/review/items', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.week).toBe('2026-W48');
    expect(body.progress).toEqual({ week: '2026-W48', total: 4, reviewed: 0 });
    expect(body.weeks).toEqual([{ week: '2026-W48', total: 4, reviewed: 0 }]);
    const strata = body.items.map((i: { channel: string; statusFamily: string }) => `${i.channel}|${i.statusFamily}`).sort();
    expect(strata).toEqual(['voice|guardrail', 'web|answered', 'web|unanswerable', 'zalo|answered']);
    expect(body.items[0]).toMatchObject({ citations: [{ id: '1.001193', name: 'Đăng ký khai sinh' }], verdict: null, reviewer: null });
    // Opening again draws nothing new.
    expect((await app.inject({ url: '/api/v1/review/items', headers: { cookie } })).json().items).toHaveLength(4);
  });

  it('marks with the CSRF header, refuses without it, validates the verdict and the week, 404 for an unknown item', async () => {
    const items = (await app.inject({ url: '/api/v1/review/items?week=2026-W48', headers: { cookie } })).json().items as Array<{ id: string }>;
    const url = `/api/v1/review/items/${items[0]!.id}/mark`;
    expect((await app.inject({ method: 'POST', url, headers: { cookie }, payload: { verdict: 'correct' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, ...CSRF }, payload: { verdict: 'maybe' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, ...CSRF }, payload: {} })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, ...CSRF }, payload: { verdict: 'correct', comment: 'x'.repeat(2001) } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/review/items/nope/mark', headers: { cookie, ...CSRF }, payload: { verdict: 'correct' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/review/items?week=2026-48', headers: { cookie } })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/review/items?week=2025-W53', headers: { cookie } })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/review/items?status=all', headers: { cookie } })).statusCode).toBe(400);

    const ok = await app.inject({ method: 'POST', url, headers: { cookie, ...CSRF }, payload: { verdict: 'incomplete', comment: ' Thiếu thời hạn ' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ item: { verdict: 'incomplete', comment: 'Thiếu thời hạn', reviewer: { name: 'Nguyễn Thị Lan' } }, progress: { total: 4, reviewed: 1 } });
    await app.inject({ method: 'POST', url: `/api/v1/review/items/${items[1]!.id}/mark`, headers: { cookie, ...CSRF }, payload: { verdict: 'correct' } });

    expect((await app.inject({ url: '/api/v1/review/items?status=pending', headers: { cookie } })).json().items).toHaveLength(2);
    expect((await app.inject({ url: '/api/v1/review/items?status=done', headers: { cookie } })).json().items).toHaveLength(2);

    const summary = await app.inject({ url: '/api/v1/review/summary', headers: { cookie } });
    expect(summary.json()).toMatchObject({ from: '2026-11-02', to: '2026-11-25', reviewed: 2, correct: 1, incomplete: 1, incorrect: 0, accuracy: 0.5 });
    expect(summary.json().comments).toEqual([expect.objectContaining({ comment: 'Thiếu thời hạn', reviewer: 'Nguyễn Thị Lan', verdict: 'incomplete' })]);
    expect((await app.inject({ url: '/api/v1/review/summary?from=2026-11-24&to=2026-11-30', headers: { cookie } })).json()).toMatchObject({ reviewed: 0, accuracy: null });
    expect((await app.inject({ url: '/api/v1/review/summary?from=2026-11-30&to=2026-11-01', headers: { cookie } })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/review/summary?from=2026-13-45', headers: { cookie } })).statusCode).toBe(400);
  });
});
