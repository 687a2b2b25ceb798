/**
 * The webhook's work after it has answered 200: a bounded in-process queue. Jobs of one key (one
 * citizen) run one after another, in arrival order — the inbound handler refuses a second message
 * while one is in flight, so two messages of one delivery must not race — and at most
 * `maxConcurrent` keys run at once. A failing job is logged and the queue goes on.
 */
export interface KeyedWorkQueueOptions {
  /** Jobs running at once, across citizens (default 8). */
  maxConcurrent?: number;
  /** Jobs queued or running; beyond this `push` refuses and the webhook answers 503 (default 1000). */
  maxPending?: number;
  log: { error(obj: object, msg: string): void };
}

interface Job {
  key: string;
  run: () => Promise<void>;
}

export class KeyedWorkQueue {
  private readonly waiting: Job[] = [];
  private readonly runningKeys = new Set<string>();
  private idleWaiters: Array<() => void> = [];
  private readonly maxConcurrent: number;
  private readonly maxPending: number;

  constructor(private readonly options: KeyedWorkQueueOptions) {
    this.maxConcurrent = options.maxConcurrent ?? 8;
    this.maxPending = options.maxPending ?? 1000;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.waiting.length + this.runningKeys.size;
  }

  /** True when `n` more jobs fit. */
  hasRoom(n: number): boolean {
    return this.size + n <= this.maxPending;
  }

  /** Queues a job; false (and nothing queued) when the queue is full. Jobs start on a later tick. */
  push(key: string, run: () => Promise<void>): boolean {
    if (!this.hasRoom(1)) return false;
    this.waiting.push({ key, run });
    // Later, not now: the HTTP reply goes out before any work starts.
    setImmediate(() => this.pump());
    return true;
  }

  /** Resolves when nothing is queued or running (tests, graceful shutdown). */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Starts ONE job, then yields to the event loop before the next: webhook requests that arrived
   * meanwhile are read and acknowledged first. Starting all at once made the last deliveries of a
   * burst wait behind a dozen answers before their 200 left.
   */
  private pump(): void {
    if (this.pumpScheduled) return;
    for (let i = 0; i < this.waiting.length && this.runningKeys.size < this.maxConcurrent; i++) {
      const job = this.waiting[i]!;
      if (this.runningKeys.has(job.key)) continue;
      this.waiting.splice(i, 1);
      this.runningKeys.add(job.key);
      void this.execute(job);
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
      return;
    }
  }
  private pumpScheduled = false;

  private async execute(job: Job): Promise<void> {
    try {
      await job.run();
    } catch (err) {
      this.options.log.error({ err }, 'webhook job failed');
    } finally {
      this.runningKeys.delete(job.key);
      this.pump();
      if (this.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }
}
