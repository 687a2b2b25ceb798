import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import type { AnswerStatus } from '../../src/domain/answer.js';
import { GapService, type GapsPage } from '../../src/gaps/gap-service.js';
import { registerErrorHandling } from '../../src/http/errors.js';
import { registerGapsApi } from '../../src/http/routes/gaps-api.js';
import { loadOverlays } from '../../src/knowledge/overlay.js';

const REPO_KNOWLEDGE = path.resolve('knowledge');
const CSRF = { 'x-requested-with': 'console' };
/** A word no procedure, alias or lexicon entry holds: only the new alias can make it match. */
const ALIAS = 'thủ tục zyxwv cho cháu';
const CODE = '1.014062';

let dirs: string[] = [];
let knowledgeDir: string;
let deps: Deps;
let gaps: GapService;
let app: FastifyInstance;
let cookie: string;

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function turn(id: string, question: string, status: AnswerStatus, channel = 'web') {
  await deps.qaLog.record({ id, at: new Date().toISOString(), channel, userKey: `u-${id}`, sessionId: `s-${id}`, question, answer: '…', status, procedureIds: [], aspect: null, composer: null, latencyMs: 3 });
}

beforeEach(async () => {
  // A private copy of the team's knowledge: the test writes overlays into it, never into the repo's.
  knowledgeDir = tempDir('ccai-gaps-know-');
  cpSync(REPO_KNOWLEDGE, knowledgeDir, { recursive: true });
  const dataDir = tempDir('ccai-gaps-data-');
  deps = await createDeps(loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'silent' }));
  gaps = new GapService({ location: { dataDir }, lexicon: () => deps.knowledge.snapshot.lexicon, retentionDays: deps.config.QA_RETENTION_DAYS });
  // The same options as the app's Fastify (coercion, defaults), with only this API mounted.
  app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true, allErrors: false } } });
  registerErrorHandling(app, {});
  registerGapsApi(app, {
    gaps,
    staff: deps.channels.staff,
    knowledge: {
      reload: () => deps.knowledge.reload(),
      isServed: (code) => deps.procedures.has(code),
      name: (code) => deps.procedures.get(code)?.name ?? null,
    },
    knowledgeDir,
  });
  await app.ready();
  const officer = await deps.channels.staff.add({ username: 'lan', displayName: 'Nguyễn Lan', role: 'officer', password: 'mat-khau-dai-0123' });
  cookie = `ccai_staff=${(await deps.channels.staff.createSession(officer.id)).token}`;

  await turn('a', ALIAS, 'unanswerable_no_content');
  await turn('b', 'thu tuc zyxwv cho chau a', 'unanswerable_no_content', 'zalo');
  await turn('c', 'mua vé máy bay đi Đà Nẵng', 'unanswerable_out_of_scope');
});

