import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailability, chromiumArgs } from './browser-support.js';
import { OFFICER, startWebTestServer, type WebTestServer } from './web-test-server.js';

/**
 * The citizen page and the staff console side by side in real Chromium against a real server:
 * ask, watch the answer stream in with its citation, choose a clarification option, ask for a
 * person; the officer logs in, sees the conversation in the live queue, claims it and replies;
 * the citizen sees the reply; the officer hands back; the citizen rates.
 */
const ARTIFACTS = path.resolve('test-artifacts');
const browserInfo = browserAvailability();

let server: WebTestServer;
let browser: Browser;
let hostPage: Server;
let hostOrigin: string;

beforeAll(async () => {
  if (browserInfo.skip) return;
  if (!browserInfo.path) throw new Error('REQUIRE_SERVICES=1 but no Chromium was found (apt-get install chromium, or set CHROMIUM_PATH)');
  mkdirSync(ARTIFACTS, { recursive: true });
  // A page of "the city's site" on another origin, embedding the widget with one script tag.
  hostPage = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="vi"><title>Cổng thông tin</title><h1>Trang của thành phố</h1><script src="${req.url?.slice(1) ?? ''}"></script>`);
  });
  await new Promise<void>((resolve) => hostPage.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(hostPage.address() as AddressInfo).port}`;
  server = await startWebTestServer({ corsOrigins: [hostOrigin] });
  browser = await chromium.launch({ executablePath: browserInfo.path, headless: true, args: chromiumArgs() });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise<void>((resolve) => (hostPage ? hostPage.close(() => resolve()) : resolve()));
});

/**
 * Browser-side snippets are strings: the test project compiles without the DOM library, and
 * these run in the page, not in Node.
 */
const UNNAMED_BUTTONS = `[...document.querySelectorAll('button')]
  .filter((b) => b.offsetParent !== null)
  .filter((b) => {
    const by = b.getAttribute('aria-labelledby');
    const name = b.getAttribute('aria-label') ?? (by ? document.getElementById(by)?.textContent : null) ?? b.textContent ?? '';
    return !name.trim();
  })
  .map((b) => b.outerHTML)`;

/** Every visible button on the page has a name a screen reader can read out. */
function unnamedButtons(page: Page): Promise<string[]> {
  return page.evaluate(UNNAMED_BUTTONS) as Promise<string[]>;
}

const activeId = (page: Page) => page.evaluate('document.activeElement?.id') as Promise<string | undefined>;

const botAnswers = (page: Page) => page.locator('#log .msg-bot:not(.msg-welcome)');

