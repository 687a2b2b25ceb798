import { describe, expect, it } from 'vitest';
import { mergeProcedure } from '../../../src/catalogue/merge-procedure.js';
import { rec } from './fixtures.js';

const channel = (fee: string) => [{ kind: 'in_person' as const, label: 'Trực tiếp', processingTime: '1', fee, description: null }];

describe('mergeProcedure', () => {
  it('prefers word_export > portal_raw > normalised_jsonl for structured fields, whatever the order', () => {
    const jsonl = rec('normalised_jsonl', { channels: channel('A'), legalCodes: ['1/2020/NĐ-CP'], documents: [{ name: 'J' }] });
    const raw = rec('portal_raw', { channels: channel('B'), documents: [{ name: 'R' }] });
    const word = rec('word_export', { channels: channel('C') });
    const m = mergeProcedure([jsonl, word, raw]);
    expect(m.channels[0]!.fee).toBe('C');
    expect(m.documents.map((d) => d.name)).toEqual(['R']);
    expect(m.legalCodes).toEqual(['1/2020/NĐ-CP']);
  });

  it('lets the list fill name, agency and field only when no detailed source has them, and win ministry', () => {
    const list = rec('portal_list', { name: 'Tên danh sách', agency: 'Sở Tư pháp', field: 'Hộ tịch', ministry: 'Bộ Tư pháp' });
    const raw = rec('portal_raw', { name: 'Tên chi tiết', agency: null, field: 'Hộ tịch (chi tiết)', ministry: 'Bộ khác' });
    const m = mergeProcedure([list, raw]);
    expect(m).toMatchObject({ name: 'Tên chi tiết', agency: 'Sở Tư pháp', field: 'Hộ tịch (chi tiết)', ministry: 'Bộ Tư pháp', completeness: 'detailed' });
    expect(mergeProcedure([list]).completeness).toBe('list');
  });

  it('unions aliases and keeps every source', () => {
    const m = mergeProcedure([
      rec('portal_raw', { aliases: ['khai sinh', 'giấy khai sinh'] }),
      rec('normalised_jsonl', { aliases: ['Khai sinh', 'làm giấy khai sinh'] }),
      rec('portal_list'),
    ]);
    expect(m.aliases).toEqual(['khai sinh', 'giấy khai sinh', 'làm giấy khai sinh']);
    expect(m.sources.map((s) => s.kind).sort()).toEqual(['normalised_jsonl', 'portal_list', 'portal_raw']);
  });

  it('lets the later file win among contributions of the same kind', () => {
    const m = mergeProcedure([
      rec('portal_raw', { steps: 'cũ', conditions: 'chỉ ở tệp cũ' }, 'a.json'),
      rec('portal_raw', { steps: 'mới' }, 'b.json'),
    ]);
    expect(m.steps).toBe('mới');
    expect(m.conditions).toBe('chỉ ở tệp cũ');
    expect(m.sources.map((s) => s.file)).toEqual(['b.json', 'a.json']);
  });

  it('refuses to merge different codes', () => {
    expect(() => mergeProcedure([rec('portal_raw'), rec('portal_list', { id: '1.000001' })])).toThrow(/different codes/u);
  });
});
