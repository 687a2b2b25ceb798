import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCatalogueStore } from '../../../src/catalogue/sqlite-catalogue-store.js';
import { hanoiDate } from '../../../src/knowledge/hanoi-date.js';
import { KnowledgeBase, RECENT_CHANGE_DAYS, inForce } from '../../../src/knowledge/knowledge-base.js';
import { ONLINE_ONLY_LABEL } from '../../../src/knowledge/servable-procedure.js';
import { makeProcedure } from '../../support/procedures.js';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
const bases: KnowledgeBase[] = [];
afterEach(async () => {
  for (const b of bases.splice(0)) b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const silent = { info() {}, warn() {}, error() {} };
const SOURCE = { kind: 'normalised_jsonl' as const, file: 'test.jsonl', repo: null, commit: null };

const KHAI_SINH = makeProcedure({
  id: '1.001193',
  name: 'Đăng ký khai sinh',
  levels: ['Cấp xã'],
  channels: [
    { kind: 'in_person', label: 'Trực tiếp', processingTime: 'Trong ngày', fee: 'Miễn lệ phí', description: null },
    { kind: 'online', label: 'Trực tuyến', processingTime: 'Trong ngày', fee: 'Miễn lệ phí', description: null },
  ],
  sources: [SOURCE],
});
const THUONG_TRU = makeProcedure({
  id: '1.004222',
  name: 'Đăng ký thường trú',
  levels: ['Cấp xã'],
  channels: [{ kind: 'in_person', label: 'Trực tiếp', processingTime: '07 ngày làm việc', fee: null, description: null }],
  sources: [SOURCE],
});
const EXPIRED = makeProcedure({ id: '2.000001', name: 'Cấp giấy phép đã bãi bỏ', effectiveTo: '2026-11-28', sources: [SOURCE] });
const FUTURE = makeProcedure({ id: '2.000002', name: 'Thủ tục chưa có hiệu lực', effectiveFrom: '2027-01-01', sources: [SOURCE] });
const ENDS_TODAY = makeProcedure({ id: '2.000003', name: 'Thủ tục hết hiệu lực cuối ngày hôm nay', effectiveTo: '2026-11-29', sources: [SOURCE] });

interface Setup {
  overlays?: Record<string, unknown>;
  onlineOnly?: unknown;
  now?: Date;
}

async function setup(s: Setup = {}) {
  const dataDir = tempDir('ccai-kb-data-');
  const knowledgeDir = tempDir('ccai-kb-k-');
  const store = openCatalogueStore(dataDir);
  await store.upsertMany([KHAI_SINH, THUONG_TRU, EXPIRED, FUTURE, ENDS_TODAY], SOURCE);
  writeFileSync(path.join(knowledgeDir, 'lexicon.json'), JSON.stringify({ version: 1, entries: [] }));
  mkdirSync(path.join(knowledgeDir, 'overlays'));
  for (const [code, overlay] of Object.entries(s.overlays ?? {})) {
    writeFileSync(path.join(knowledgeDir, 'overlays', `${code}.json`), JSON.stringify(overlay));
  }
  if (s.onlineOnly) writeFileSync(path.join(knowledgeDir, 'online-only.json'), JSON.stringify(s.onlineOnly));
  let now = s.now ?? new Date('2026-11-29T03:00:00Z');
  const kb = await KnowledgeBase.load({ store, knowledgeDir, log: silent, now: () => now, midnightReload: false });
  bases.push(kb);
  dirs.push(dataDir);
  return {
    kb,
    store,
    knowledgeDir,
    setNow: (d: Date) => (now = d),
    async close() {
      await store.close();
    },
  };
}

describe('records in force', () => {
  it.each([
    [{ effectiveFrom: null, effectiveTo: null }, true],
    [{ effectiveFrom: '2026-11-29', effectiveTo: null }, true],
    [{ effectiveFrom: '2026-11-30', effectiveTo: null }, false],
    [{ effectiveFrom: null, effectiveTo: '2026-11-29' }, true],
    [{ effectiveFrom: null, effectiveTo: '2026-11-28' }, false],
    [{ effectiveFrom: null, effectiveTo: '2026-11-28T23:59:59Z' }, false],
  ])('%j on 2026-11-29 → %s', (dates, expected) => {
    expect(inForce(dates, '2026-11-29')).toBe(expected);
  });

  it('serves neither an expired record nor one not yet in force', async () => {
    const t = await setup();
    try {
      expect([...t.kb.procedures.keys()].sort()).toEqual(['1.001193', '1.004222', '2.000003']);
      const hits = await t.kb.retriever.search({ text: 'giấy phép đã bãi bỏ', limit: 5 });
      expect(hits.map((h) => h.procedureId)).not.toContain('2.000001');
    } finally {
      await t.close();
    }
  });

  it('a reload on a later day drops what expired overnight and serves what took effect', async () => {
    const t = await setup();
    try {
      t.setNow(new Date('2027-01-01T01:00:00Z')); // 08:00 in Hanoi
      const report = await t.kb.reload();
      expect(report).toMatchObject({ ok: true, date: '2027-01-01' });
      expect(t.kb.procedures.has('2.000003')).toBe(false);
      expect(t.kb.procedures.has('2.000002')).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('overlays', () => {
  const overlay = {
    id: '1.004222',
    aliases: ['nhập hộ khẩu', 'nhập khẩu về nhà chồng'],
    examples: ['lấy chồng rồi thì chuyển khẩu thế nào'],
    notes: ['Có thể nộp qua ứng dụng VNeID.'],
  };

  it('aliases and examples are searched like the name; without the overlay the colloquial words miss', async () => {
    const without = await setup();
    const withOverlay = await setup({ overlays: { '1.004222': overlay } });
    try {
      const q = { text: 'nhap khau ve nha chong', limit: 3 };
      expect((await without.kb.retriever.search(q))[0]?.procedureId).not.toBe('1.004222');
      expect((await withOverlay.kb.retriever.search(q))[0]?.procedureId).toBe('1.004222');
      expect(withOverlay.kb.procedures.get('1.004222')?.aliases).toEqual(['nhập hộ khẩu', 'nhập khẩu về nhà chồng', 'lấy chồng rồi thì chuyển khẩu thế nào']);
    } finally {
      await without.close();
      await withOverlay.close();
    }
  });

  it('notes come with answers in writing, not on the phone', async () => {
    const t = await setup({ overlays: { '1.004222': overlay } });
    try {
      expect(t.kb.noticesFor('1.004222', 'chat', 'vi').after).toEqual(['Lưu ý tại Hà Nội:\n• Có thể nộp qua ứng dụng VNeID.']);
      expect(t.kb.noticesFor('1.004222', 'voice', 'vi').after).toEqual([]);
      expect(t.kb.noticesFor('1.001193', 'chat', 'vi')).toEqual({ before: [], after: [] });
    } finally {
      await t.close();
    }
  });

  it('a broken overlay is skipped with its reason; the others load', async () => {
    const t = await setup({ overlays: { '1.004222': overlay, '1.001193': { id: '1.001193', alias: ['typo key'] } } });
    try {
      expect(t.kb.snapshot.overlays.has('1.004222')).toBe(true);
      expect(t.kb.snapshot.problems).toEqual([{ file: expect.stringContaining('1.001193.json'), reason: expect.stringMatching(/alias/) }]);
    } finally {
      await t.close();
    }
  });

  it('reload picks up an edited overlay without a restart', async () => {
    const t = await setup();
    try {
      const q = { text: 'nhập khẩu về nhà chồng', limit: 1 };
      expect((await t.kb.retriever.search(q))[0]?.procedureId).not.toBe('1.004222');
      writeFileSync(path.join(t.knowledgeDir, 'overlays', '1.004222.json'), JSON.stringify(overlay));
      let seen = 0;
      t.kb.onReload(() => seen++);
      expect(await t.kb.reload()).toMatchObject({ ok: true, overlays: 1 });
      expect(seen).toBe(1);
      expect((await t.kb.retriever.search(q))[0]?.procedureId).toBe('1.004222');
    } finally {
      await t.close();
    }
  });
});

describe('online-only', () => {
  const list = { version: 1, entries: [{ code: '1.004222', from: '2026-12-01' }, { code: '1.001193', from: '2026-11-01' }] };

  it('before its date nothing changes; from it only the online channel is served, with the notice', async () => {
    const t = await setup({ onlineOnly: list, now: new Date('2026-11-30T16:59:00Z') }); // 23:59 on 30/11 in Hanoi
    try {
      expect(t.kb.procedures.get('1.004222')?.channels.map((c) => c.kind)).toEqual(['in_person']);
      expect(t.kb.noticesFor('1.004222', 'chat', 'vi').before).toEqual([]);
      t.setNow(new Date('2026-11-30T17:00:00Z')); // 00:00 on 01/12 in Hanoi
      await t.kb.reload();
      const served = t.kb.procedures.get('1.004222')!;
      // The record lists no online channel: the counter's time limit stands for the online one.
      expect(served.channels).toEqual([{ kind: 'online', label: ONLINE_ONLY_LABEL, processingTime: '07 ngày làm việc', fee: null, description: null }]);
      const [notice] = t.kb.noticesFor('1.004222', 'chat', 'vi').before;
      expect(notice).toMatch(/^Từ ngày 01\/12\/2026, thành phố \*\*chỉ tiếp nhận hồ sơ trực tuyến\*\*/);
      expect(notice).toMatch(/iHanoi/);
      expect(notice).toMatch(/Đại lý dịch vụ công trực tuyến/);
      expect(t.kb.noticesFor('1.004222', 'voice', 'vi').before[0]).not.toMatch(/https?:/);
      expect(t.kb.snapshot.counts.onlineOnlyToday).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('keeps the record\'s own online channel and drops the counter', async () => {
    const t = await setup({ onlineOnly: list });
    try {
      expect(t.kb.procedures.get('1.001193')?.channels.map((c) => [c.kind, c.processingTime])).toEqual([['online', 'Trong ngày']]);
    } finally {
      await t.close();
    }
  });

  it('a reload with a broken list keeps serving the previous knowledge', async () => {
    const t = await setup({ onlineOnly: list });
    try {
      writeFileSync(path.join(t.knowledgeDir, 'online-only.json'), '{"version":1,"entries":[{"code":"1.004222","from":"tomorrow"}]}');
      const report = await t.kb.reload();
      expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/online-only\.json/) });
      expect(t.kb.snapshot.counts.onlineOnlyToday).toBe(1);
      expect(t.kb.procedures.get('1.001193')?.channels.map((c) => c.kind)).toEqual(['online']);
      expect(t.kb.procedures.size).toBe(3);
    } finally {
      await t.close();
    }
  });
});

describe('recently changed procedures', () => {
  it('a procedure whose record changed is flagged with the day of the change; an unchanged one is not', async () => {
    const now = new Date();
    const t = await setup({ now });
    try {
      expect(t.kb.noticesFor('1.001193', 'chat', 'vi').before).toEqual([]);
      const changed = { ...KHAI_SINH, channels: KHAI_SINH.channels.map((c) => ({ ...c, processingTime: '03 ngày làm việc' })) };
      await t.store.upsertMany([changed], SOURCE);
      await t.kb.reload();
      const [y, m, d] = hanoiDate(now).split('-');
      expect(t.kb.noticesFor('1.001193', 'chat', 'vi').before).toEqual([`Lưu ý: thủ tục này vừa được cập nhật ngày ${d}/${m}/${y}; thông tin dưới đây theo bản mới nhất.`]);
      expect(t.kb.noticesFor('1.004222', 'chat', 'vi').before).toEqual([]);
      // The served record is the new version.
      expect(t.kb.procedures.get('1.001193')?.channels[0]?.processingTime).toBe('03 ngày làm việc');
    } finally {
      await t.close();
    }
  });

  it('the flag is gone once the change is older than 30 days', async () => {
    const t = await setup({ now: new Date() });
    try {
      await t.store.upsertMany([{ ...KHAI_SINH, name: 'Đăng ký khai sinh (sửa đổi)' }], SOURCE);
      t.setNow(new Date(Date.now() + (RECENT_CHANGE_DAYS + 1) * 86_400_000));
      await t.kb.reload();
      expect(t.kb.noticesFor('1.001193', 'chat', 'vi').before).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('starter records and the catalogue', () => {
  it('a code the catalogue withdrew is not brought back by a starter record; a code it lacks is filled', async () => {
    const t = await setup();
    try {
      mkdirSync(path.join(t.knowledgeDir, 'procedures'));
      const starter = (id: string, name: string) =>
        makeProcedure({ id, name, sources: [{ kind: 'team_knowledge', file: `knowledge/procedures/${id}.json` }] });
      writeFileSync(path.join(t.knowledgeDir, 'procedures', '1.004222.json'), JSON.stringify(starter('1.004222', 'Đăng ký thường trú (bản của nhóm)')));
      writeFileSync(path.join(t.knowledgeDir, 'procedures', '1.000894.json'), JSON.stringify(starter('1.000894', 'Đăng ký kết hôn')));
      await t.store.withdraw!('1.004222', '2026-11-01');
      await t.kb.reload();
      expect(t.kb.procedures.has('1.004222')).toBe(false);
      expect(t.kb.procedures.get('1.000894')?.name).toBe('Đăng ký kết hôn');
      expect(t.kb.snapshot.counts.fromStarter).toBe(1);
    } finally {
      await t.close();
    }
  });
});
