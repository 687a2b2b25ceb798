import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import type { AnswerStatus } from '../../src/domain/answer.js';
import { SqliteHandoffQueue } from '../../src/handoff/sqlite-handoff-queue.js';
import { createLogger } from '../../src/http/logger.js';
import { hashUser } from '../../src/pipeline/answer-service.js';
import { SqliteQaLogStore } from '../../src/qa-log/sqlite-qa-log-store.js';
import type { StatsReport } from '../../src/stats/stats-report.js';
import { hashCaller } from '../../src/telephony/call-dialog.js';
import { initialCallState, type CallState } from '../../src/telephony/call-store.js';
import { SqliteCallStore } from '../../src/telephony/sqlite-call-store.js';
import type { Aspect } from '../../src/text/aspects.js';
import { headlineCards } from '../../web/dashboard/dashboard-cards.js';
import { addDays, hanoiDay } from '../../web/dashboard/dashboard-filters.js';
import { browserAvailability, chromiumArgs } from './browser-support.js';
import { hanoiIsoWeek } from '../../src/review/hanoi-week.js';

/**
 * The statistics dashboard in real Chromium against the real app (createDeps + buildApp on a
 * port, temp DATA_DIR): a known log seeded through the real stores (chat turns on three
 * channels, ratings, a queued conversation, two calls with their voice turns, one old turn), an
 * officer logs in on the console page, opens /dashboard, reads the figures, filters a range and
 * a channel, sees the charts drawn, downloads a CSV; logged out, the page asks for a login.
 */
const ARTIFACTS = path.resolve('test-artifacts');
const browserInfo = browserAvailability();
const OFFICER = { username: 'thu', password: 'mat-khau-thong-ke-2026', name: 'Phạm Minh Thư' };

// Days relative to today in Hanoi: A and B are inside the default 30 days, OLD is not.
const TODAY = hanoiDay(new Date());
const DAY_A = addDays(TODAY, -3);
const DAY_B = addDays(TODAY, -1);
const DAY_OLD = addDays(TODAY, -45);
/** Noon in Hanoi of a day, as an ISO instant. */
const noon = (day: string, minute = 0) => new Date(`${day}T05:${String(minute).padStart(2, '0')}:00Z`);

let dataDir: string;
let deps: Deps;
let app: FastifyInstance;
let url: string;
let browser: Browser;

async function seed(dir: string): Promise<void> {
  const qa = new SqliteQaLogStore({ dataDir: dir });
  let n = 0;
  const turn = async (
    day: string,
    channel: string,
    user: string,
    sessionId: string,
    status: AnswerStatus,
    procedureIds: string[] = [],
    aspect: Aspect | null = null,
  ) => {
    n += 1;
    await qa.record({
      id: `turn-${n}`,
      at: noon(day, n).toISOString(),
      channel,
      userKey: channel === 'voice' ? hashCaller(user) : hashUser({ channel, userId: user }),
      sessionId,
      question: `Câu hỏi số ${n}`,
      answer: `Trả lời số ${n}`,
      status,
      procedureIds,
      aspect,
      composer: status.startsWith('answered') ? 'grounded' : null,
      latencyMs: 120,
    });
  };
  // Day A: a web citizen asks twice about one procedure; a Zalo citizen is not answered and asks for a person.
  await turn(DAY_A, 'web', 'u1', 'web-s1', 'answered', ['1.000001'], 'fee');
  await turn(DAY_A, 'web', 'u1', 'web-s1', 'answered', ['1.000001'], 'time');
  await turn(DAY_A, 'zalo', 'u2', 'zalo-s2', 'unanswerable_no_content');
  await turn(DAY_A, 'zalo', 'u2', 'zalo-s2', 'handoff_requested');
  await turn(DAY_A, 'voice', '+84901000002', 'call-s2', 'answered', ['1.000001'], 'documents');
  // Day B: the same web citizen again (refused: personal data), a Messenger citizen, a caller.
  await turn(DAY_B, 'web', 'u1', 'web-s3', 'guardrail_personal_data');
  await turn(DAY_B, 'messenger', 'u3', 'messenger-s4', 'answered', ['2.000002'], 'fee');
  await turn(DAY_B, 'voice', '+84901000001', 'call-s1', 'answered', ['2.000002'], 'where');
  await turn(DAY_B, 'voice', '+84901000001', 'call-s1', 'answered', ['2.000002'], 'fee');
  // Long ago: outside the default range.
  await turn(DAY_OLD, 'web', 'u4', 'web-s5', 'answered', ['1.000001'], 'fee');

  const rate = async (day: string, channel: string, user: string, sessionId: string, useful: boolean | null, score: number | null) =>
    qa.recordRating!({ id: `rating-${sessionId}`, at: noon(day, 50).toISOString(), channel, userKey: hashUser({ channel, userId: user }), sessionId, useful, score });
  await rate(DAY_A, 'web', 'u1', 'web-s1', true, 5);
  await rate(DAY_B, 'messenger', 'u3', 'messenger-s4', false, 2);
  await qa.close();

  const handoff = new SqliteHandoffQueue({ dataDir: dir }, { now: () => noon(DAY_A, 30) });
  await handoff.enqueue({ channel: 'zalo', userId: 'u2', sessionId: 'zalo-s2', reason: 'citizen_request', transcript: [], procedureIds: [] });
  await handoff.close();

  // A call's working state as the dialog starts it (the stats read only the call's row).
  const callState = (): CallState => initialCallState(null);
  // Two calls: one the bot finished (2 min), one transferred to an operator at the caller's request (4 min).
  const callAt = { value: noon(DAY_B) };
  const calls = new SqliteCallStore({ dataDir: dir }, { now: () => callAt.value });
  await calls.begin({ callSid: 'CA-bot', userKey: hashCaller('+84901000001'), mode: 'turn', state: callState() });
  await calls.update('CA-bot', { turns: 2, outcome: 'bot' });
  await calls.end('CA-bot', { endedAt: new Date(callAt.value.getTime() + 120_000).toISOString(), durationS: 120, status: 'completed' });
  callAt.value = noon(DAY_A);
  await calls.begin({ callSid: 'CA-transfer', userKey: hashCaller('+84901000002'), mode: 'turn', state: callState() });
  await calls.update('CA-transfer', { turns: 1, outcome: 'transferred', transferReason: 'caller_request' });
  await calls.end('CA-transfer', { endedAt: new Date(callAt.value.getTime() + 240_000).toISOString(), durationS: 240, status: 'completed' });
  await calls.close();
}

