import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStatus } from '../../../src/domain/answer.js';
import { GapService, hanoiMidnightUtc, wordingKey } from '../../../src/gaps/gap-service.js';
import { wordingSignature } from '../../../src/gaps/wording-signature.js';
import { SqliteHandoffQueue } from '../../../src/handoff/sqlite-handoff-queue.js';
import { SqliteQaLogStore } from '../../../src/qa-log/sqlite-qa-log-store.js';
import { loadLexicon } from '../../../src/text/lexicon.js';

const NOW = new Date('2026-11-29T05:00:00.000Z');
const lexicon = loadLexicon(path.resolve('knowledge/lexicon.json'));
const NAMES: Record<string, string> = { '1.001193': 'Đăng ký khai sinh', '1.004222': 'Đăng ký thường trú', '1.000656': 'Đăng ký khai tử' };
const name = (code: string) => NAMES[code] ?? null;
const KHAI_SINH = ['Cho tôi hỏi làm giấy khai sinh cho con ở đâu ạ?', 'lam giay khai sinh cho con o dau', 'Làm giấy khai sinh cho con ở đâu vậy'];

let dataDir: string;
let qaLog: SqliteQaLogStore;
let service: GapService;

async function turn(id: string, at: string, sessionId: string, question: string, status: AnswerStatus, procedureIds: string[] = [], channel = 'web') {
  await qaLog.record({ id, at, channel, userKey: `u-${sessionId}`, sessionId, question, answer: '…', status, procedureIds, aspect: null, composer: null, latencyMs: 5 });
}
async function rate(id: string, at: string, sessionId: string, useful: boolean | null, score: number | null) {
  await qaLog.recordRating({ id, at, channel: 'web', userKey: `u-${sessionId}`, sessionId, useful, score });
}

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ccai-gaps-'));
  qaLog = new SqliteQaLogStore({ dataDir });
  await turn('t1', '2026-11-20T03:00:00.000Z', 's1', KHAI_SINH[0]!, 'unanswerable_no_content');
  await turn('t2', '2026-11-21T03:00:00.000Z', 's2', KHAI_SINH[1]!, 'error_llm', [], 'zalo');
  await turn('t3', '2026-11-22T03:00:00.000Z', 's3', KHAI_SINH[2]!, 'handoff_requested', ['1.001193']);
  await turn('t4', '2026-11-22T04:00:00.000Z', 's4', 'mua vé máy bay đi Đà Nẵng', 'unanswerable_out_of_scope');
  await turn('t5', '2026-11-22T05:00:00.000Z', 's5', 'đồ vô dụng', 'guardrail_abuse');
  // Rated negatively (not useful; 2 of 5): the turn right before the rating is on the list.
  await turn('t6a', '2026-11-23T01:59:00.000Z', 's6', 'xin chào', 'answered_smalltalk');
  await turn('t6', '2026-11-23T02:00:00.000Z', 's6', 'phí cấp sổ đỏ bao nhiêu', 'answered', ['1.004222']);
  await rate('r6', '2026-11-23T02:05:00.000Z', 's6', false, null);
  await turn('t7', '2026-11-23T03:00:00.000Z', 's7', 'khai tử cho bố ở đâu', 'answered', ['1.000656']);
  await rate('r7', '2026-11-23T03:05:00.000Z', 's7', null, 2);
  // 3 of 5 and useful are not negative.
  await turn('t8', '2026-11-23T04:00:00.000Z', 's8', 'giờ làm việc', 'answered');
  await rate('r8', '2026-11-23T04:05:00.000Z', 's8', null, 3);
  await rate('r8b', '2026-11-23T04:06:00.000Z', 's8', true, null);
  // A later turn of the same session, after the rating: not the one rated.
  await turn('t8b', '2026-11-23T04:10:00.000Z', 's8', 'cảm ơn', 'answered_smalltalk');
  // Put in the officers' queue: the citizen's last question before it.
  await turn('t9', '2026-11-24T02:00:00.000Z', 's9', 'đăng ký thường trú cho con', 'answered', ['1.004222'], 'messenger');
  const queue = new SqliteHandoffQueue({ dataDir }, { now: () => new Date('2026-11-24T02:01:00.000Z') });
  await queue.enqueue({ channel: 'messenger', userId: 'psid-9', sessionId: 's9', reason: 'citizen_request', transcript: [], procedureIds: ['1.004222'] });
  await queue.close();
  await turn('t10', '2026-11-24T03:00:00.000Z', 's10', 'lệ phí hộ chiếu', 'answered', ['1.000656']);
  // 00:30 on 25/11 in Hanoi, still 24/11 in UTC.
  await turn('t11', '2026-11-24T17:30:00.000Z', 's11', 'thủ tục nhận con nuôi', 'unanswerable_no_content');
  // Older than the default 30 days.
  await turn('t0', '2026-10-01T03:00:00.000Z', 's0', 'mua vé máy bay', 'unanswerable_out_of_scope');
  service = new GapService({ location: { dataDir }, lexicon: () => lexicon, now: () => NOW });
});

