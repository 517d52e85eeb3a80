// The status of a facility's free-places figure, as the database decides it in
// private.availability_status() (supabase/migrations/20261127000700_availability.sql).
//
// The database stays the source of truth: every figure the app shows comes from
// facility_availability() or the `availability` broadcast. This mirror lets a screen that stays
// open all night turn a figure "stale" when it passes 24 hours, without waiting for a change.
// tests/integration/map-availability.test.ts keeps the two in agreement.

export const AVAILABILITY_STATUSES = ['free', 'few', 'full', 'over', 'stale', 'closed'] as const;
export type AvailabilityStatus = (typeof AVAILABILITY_STATUSES)[number];

/** A figure nobody has confirmed for this long is stale. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function isAvailabilityStatus(value: unknown): value is AvailabilityStatus {
  return typeof value === 'string' && (AVAILABILITY_STATUSES as readonly string[]).includes(value);
}

/** "Few" means at most this many free places: 10 % of capacity, rounded up, but never under 2. */
export function fewPlacesLimit(capacity: number): number {
  return Math.max(2, Math.ceil(capacity * 0.1));
}

export interface AvailabilityFigures {
  active: boolean;
  /** Null when the facility has never reported its figures. */
  capacity: number | null;
  /** Free places as shown: never below zero. */
  freePlaces: number;
  /** The raw figure is below zero: more people than places. */
  overOccupied: boolean;
  lastConfirmedAt: string | Date | null;
}

export function isStale(lastConfirmedAt: string | Date | null, now: Date): boolean {
  if (lastConfirmedAt === null) return true;
  return new Date(lastConfirmedAt).getTime() < now.getTime() - STALE_AFTER_MS;
}

/**
 * The order of the checks is the database's: closed beats everything, an unknown capacity is
 * stale, over-occupancy is flagged even on a stale figure (it is never hidden), then staleness.
 */
export function availabilityStatus(figures: AvailabilityFigures, now: Date): AvailabilityStatus {
  if (!figures.active) return 'closed';
  if (figures.capacity === null) return 'stale';
  if (figures.overOccupied) return 'over';
  if (figures.lastConfirmedAt !== null && isStale(figures.lastConfirmedAt, now)) return 'stale';
  if (figures.freePlaces === 0) return 'full';
  if (figures.freePlaces <= fewPlacesLimit(figures.capacity)) return 'few';
  return 'free';
}