beforeAll(async () => {
  if (browserInfo.skip) return;
  if (!browserInfo.path) throw new Error('REQUIRE_SERVICES=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-dashboard-'));
  await seed(dataDir);
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: path.resolve('knowledge'), LOG_LEVEL: 'silent' });
  deps = await createDeps(config, { log: createLogger(config) });
  await deps.channels.staff.add({ username: OFFICER.username, displayName: OFFICER.name, role: 'officer', password: OFFICER.password });
  app = await buildApp(deps);
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: browserInfo.path, headless: true, args: chromiumArgs() });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await deps?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Page errors and console errors, except the 401s a logged-out page is expected to meet. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('401')) errors.push(`${m.text()} ${m.location().url}`);
  });
  return errors;
}

async function logIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/console`);
  await page.getByLabel('Tên đăng nhập').fill(OFFICER.username);
  await page.getByLabel('Mật khẩu').fill(OFFICER.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect.poll(() => page.locator('#app').isVisible()).toBe(true);
  return page;
}

/** The headline cards as the page shows them: label → value. */
async function cardsOnPage(page: Page): Promise<Record<string, string>> {
  const cards = page.locator('#cards .stat-card');
  const out: Record<string, string> = {};
  for (const card of await cards.all()) out[(await card.locator('.stat-label').innerText()).trim()] = (await card.locator('.stat-value').innerText()).trim();
  return out;
}

/** The JSON the dashboard draws, fetched with the page's own login. */
async function reportFor(page: Page, query: string): Promise<StatsReport> {
  const res = await page.request.get(`${url}/api/v1/stats?${query}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as StatsReport;
}

const expectedCards = (report: StatsReport) => Object.fromEntries(headlineCards(report.totals).map((c) => [c.label, c.value]));

/** Each canvas: its size and whether Chart.js holds an instance for it (runs in the page). */
const CHART_STATE = `[...document.querySelectorAll('#charts canvas')].map((c) => ({
  id: c.id, width: c.getBoundingClientRect().width, height: c.getBoundingClientRect().height,
  chart: typeof Chart !== 'undefined' && Boolean(Chart.getChart(c)),
}))`;

/** Links and buttons with no name a screen reader could read (runs in the page). */
const UNNAMED_CONTROLS = `[...document.querySelectorAll('a, button, input, select')]
  .filter((e) => e.offsetParent !== null)
  .filter((e) => {
    const labelled = e.id && document.querySelector('label[for="' + e.id + '"]');
    const name = e.getAttribute('aria-label') ?? (labelled ? labelled.textContent : null) ?? e.textContent ?? '';
    return !name.trim();
  })
  .map((e) => e.outerHTML)`;

