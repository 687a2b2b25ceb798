import { describe, expect, it } from 'vitest';
import { quantile, summariseLatency } from '../../../evals/report/latency-summary.js';

describe('summariseLatency', () => {
  it('gives nearest-rank percentiles and equal-width bins up to the maximum', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
    const l = summariseLatency(samples, 4)!;
    expect(l).toMatchObject({ n: 100, p50: 50, p90: 90, p95: 95, max: 100 });
    expect(l.histogram).toEqual([
      { from: 0, to: 25, count: 24 },
      { from: 25, to: 50, count: 25 },
      { from: 50, to: 75, count: 25 },
      { from: 75, to: 100, count: 26 },
    ]);
  });

  it('is null without samples and ignores values that are not times', () => {
    expect(summariseLatency([])).toBeNull();
    expect(summariseLatency([Number.NaN, -1])).toBeNull();
    expect(summariseLatency([0, 0])).toMatchObject({ n: 2, p50: 0, max: 0 });
    expect(quantile([3], 0.95)).toBe(3);
  });
});
