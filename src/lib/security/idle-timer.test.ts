import { describe, expect, it } from 'vitest';
import { lastInteraction, timeoutFromCookie } from './idle-timer';

describe('idle timer', () => {
  it('reads the timeout the server set, and nothing when signed out', () => {
    expect(timeoutFromCookie('PARAGLIDE_LOCALE=fi; suoja-idle-timeout=1800')).toBe(1_800_000);
    expect(timeoutFromCookie('suoja-idle-timeout=60; other=1')).toBe(60_000);
    expect(timeoutFromCookie('PARAGLIDE_LOCALE=fi')).toBeNull();
    expect(timeoutFromCookie('x-suoja-idle-timeout=60')).toBeNull();
    expect(timeoutFromCookie('suoja-idle-timeout=abc')).toBeNull();
  });

  it('counts activity in other tabs', () => {
    expect(lastInteraction(1000, '5000')).toBe(5000);
    expect(lastInteraction(9000, '5000')).toBe(9000);
    expect(lastInteraction(9000, null)).toBe(9000);
    expect(lastInteraction(9000, 'garbage')).toBe(9000);
  });
});
