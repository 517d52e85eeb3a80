import { describe, expect, it } from 'vitest';
import { ageInYears, isStale, timeLeft } from './time-left';

describe('time left to answer a hold', () => {
  it('counts whole hours and minutes, rounding up to the minute', () => {
    expect(timeLeft('2026-11-27T18:00:00Z', '2026-11-27T12:29:30Z')).toEqual({ expired: false, hours: 5, minutes: 31 });
    expect(timeLeft('2026-11-27T12:00:30Z', '2026-11-27T12:00:00Z')).toEqual({ expired: false, hours: 0, minutes: 1 });
  });

  it('says expired at and after the deadline', () => {
    expect(timeLeft('2026-11-27T12:00:00Z', '2026-11-27T12:00:00Z').expired).toBe(true);
    expect(timeLeft('2026-11-27T12:00:00Z', '2026-11-28T12:00:00Z').expired).toBe(true);
  });

  it('counts real elapsed time across the October clock change (25 hours that day)', () => {
    // Finland goes from UTC+3 to UTC+2 on 25 October 2026 at 04:00 local time.
    expect(timeLeft('2026-10-25T22:00:00Z', '2026-10-24T21:00:00Z')).toEqual({ expired: false, hours: 25, minutes: 0 });
  });
});

describe('children’s ages and stale figures', () => {
  it('counts age as the year in Finland minus the birth year, as the placement rules do', () => {
    expect(ageInYears(2016, '2026-06-01T12:00:00Z')).toBe(10);
    // New Year has already come in Helsinki at 22:30 UTC on 31 December.
    expect(ageInYears(2016, '2026-12-31T22:30:00Z')).toBe(11);
  });

  it('calls figures stale after 24 hours without confirmation, and never-confirmed ones stale', () => {
    expect(isStale('2026-11-26T12:00:00Z', '2026-11-27T11:59:00Z')).toBe(false);
    expect(isStale('2026-11-26T12:00:00Z', '2026-11-27T12:01:00Z')).toBe(true);
    expect(isStale(null, '2026-11-27T12:00:00Z')).toBe(true);
  });
});