afterEach(async () => {
  await app.close();
  gaps.close();
  await deps.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const list = async (query = '') => {
  const res = await app.inject({ url: `/api/v1/gaps${query}`, headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return res.json<GapsPage>();
};
const search = async (text: string) => (await deps.retriever.search({ text, limit: 3 })).map((h) => h.procedureId);

describe('gaps API: staff only', () => {
  it('401 without a login, 403 without the CSRF header on changes, 400 on a bad range', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/gaps'],
      ['GET', '/api/v1/gaps/actions'],
      ['POST', '/api/v1/gaps/alias'],
      ['POST', '/api/v1/gaps/note'],
      ['POST', '/api/v1/gaps/out-of-scope'],
      ['DELETE', '/api/v1/gaps/out-of-scope/p:none'],
    ] as const) {
      expect((await app.inject({ method, url, headers: CSRF, payload: method === 'POST' ? {} : undefined })).statusCode).toBe(401);
      if (method !== 'GET') expect((await app.inject({ method, url, headers: { cookie }, payload: method === 'POST' ? {} : undefined })).statusCode).toBe(403);
    }
    expect((await app.inject({ url: '/api/v1/gaps?from=2026-12-02&to=2026-12-01', headers: { cookie } })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/gaps?by=day', headers: { cookie } })).statusCode).toBe(400);
    // Nothing was written.
    expect((await app.inject({ url: '/api/v1/gaps/actions', headers: { cookie } })).json()).toEqual({ actions: [] });
  });
});

describe('gaps API: from a group to the knowledge', () => {
  it('groups the wordings, and an alias added from the group is written to a valid overlay and retrieved at once', async () => {
    const page = await list();
    expect(page).toMatchObject({ turns: 3, total: 2, hidden: 0 });
    const group = page.groups[0]!;
    expect(group).toMatchObject({ count: 2, representative: ALIAS, channels: [{ key: 'web', count: 1 }, { key: 'zalo', count: 1 }] });
    expect(await search('zyxwv')).toEqual([]);

    const res = await app.inject({ method: 'POST', url: '/api/v1/gaps/alias', headers: { cookie, ...CSRF }, payload: { procedureId: CODE, alias: ` ${ALIAS} `, groupKey: group.key } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, procedureId: CODE, created: false, reloaded: true, aliases: expect.arrayContaining([ALIAS]) });
    const { overlays, problems } = loadOverlays(knowledgeDir);
    expect(problems).toEqual([]);
    expect(overlays.get(CODE)?.aliases).toContain(ALIAS);
    expect((await search('zyxwv'))[0]).toBe(CODE);
    expect(readFileSync(path.join(REPO_KNOWLEDGE, 'overlays', `${CODE}.json`), 'utf8')).not.toContain('zyxwv');

    // The same alias again (without diacritics), an unknown code, a too long alias.
    const again = await app.inject({ method: 'POST', url: '/api/v1/gaps/alias', headers: { cookie, ...CSRF }, payload: { procedureId: CODE, alias: 'thu tuc zyxwv cho chau' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'duplicate' });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/gaps/alias', headers: { cookie, ...CSRF }, payload: { procedureId: '9.999999', alias: 'gì đó' } });
    expect(unknown.statusCode).toBe(404);
    const long = await app.inject({ method: 'POST', url: '/api/v1/gaps/alias', headers: { cookie, ...CSRF }, payload: { procedureId: CODE, alias: 'a'.repeat(121) } });
    expect(long.statusCode).toBe(400);
    const badCode = await app.inject({ method: 'POST', url: '/api/v1/gaps/alias', headers: { cookie, ...CSRF }, payload: { procedureId: '../../etc', alias: 'gì đó' } });
    expect(badCode.statusCode).toBe(400);

    const note = await app.inject({ method: 'POST', url: '/api/v1/gaps/note', headers: { cookie, ...CSRF }, payload: { procedureId: CODE, note: 'Ghi chú thêm từ danh sách chưa trả lời được.', groupKey: group.key } });
    expect(note.statusCode).toBe(200);
    expect(deps.knowledge.snapshot.overlays.get(CODE)?.notes).toContain('Ghi chú thêm từ danh sách chưa trả lời được.');

    const actions = (await app.inject({ url: '/api/v1/gaps/actions', headers: { cookie } })).json<{ actions: Array<Record<string, unknown>> }>().actions;
    expect(actions.map((a) => [a.action, a.procedureId, a.groupKey, (a.by as { name: string }).name, a.text])).toEqual([
      ['note', CODE, group.key, 'Nguyễn Lan', 'Ghi chú thêm từ danh sách chưa trả lời được.'],
      ['alias', CODE, group.key, 'Nguyễn Lan', ALIAS],
    ]);
  });

  it('a group marked out of scope is hidden, shown with the filter, and can be put back', async () => {
    const key = (await list()).groups.find((g) => g.representative.startsWith('mua vé'))!.key;
    const mark = await app.inject({ method: 'POST', url: '/api/v1/gaps/out-of-scope', headers: { cookie, ...CSRF }, payload: { key, label: 'mua vé máy bay', comment: 'Không thuộc dịch vụ công' } });
    expect(mark.statusCode).toBe(200);
    expect(mark.json()).toMatchObject({ ok: true, mark: { key, comment: 'Không thuộc dịch vụ công', by: { name: 'Nguyễn Lan' } } });

    expect((await list()).groups.map((g) => g.key)).not.toContain(key);
    expect(await list()).toMatchObject({ total: 1, hidden: 1 });
    const shown = (await list('?include_out_of_scope=1')).groups.find((g) => g.key === key);
    expect(shown?.outOfScope).toMatchObject({ label: 'mua vé máy bay', by: { name: 'Nguyễn Lan' } });

    const undo = await app.inject({ method: 'DELETE', url: `/api/v1/gaps/out-of-scope/${encodeURIComponent(key)}`, headers: { cookie, ...CSRF } });
    expect(undo.statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/gaps/out-of-scope/${encodeURIComponent(key)}`, headers: { cookie, ...CSRF } })).statusCode).toBe(404);
    expect((await list()).groups.map((g) => g.key)).toContain(key);

    // By procedure: the turns cite no procedure, so they are one group.
    expect((await list('?by=procedure')).groups.map((g) => [g.key, g.count])).toEqual([['p:none', 3]]);
  });
});