describe.skipIf(browserInfo.skip)('web chat and staff console in Chromium', () => {
  it('runs the whole conversation: answer, option, handoff, officer reply, hand back, rating', async () => {
    const citizenContext = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const officerContext = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'vi-VN' });
    const citizen = await citizenContext.newPage();
    const officer = await officerContext.newPage();
    const pageErrors: string[] = [];
    for (const p of [citizen, officer]) {
      p.on('pageerror', (e) => pageErrors.push(e.message));
      p.on('console', (m) => {
        // The console asks "who am I?" before login and is told 401: expected, not an error.
        if (m.type() === 'error' && !(p === officer && m.text().includes('401'))) pageErrors.push(`${m.text()} ${m.location().url}`);
      });
    }
    // Counts how many times the answer's text changed while it was streaming.
    await citizen.addInitScript(`
      window.__pieces = 0;
      new MutationObserver((records) => {
        for (const r of records) if (r.target.closest && r.target.closest('.msg-streaming')) window.__pieces++;
      }).observe(document, { subtree: true, childList: true, characterData: true });
    `);

    // ── The citizen asks, without diacritics, and sees the answer stream in with its source.
    await citizen.goto(`${server.url}/`);
    await citizen.getByLabel('Câu hỏi của anh/chị').fill('dang ky ket hon can giay to gi');
    await citizen.keyboard.press('Enter');
    const first = botAnswers(citizen).first();
    const firstLink = first.locator('a.citation');
    await firstLink.waitFor();
    expect(await firstLink.textContent()).toContain('1.000894');
    expect(await firstLink.getAttribute('href')).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
    expect(await firstLink.getAttribute('rel')).toContain('noopener');
    expect(await first.locator('.msg-text').textContent()).toMatch(/kết hôn/i);
    expect(await citizen.evaluate('window.__pieces')).toBeGreaterThan(1);
    // Answers land in the live region, and it is not busy once the answer is complete.
    expect(await citizen.locator('#log[role="log"][aria-live="polite"] .msg-bot a.citation').count()).toBe(1);
    expect(await first.getAttribute('aria-busy')).toBeNull();
    // Focus is back in the box for the next question.
    expect(await activeId(citizen)).toBe('message');

    // ── An ambiguous question: options as buttons; the second one is chosen.
    await citizen.getByLabel('Câu hỏi của anh/chị').fill('cấp lại');
    await citizen.getByRole('button', { name: 'Gửi' }).click();
    const options = citizen.locator('.options button');
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThan(1);
    const chosenName = ((await options.nth(1).textContent()) ?? '').replace(/^\s*2\.\s*/, '').trim();
    await options.nth(1).click();
    await citizen.locator('#log .msg-user', { hasText: chosenName }).waitFor();
    await citizen.waitForFunction(`document.querySelectorAll('#log .msg-bot:not(.msg-welcome) a.citation').length >= 2`);
    expect(await botAnswers(citizen).last().locator('a.citation').first().textContent()).toContain(chosenName.slice(0, 20));

    // ── "Gặp cán bộ": the citizen is told their place in the line.
    await citizen.getByRole('button', { name: 'Gặp cán bộ', exact: true }).first().click();
    await citizen.locator('#log .msg-system', { hasText: 'vị trí 1' }).waitFor();
    const sessionId = (await citizen.evaluate(`JSON.parse(sessionStorage.getItem('ccai.chat.v1') || '{}').sessionId`)) as string;
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect((await server.handoff.findOpen('web', sessionId))?.status).toBe('waiting');

    // ── The officer logs in and sees the conversation in the live queue.
    await officer.goto(`${server.url}/console`);
    await officer.getByLabel('Tên đăng nhập').fill(OFFICER.username);
    await officer.getByLabel('Mật khẩu').fill(OFFICER.password);
    await officer.getByRole('button', { name: 'Đăng nhập' }).click();
    await officer.locator('#who-name', { hasText: OFFICER.name }).waitFor();
    const item = officer.locator('#queue button', { hasText: 'Công dân yêu cầu gặp cán bộ' });
    await item.waitFor();
    await item.click();
    // The bot's transcript is there to read first.
    await officer.locator('#transcript li', { hasText: 'dang ky ket hon can giay to gi' }).waitFor();
    await officer.getByRole('button', { name: 'Nhận xử lý' }).click();
    await officer.getByLabel('Trả lời công dân').waitFor();

    // ── The citizen is told who took over, live.
    await citizen.locator('#log .msg-system', { hasText: OFFICER.name }).waitFor();

    // ── The officer replies; the citizen sees it as the officer's message.
    await officer.getByLabel('Trả lời công dân').fill('Chào anh/chị, tôi là cán bộ Lan. Anh/chị cần hỏi thêm về giấy tờ nào?');
    await officer.getByRole('button', { name: 'Gửi trả lời' }).click();
    const staffMsg = citizen.locator('#log .msg-staff', { hasText: 'tôi là cán bộ Lan' });
    await staffMsg.waitFor();
    expect(await staffMsg.locator('.msg-author').textContent()).toContain(`Cán bộ ${OFFICER.name}`);

    // ── The citizen answers the officer; it shows up in the console, live.
    await citizen.getByLabel('Câu hỏi của anh/chị').fill('Tôi cần bản sao giấy khai sinh không ạ?');
    await citizen.keyboard.press('Enter');
    await officer.locator('#messages li', { hasText: 'bản sao giấy khai sinh' }).waitFor();

    await citizen.screenshot({ path: path.join(ARTIFACTS, 'citizen-chat.png'), fullPage: true });
    await officer.screenshot({ path: path.join(ARTIFACTS, 'staff-console.png'), fullPage: true });

    // ── The officer hands back to the bot; the citizen is told.
    await officer.getByRole('button', { name: 'Trả lại cho trợ lý' }).click();
    await citizen.locator('#log .msg-system', { hasText: 'trợ lý tự động' }).waitFor();
    await officer.locator('#queue-empty').waitFor({ state: 'visible' });

    // ── The citizen rates the conversation: useful, and 5 of 5.
    const rating = citizen.getByRole('region', { name: 'Đánh giá cuộc trò chuyện' });
    await rating.waitFor();
    await rating.getByRole('button', { name: 'Có', exact: true }).click();
    await rating.getByRole('button', { name: '5 trên 5' }).click();
    await citizen.locator('#log .msg-bot', { hasText: 'Cảm ơn anh/chị đã đánh giá' }).nth(1).waitFor();
    await rating.waitFor({ state: 'hidden' });
    const ratings = (await server.deps.qaLog.ratings?.(sessionId)) ?? [];
    expect(ratings.map((r) => [r.useful, r.score])).toEqual([
      [true, null],
      [null, 5],
    ]);

    await citizen.screenshot({ path: path.join(ARTIFACTS, 'citizen-chat-rated.png'), fullPage: true });
    await officer.screenshot({ path: path.join(ARTIFACTS, 'staff-console-after.png'), fullPage: true });

    // ── Accessibility smoke: every button named, on both pages.
    expect(await unnamedButtons(citizen)).toEqual([]);
    expect(await unnamedButtons(officer)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await citizenContext.close();
    await officerContext.close();
  }, 90_000);

  it('is usable on a 360 px phone: no sideways scrolling, controls in view and big enough to tap', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Câu hỏi của anh/chị').fill('le phi dang ky khai sinh');
    await page.getByRole('button', { name: 'Gửi' }).click();
    await page.locator('#log a.citation').first().waitFor();
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      controls: ['send', 'handoff', 'message'].map((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return { id, left: r.left, right: r.right, height: r.height };
      }),
    })`)) as { scrollWidth: number; controls: Array<{ id: string; left: number; right: number; height: number }> };
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    for (const c of layout.controls) {
      expect(c.left, c.id).toBeGreaterThanOrEqual(0);
      expect(c.right, c.id).toBeLessThanOrEqual(360);
      expect(c.height, c.id).toBeGreaterThanOrEqual(44);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'citizen-chat-360.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('the accessible structure: labelled box, live region, named buttons, keyboard-only sending', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    expect(await page.locator('#log').getAttribute('role')).toBe('log');
    expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');
    expect(await page.getByLabel('Câu hỏi của anh/chị').count()).toBe(1);
    expect(await unnamedButtons(page)).toEqual([]);
    // Keyboard only: Tab reaches the box, typing and Enter send.
    await page.keyboard.press('Tab'); // skip link
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('message');
    await page.keyboard.type('Xin chào');
    await page.keyboard.press('Enter');
    await botAnswers(page).first().locator('.msg-text', { hasText: /\S/ }).waitFor();
    expect(await activeId(page)).toBe('message');
    await context.close();
  }, 60_000);

  it('the widget: one script tag on another origin adds the button that opens the chat in a frame', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${hostOrigin}/${server.url}/widget.js`);
    const button = page.getByRole('button', { name: 'Hỏi đáp thủ tục' });
    await button.waitFor();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const frame = page.frameLocator('iframe[title="Hỏi đáp thủ tục hành chính"]');
    await frame.getByLabel('Câu hỏi của anh/chị').fill('lệ phí đăng ký kết hôn');
    await frame.getByRole('button', { name: 'Gửi' }).click();
    await frame.locator('#log a.citation').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'widget-on-city-page.png') });
    await page.getByRole('button', { name: 'Đóng hộp hỏi đáp' }).click();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
