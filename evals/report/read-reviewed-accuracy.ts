import fs from 'node:fs';
import path from 'node:path';
import { lastWeeksRange } from '../../src/review/hanoi-week.js';
import type { QaTurnSource } from '../../src/review/qa-turn-source.js';
import type { ReviewedAccuracy } from '../../src/review/review-item.js';
import { ReviewQueue } from '../../src/review/review-queue.js';

/** The report only reads marks: it never draws, so it needs no Q&A log. */
const NO_TURNS: QaTurnSource = { candidates: () => [], turns: () => [], close: () => undefined };

/**
 * The reviewed accuracy of the last `weeks` Hanoi weeks from `${dataDir}/review.sqlite`; null when
 * there is no such file (nothing reviewed yet, and no empty database is created for the report).
 */
export function readReviewedAccuracy(dataDir: string, now: Date, weeks = 4): ReviewedAccuracy | null {
  if (!fs.existsSync(path.join(dataDir, 'review.sqlite'))) return null;
  const queue = new ReviewQueue({ location: { dataDir }, source: NO_TURNS, perWeek: 0 });
  try {
    return queue.reviewedAccuracy(lastWeeksRange(now, weeks));
  } finally {
    queue.close();
  }
}
