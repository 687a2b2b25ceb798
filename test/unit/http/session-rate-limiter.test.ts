import { describe, expect, it } from 'vitest';
import { SessionRateLimiter } from '../../../src/http/session-rate-limiter.js';

describe('SessionRateLimiter', () => {
  it('allows the limit per minute per conversation, then says how long to wait', () => {
    let t = 1_000_000;
    const limiter = new SessionRateLimiter(3, () => t);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    t += 10_000;
    expect(limiter.take('a')).toBe(50);
    // Another conversation is not affected.
    expect(limiter.take('b')).toBe(0);
    // Once the first three leave the window, three more are allowed, and no more.
    t += 50_001;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
  });

  it('never asks to wait less than a second', () => {
    let t = 0;
    const limiter = new SessionRateLimiter(1, () => t);
    limiter.take('x');
    t = 59_999;
    expect(limiter.take('x')).toBe(1);
  });
});
