import fs from 'node:fs';
import path from 'node:path';
import type { EvalRunReport, SuiteReport } from './eval-run-report.js';
import { previousSuites } from './previous-reports.js';
import { readReviewedAccuracy } from './read-reviewed-accuracy.js';
import { renderReportHtml } from './render-report-html.js';

export interface WriteEvalReportOptions {
  /** Where the run directories go (`evals/reports` in the checkout; a temp dir in tests). */
  reportsDir: string;
  /** DATA_DIR, for the reviewed accuracy in `review.sqlite`. */
  dataDir: string;
  suites: readonly SuiteReport[];
  now?: Date;
}

/** `2026-11-29T17-04-39-921Z`: sortable, and valid as a directory name everywhere. */
export const runDirName = (at: Date) => at.toISOString().replace(/[:.]/g, '-');

/**
 * Writes `<reportsDir>/<timestamp>/report.json` and `index.html`, comparing each suite with its
 * latest earlier run there. Returns the run directory and the report.
 */
export function writeEvalReport(options: WriteEvalReportOptions): { dir: string; report: EvalRunReport } {
  const now = options.now ?? new Date();
  const name = runDirName(now);
  const dir = path.join(options.reportsDir, name);
  const report: EvalRunReport = { version: 1, createdAt: now.toISOString(), suites: [...options.suites], reviewed: readReviewedAccuracy(options.dataDir, now) };
  const previous = previousSuites(options.reportsDir, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(dir, 'index.html'), renderReportHtml(report, previous));
  return { dir, report };
}
