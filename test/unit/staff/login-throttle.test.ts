import { describe, expect, it } from 'vitest';
import { readCookie } from '../../../src/http/routes/console-api.js';
import { LoginThrottle } from '../../../src/staff/login-throttle.js';

describe('LoginThrottle', () => {
  it('blocks a username from an IP after the limit, for the rest of the window', () => {
    let t = 0;
    const throttle = new LoginThrottle({ perUser: 3, perIp: 5, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('lan', '1.2.3.4')).toBe(0);
      throttle.fail('lan', '1.2.3.4');
    }
    expect(throttle.retryAfter('LAN', '1.2.3.4')).toBe(60);
    expect(throttle.retryAfter('lan', '5.6.7.8')).toBe(0);
    t += 30_000;
    expect(throttle.retryAfter('lan', '1.2.3.4')).toBe(30);
    t += 30_000;
    expect(throttle.retryAfter('lan', '1.2.3.4')).toBe(0);
  });

  it('blocks an IP trying many usernames, and a success clears only that user', () => {
    const throttle = new LoginThrottle({ perUser: 3, perIp: 4, now: () => 0 });
    throttle.fail('a', 'ip');
    throttle.fail('a', 'ip');
    throttle.succeed('a', 'ip');
    expect(throttle.retryAfter('a', 'ip')).toBe(0);
    throttle.fail('b', 'ip');
    throttle.fail('c', 'ip');
    expect(throttle.retryAfter('d', 'ip')).toBeGreaterThan(0);
    expect(throttle.retryAfter('d', 'other-ip')).toBe(0);
  });
});

describe('readCookie', () => {
  it('finds one cookie among several, and nothing in junk', () => {
    expect(readCookie('a=1; ccai_staff=abc-DEF_1; b=2', 'ccai_staff')).toBe('abc-DEF_1');
    expect(readCookie('ccai_staff_x=1; xccai_staff=2', 'ccai_staff')).toBeNull();
    expect(readCookie('ccai_staff=', 'ccai_staff')).toBeNull();
    expect(readCookie('ccai_staff=%E0%A4%A', 'ccai_staff')).toBeNull();
    expect(readCookie(undefined, 'ccai_staff')).toBeNull();
  });
});
