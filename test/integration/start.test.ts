import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalogueStore } from '../../src/catalogue/sqlite-catalogue-store.js';
import { loadConfig } from '../../src/config.js';
import { createDeps } from '../../src/deps.js';
import { Procedure } from '../../src/domain/procedure.js';
import { createLogger } from '../../src/http/logger.js';
import { startFakeEmbeddingsServer } from '../support/fake-embeddings-server.js';

const REPO_KNOWLEDGE = path.resolve('knowledge');
// Every starter record the team ships; the file name is the official code.
const STARTER_CODES = readdirSync(path.join(REPO_KNOWLEDGE, 'procedures'))
  .filter((n) => n.endsWith('.json'))
  .map((n) => n.slice(0, -'.json'.length))
  .sort();

const cleanup: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function captureLog() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ LOG_LEVEL: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

describe('createDeps', () => {
  it('serves the team starter records when the catalogue store is empty', async () => {
    const deps = await createDeps(
      loadConfig({ DATA_DIR: tempDir('ccai-data-'), KNOWLEDGE_DIR: REPO_KNOWLEDGE, LOG_LEVEL: 'silent' }),
    );
    try {
      expect(deps.counts).toEqual({ fromStore: 0, fromStarter: STARTER_CODES.length });
      expect([...deps.procedures.keys()].sort()).toEqual(STARTER_CODES);
      expect(deps.skippedStarterFiles).toEqual([]);
      expect(deps.isReady()).toBe(true);
      for (const p of deps.procedures.values()) {
        expect(p.sources).toEqual([{ kind: 'team_knowledge', file: `knowledge/procedures/${p.id}.json`, repo: null, commit: null }]);
      }
      const hits = await deps.retriever.search({ text: 'làm lại căn cước', limit: 3 });
      expect(hits[0]?.procedureId).toBe('1.014064');
    } finally {
      await deps.close();
    }
    expect(deps.isReady()).toBe(false);
  });

  it('lets an ingested official record win over the starter record with the same code', async () => {
    const dataDir = tempDir('ccai-data-');
    const store = openCatalogueStore(dataDir);
    const source = { kind: 'normalised_jsonl' as const, file: 'procedures.jsonl', repo: null, commit: null };
    await store.upsertMany(
      [Procedure.parse({ id: '1.001193', name: 'Thủ tục đăng ký khai sinh', levels: ['Cấp xã'], sources: [source] })],
      source,
    );
    await store.close();

    const deps = await createDeps(loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: REPO_KNOWLEDGE, LOG_LEVEL: 'silent' }));
    try {
      expect(deps.counts).toEqual({ fromStore: 1, fromStarter: STARTER_CODES.length - 1 });
      expect(deps.procedures.get('1.001193')?.name).toBe('Thủ tục đăng ký khai sinh');
      expect(deps.procedures.get('1.001193')?.sources[0]?.kind).toBe('normalised_jsonl');
    } finally {
      await deps.close();
    }
  });

  it('skips a broken starter file with a logged reason and still starts', async () => {
    const knowledge = tempDir('ccai-knowledge-');
    const dir = path.join(knowledge, 'procedures');
    mkdirSync(dir);
    copyFileSync(path.join(REPO_KNOWLEDGE, 'procedures', '1.001193.json'), path.join(dir, '1.001193.json'));
    writeFileSync(path.join(dir, '1.000894.json'), '{ "id": "1.000894", "name": ');
    writeFileSync(path.join(dir, '1.004222.json'), JSON.stringify({ id: '1.004222', name: 'Đăng ký thường trú', sources: [] }));
    writeFileSync(
      path.join(dir, 'wrong-name.json'),
      JSON.stringify({ id: '1.003677', name: 'Khai báo tạm vắng', sources: [{ kind: 'team_knowledge', file: 'x' }] }),
    );
    const { log, lines } = captureLog();

    const deps = await createDeps(loadConfig({ DATA_DIR: tempDir('ccai-data-'), KNOWLEDGE_DIR: knowledge }), { log });
    try {
      expect([...deps.procedures.keys()]).toEqual(['1.001193']);
      const reasons = Object.fromEntries(deps.skippedStarterFiles.map((s) => [path.basename(s.file), s.reason]));
      expect(reasons['1.000894.json']).toMatch(/not valid JSON/);
      expect(reasons['1.004222.json']).toMatch(/sources/);
      expect(reasons['wrong-name.json']).toMatch(/1\.003677\.json/);

      const skippedLines = lines.filter((l) => l.msg === 'starter procedure skipped');
      expect(skippedLines).toHaveLength(3);
      expect(skippedLines.map((l) => path.basename(String(l.file))).sort()).toEqual([
        '1.000894.json',
        '1.004222.json',
        'wrong-name.json',
      ]);
      for (const l of skippedLines) expect(l.reason).toEqual(expect.any(String));
      // A missing lexicon is tolerated with a warning, not a crash.
      expect(lines.some((l) => l.msg === 'lexicon not found; searching without synonyms and abbreviations')).toBe(true);
    } finally {
      await deps.close();
    }
  });
});

