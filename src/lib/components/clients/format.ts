// Dates of placements as the client screens show them, in Finnish time.
import { formatDate, formatTime, type DateLocale } from '$lib/format/dates';

/** A calendar date (`yyyy-MM-dd`) in the locale's format; noon UTC is that same day in Helsinki. */
export function formatDay(day: string, locale: DateLocale): string {
  return formatDate(`${day}T12:00:00Z`, locale);
}

/** An instant as date and time, e.g. `28.11.2026 14.05`. */
export function formatDateTime(instant: string | Date, locale: DateLocale): string {
  return `${formatDate(instant, locale)} ${formatTime(instant, locale)}`;
}
