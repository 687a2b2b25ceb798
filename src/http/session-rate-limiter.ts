/**
 * Messages per conversation per minute, so that one chat session cannot monopolise the answer
 * pipeline even from many IPs. Sliding window over the last minute, in process: enough for one
 * instance; several instances behind a load balancer need the Redis-backed limiter.
 */
export class SessionRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a message; returns 0 when allowed, else the seconds until the next one is. */
  take(key: string): number {
    const t = this.now();
    const windowStart = t - 60_000;
    const times = (this.hits.get(key) ?? []).filter((x) => x > windowStart);
    if (times.length >= this.perMinute) {
      this.hits.set(key, times);
      return Math.max(1, Math.ceil((times[0]! + 60_000 - t) / 1000));
    }
    times.push(t);
    this.hits.set(key, times);
    // Forget idle conversations now and then so the map does not grow without bound.
    if (++this.sweeps % 1000 === 0) {
      for (const [k, v] of this.hits) if ((v[v.length - 1] ?? 0) <= windowStart) this.hits.delete(k);
    }
    return 0;
  }
}
