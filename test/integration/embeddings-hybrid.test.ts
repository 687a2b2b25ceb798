import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Procedure } from '../../src/domain/procedure.js';
import { createHybridRetriever, type HybridRetrieverHandle } from '../../src/retrieval/create-hybrid-retriever.js';
import { procedurePassages } from '../../src/retrieval/procedure-passages.js';
import type { RetrievalLog } from '../../src/retrieval/retrieval-log.js';
import { deadBaseURL, startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../support/fake-embeddings-server.js';
import { makeProcedure, procedureMap } from '../support/procedures.js';
import { ranked, ScriptedRetriever } from '../support/scripted-retriever.js';

// createHybridRetriever end to end: real openai client → wire-format double; in-memory store; SQLite cache.

const FIELDS = ['Hộ tịch', 'Đất đai', 'Xây dựng', 'Giao thông', 'Tư pháp', 'Thuế', 'Giáo dục', 'Y tế'];
const filler: Procedure[] = Array.from({ length: 96 }, (_, i) =>
  makeProcedure({
    id: `2.${String(100000 + i).padStart(6, '0')}`,
    name: `Thủ tục hành chính mẫu số ${i} thuộc lĩnh vực ${FIELDS[i % FIELDS.length]}`,
    field: FIELDS[i % FIELDS.length]!,
    levels: [i % 2 ? 'Cấp xã' : 'Cấp tỉnh'],
    documents: i % 3 === 0 ? [{ name: `Tờ khai mẫu ${i}` }] : [],
  }),
);
const licence = makeProcedure({
  id: '1.000001',
  name: 'Cấp đổi giấy phép lái xe',
  field: 'Đường bộ',
  levels: ['Cấp tỉnh'],
  aliases: ['đổi bằng lái xe', 'gplx'],
  agency: 'Sở Xây dựng',
});
const catalogue = [licence, ...filler];
const passageCount = catalogue.flatMap(procedurePassages).length;

let server: FakeEmbeddingsServer;
const dirs: string[] = [];
const handles: HybridRetrieverHandle[] = [];
beforeAll(async () => {
  server = await startFakeEmbeddingsServer();
});
afterAll(async () => server.close());
afterEach(async () => {
  for (const h of handles.splice(0)) await h.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  server.failWith = null;
  server.delayMs = 0;
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hybrid-'));
  dirs.push(d);
  return d;
}

function quietLog(): RetrievalLog & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return { warns, infos, warn: (_o, m) => void warns.push(m ?? ''), info: (_o, m) => void infos.push(m ?? '') };
}

/** Lexical side that never finds the licence procedure: any licence hit must come from the dense side. */
const lexical = new ScriptedRetriever(() => ranked(filler[0]!.id, filler[1]!.id, filler[2]!.id));

function start(config: Record<string, string>, procedures = procedureMap(catalogue), log = quietLog()): HybridRetrieverHandle {
  const h = createHybridRetriever({
    lexical,
    procedures,
    config: { EMBEDDINGS_BASE_URL: server.baseURL, EMBEDDINGS_MODEL: 'fake-trigram', ...config },
    log,
    retryDelayMs: 0,
    hybrid: { denseTimeoutMs: 3_000 },
  });
  handles.push(h);
  return h;
}

describe('createHybridRetriever', () => {
  it('without EMBEDDINGS_BASE_URL is the lexical retriever and contacts nothing', async () => {
    server.requests.length = 0;
    const h = createHybridRetriever({ lexical, procedures: procedureMap(catalogue), config: { DATA_DIR: tempDir() } });
    expect(h.denseStatus()).toBe('disabled');
    expect((await h.indexing).status).toBe('disabled');
    expect((await h.search({ text: 'đổi bằng lái', limit: 2 })).map((x) => x.procedureId)).toEqual([filler[0]!.id, filler[1]!.id]);
    expect(server.requests).toHaveLength(0);
  });

  it('embeds every passage in batches, then fuses dense hits into the ranking', async () => {
    server.requests.length = 0;
    const h = start({ DATA_DIR: tempDir() });
    const report = await h.indexing;
    expect(report).toMatchObject({ status: 'ready', passages: passageCount, embedded: passageCount, unchanged: 0 });
    expect(h.denseStatus()).toBe('ready');
    expect(server.embeddedTexts()).toBe(passageCount);
    expect(Math.max(...server.requests.map((r) => r.input.length))).toBeLessThanOrEqual(64);

    const hits = await h.search({ text: 'doi bang lai xe', limit: 5 });
    // The three lexical hits are fillers that the dense side also ranks (all fillers look alike), so they
    // score in both lists; the licence is dense #1 only (1/61) and comes right after them.
    expect(hits.slice(0, 3).map((x) => x.procedureId).sort()).toEqual([filler[0]!.id, filler[1]!.id, filler[2]!.id]);
    expect(hits[3]!.procedureId).toBe(licence.id);
  });

  it('a second start with the same DATA_DIR sends no passage to the endpoint', async () => {
    const dataDir = tempDir();
    await start({ DATA_DIR: dataDir }).indexing;
    for (const h of handles.splice(0)) await h.close();

    server.requests.length = 0;
    const again = start({ DATA_DIR: dataDir });
    expect(await again.indexing).toMatchObject({ status: 'ready', passages: passageCount });
    expect(server.requests).toHaveLength(0);
    const hits = await again.search({ text: 'đổi bằng lái xe', limit: 5 });
    expect(hits.map((x) => x.procedureId)).toContain(licence.id);
    expect(server.requests).toHaveLength(1); // the question itself
    expect(server.requests[0]!.input).toEqual(['đổi bằng lái xe']);
  });

  it('after a catalogue edit, re-embeds only the changed passages', async () => {
    const dataDir = tempDir();
    await start({ DATA_DIR: dataDir }).indexing;
    for (const h of handles.splice(0)) await h.close();

    const edited = makeProcedure({ ...licence, name: 'Cấp lại giấy phép lái xe bị mất' });
    server.requests.length = 0;
    const again = start({ DATA_DIR: dataDir }, procedureMap([edited, ...filler]));
    await again.indexing;
    const sent = server.requests.flatMap((r) => r.input);
    expect(sent).toHaveLength(1); // licence has a title passage only; the fillers are unchanged
    expect(sent[0]).toContain('Cấp lại giấy phép lái xe bị mất');
  });

  it('answers lexically while the index is being built', async () => {
    server.delayMs = 300;
    const h = start({ DATA_DIR: tempDir() });
    expect(h.denseStatus()).toBe('indexing');
    const before = server.requests.length;
    expect(await h.search({ text: 'doi bang lai xe', limit: 3 })).toEqual(ranked(filler[0]!.id, filler[1]!.id, filler[2]!.id));
    await h.indexing;
    // No question embedding was requested before the index was ready.
    expect(server.requests.slice(before).every((r) => r.input.length > 1 || !r.input[0]!.startsWith('doi bang'))).toBe(true);
  });

  it('a dead endpoint at start-up: index fails, search answers from lexical', async () => {
    const log = quietLog();
    const h = createHybridRetriever({
      lexical,
      procedures: procedureMap(catalogue),
      config: { EMBEDDINGS_BASE_URL: await deadBaseURL(), DATA_DIR: tempDir() },
      log,
      retryDelayMs: 0,
    });
    handles.push(h);
    const report = await h.indexing;
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/embeddings endpoint http:\/\/127\.0\.0\.1:\d+\/v1 failed/);
    expect(h.denseStatus()).toBe('failed');
    expect(log.warns).toHaveLength(1);
    expect(await h.search({ text: 'đổi bằng lái xe', limit: 3 })).toEqual(ranked(filler[0]!.id, filler[1]!.id, filler[2]!.id));
  });

  it('the endpoint dying after start-up: search answers from lexical and warns once', async () => {
    const own = await startFakeEmbeddingsServer();
    const log = quietLog();
    const h = createHybridRetriever({
      lexical,
      procedures: procedureMap(catalogue),
      config: { EMBEDDINGS_BASE_URL: own.baseURL, DATA_DIR: tempDir() },
      log,
      retryDelayMs: 0,
    });
    handles.push(h);
    expect((await h.indexing).status).toBe('ready');
    await own.close();
    for (let i = 0; i < 3; i++) {
      expect(await h.search({ text: 'đổi bằng lái xe', limit: 3 })).toEqual(ranked(filler[0]!.id, filler[1]!.id, filler[2]!.id));
    }
    expect(log.warns.filter((w) => /lexical retrieval alone/.test(w))).toHaveLength(1);
  });

  it('retries a failed index build and turns hybrid on once the endpoint answers', async () => {
    server.failWith = 503;
    const log = quietLog();
    const h = createHybridRetriever({
      lexical,
      procedures: procedureMap(catalogue),
      config: { EMBEDDINGS_BASE_URL: server.baseURL, DATA_DIR: tempDir() },
      log,
      retryDelayMs: 50,
    });
    handles.push(h);
    expect((await h.indexing).status).toBe('failed');
    server.failWith = null;
    await expect.poll(() => h.denseStatus(), { timeout: 10_000 }).toBe('ready');
    expect((await h.search({ text: 'doi bang lai xe', limit: 5 })).map((x) => x.procedureId)).toContain(licence.id);
  });

  it('honours level filters on the dense side', async () => {
    const h = start({ DATA_DIR: tempDir() });
    await h.indexing;
    const xa = await h.search({ text: 'doi bang lai xe', limit: 10, filter: { level: 'xa' } });
    expect(xa.map((x) => x.procedureId)).not.toContain(licence.id);
    const procedures = procedureMap(catalogue);
    for (const hit of xa) expect(procedures.get(hit.procedureId)!.levels).toEqual(['Cấp xã']);
  });
});
