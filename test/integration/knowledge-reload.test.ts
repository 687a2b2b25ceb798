import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/deps.js';

const REPO_KNOWLEDGE = path.resolve('knowledge');
const TOKEN = 'test-admin-token-0123456789abcdef';
const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A private copy of the team's knowledge that a test may edit. */
function knowledgeCopy(): string {
  const dir = tempDir('ccai-know-');
  cpSync(REPO_KNOWLEDGE, dir, { recursive: true });
  return dir;
}

/** A word no procedure, alias or lexicon entry holds, so only a new overlay can make it match. */
const NEW_ALIAS = 'thủ tục zyxwv cho cháu';

describe('knowledge reload through the admin endpoint', () => {
  it('401 without or with a wrong token and nothing changes; with the token the new overlay is served at once', async () => {
    const knowledgeDir = knowledgeCopy();
    const deps = await createDeps(loadConfig({ DATA_DIR: tempDir('ccai-data-'), KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN }));
    const app = await buildApp(deps);
    try {
      const search = async () => (await app.inject({ url: `/api/v1/search?q=${encodeURIComponent('zyxwv')}` })).json<{ results: Array<{ id: string }> }>().results;
      expect(await search()).toEqual([]);
      writeFileSync(
        path.join(knowledgeDir, 'overlays', '1.014062.json'),
        JSON.stringify({ id: '1.014062', aliases: ['làm căn cước cho con', NEW_ALIAS], examples: [], notes: ['Ghi chú thử nghiệm sau khi tải lại.'] }),
      );
      for (const authorization of [undefined, 'Bearer wrong-token-wrong-token-wrong', `Basic ${TOKEN}`, TOKEN]) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/admin/reload', headers: authorization ? { authorization } : {} });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      expect(await search()).toEqual([]);

      const res = await app.inject({ method: 'POST', url: '/api/v1/admin/reload', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, procedures: deps.procedures.size, problems: [] });
      expect((await search())[0]?.id).toBe('1.014062');

      // The answer pipeline was rebuilt too: the new note comes with the answer.
      const chat = await app.inject({ method: 'POST', url: '/api/v1/chat', payload: { message: `${NEW_ALIAS} cần giấy tờ gì` } });
      expect(chat.json<{ text: string }>().text).toContain('Ghi chú thử nghiệm sau khi tải lại.');
    } finally {
      await app.close();
      await deps.close();
    }
  });

  it('a broken file makes the reload fail with 500 and the previous knowledge keeps being served', async () => {
    const knowledgeDir = knowledgeCopy();
    const deps = await createDeps(loadConfig({ DATA_DIR: tempDir('ccai-data-'), KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: TOKEN }));
    const app = await buildApp(deps);
    try {
      const before = deps.procedures.size;
      writeFileSync(path.join(knowledgeDir, 'lexicon.json'), '{"version": 1, "entries": [');
      const res = await app.inject({ method: 'POST', url: '/api/v1/admin/reload', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ error: 'reload_failed', message: expect.stringMatching(/lexicon\.json/) });
      expect(deps.procedures.size).toBe(before);
      const hits = (await app.inject({ url: '/api/v1/search?q=l%C3%A0m%20l%E1%BA%A1i%20cccd' })).json<{ results: Array<{ id: string }> }>().results;
      expect(hits[0]?.id).toBe('1.014064');
    } finally {
      await app.close();
      await deps.close();
    }
  });

  it('is not mounted without ADMIN_TOKEN', async () => {
    const deps = await createDeps(loadConfig({ DATA_DIR: tempDir('ccai-data-'), KNOWLEDGE_DIR: REPO_KNOWLEDGE, LOG_LEVEL: 'silent' }));
    const app = await buildApp(deps);
    try {
      const res = await app.inject({ method: 'POST', url: '/api/v1/admin/reload', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(404);
    } finally {
      await app.close();
      await deps.close();
    }
  });
});

describe('knowledge reload on SIGHUP', () => {
  it.each([['1'], ['2']])('WORKERS=%s: an overlay written while the server runs is served after SIGHUP, in every worker', async (workers) => {
    const knowledgeDir = knowledgeCopy();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir('ccai-hup-'), KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'info', WORKERS: workers },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp, count: number, ms: number) => {
      const deadline = Date.now() + ms;
      while ((out.match(pattern) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} ×${count}\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/Server listening at http:\/\/127\.0\.0\.1:\d+/g, Number(workers), 45_000);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const search = async () => ((await (await fetch(`${url}/api/v1/search?q=zyxwv`)).json()) as { results: Array<{ id: string }> }).results;
      expect(await search()).toEqual([]);
      writeFileSync(path.join(knowledgeDir, 'overlays', '1.014062.json'), JSON.stringify({ id: '1.014062', aliases: [NEW_ALIAS] }));
      child.kill('SIGHUP');
      await waitFor(/"msg":"knowledge reloaded"/g, Number(workers), 30_000);
      // Several requests, so with two workers both are asked (the OS spreads connections).
      for (let i = 0; i < 6; i++) expect((await search())[0]?.id).toBe('1.014062');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
