import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { GapService } from '../../src/gaps/gap-service.js';
import { ErrorResponseSchema, registerErrorHandling } from '../../src/http/errors.js';
import { registerConsoleApi } from '../../src/http/routes/console-api.js';
import { registerGapsApi } from '../../src/http/routes/gaps-api.js';
import { registerWebPages } from '../../src/http/routes/web-pages.js';
import { loadOverlays } from '../../src/knowledge/overlay.js';
import { browserAvailability, chromiumArgs } from './browser-support.js';

/**
 * The gaps page in real Chromium against a real server: the login prompt without a session;
 * with one, the grouped list, an alias added to a procedure from a group (then retrieved), a
 * group marked out of scope and hidden, and the CSV export.
 */
const ARTIFACTS = path.resolve('test-artifacts');
const ALIAS_WORD = 'zyxwv';
const CODE = '1.014062';
const browserInfo = browserAvailability();

let dirs: string[] = [];
let deps: Deps;
let gaps: GapService;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let knowledgeDir: string;
let token: string;

beforeAll(async () => {
  if (browserInfo.skip) return;
  if (!browserInfo.path) throw new Error('REQUIRE_SERVICES=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');
  mkdirSync(ARTIFACTS, { recursive: true });
  knowledgeDir = mkdtempSync(path.join(tmpdir(), 'ccai-e2e-gaps-know-'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-e2e-gaps-'));
  dirs = [knowledgeDir, dataDir];
  cpSync(path.resolve('knowledge'), knowledgeDir, { recursive: true });
  const config = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'silent' });
  deps = await createDeps(config);
  gaps = new GapService({ location: { dataDir }, lexicon: () => deps.knowledge.snapshot.lexicon });
  const at = new Date().toISOString();
  const turns: Array<[string, string, string]> = [
    ['a', `thủ tục ${ALIAS_WORD} cho cháu`, 'web'],
    ['b', `thu tuc ${ALIAS_WORD} cho chau`, 'zalo'],
    ['c', `Cho tôi hỏi thủ tục ${ALIAS_WORD} cho cháu ạ`, 'web'],
    ['d', 'mua vé máy bay đi Đà Nẵng', 'web'],
  ];
  for (const [id, question, channel] of turns) {
    await deps.qaLog.record({ id, at, channel, userKey: `u-${id}`, sessionId: `s-${id}`, question, answer: '…', status: 'unanswerable_no_content', procedureIds: [], aspect: null, composer: null, latencyMs: 3 });
  }
  const officer = await deps.channels.staff.add({ username: 'lan', displayName: 'Nguyễn Thị Lan', role: 'officer', password: 'mat-khau-cua-lan-2024' });
  token = (await deps.channels.staff.createSession(officer.id)).token;

  app = Fastify();
  app.addSchema(ErrorResponseSchema);
  registerErrorHandling(app, {});
  registerWebPages(app, { config });
  registerConsoleApi(app, { staff: deps.channels.staff, handoff: deps.channels.handoff, tickets: deps.channels.tickets, config, log: deps.log });
  registerGapsApi(app, {
    gaps,
    staff: deps.channels.staff,
    knowledge: { reload: () => deps.knowledge.reload(), isServed: (c) => deps.procedures.has(c), name: (c) => deps.procedures.get(c)?.name ?? null },
    knowledgeDir,
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: browserInfo.path, headless: true, args: chromiumArgs() });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  gaps?.close();
  await deps?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(browserInfo.skip)('gaps page in Chromium', () => {
  it('asks for a login, then lists the groups; an alias, an out-of-scope mark and the CSV export work from the page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // The page asks "who am I?" before the login and is told 401: expected, not an error.
      if (m.type() === 'error' && !m.text().includes('401')) pageErrors.push(m.text());
    });

    await page.goto(`${url}/dashboard/gaps`);
    await expect.poll(() => page.getByRole('heading', { name: 'Vui lòng đăng nhập' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Đăng nhập tại bảng điều khiển' }).getAttribute('href')).toBe('/console');

    const { hostname } = new URL(url);
    await context.addCookies([{ name: 'ccai_staff', value: token, domain: hostname, path: '/' }]);
    await page.goto(`${url}/dashboard/gaps`);
    const rows = page.locator('#groups-body tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('nav.staff-nav a[aria-current="page"]').textContent()).toBe('Chưa trả lời được');
    const top = rows.first();
    expect(await top.locator('td.num').textContent()).toBe('3');
    expect(await top.locator('.rep').textContent()).toContain(ALIAS_WORD);
    expect(await page.locator('#summary').textContent()).toContain('4 lượt chưa trả lời tốt, 2 nhóm');

    // Add an alias: the group cites no procedure, so the officer types the code.
    await top.getByRole('button', { name: /^Thêm tên gọi khác/ }).click();
    await page.getByLabel('Thủ tục', { exact: true }).selectOption('__other__');
    await page.getByLabel('Mã thủ tục (ví dụ 1.001193)').fill(CODE);
    await page.getByLabel('Tên gọi khác (cách công dân gọi thủ tục)').fill(`thủ tục ${ALIAS_WORD} cho cháu`);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect.poll(() => page.locator('#feedback').textContent()).toContain(`Đã thêm tên gọi "thủ tục ${ALIAS_WORD} cho cháu" cho thủ tục ${CODE}`);
    expect(loadOverlays(knowledgeDir).overlays.get(CODE)?.aliases).toContain(`thủ tục ${ALIAS_WORD} cho cháu`);
    expect((await deps.retriever.search({ text: ALIAS_WORD, limit: 1 }))[0]?.procedureId).toBe(CODE);
    await expect.poll(() => page.locator('#actions-list li').first().textContent()).toContain('Nguyễn Thị Lan: Thêm tên gọi khác');

    // Mark the other group out of scope: it leaves the list, and comes back with the filter.
    await rows.nth(1).getByRole('button', { name: /^Đánh dấu ngoài phạm vi/ }).click();
    await page.getByLabel('Lý do (không bắt buộc)').fill('Không thuộc dịch vụ công');
    await page.getByRole('button', { name: 'Đánh dấu', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.locator('#summary').textContent()).toContain('1 nhóm ngoài phạm vi đang ẩn');
    await page.getByLabel('Hiện cả nhóm đã đánh dấu ngoài phạm vi').check();
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('tr.out-of-scope .mark-note').textContent()).toContain('Không thuộc dịch vụ công');

    // CSV of the table, with the BOM and the Vietnamese header.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Xuất CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^chua-tra-loi-duoc_theo-cach-hoi_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    expect(csv.startsWith('\uFEFFCâu hỏi tiêu biểu,Số lượt,')).toBe(true);
    expect(csv).toContain('mua vé máy bay đi Đà Nẵng');
    expect(csv.trim().split('\r\n')).toHaveLength(3);

    // By procedure.
    await page.getByLabel('Nhóm theo').selectOption('procedure');
    await expect.poll(() => page.locator('#col-label').textContent()).toBe('Thủ tục');
    expect(await rows.first().locator('.rep').textContent()).toBe('Không xác định được thủ tục');

    await page.screenshot({ path: path.join(ARTIFACTS, 'gaps-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
