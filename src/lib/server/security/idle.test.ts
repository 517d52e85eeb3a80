import { describe, expect, it } from 'vitest';
import { idleExpired, idleTimeoutMs } from './idle';

describe('idle timeout', () => {
  it('defaults to 30 minutes and accepts a configured number of minutes', () => {
    expect(idleTimeoutMs(undefined)).toBe(30 * 60_000);
    expect(idleTimeoutMs('')).toBe(30 * 60_000);
    expect(idleTimeoutMs('abc')).toBe(30 * 60_000);
    expect(idleTimeoutMs('-5')).toBe(30 * 60_000);
    expect(idleTimeoutMs('15')).toBe(15 * 60_000);
    expect(idleTimeoutMs('0.5')).toBe(30_000);
  });

  it('expires a session idle longer than the timeout, and nothing else', () => {
    const now = 1_800_000_000_000;
    const timeout = 30 * 60_000;
    expect(idleExpired(String(now - timeout - 1), now, timeout)).toBe(true);
    expect(idleExpired(String(now - timeout), now, timeout)).toBe(false);
    expect(idleExpired(String(now - 1000), now, timeout)).toBe(false);
    // No cookie yet (just signed in) or garbage: not expired; the next response sets a fresh one.
    expect(idleExpired(undefined, now, timeout)).toBe(false);
    expect(idleExpired('soon', now, timeout)).toBe(false);
    // A far-future value does not extend the session beyond a normal request.
    expect(idleExpired(String(now + 10 * timeout), now, timeout)).toBe(false);
  });
});