afterEach(async () => {
  service.close();
  await qaLog.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GapService.list by wording', () => {
  it('groups one question asked with and without diacritics, keeps others apart, and finds every kind of failure', () => {
    const page = service.list({ by: 'wording', includeOutOfScope: false }, name);
    expect(page).toMatchObject({ from: '2026-10-31', to: '2026-11-29', channel: null, turns: 9, total: 7, hidden: 0, truncated: false });
    const [top, ...rest] = page.groups;
    expect(top).toMatchObject({
      kind: 'wording',
      count: 3,
      representative: KHAI_SINH[0],
      label: KHAI_SINH[0],
      statuses: [
        { key: 'error_llm', count: 1 },
        { key: 'handoff_requested', count: 1 },
        { key: 'unanswerable_no_content', count: 1 },
      ],
      reasons: [
        { key: 'unanswered', count: 2 },
        { key: 'handoff', count: 1 },
      ],
      channels: [
        { key: 'web', count: 2 },
        { key: 'zalo', count: 1 },
      ],
      procedures: [{ id: '1.001193', name: 'Đăng ký khai sinh', count: 1 }],
      firstSeen: '2026-11-20T03:00:00.000Z',
      lastSeen: '2026-11-22T03:00:00.000Z',
      outOfScope: null,
    });
    expect([...top!.examples].sort()).toEqual([...KHAI_SINH].sort());
    expect(top!.key).toBe(wordingKey(wordingSignature(KHAI_SINH[0]!, lexicon)));
    // Every other failed turn is a group of its own.
    expect(rest.map((g) => g.representative).sort()).toEqual(
      ['mua vé máy bay đi Đà Nẵng', 'đồ vô dụng', 'phí cấp sổ đỏ bao nhiêu', 'khai tử cho bố ở đâu', 'đăng ký thường trú cho con', 'thủ tục nhận con nuôi'].sort(),
    );
    expect(rest.every((g) => g.count === 1)).toBe(true);
  });

  it('lists the turn before a negative rating (not useful, or 1–2 of 5) and the last question before a handoff', () => {
    const groups = service.list({ by: 'wording', includeOutOfScope: false }, name).groups;
    const reasonsOf = (q: string) => groups.find((g) => g.representative === q)?.reasons.map((r) => r.key);
    expect(reasonsOf('phí cấp sổ đỏ bao nhiêu')).toEqual(['negative_rating']);
    expect(reasonsOf('khai tử cho bố ở đâu')).toEqual(['negative_rating']);
    expect(reasonsOf('đăng ký thường trú cho con')).toEqual(['handoff']);
    expect(reasonsOf('đồ vô dụng')).toEqual(['refused']);
    for (const q of ['xin chào', 'giờ làm việc', 'cảm ơn', 'lệ phí hộ chiếu']) expect(reasonsOf(q)).toBeUndefined();
  });

  it('filters by channel and by Hanoi day (a turn at 00:30 in Hanoi belongs to that day)', () => {
    expect(service.list({ by: 'wording', includeOutOfScope: false, channel: 'zalo' }).groups.map((g) => g.representative)).toEqual([KHAI_SINH[1]]);
    const day = (from: string, to: string) => service.list({ by: 'wording', includeOutOfScope: false, from, to }).groups.map((g) => g.representative);
    expect(day('2026-11-25', '2026-11-25')).toEqual(['thủ tục nhận con nuôi']);
    expect(day('2026-11-24', '2026-11-24')).toEqual(['đăng ký thường trú cho con']);
    expect(day('2026-12-01', '2026-12-31')).toEqual([]);
    expect(hanoiMidnightUtc('2026-11-25')).toBe('2026-11-24T17:00:00.000Z');
    expect(() => service.list({ by: 'wording', includeOutOfScope: false, from: '2026-11-25', to: '2026-11-24' })).toThrow(RangeError);
  });

  it('does not list turns past the retention period, and pages the groups', () => {
    expect(service.list({ by: 'wording', includeOutOfScope: false, from: '2026-09-01' }).turns).toBe(10);
    const kept = new GapService({ location: { dataDir }, lexicon: () => lexicon, now: () => NOW, retentionDays: 30 });
    try {
      expect(kept.list({ by: 'wording', includeOutOfScope: false, from: '2026-09-01' }).turns).toBe(9);
    } finally {
      kept.close();
    }
    const page = service.list({ by: 'wording', includeOutOfScope: false, limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 7, limit: 2, offset: 1 });
    expect(page.groups).toHaveLength(2);
  });

  it('reads at most maxTurns of each kind and says the list was cut', () => {
    const small = new GapService({ location: { dataDir }, lexicon: () => lexicon, now: () => NOW, maxTurns: 2 });
    try {
      const page = small.list({ by: 'wording', includeOutOfScope: false });
      expect(page.truncated).toBe(true);
      expect(page.turns).toBeLessThanOrEqual(5);
    } finally {
      small.close();
    }
  });
});

