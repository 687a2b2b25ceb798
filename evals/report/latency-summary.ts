import type { LatencySummary } from './eval-run-report.js';

/** The value at quantile `q` (nearest rank) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** p50/p90/p95/max and a histogram of equal-width bins from 0 to the maximum; null without samples. */
export function summariseLatency(samples: readonly number[], bins = 12): LatencySummary | null {
  const sorted = samples.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const max = sorted.at(-1)!;
  const width = max > 0 ? max / bins : 1;
  const histogram = Array.from({ length: bins }, (_, i) => ({ from: i * width, to: (i + 1) * width, count: 0 }));
  for (const x of sorted) histogram[Math.min(bins - 1, Math.floor(x / width))]!.count++;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p95: round(quantile(sorted, 0.95)),
    max: round(max),
    histogram: histogram.map((b) => ({ from: round(b.from), to: round(b.to), count: b.count })),
  };
}
