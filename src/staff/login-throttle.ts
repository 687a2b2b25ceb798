/**
 * Failed console logins counted per (username, IP) and per IP in a sliding window. Past the limit
 * further attempts are refused before any password is checked, which also keeps scrypt from
 * being used to load the server. In memory, per process: with several workers an attacker gets
 * the limit once per worker, still far too few tries to guess a 10-character password.
 */
export interface LoginThrottleOptions {
  /** Failures allowed per username and IP in the window (default 5). */
  perUser?: number;
  /** Failures allowed per IP, whatever the usernames (default 50: the Center's officers share one office IP). */
  perIp?: number;
  windowMs?: number;
  now?: () => number;
}

interface Count {
  n: number;
  since: number;
}

export class LoginThrottle {
  private readonly counts = new Map<string, Count>();
  private readonly perUser: number;
  private readonly perIp: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.perUser = options.perUser ?? 5;
    this.perIp = options.perIp ?? 50;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until another attempt is allowed, or 0. */
  retryAfter(username: string, ip: string): number {
    const at = this.now();
    let wait = 0;
    for (const [key, limit] of this.keys(username, ip)) {
      const c = this.live(key, at);
      if (c && c.n >= limit) wait = Math.max(wait, Math.ceil((c.since + this.windowMs - at) / 1000));
    }
    return wait;
  }

  fail(username: string, ip: string): void {
    const at = this.now();
    if (this.counts.size > 10_000) this.prune(at);
    for (const [key] of this.keys(username, ip)) {
      const c = this.live(key, at);
      if (c) c.n += 1;
      else this.counts.set(key, { n: 1, since: at });
    }
  }

  /** A successful login clears that user's count from that IP (the IP's count stays). */
  succeed(username: string, ip: string): void {
    this.counts.delete(this.userKey(username, ip));
  }

  private keys(username: string, ip: string): Array<[string, number]> {
    return [
      [this.userKey(username, ip), this.perUser],
      [`ip\u0000${ip}`, this.perIp],
    ];
  }

  private userKey(username: string, ip: string): string {
    return `u\u0000${username.trim().toLowerCase()}\u0000${ip}`;
  }

  private live(key: string, at: number): Count | undefined {
    const c = this.counts.get(key);
    if (c && at - c.since >= this.windowMs) {
      this.counts.delete(key);
      return undefined;
    }
    return c;
  }

  private prune(at: number): void {
    for (const [key, c] of this.counts) if (at - c.since >= this.windowMs) this.counts.delete(key);
  }
}