describe.skipIf(browserInfo.skip)('statistics dashboard in Chromium', () => {
  it('shows the seeded figures, filters by range and channel, draws the charts, exports CSV and marks a review item', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    const login = await logIn(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await login.close();

    // Default view: the last 30 days, all channels.
    await page.goto(`${url}/dashboard`);
    await expect.poll(() => page.locator('#status').innerText()).toContain('Đã tải số liệu');
    expect(await page.locator('#from').inputValue()).toBe(addDays(TODAY, -29));
    expect(await page.locator('#to').inputValue()).toBe(TODAY);
    expect(new URL(page.url()).searchParams.get('from')).toBe(addDays(TODAY, -29));
    expect(await page.locator('nav.staff-nav a[aria-current="page"]').innerText()).toBe('Thống kê');
    expect(await page.locator('nav.staff-nav .staff-nav-who').innerText()).toContain(OFFICER.name);

    const all = await reportFor(page, `from=${addDays(TODAY, -29)}&to=${TODAY}&group_by=day`);
    // Figures the seed fixes whatever the implementation: users u1, u2, u3 and two callers;
    // four chat conversations and two calls; one queued conversation and one transfer;
    // 6 minutes of talk; one unanswered and one refused turn; ratings 5 (useful) and 2 (not).
    expect(all.totals).toMatchObject({ users: 5, conversations: 6, calls: 2, talkSeconds: 360, handoffs: 2, unanswered: 1, refused: 1 });
    expect(all.totals.ratings).toEqual({ count: 2, positiveShare: 0.5, meanScore: 3.5 });
    const cards = await cardsOnPage(page);
    expect(cards).toEqual(expectedCards(all));
    expect(cards).toMatchObject({
      'Lượt người dùng': '5',
      'Hội thoại': '6',
      'Cuộc gọi': '2',
      'Giờ thoại': '0,1',
      'Chuyển cán bộ': '2',
      'Chưa trả lời được': '1',
      'Từ chối': '1',
      'Hài lòng': '50%',
      'Tỷ lệ tự phục vụ (cuộc gọi)': '50%',
    });
    expect(await page.locator('[data-card="satisfaction"] .stat-detail').innerText()).toContain('3,5/5');
    expect(await page.locator('#summary').innerText()).toBe(all.summary);
    expect(all.summary).toContain('5 lượt người dùng');

    // Every chart is drawn by Chart.js on a canvas with a size; every table has its CSV link.
    await expect.poll(() => page.evaluate(CHART_STATE)).toEqual(
      ['series', 'channels', 'reasons', 'statuses', 'procedures', 'aspects'].map((id) => ({
        id: `chart-${id}`,
        width: expect.any(Number),
        height: expect.any(Number),
        chart: true,
      })),
    );
    for (const c of (await page.evaluate(CHART_STATE)) as Array<{ width: number; height: number }>) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
    }
    const csvTables = await page.locator('a.csv-link').evaluateAll((links) => links.map((a) => new URL((a as unknown as { href: string }).href).searchParams.get('table')));
    expect(csvTables).toEqual(['totals', 'series', 'channels', 'reasons', 'statuses', 'procedures', 'aspects']);
    // The series table reads out the turns per day, for screen readers and for the eye.
    await page.locator('[data-chart="channels"] summary').click();
    expect(await page.locator('[data-chart="channels"] table tbody th').allInnerTexts()).toEqual(expect.arrayContaining(['Trang web', 'Zalo OA', 'Messenger', 'Tổng đài (thoại)']));
    expect(await page.evaluate(UNNAMED_CONTROLS)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // A range that takes in the old day and day A only (not day B), by week.
    await page.locator('#from').fill(addDays(DAY_OLD, -1));
    await page.locator('#to').fill(DAY_A);
    await page.locator('#group-by').selectOption('week');
    await page.getByRole('button', { name: 'Xem thống kê' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe(DAY_A);
    await expect.poll(() => page.locator('[data-card="calls"] .stat-value').innerText()).toBe('1');
    const ranged = await reportFor(page, `from=${addDays(DAY_OLD, -1)}&to=${DAY_A}&group_by=week`);
    // u4 (old), u1, u2 and the caller who was transferred.
    expect(ranged.totals).toMatchObject({ users: 4, calls: 1, talkSeconds: 240 });
    expect(await cardsOnPage(page)).toEqual(expectedCards(ranged));
    expect(await page.locator('[data-chart="series"] h2').innerText()).toBe('Theo thời gian (theo tuần)');

    // The same range, web only: u4 and u1, three turns.
    await page.locator('#channel').selectOption('web');
    await page.getByRole('button', { name: 'Xem thống kê' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('channel')).toBe('web');
    await expect.poll(() => page.locator('[data-card="users"] .stat-value').innerText()).toBe('2');
    expect(await page.locator('[data-card="turns"] .stat-value').innerText()).toBe('3');
    expect(await page.locator('[data-card="calls"] .stat-value').innerText()).toBe('0');
    await expect.poll(() => page.evaluate(`[...document.querySelectorAll('#charts canvas')].filter((c) => Chart.getChart(c)).length`)).toBeGreaterThan(0);

    // The view is in the URL: a reload shows the same filters.
    await page.reload();
    await expect.poll(() => page.locator('[data-card="users"] .stat-value').innerText()).toBe('2');
    expect(await page.locator('#channel').inputValue()).toBe('web');
    expect(await page.locator('#group-by').inputValue()).toBe('week');

    // "Tải CSV" of the channels table downloads the figures of the filters on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart="channels"] a.csv-link').click()]);
    const href = new URL(download.url());
    expect(Object.fromEntries(href.searchParams)).toEqual({ table: 'channels', from: addDays(DAY_OLD, -1), to: DAY_A, group_by: 'week', channel: 'web' });
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines.length).toBe(2);
    expect(lines[1]).toMatch(/^"?web"?,/);
    const header = lines[0]!.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const row = lines[1]!.split(',').map((c) => c.replace(/^"|"$/g, ''));
    const turnsColumn = header.findIndex((c) => /^turns$/i.test(c) || /lượt hỏi đáp/i.test(c));
    expect(turnsColumn).toBeGreaterThan(0);
    expect(row[turnsColumn]).toBe('3');

    // The review queue: the week's sample of live answers; an officer marks one "Sai" with a comment,
    // and the reviewed accuracy the next evaluation report shows counts it.
    await page.goto(`${url}/review?week=${hanoiIsoWeek(noon(DAY_A))}`);
    await expect.poll(() => page.locator('#progress-text').textContent()).toMatch(/^đã duyệt 0\/[1-9]/);
    await page.locator('textarea.comment').first().fill('Thiếu thời hạn giải quyết');
    await page.getByRole('button', { name: 'Sai', exact: true }).first().click();
    await expect.poll(() => page.locator('#progress-text').textContent()).toMatch(/^đã duyệt 1\//);
    const reviewed = (await (await page.request.get(`${url}/api/v1/review/summary?from=${addDays(DAY_A, -7)}&to=${TODAY}`)).json()) as {
      reviewed: number;
      incorrect: number;
      comments: Array<{ comment: string }>;
    };
    expect(reviewed).toMatchObject({ reviewed: 1, incorrect: 1 });
    expect(reviewed.comments.map((c) => c.comment)).toEqual(['Thiếu thời hạn giải quyết']);
    await page.goto(`${url}/dashboard`);
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/lượt hỏi đáp/);

    // The session ends elsewhere: the next load meets 401 and the page asks for a login.
    await page.request.post(`${url}/api/v1/console/logout`, { headers: { 'x-requested-with': 'console' } });
    await page.locator('#channel').selectOption('');
    await page.getByRole('button', { name: 'Xem thống kê' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Vui lòng đăng nhập' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px screen and asks for a login without a staff session', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const anonymous = await context.newPage();
    const errors = watchErrors(anonymous);
    await anonymous.goto(`${url}/dashboard`);
    await expect.poll(() => anonymous.getByRole('heading', { name: 'Vui lòng đăng nhập' }).isVisible()).toBe(true);
    expect(await anonymous.getByRole('link', { name: 'Đăng nhập tại bảng điều khiển' }).getAttribute('href')).toBe('/console');
    expect((await anonymous.request.get(`${url}/api/v1/stats?from=${DAY_A}&to=${DAY_B}&group_by=day`)).status()).toBe(401);
    expect(await anonymous.locator('#charts').count()).toBe(0);

    await logIn(context);
    await anonymous.goto(`${url}/dashboard?from=${DAY_A}&to=${DAY_B}&group_by=day&channel=voice`);
    await expect.poll(() => anonymous.locator('[data-card="calls"] .stat-value').innerText()).toBe('2');
    await expect.poll(() => anonymous.evaluate(CHART_STATE)).toContainEqual(expect.objectContaining({ id: 'chart-series', chart: true }));
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await anonymous.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await anonymous.screenshot({ path: path.join(ARTIFACTS, 'dashboard-360.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
