import type { ReviewedAccuracy } from '../../src/review/review-item.js';

/**
 * One `npm run eval` run as the staff report shows it and the next run compares with
 * (`evals/reports/<timestamp>/report.json`). Metrics are matched across runs by suite name and key.
 */
export interface ReportMetric {
  key: string;
  /** Vietnamese, shown as is. */
  label: string;
  value: number | null;
  format: 'share' | 'count';
  /** Which way is an improvement (colours the change since the previous run). */
  better: 'higher' | 'lower';
}

/** One evaluated question (or dialogue turn): what was asked, expected and answered. */
export interface ReportCase {
  id: string;
  /** Sub-set within the suite (single, dialogue, control; a retrieval variant; a knowledge area). */
  group: string;
  question: string;
  expected: string;
  actual: string;
  citation: string;
  status: string;
  pass: boolean;
  reasons: string[];
}

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p95: number;
  max: number;
  histogram: Array<{ from: number; to: number; count: number }>;
}

export interface SuiteReport {
  name: string;
  /** Vietnamese heading. */
  title: string;
  metrics: ReportMetric[];
  cases: ReportCase[];
  /** Time to answer one question, when the suite measures it. */
  latency: LatencySummary | null;
}

export interface EvalRunReport {
  version: 1;
  createdAt: string;
  suites: SuiteReport[];
  /** Reviewed accuracy of live answers (the review queue) over the last weeks; null when review.sqlite is absent. */
  reviewed: ReviewedAccuracy | null;
}
