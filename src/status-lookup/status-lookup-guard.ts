/**
 * Limits that keep status lookups from being a way to find out other people's applications:
 * a receipt code is locked after repeated wrong verifications, and one user may try only a few
 * distinct codes in a while. Keys are keyed hashes (`LookupSecrets`): the guard never sees a
 * receipt code, a user id or a phone digit.
 */

export interface LookupAllowance {
  allowed: boolean;
  /** When not allowed: how long until the oldest counted lookup leaves the window. */
  retryAfterMs: number;
}

export interface FailureOutcome {
  /** Wrong answers still allowed before the code is locked (0 once it is). */
  attemptsLeft: number;
  /** Set when this failure locked the code (or it was already locked). */
  lockedUntil: Date | null;
}

export interface StatusLookupGuard {
  /**
   * Counts `codeHash` against the user's recent lookups. Looking the same code up again is free;
   * a new code beyond the limit is refused.
   */
  allowLookup(userHash: string, codeHash: string, now: Date): Promise<LookupAllowance>;
  /** The time the code is locked until, or null when it is not locked. */
  lockedUntil(codeHash: string, now: Date): Promise<Date | null>;
  /** One wrong verification for the code. */
  recordFailure(codeHash: string, now: Date): Promise<FailureOutcome>;
  /** A right verification: the code's failures are forgotten. */
  recordSuccess(codeHash: string): Promise<void>;
  close(): Promise<void>;
}

export interface StatusLookupGuardLimits {
  /** Wrong verifications that lock a code (default 3). */
  maxFailures: number;
  /** How long a code stays locked (default 15 minutes). */
  lockMs: number;
  /** Failures older than this are forgotten (default 15 minutes). */
  failureWindowMs: number;
  /** Distinct codes one user may look up per window (default 5). */
  maxCodesPerUser: number;
  /** The per-user window (default 10 minutes). */
  userWindowMs: number;
}

export const DEFAULT_GUARD_LIMITS: StatusLookupGuardLimits = {
  maxFailures: 3,
  lockMs: 15 * 60 * 1000,
  failureWindowMs: 15 * 60 * 1000,
  maxCodesPerUser: 5,
  userWindowMs: 10 * 60 * 1000,
};
