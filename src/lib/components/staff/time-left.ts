// How long a hold still waits for an answer, and children's ages, for the staff screens.
import type { Instant } from '../../format/dates';

export interface TimeLeft {
  expired: boolean;
  hours: number;
  minutes: number;
}

/**
 * Whole hours and minutes until the deadline, rounded up to the minute so that "0 min" is never
 * shown while the hold can still be answered.
 */
export function timeLeft(deadline: Instant, now: Instant): TimeLeft {
  const milliseconds = new Date(deadline).getTime() - new Date(now).getTime();
  if (!Number.isFinite(milliseconds)) throw new RangeError('timeLeft needs valid dates');
  if (milliseconds <= 0) return { expired: true, hours: 0, minutes: 0 };
  const totalMinutes = Math.ceil(milliseconds / 60_000);
  return { expired: false, hours: Math.floor(totalMinutes / 60), minutes: totalMinutes % 60 };
}

/** The year in Finland at this instant. */
export function yearInFinland(now: Instant): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Helsinki', year: 'numeric' }).format(new Date(now)));
}

/**
 * A child's age as the database's placement rules count it (calendar year minus birth year):
 * only the birth year is recorded, so this is the age reached during the current year.
 */
export function ageInYears(birthYear: number, now: Instant): number {
  return Math.max(0, yearInFinland(now) - birthYear);
}

/** A figure older than a day is stale (the same rule as the database's availability status). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function isStale(lastConfirmedAt: Instant | null, now: Instant): boolean {
  if (lastConfirmedAt === null) return true;
  return new Date(now).getTime() - new Date(lastConfirmedAt).getTime() > STALE_AFTER_MS;
}