describe('createDeps with embeddings configured', () => {
  it('wraps lexical search in the hybrid retriever and builds the dense index in the background', async () => {
    const server = await startFakeEmbeddingsServer();
    const deps = await createDeps(
      loadConfig({
        DATA_DIR: tempDir('ccai-data-'),
        KNOWLEDGE_DIR: REPO_KNOWLEDGE,
        LOG_LEVEL: 'silent',
        EMBEDDINGS_BASE_URL: server.baseURL,
        EMBEDDINGS_MODEL: 'fake-model',
      }),
    );
    try {
      expect(deps.retrieverKind).toBe('hybrid');
      // Ready at once: lexical answers while the dense index builds.
      expect(deps.isReady()).toBe(true);
      const deadline = Date.now() + 15_000;
      while (deps.denseStatus() === 'indexing' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(deps.denseStatus()).toBe('ready');
      expect(server.embeddedTexts()).toBeGreaterThan(0);
      const hits = await deps.retriever.search({ text: 'đăng ký khai sinh', limit: 3 });
      expect(hits[0]?.procedureId).toBe('1.001193');
    } finally {
      await deps.close();
      await server.close();
    }
  });
});

describe('main.ts', () => {
  it('starts on a fresh data dir, logs what it serves with the ingest hint, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir('ccai-main-'), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listen line in time\n${out}\n${err}`)), 30_000);
        const check = () => {
          const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`exited early with ${code}\n${out}\n${err}`)));
      });
      const logs = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('serving '))).toMatchObject({
        fromStore: 0,
        fromStarter: STARTER_CODES.length,
      });
      expect(out).toContain('npm run ingest -- ../shared/data/tthc');

      const res = await fetch(`${url}/api/v1/search?q=khai%20sinh`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: Array<{ id: string }> };
      expect(body.results[0]?.id).toBe('1.001193');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('shutting down');
  });

  it('runs WORKERS processes on one port that share the SQLite files, and stops them all on SIGTERM', async () => {
    const dataDir = tempDir('ccai-workers-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', WORKERS: '2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const urls = await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`workers did not both listen in time\n${out}\n${err}`)), 45_000);
        const check = () => {
          const found = [...out.matchAll(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]!);
          if (found.length >= 2) {
            clearTimeout(timer);
            resolve(found);
          }
        };
        child.stdout.on('data', check);
        void exited.then((code) => reject(new Error(`exited early with ${code}\n${out}\n${err}`)));
      });
      expect(new Set(urls).size).toBe(1);
      const pids = new Set(
        out
          .split('\n')
          .filter((l) => l.includes('Server listening'))
          .map((l) => (JSON.parse(l) as { pid: number }).pid),
      );
      expect(pids.size).toBe(2);
      // Both workers write the same sessions and Q&A files; a conversation continues whichever answers.
      const first = (await (await fetch(`${urls[0]}/api/v1/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Đăng ký khai sinh cần giấy tờ gì?' }),
      })).json()) as { session_id: string; status: string };
      expect(first.status).toBe('answered');
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${urls[0]}/api/v1/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ message: 'còn lệ phí thì sao?', session_id: first.session_id }),
        });
        const body = (await res.json()) as { status: string; citations: { id: string }[] };
        expect(body.status).toBe('answered');
        expect(body.citations[0]?.id).toBe('1.001193');
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('refuses to start with a bad variable and names it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(err).toMatch(/PORT/);
  });
});
