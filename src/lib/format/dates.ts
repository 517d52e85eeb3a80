// Dates and times as people in Finland read them, always in Finnish time (Europe/Helsinki),
// whatever the time zone of the server or the browser.
//
// Finnish and Finland-Swedish both write 27.11.2026 and 14.05 (date-fns' `sv` locale is Sweden's
// Swedish, so no date-fns locale is used for them: the patterns are explicit). English gets the
// unambiguous "27 Nov 2026" and a 24-hour "14:05".
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { enGB } from 'date-fns/locale';

export const FINLAND_TIME_ZONE = 'Europe/Helsinki';

export type DateLocale = 'fi' | 'sv' | 'en';

export type Instant = Date | string | number;

const DATE_PATTERN: Record<DateLocale, string> = { fi: 'd.M.yyyy', sv: 'd.M.yyyy', en: 'd MMM yyyy' };
const TIME_PATTERN: Record<DateLocale, string> = { fi: 'HH.mm', sv: 'HH.mm', en: 'HH:mm' };

function inFinland(instant: Instant): TZDate {
  const date = new TZDate(new Date(instant).getTime(), FINLAND_TIME_ZONE);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a valid date: ${String(instant)}`);
  return date;
}

/** `27.11.2026` (fi, sv) or `27 Nov 2026` (en), on the calendar day in Finland. */
export function formatDate(instant: Instant, locale: DateLocale): string {
  return format(inFinland(instant), DATE_PATTERN[locale], { locale: enGB });
}

/** `14.05` (fi, sv) or `14:05` (en), Finnish wall-clock time. */
export function formatTime(instant: Instant, locale: DateLocale): string {
  return format(inFinland(instant), TIME_PATTERN[locale], { locale: enGB });
}

/** Machine-readable value for `<time datetime>`: the instant with Finland's UTC offset. */
export function isoInFinland(instant: Instant): string {
  return format(inFinland(instant), "yyyy-MM-dd'T'HH:mm:ssXXX");
}
