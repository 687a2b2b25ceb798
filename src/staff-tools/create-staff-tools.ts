import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { GapService } from '../gaps/gap-service.js';
import { registerGapsApi } from '../http/routes/gaps-api.js';
import { registerPrivacyApi } from '../http/routes/privacy-api.js';
import { registerReviewApi } from '../http/routes/review-api.js';
import { registerStatsApi } from '../http/routes/stats-api.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { SqliteDeletionLog } from '../privacy/deletion-log.js';
import { PrivacyService } from '../privacy/privacy-service.js';
import type { SqliteQaLogStore } from '../qa-log/sqlite-qa-log-store.js';
import { openReviewQueue } from '../review/open-review-queue.js';
import type { ReviewQueue } from '../review/review-queue.js';
import type { StaffStore } from '../staff/staff-store.js';
import { SqliteStatsSource } from '../stats/sqlite-stats-source.js';
import { StatsService } from '../stats/stats-service.js';

/** What staff use beyond the live console: statistics, knowledge gaps, the answer review queue, privacy requests. */
export interface StaffTools {
  stats: StatsService;
  gaps: GapService;
  review: ReviewQueue;
  privacy: PrivacyService;
  /**
   * Mounts /api/v1/stats, /api/v1/gaps, /api/v1/review and /api/v1/privacy (all staff only).
   * `announceReload` tells sibling workers to reload the knowledge after an officer edits it.
   */
  register(app: FastifyInstance, staff: StaffStore, options?: { announceReload?: () => void }): void;
  close(): Promise<void>;
}

export interface CreateStaffToolsDeps {
  config: Config;
  dataDir: string;
  knowledgeDir: string;
  knowledge: KnowledgeBase;
  qaLog: SqliteQaLogStore;
}

export function createStaffTools(d: CreateStaffToolsDeps): StaffTools {
  const closers: Array<() => Promise<void> | void> = [];
  try {
    const location = { dataDir: d.dataDir };
    const procedures = d.knowledge.procedures;
    const name = (id: string) => procedures.get(id)?.name ?? null;
    const source = new SqliteStatsSource(location);
    closers.push(() => source.close());
    const stats = new StatsService({ source, procedureName: name });
    const gaps = new GapService({ location, lexicon: () => d.knowledge.snapshot.lexicon, retentionDays: d.config.QA_RETENTION_DAYS });
    closers.push(() => gaps.close());
    const review = openReviewQueue({ DATA_DIR: d.dataDir, REVIEW_SAMPLE_PER_WEEK: d.config.REVIEW_SAMPLE_PER_WEEK });
    closers.push(() => review.close());
    const deletionLog = new SqliteDeletionLog(location);
    closers.push(() => deletionLog.close());
    const privacy = new PrivacyService({ dataDir: d.dataDir, qaLog: d.qaLog, log: deletionLog });
    return {
      stats,
      gaps,
      review,
      privacy,
      register(app, staff, options = {}) {
        registerStatsApi(app, { stats, staff });
        registerGapsApi(app, {
          gaps,
          staff,
          knowledgeDir: d.knowledgeDir,
          knowledge: {
            reload: async () => {
              const report = await d.knowledge.reload();
              if (report.ok) options.announceReload?.();
              return report;
            },
            isServed: (code) => procedures.has(code),
            name,
          },
        });
        registerReviewApi(app, { review, staff, procedures });
        registerPrivacyApi(app, { privacy, staff });
      },
      async close() {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) void Promise.resolve(close()).catch(() => undefined);
    throw err;
  }
}