describe('GapService.list by procedure', () => {
  it('counts the failed turns per cited procedure, with the name from the knowledge', () => {
    const page = service.list({ by: 'procedure', includeOutOfScope: false }, name);
    expect(page.groups.map((g) => [g.key, g.label, g.count])).toEqual([
      ['p:none', 'Không xác định được thủ tục', 5],
      ['p:1.004222', 'Đăng ký thường trú', 2],
      ['p:1.001193', 'Đăng ký khai sinh', 1],
      ['p:1.000656', 'Đăng ký khai tử', 1],
    ]);
    expect(page.groups[1]!.reasons).toEqual([
      { key: 'handoff', count: 1 },
      { key: 'negative_rating', count: 1 },
    ]);
  });
});

describe('out of scope', () => {
  it('hides a marked group unless asked, keeps who/when/comment, and can be undone; every action is logged', () => {
    const officer = { id: 'staff-1', name: 'Lan' };
    const key = service.list({ by: 'wording', includeOutOfScope: false }).groups.find((g) => g.representative.startsWith('mua vé'))!.key;
    service.markOutOfScope({ key, label: 'mua vé máy bay', comment: 'Không phải thủ tục hành chính', by: officer });

    const hidden = service.list({ by: 'wording', includeOutOfScope: false });
    expect(hidden.groups.some((g) => g.key === key)).toBe(false);
    expect(hidden).toMatchObject({ total: 6, hidden: 1 });
    const shown = service.list({ by: 'wording', includeOutOfScope: true }).groups.find((g) => g.key === key);
    expect(shown?.outOfScope).toEqual({ key, label: 'mua vé máy bay', comment: 'Không phải thủ tục hành chính', by: officer, at: NOW.toISOString() });

    // The wording stays hidden when a similar, more frequent wording becomes the group's representative.
    expect(service.list({ by: 'wording', includeOutOfScope: false, from: '2026-09-01' }).groups.some((g) => g.representative.startsWith('mua vé'))).toBe(false);

    expect(service.unmarkOutOfScope(key, officer)).toBe(true);
    expect(service.unmarkOutOfScope(key, officer)).toBe(false);
    expect(service.list({ by: 'wording', includeOutOfScope: false }).groups.some((g) => g.key === key)).toBe(true);
    expect(service.actions().map((a) => [a.action, a.groupKey, a.by.name])).toEqual([
      ['in_scope', key, 'Lan'],
      ['out_of_scope', key, 'Lan'],
    ]);
  });

  it('marks a procedure group by its key', () => {
    service.markOutOfScope({ key: 'p:none', label: 'Không xác định', comment: null, by: { id: 's', name: 'Minh' } });
    expect(service.list({ by: 'procedure', includeOutOfScope: false }, name).groups.map((g) => g.key)).toEqual(['p:1.004222', 'p:1.001193', 'p:1.000656']);
  });
});
