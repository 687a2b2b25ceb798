import { parseArgs } from 'node:util';
import type { QaLogStore } from '../qa-log/qa-log-store.js';
import { SqliteQaLogStore } from '../qa-log/sqlite-qa-log-store.js';
import { ConversationOpenError, type ErasureCounts } from '../privacy/conversation-eraser.js';
import { SqliteDeletionLog } from '../privacy/deletion-log.js';
import { ConversationNotFoundError, PrivacyService, SESSION_ID_PATTERN } from '../privacy/privacy-service.js';
import { RetentionJob, type RetentionCounts } from '../privacy/retention-job.js';

const USAGE = `Usage:
  npm run cli -- privacy delete <sessionId> --reason "…" [--by <name>]
  npm run cli -- privacy retention --dry-run|--run [--days N]
  npm run cli -- privacy log [--limit N]
delete: erases one citizen conversation from every store under DATA_DIR (statistics kept) and logs it.
retention: deletes conversations older than QA_RETENTION_DAYS (or --days); --dry-run only counts.`;

export interface PrivacyCommandIo {
  dataDir: string;
  /** QA_RETENTION_DAYS. */
  retentionDays: number;
  out: (line: string) => void;
  /** The Q&A log; default `SqliteQaLogStore` over the same DATA_DIR. */
  openQaLog?: () => QaLogStore;
  now?: () => Date;
}

/** `privacy delete|retention|log`. Returns the exit status. */
export async function runPrivacyCommand(argv: string[], io: PrivacyCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reason: { type: 'string' },
        by: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        run: { type: 'boolean', default: false },
        days: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.out(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const [action, arg, ...extra] = positionals;
  if (values.help || !action) {
    io.out(USAGE);
    return values.help ? 0 : 1;
  }
  if (extra.length > 0) return usage(io);

  switch (action) {
    case 'delete': {
      const reason = values.reason?.trim() ?? '';
      if (!arg || !SESSION_ID_PATTERN.test(arg) || reason.length < 3) {
        io.out(`privacy delete needs a session id and --reason "…" (3 characters or more)\n${USAGE}`);
        return 1;
      }
      return withService(io, async (service) => {
        try {
          const d = await service.deleteConversation({ sessionId: arg, reason, staffId: values.by ? `cli:${values.by}` : 'cli' });
          io.out(`Deleted conversation ${d.sessionHash} (log ${d.id}): ${formatCounts(d.counts)}`);
          return 0;
        } catch (err) {
          if (err instanceof ConversationNotFoundError) {
            io.out('Nothing stored under that session id (never existed, or already deleted).');
            return 2;
          }
          if (err instanceof ConversationOpenError) {
            io.out('The conversation is still open in the officers’ console: close it there first.');
            return 3;
          }
          throw err;
        }
      });
    }
    case 'retention': {
      if (arg || values['dry-run'] === values.run) {
        io.out(`privacy retention needs exactly one of --dry-run or --run\n${USAGE}`);
        return 1;
      }
      const days = values.days === undefined ? io.retentionDays : Number(values.days);
      if (!Number.isInteger(days) || days < 0) {
        io.out(`--days must be a whole number of days (0 = off)\n${USAGE}`);
        return 1;
      }
      if (days === 0) io.out('Retention is off (0 days): only expired sessions and delivered messages are swept.');
      const qaLog = openQaLog(io);
      try {
        const counts = await new RetentionJob({ dataDir: io.dataDir, days, qaLog, ...(io.now ? { now: io.now } : {}) }).run({ dryRun: values['dry-run'] });
        io.out(`${values['dry-run'] ? 'Would delete' : 'Deleted'} (older than ${days} days${counts.cutoff ? `, before ${counts.cutoff}` : ''}): ${formatCounts(counts)}`);
        return 0;
      } finally {
        await qaLog.close();
      }
    }
    case 'log': {
      if (arg) return usage(io);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      const log = new SqliteDeletionLog({ dataDir: io.dataDir });
      try {
        const all = log.list({ limit: Number.isInteger(limit) && limit > 0 ? limit : 50 });
        if (all.length === 0) io.out('No conversation has been deleted on request.');
        for (const d of all) io.out(`${d.at}  ${d.sessionHash}  ${d.staffId.padEnd(20)}  ${d.reason}  [${formatCounts(d.counts)}]`);
        return 0;
      } finally {
        log.close();
      }
    }
    default:
      return usage(io);
  }
}

function openQaLog(io: PrivacyCommandIo): QaLogStore {
  return io.openQaLog ? io.openQaLog() : new SqliteQaLogStore({ dataDir: io.dataDir });
}

function usage(io: PrivacyCommandIo): number {
  io.out(USAGE);
  return 1;
}

async function withService(io: PrivacyCommandIo, fn: (service: PrivacyService) => Promise<number>): Promise<number> {
  const qaLog = openQaLog(io);
  const log = new SqliteDeletionLog({ dataDir: io.dataDir });
  try {
    return await fn(new PrivacyService({ dataDir: io.dataDir, qaLog, log, ...(io.now ? { now: io.now } : {}) }));
  } finally {
    log.close();
    await qaLog.close();
  }
}

/** `qaTurns 3, sessions 1, …` — the non-zero counts only. */
export function formatCounts(counts: ErasureCounts | RetentionCounts): string {
  const parts = Object.entries(counts)
    .filter(([k, v]) => k !== 'cutoff' && typeof v === 'number' && v > 0)
    .map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'nothing';
}
