import { describe, expect, it } from 'vitest';
import { changedFields, fieldChanges } from '../../../src/catalogue/field-changes.js';
import { makeProcedure } from '../../support/procedures.js';

const channels = [
  { kind: 'in_person' as const, label: 'Trực tiếp', processingTime: '5 ngày', fee: 'Miễn phí', description: null },
  { kind: 'online' as const, label: 'Trực tuyến', processingTime: '5 ngày', fee: 'Miễn phí', description: null },
];
const base = makeProcedure({
  id: '1.000001',
  name: 'Đăng ký khai sinh',
  agency: 'UBND cấp xã',
  levels: ['Cấp xã'],
  channels,
  documents: [{ name: 'Tờ khai', quantity: '1 bản chính' }, { name: 'Giấy chứng sinh', quantity: '1 bản chính' }],
  steps: 'Bước 1',
});

describe('fieldChanges', () => {
  it('lists nothing for the same content from another source', () => {
    const moved = { ...base, sources: [{ kind: 'portal_raw' as const, file: 'x.json', repo: null, commit: null }], ingestedAt: 'later', contentHash: 'x' };
    expect(fieldChanges(base, moved)).toEqual([]);
  });

  it('names plain fields with before and after', () => {
    const after = { ...base, name: 'Đăng ký khai sinh (mới)', levels: ['Cấp xã', 'Cấp tỉnh'], effectiveTo: '2025-12-31', url: 'https://dichvucong.gov.vn/x' };
    expect(fieldChanges(base, after)).toEqual([
      { field: 'name', before: 'Đăng ký khai sinh', after: 'Đăng ký khai sinh (mới)' },
      { field: 'levels', before: ['Cấp xã'], after: ['Cấp xã', 'Cấp tỉnh'] },
      { field: 'url', before: null, after: 'https://dichvucong.gov.vn/x' },
      { field: 'effectiveTo', before: null, after: '2025-12-31' },
    ]);
  });

  it('says which channel changed its fee or processing time, and which channel came or went', () => {
    const after = {
      ...base,
      channels: [
        { ...channels[0]!, fee: '8.000 đồng' },
        { ...channels[1]!, processingTime: '3 ngày' },
        { kind: 'post' as const, label: 'Dịch vụ bưu chính', processingTime: null, fee: null, description: null },
      ],
    };
    expect(changedFields(base, after)).toEqual(['channels.in_person.fee', 'channels.online.processingTime', 'channels.post']);
    expect(changedFields(after, base)).toContain('channels.post');
    expect(changedFields(base, { ...base, channels: [...channels].reverse() })).toEqual(['channels']);
  });

  it('summarises document list changes', () => {
    const after = { ...base, documents: [{ name: 'Tờ khai', quantity: '2 bản chính', forms: [], case: null }, { name: 'CCCD', quantity: null, forms: [], case: null }] };
    const [change, ...rest] = fieldChanges(base, after);
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ field: 'documents', detail: '2 → 2 giấy tờ +1 −1 ~1 sửa' });
  });
});
