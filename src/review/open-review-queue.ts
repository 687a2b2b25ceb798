import { SqliteQaTurnSource } from './qa-turn-source.js';
import { ReviewQueue } from './review-queue.js';

/** The review queue as the server and the CLI open it: `review.sqlite` drawing from `qa-log.sqlite`, both in DATA_DIR. */
export function openReviewQueue(config: { DATA_DIR: string; REVIEW_SAMPLE_PER_WEEK: number }, options: { seed?: string; now?: () => Date } = {}): ReviewQueue {
  const location = { dataDir: config.DATA_DIR };
  return new ReviewQueue({ location, source: new SqliteQaTurnSource(location), perWeek: config.REVIEW_SAMPLE_PER_WEEK, ...options });
}
