import { describe, expect, it } from 'vitest';
import { localNotices } from '../../../src/knowledge/local-notices.js';
import { loadKnowledgeCases } from '../../../evals/knowledge-eval.js';

const rule = { code: '3.000333', from: '2026-12-07', to: null, source: null };

describe('local notices', () => {
  it('the online-only notice names the portal link of the procedure, iHanoi and the free help of online agents', () => {
    const { before } = localNotices({ onlineOnly: rule, url: 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x' }, 'chat', 'vi');
    expect(before[0]).toContain('Từ ngày 07/12/2026');
    expect(before[0]).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/x');
    expect(before[0]).toContain('iHanoi');
    expect(before[0]).toContain('Đại lý dịch vụ công trực tuyến');
  });

  it('falls back to the portal when the record has no link, and speaks without links on the phone', () => {
    expect(localNotices({ onlineOnly: rule }, 'chat', 'vi').before[0]).toContain('https://dichvucong.gov.vn');
    const voice = localNotices({ onlineOnly: rule, changedOn: '2026-11-20', notes: ['Ghi chú'] }, 'voice', 'vi');
    expect(voice.before.join(' ')).not.toMatch(/https?:|\*\*/);
    expect(voice.after).toEqual([]);
  });

  it('answers in English when the citizen wrote English', () => {
    const { before, after } = localNotices({ onlineOnly: rule, changedOn: '2026-11-20', notes: ['Nộp qua VNeID.'] }, 'chat', 'en');
    expect(before[0]).toMatch(/^Since 07\/12\/2026 Hanoi accepts this procedure \*\*online only\*\*/);
    expect(before[1]).toBe('Note: this procedure was updated on 20/11/2026; the answer follows the new version.');
    expect(after[0]).toBe('In Hanoi (notes in Vietnamese):\n• Nộp qua VNeID.');
  });

  it('says nothing when there is nothing local to say', () => {
    expect(localNotices({}, 'chat', 'vi')).toEqual({ before: [], after: [] });
  });
});

describe('the knowledge eval dataset', () => {
  it('holds at least 40 valid cases over the Center, online-only, changed procedures and status lookups', () => {
    const cases = loadKnowledgeCases();
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.suite))).toEqual(new Set(['center', 'online_only', 'changed', 'status_lookup']));
  });
});
