import fs from 'node:fs';
import path from 'node:path';
import type { EvalRunReport, ReportMetric } from './eval-run-report.js';

/** What a suite measured last time: the run's time and its metrics by key. */
export interface PreviousSuite {
  createdAt: string;
  dir: string;
  metrics: ReadonlyMap<string, ReportMetric>;
}

/**
 * For each suite, its latest earlier run among `reportsDir/<timestamp>/report.json` (directory
 * names sort in time order). Per suite, so that `npm run eval -- answers` after a full run still
 * compares the answers with the last answers run. Unreadable files are skipped.
 */
export function previousSuites(reportsDir: string, beforeDir: string): Map<string, PreviousSuite> {
  const out = new Map<string, PreviousSuite>();
  if (!fs.existsSync(reportsDir)) return out;
  const dirs = fs
    .readdirSync(reportsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name < beforeDir && fs.existsSync(path.join(reportsDir, e.name, 'report.json')))
    .map((e) => e.name)
    .sort()
    .reverse();
  for (const dir of dirs) {
    let report: EvalRunReport;
    try {
      report = JSON.parse(fs.readFileSync(path.join(reportsDir, dir, 'report.json'), 'utf8')) as EvalRunReport;
    } catch {
      continue;
    }
    for (const suite of report.suites ?? []) {
      if (out.has(suite.name)) continue;
      out.set(suite.name, { createdAt: report.createdAt, dir, metrics: new Map(suite.metrics.map((m) => [m.key, m])) });
    }
  }
  return out;
}
