import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { createLogger } from '../../src/http/logger.js';

const KNOWLEDGE_DIR = path.resolve('knowledge');

interface SearchBody {
  results: Array<{ id: string; name: string; field: string | null; level: string | null; score: number; url: string | null }>;
  aspect: string | null;
}

/** Collects pino's JSON lines so tests can assert what was logged. */
function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ LOG_LEVEL: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

let dataDir: string;
let deps: Deps;
let app: FastifyInstance;
let lines: Array<Record<string, unknown>>;

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-http-'));
  const captured = captureLog();
  lines = captured.lines;
  deps = await createDeps(loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR, LOG_LEVEL: 'info' }), { log: captured.log });
  app = await buildApp(deps);
});

afterEach(async () => {
  await app.close();
  await deps.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/v1/search', () => {
  it('returns ranked results with the documented shape and finds đăng ký khai sinh', async () => {
    const res = await get(`/api/v1/search?q=${encodeURIComponent('đăng ký khai sinh')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json<SearchBody>();
    expect(Object.keys(body).sort()).toEqual(['aspect', 'results']);
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results[0]).toEqual({
      id: '1.001193',
      name: 'Đăng ký khai sinh',
      field: 'Hộ tịch',
      level: 'Cấp xã',
      score: expect.any(Number),
      url: expect.stringMatching(/^https:\/\/dichvucong\.gov\.vn\//),
    });
    // Rounded to 4 decimals.
    for (const r of body.results) expect(Math.round(r.score * 10_000) / 10_000).toBe(r.score);
    // Ranked: scores never increase down the list.
    const scores = body.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.aspect).toBeNull();
  });

  it('finds the same procedure typed without diacritics', async () => {
    const body = (await get('/api/v1/search?q=dang%20ky%20khai%20sinh')).json<SearchBody>();
    expect(body.results[0]?.id).toBe('1.001193');
  });

  it('reports the aspect the question asks about', async () => {
    const body = (await get(`/api/v1/search?q=${encodeURIComponent('lệ phí đăng ký kết hôn bao nhiêu')}`)).json<SearchBody>();
    expect(body.aspect).toBe('fee');
    expect(body.results[0]?.id).toBe('1.000894');
  });

  it('honours k and the level filter', async () => {
    const two = (await get('/api/v1/search?q=dang%20ky&k=2')).json<SearchBody>();
    expect(two.results).toHaveLength(2);
    // The level filter keeps only records done at that level, whatever the starter set holds.
    const xa = (await get('/api/v1/search?q=dang%20ky&level=xa&k=50')).json<SearchBody>();
    expect(xa.results.length).toBeGreaterThan(0);
    for (const r of xa.results) expect(r.level).toMatch(/xã/i);
  });

  it.each([
    ['/api/v1/search', /"q"/],
    ['/api/v1/search?q=%20%20%20', /"q".*empty/],
    [`/api/v1/search?q=${'a'.repeat(501)}`, /"q".*500/],
    ['/api/v1/search?q=khai%20sinh&k=0', /"k".*>= 1/],
    ['/api/v1/search?q=khai%20sinh&k=51', /"k".*<= 50/],
    ['/api/v1/search?q=khai%20sinh&k=abc', /"k".*integer/],
    ['/api/v1/search?q=khai%20sinh&k=2.5', /"k".*integer/],
    [`/api/v1/search?q=khai%20sinh&level=${'x'.repeat(51)}`, /"level"/],
  ])('%s → 400 naming the parameter', async (url, message) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: string; message: string; hint?: string }>();
    expect(body.error).toBe('bad_request');
    expect(body.message).toMatch(message);
    expect(body.hint).toEqual(expect.any(String));
  });

  it('accepts 500 characters once surrounding spaces are trimmed', async () => {
    const q = `  ${'khai sinh '.repeat(50).trim().padEnd(500, 'x')}  `;
    expect(q.trim()).toHaveLength(500);
    expect((await get(`/api/v1/search?q=${encodeURIComponent(q)}`)).statusCode).toBe(200);
  });
});

describe('GET /api/v1/procedures/:id', () => {
  it('returns the full record', async () => {
    const res = await get('/api/v1/procedures/1.001193');
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({
      id: '1.001193',
      name: 'Đăng ký khai sinh',
      levels: ['Cấp xã'],
      completeness: 'detailed',
      sources: [{ kind: 'team_knowledge', file: 'knowledge/procedures/1.001193.json', repo: null, commit: null }],
    });
    expect(p.channels.length).toBeGreaterThan(0);
    expect(p.documents[0]).toHaveProperty('name');
    expect(p.description).toMatch(/dichvucong\.gov\.vn/);
  });

  it('answers 404 in Vietnamese for an unknown code', async () => {
    const res = await get('/api/v1/procedures/1.234567');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'Không tìm thấy thủ tục 1.234567' });
  });

  it('answers 400 for a malformed code', async () => {
    const res = await get('/api/v1/procedures/abc');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/"id"/) });
  });
});

describe('errors', () => {
  it('hides internals of a 5xx from the caller and logs them', async () => {
    const broken: Deps = {
      ...deps,
      retriever: {
        search: async () => {
          throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/data');
        },
      },
    };
    const brokenApp = await buildApp(broken);
    try {
      const res = await brokenApp.inject({ method: 'GET', url: '/api/v1/search?q=khai%20sinh' });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toMatch(/SQLITE|\/srv\/data|at /);
      expect(res.json()).toMatchObject({ error: 'internal', message: 'Internal server error' });
      expect(JSON.stringify(lines)).toMatch(/SQLITE_CORRUPT/);
    } finally {
      await brokenApp.close();
    }
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await get('/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });

  it('redacts credentials at the logger', async () => {
    await app.inject({ method: 'GET', url: '/health', headers: { authorization: 'Bearer top-secret', cookie: 's=abc' } });
    // Fastify's own req serializer drops headers; the redaction guards code that logs them by hand.
    deps.log.info({ req: { headers: { authorization: 'Bearer top-secret', cookie: 's=abc' } } }, 'probe');
    const text = JSON.stringify(lines);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('top-secret');
    expect(text).not.toContain('s=abc');
  });
});

describe('request logs', () => {
  it('never write the citizen\'s question from the query string', async () => {
    const res = await get('/api/v1/search?q=t%C3%B4i%20t%C3%AAn%20Nguy%E1%BB%85n%20V%C4%83n%20An%20s%E1%BB%91%200912345678');
    expect(res.statusCode).toBe(200);
    const text = JSON.stringify(lines);
    expect(text).toContain('/api/v1/search');
    expect(text).not.toContain('0912345678');
    expect(text).not.toMatch(/Nguy/);
  });
});

describe('health and readiness', () => {
  it('GET /health is 200', async () => {
    const res = await get('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready is 200 with the procedure count, 503 once shut down', async () => {
    const ready = await get('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', procedures: deps.procedures.size, retriever: 'lexical', dense: 'disabled' });
    expect(deps.procedures.size).toBeGreaterThanOrEqual(6);
    await deps.close();
    const after = await get('/ready');
    expect(after.statusCode).toBe(503);
    expect(after.json()).toMatchObject({ status: 'not_ready' });
  });

  it('GET /ready is 503 when there is nothing to search', async () => {
    const emptyKnowledge = mkdtempSync(path.join(tmpdir(), 'ccai-empty-'));
    const emptyData = mkdtempSync(path.join(tmpdir(), 'ccai-empty-data-'));
    const emptyDeps = await createDeps(loadConfig({ DATA_DIR: emptyData, KNOWLEDGE_DIR: emptyKnowledge, LOG_LEVEL: 'silent' }));
    const emptyApp = await buildApp(emptyDeps);
    try {
      const res = await emptyApp.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not_ready', procedures: 0 });
    } finally {
      await emptyApp.close();
      await emptyDeps.close();
      rmSync(emptyKnowledge, { recursive: true, force: true });
      rmSync(emptyData, { recursive: true, force: true });
    }
  });
});

describe('OpenAPI', () => {
  it('/docs/json is an OpenAPI 3 document listing the API with response schemas', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toEqual(expect.any(String));
    const search = doc.paths['/api/v1/search'].get;
    expect(search.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['agency', 'k', 'level', 'q']);
    expect(search.responses['200'].content['application/json'].schema.properties.results).toBeDefined();
    expect(search.responses['400']).toBeDefined();
    expect(doc.paths['/api/v1/procedures/{id}'].get.responses['404']).toBeDefined();
    expect(doc.paths['/health']).toBeDefined();
  });

  it('serves Swagger UI and its assets locally (no CDN)', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/swagger-ui/);
    expect(page.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const bundle = await get('/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
  });
});
