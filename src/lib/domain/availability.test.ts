import { describe, expect, it } from 'vitest';
import { availabilityStatus, fewPlacesLimit, isStale, type AvailabilityFigures } from './availability';

const now = new Date('2026-11-27T12:00:00Z');
const hoursAgo = (hours: number): string => new Date(now.getTime() - hours * 3_600_000).toISOString();

function figures(overrides: Partial<AvailabilityFigures>): AvailabilityFigures {
  return { active: true, capacity: 20, freePlaces: 10, overOccupied: false, lastConfirmedAt: hoursAgo(1), ...overrides };
}

describe('availabilityStatus', () => {
  it('calls a facility with plenty of room free', () => {
    expect(availabilityStatus(figures({}), now)).toBe('free');
  });

  it('calls it few at 10 % of capacity or less, but always at two places or fewer', () => {
    expect(availabilityStatus(figures({ capacity: 20, freePlaces: 2 }), now)).toBe('few');
    expect(availabilityStatus(figures({ capacity: 20, freePlaces: 3 }), now)).toBe('free');
    expect(availabilityStatus(figures({ capacity: 150, freePlaces: 15 }), now)).toBe('few');
    expect(availabilityStatus(figures({ capacity: 150, freePlaces: 16 }), now)).toBe('free');
    expect(availabilityStatus(figures({ capacity: 3, freePlaces: 2 }), now)).toBe('few');
  });

  it('calls it full at zero and over-occupied when more people than places', () => {
    expect(availabilityStatus(figures({ freePlaces: 0 }), now)).toBe('full');
    expect(availabilityStatus(figures({ freePlaces: 0, overOccupied: true }), now)).toBe('over');
  });

  it('never hides over-occupancy behind staleness, but a stale figure is not called full or free', () => {
    expect(availabilityStatus(figures({ freePlaces: 0, overOccupied: true, lastConfirmedAt: hoursAgo(30) }), now)).toBe('over');
    expect(availabilityStatus(figures({ freePlaces: 0, lastConfirmedAt: hoursAgo(30) }), now)).toBe('stale');
    expect(availabilityStatus(figures({ lastConfirmedAt: hoursAgo(30) }), now)).toBe('stale');
  });

  it('turns stale just after 24 hours without a confirmation', () => {
    expect(availabilityStatus(figures({ lastConfirmedAt: hoursAgo(23.99) }), now)).toBe('free');
    expect(availabilityStatus(figures({ lastConfirmedAt: hoursAgo(24.01) }), now)).toBe('stale');
  });

  it('calls a facility that never reported stale, and a deactivated one closed whatever its figures', () => {
    expect(availabilityStatus(figures({ capacity: null, freePlaces: 0, lastConfirmedAt: null }), now)).toBe('stale');
    expect(availabilityStatus(figures({ active: false, overOccupied: true, freePlaces: 0 }), now)).toBe('closed');
    expect(availabilityStatus(figures({ active: false, capacity: null, lastConfirmedAt: null }), now)).toBe('closed');
  });
});

describe('fewPlacesLimit and isStale', () => {
  it('rounds 10 % up and never goes under two', () => {
    expect([0, 1, 10, 20, 21, 150].map(fewPlacesLimit)).toEqual([2, 2, 2, 2, 3, 15]);
  });

  it('treats a missing confirmation as stale', () => {
    expect(isStale(null, now)).toBe(true);
    expect(isStale(hoursAgo(2), now)).toBe(false);
  });
});
