import { describe, expect, it } from 'vitest';
import { allocateStratified } from '../../../src/review/stratified-sample.js';

const alloc = (sizes: Record<string, number>, total: number) => Object.fromEntries(allocateStratified(new Map(Object.entries(sizes)), total));

describe('allocateStratified', () => {
  it('reserves one per non-empty stratum and shares the rest by size, largest remainder first', () => {
    // 15 shared after 5 reserved: quotas 9, 3, 2.25, 0.6, 0.15 → floors 14, the last one to the 0.6.
    expect(alloc({ 'web|answered': 60, 'web|unanswerable': 20, 'zalo|answered': 15, 'voice|answered': 4, 'voice|guardrail': 1, 'messenger|answered': 0 }, 20)).toEqual({
      'web|answered': 10,
      'web|unanswerable': 4,
      'zalo|answered': 3,
      'voice|answered': 2,
      'voice|guardrail': 1,
    });
  });

  it('takes everything when the sample is as large as the week', () => {
    expect(alloc({ a: 3, b: 1 }, 50)).toEqual({ a: 3, b: 1 });
  });

  it('gives one each to the largest strata when there are fewer draws than strata', () => {
    expect(alloc({ a: 1, b: 5, c: 3, d: 3 }, 2)).toEqual({ b: 1, c: 1, d: 0, a: 0 });
  });

  it('never gives a stratum more than it holds; what it cannot take goes to the others', () => {
    const out = alloc({ big: 10, small: 2 }, 11);
    expect(out).toEqual({ big: 9, small: 2 });
    expect(alloc({ a: 2, b: 2, c: 100 }, 0)).toEqual({ c: 0, a: 0, b: 0 });
  });
});
