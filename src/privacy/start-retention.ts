import type { MaybeQaLogEraser } from './qa-log-eraser.js';
import { RetentionJob, type RetentionCounts } from './retention-job.js';

const HANOI_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next `hour`:00 in Hanoi (UTC+7, no daylight saving); a full day when it is that instant. */
export function msUntilNextHanoiHour(now: Date, hour: number): number {
  const local = now.getTime() + HANOI_OFFSET_MS;
  const todayAt = Math.floor(local / DAY_MS) * DAY_MS + hour * 3_600_000;
  const next = todayAt > local ? todayAt : todayAt + DAY_MS;
  return next - local;
}

export interface RetentionLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RetentionHandle {
  stop(): void;
  /** One run now (the scheduled runs call this too); never rejects: errors are logged and rethrown only here. */
  runOnce(): Promise<RetentionCounts>;
}

/**
 * Runs the retention job once at start-up and every day at 03:00 Hanoi time, when the Center is
 * closed. The timer is `unref`'d (it never keeps the process alive) and a failed run is logged,
 * never thrown out of the timer; the next day tries again. `days` 0 = off: nothing is scheduled.
 */
export function startRetention(options: { dataDir: string; days: number; log: RetentionLog; qaLog: MaybeQaLogEraser; now?: () => Date; hour?: number }): RetentionHandle {
  const now = options.now ?? (() => new Date());
  const job = new RetentionJob({ dataDir: options.dataDir, days: options.days, qaLog: options.qaLog, now });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<RetentionCounts> | null = null;

  const runOnce = (): Promise<RetentionCounts> => {
    // One run at a time: a slow run is not overlapped by the next tick.
    running ??= job
      .run()
      .then((counts) => {
        options.log.info({ retention: counts, days: options.days }, 'retention: old conversations deleted');
        return counts;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce()
        .catch((err: unknown) => options.log.error({ err }, 'retention run failed'))
        .finally(schedule);
    }, msUntilNextHanoiHour(now(), options.hour ?? 3));
    timer.unref();
  };

  if (job.enabled) {
    void runOnce().catch((err: unknown) => options.log.error({ err }, 'retention run failed'));
    schedule();
  } else {
    options.log.info({ days: 0 }, 'retention off (QA_RETENTION_DAYS=0)');
  }
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
    runOnce,
  };
}
