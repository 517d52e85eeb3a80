import { describe, expect, it } from 'vitest';
import { FailureWindow, throttleSettings } from './login-throttle';

describe('sign-in throttle per address', () => {
  it('blocks an address after the allowed failures until the window has passed, others unaffected', () => {
    let now = 0;
    const window = new FailureWindow(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(window.blocked('198.51.100.1')).toBe(false);
      window.fail('198.51.100.1');
    }
    expect(window.blocked('198.51.100.1')).toBe(true);
    expect(window.blocked('198.51.100.2')).toBe(false);
    now = 60_001;
    expect(window.blocked('198.51.100.1')).toBe(false);
  });

  it('reads its settings from the environment with safe defaults', () => {
    expect(throttleSettings(undefined, undefined)).toEqual({ maxFailures: 20, windowMs: 15 * 60_000 });
    expect(throttleSettings('5', '2')).toEqual({ maxFailures: 5, windowMs: 120_000 });
    expect(throttleSettings('0', 'x')).toEqual({ maxFailures: 20, windowMs: 15 * 60_000 });
  });
});
