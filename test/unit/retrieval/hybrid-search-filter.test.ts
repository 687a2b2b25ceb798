import { describe, expect, it } from 'vitest';
import { foldForFilter, isActiveFilter, matchesFilter } from '../../../src/retrieval/search-filter.js';
import { makeProcedure } from '../../support/procedures.js';

const p = makeProcedure({
  id: '2.000779',
  name: 'Đăng ký thành lập hộ kinh doanh',
  levels: ['Cấp huyện', 'Cấp tỉnh'],
  agency: 'Phòng Tài chính - Kế hoạch',
  competentAuthority: 'Ủy ban nhân dân quận, huyện',
});

describe('search filter', () => {
  it('folds diacritics, đ and case', () => {
    expect(foldForFilter('  Đăng KÝ   Đất đai ')).toBe('dang ky dat dai');
    expect(foldForFilter('Cấp tỉnh'.normalize('NFD'))).toBe('cap tinh');
  });

  it('matches a level by folded substring of any level', () => {
    expect(matchesFilter(p, { level: 'tinh' })).toBe(true);
    expect(matchesFilter(p, { level: 'Cấp tỉnh' })).toBe(true);
    expect(matchesFilter(p, { level: 'HUYỆN' })).toBe(true);
    expect(matchesFilter(p, { level: 'xa' })).toBe(false);
    expect(matchesFilter(p, { level: 'bo' })).toBe(false);
  });

  it('matches an agency against the agency or the competent authority', () => {
    expect(matchesFilter(p, { agency: 'tai chinh' })).toBe(true);
    expect(matchesFilter(p, { agency: 'uy ban nhan dan' })).toBe(true);
    expect(matchesFilter(p, { agency: 'Sở Tư pháp' })).toBe(false);
    const noAgency = makeProcedure({ id: '1.000001', name: 'X', levels: ['Cấp xã'] });
    expect(matchesFilter(noAgency, { agency: 'uy ban' })).toBe(false);
  });

  it('requires every given constraint', () => {
    expect(matchesFilter(p, { level: 'tinh', agency: 'tai chinh' })).toBe(true);
    expect(matchesFilter(p, { level: 'xa', agency: 'tai chinh' })).toBe(false);
  });

  it('treats a missing or blank filter as no constraint, but a level filter excludes procedures with no level', () => {
    expect(matchesFilter(p, undefined)).toBe(true);
    expect(matchesFilter(p, { level: '  ', agency: '' })).toBe(true);
    expect(isActiveFilter({ level: ' ' })).toBe(false);
    expect(isActiveFilter({ agency: 'so' })).toBe(true);
    expect(matchesFilter(makeProcedure({ id: '1.000002', name: 'Y' }), { level: 'tinh' })).toBe(false);
  });
});
