// Date arithmetic for holds and placements, always in Finnish time (Europe/Helsinki), whatever
// the time zone of the server or the browser.
//
// Two kinds of time meet here and must not be mixed:
// - instants (a hold's deadline, an arrival): a hold of 24 h lasts 24 real hours, so across a
//   daylight-saving change its deadline shows one hour later (March) or earlier (October) on the
//   clock than the hour it was placed;
// - calendar dates (planned arrival and end, `yyyy-MM-dd`): "days left" and lengths of stay count
//   calendar days in Helsinki, so a 23- or 25-hour day still counts as one day.
import { TZDate, tz } from '@date-fns/tz';
import { addHours, differenceInCalendarDays, format, formatDuration, intervalToDuration, type Locale } from 'date-fns';
import { enGB, fi, sv } from 'date-fns/locale';

export const HELSINKI = 'Europe/Helsinki';
const inHelsinki = tz(HELSINKI);

export type Instant = Date | string | number;
export type DateLocale = 'fi' | 'sv' | 'en';

/** How long a hold lasts unless the coordinator chooses otherwise. */
export const DEFAULT_HOLD_HOURS = 24;

function instant(value: Instant): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid instant: ${String(value)}`);
  return date;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
function parseDateOnly(value: string): { year: number; month: number; day: number } {
  const match = DATE_ONLY.exec(value);
  if (!match) throw new RangeError(`Not a date (yyyy-MM-dd): ${value}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Not a calendar date: ${value}`);
  }
  return { year, month, day };
}

export function isDateOnly(value: string): boolean {
  try {
    parseDateOnly(value);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date in Helsinki at an instant, `yyyy-MM-dd`. */
export function helsinkiDate(at: Instant = new Date()): string {
  return format(new TZDate(instant(at).getTime(), HELSINKI), 'yyyy-MM-dd');
}

/** A calendar date `days` after another (negative: before). */
export function addCalendarDays(date: string, days: number): string {
  const { year, month, day } = parseDateOnly(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The default deadline of a hold placed at `at`: 24 real hours later. */
export function defaultHoldDeadline(at: Instant = new Date(), hours = DEFAULT_HOLD_HOURS): Date {
  return addHours(instant(at), hours);
}

/** The value of an `<input type="datetime-local">` showing this instant on Helsinki's clock. */
export function toHelsinkiLocalInput(at: Instant): string {
  return format(new TZDate(instant(at).getTime(), HELSINKI), "yyyy-MM-dd'T'HH:mm");
}

/**
 * The instant a Helsinki wall-clock time (`yyyy-MM-ddTHH:mm`) names. A time skipped by the
 * March change (03:00-03:59) moves forward by an hour; a time that occurs twice in October
 * (03:00-03:59) is taken as the later, winter-time one. Null when the text is not such a time.
 */
export function fromHelsinkiLocalInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (!isDateOnly(`${match[1]}-${match[2]}-${match[3]}`) || hour > 23 || minute > 59) return null;
  const date = new TZDate(year, month - 1, day, hour, minute, Number(match[6] ?? 0), HELSINKI);
  return new Date(date.getTime());
}

/**
 * Calendar days from today (in Helsinki) to a planned end: 0 on the day itself, negative once
 * it has passed.
 */
export function daysLeft(plannedEnd: string, now: Instant = new Date()): number {
  parseDateOnly(plannedEnd);
  return differenceInCalendarDays(plannedEnd, instant(now), { in: inHelsinki });
}

/** Calendar days of a stay, from the Helsinki date of its start to that of its end (or now). */
export function stayDays(start: Instant, end: Instant | null, now: Instant = new Date()): number {
  return differenceInCalendarDays(instant(end ?? now), instant(start), { in: inHelsinki });
}

const DURATION_LOCALES: Record<DateLocale, Locale> = { fi, sv, en: enGB };

/**
 * A stay's length in words ("2 kuukautta 3 päivää", "1 månad 1 dag", "5 days"), counted on
 * Helsinki calendar dates. Null when it is shorter than a day (the caller words that itself).
 */
export function formatStayLength(start: Instant, end: Instant | null, locale: DateLocale, now: Instant = new Date()): string | null {
  const from = parseDateOnly(helsinkiDate(start));
  const to = parseDateOnly(helsinkiDate(end ?? now));
  // On UTC midnights of the Helsinki dates: no daylight-saving hour can shorten a day.
  const duration = intervalToDuration({
    start: new Date(Date.UTC(from.year, from.month - 1, from.day)),
    end: new Date(Date.UTC(to.year, to.month - 1, to.day))
  });
  const text = formatDuration(duration, { format: ['years', 'months', 'days'], locale: DURATION_LOCALES[locale] });
  return text === '' ? null : text;
}
