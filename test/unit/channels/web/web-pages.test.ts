import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, defaultWebRoot, registerWebPages } from '../../../../src/http/routes/web-pages.js';

let app: FastifyInstance;
let root: string;

function fixture(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ccai-web-'));
  const put = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  put('chat/index.html', '<!doctype html><title>chat</title>');
  put('console/index.html', '<!doctype html><title>console</title>');
  put('chat/main.js', 'console.log(1)');
  put('shared/base.css', 'body{}');
  put('widget/widget.js', "const injected = '__CCAI_PUBLIC_BASE_URL__';");
  put('.secret.js', 'no');
  return dir;
}

async function start(config: { PUBLIC_BASE_URL?: string; WEB_CORS_ORIGINS?: string[] } = {}, webRoot?: string) {
  root = webRoot ?? fixture();
  app = Fastify();
  registerWebPages(app, { config: { WEB_CORS_ORIGINS: config.WEB_CORS_ORIGINS ?? [], ...(config.PUBLIC_BASE_URL ? { PUBLIC_BASE_URL: config.PUBLIC_BASE_URL } : {}) }, webRoot: root });
  app.post('/api/v1/chat', async () => ({ ok: true }));
  await app.ready();
}

afterEach(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('web pages', () => {
  it('serves the chat page with a strict CSP that the city\'s sites may frame', async () => {
    await start({ WEB_CORS_ORIGINS: ['https://hanoi.gov.vn/'] });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'self' https://hanoi.gov.vn");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the console may not be framed at all and is not cached', async () => {
    await start({ WEB_CORS_ORIGINS: ['https://hanoi.gov.vn'] });
    const res = await app.inject('/console');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('console');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('writes PUBLIC_BASE_URL into the widget script, served cross-origin', async () => {
    await start({ PUBLIC_BASE_URL: 'https://hoidap.hanoi.gov.vn/' });
    const res = await app.inject('/widget.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.body).toContain("'https://hoidap.hanoi.gov.vn'");
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it('serves assets with their content types, an ETag and 304 on revalidation', async () => {
    await start();
    const js = await app.inject('/assets/chat/main.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await app.inject('/assets/shared/base.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const etag = String(js.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.inject({ url: '/assets/chat/main.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves nothing outside the web root, no hidden files and no pages under /assets', async () => {
    await start();
    for (const url of ['/assets/../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/assets/.secret.js', '/assets/chat/index.html', '/assets/chat/nope.js']) {
      expect((await app.inject(url)).statusCode, url).toBe(404);
    }
  });

  it('says the assets are not built instead of failing obscurely', async () => {
    await start({}, path.join(tmpdir(), 'ccai-web-missing-xyz'));
    const res = await app.inject('/');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });

  it('finds dist/web of this checkout by default', () => {
    expect(defaultWebRoot()).toBe(path.resolve('dist', 'web'));
    expect(contentSecurityPolicy([])).toContain("frame-ancestors 'none'");
  });
});

describe('CORS for the chat API', () => {
  it('allows the listed origins, with a preflight, and nobody else', async () => {
    await start({ WEB_CORS_ORIGINS: ['https://hanoi.gov.vn'] });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/chat', headers: { origin: 'https://hanoi.gov.vn' }, payload: {} });
    expect(ok.headers['access-control-allow-origin']).toBe('https://hanoi.gov.vn');
    expect(ok.headers.vary).toContain('Origin');
    const other = await app.inject({ method: 'POST', url: '/api/v1/chat', headers: { origin: 'https://evil.example' }, payload: {} });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/chat/stream',
      headers: { origin: 'https://hanoi.gov.vn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
    const denied = await app.inject({ method: 'OPTIONS', url: '/api/v1/chat', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    // Not the other APIs.
    const elsewhere = await app.inject({ method: 'GET', url: '/', headers: { origin: 'https://hanoi.gov.vn' } });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });
});
