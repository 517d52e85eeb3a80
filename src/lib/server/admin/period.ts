// The statistics period: read from the URL, checked, and the preset periods offered beside the
// date fields. Calendar dates in Finland (Europe/Helsinki), as the SQL functions count them.
import { TZDate } from '@date-fns/tz';
import { differenceInCalendarDays, endOfYear, format, isValid, parse, startOfMonth, startOfYear, subMonths, subYears } from 'date-fns';

export const MAX_PERIOD_DAYS = 1830;

export type PeriodError = 'invalid_from' | 'invalid_to' | 'end_before_start' | 'too_long';

export interface Period {
  from: string;
  to: string;
}

const ISO = 'yyyy-MM-dd';

export function helsinkiToday(now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), 'Europe/Helsinki'), ISO);
}

function isoDate(value: string | null): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = parse(value, ISO, new Date(2000, 0, 1));
  return isValid(date) && format(date, ISO) === value ? value : null;
}

function local(iso: string): Date {
  return parse(iso, ISO, new Date(2000, 0, 1));
}

/** The last twelve months including the current one. */
export function defaultPeriod(today: string): Period {
  return { from: format(startOfMonth(subMonths(local(today), 11)), ISO), to: today };
}

export type PresetKey = 'last_3_months' | 'last_12_months' | 'this_year' | 'last_year';

export function periodPresets(today: string): { key: PresetKey; period: Period }[] {
  const day = local(today);
  const lastYear = subYears(day, 1);
  return [
    { key: 'last_3_months', period: { from: format(startOfMonth(subMonths(day, 2)), ISO), to: today } },
    { key: 'last_12_months', period: defaultPeriod(today) },
    { key: 'this_year', period: { from: format(startOfYear(day), ISO), to: today } },
    { key: 'last_year', period: { from: format(startOfYear(lastYear), ISO), to: format(endOfYear(lastYear), ISO) } }
  ];
}

/** The period in the URL (`from`, `to`), or the default when both are absent. */
export function readPeriod(params: URLSearchParams, today: string): { period: Period; errors: PeriodError[] } {
  const rawFrom = params.get('from');
  const rawTo = params.get('to');
  const fallback = defaultPeriod(today);
  if (!rawFrom && !rawTo) return { period: fallback, errors: [] };

  const errors: PeriodError[] = [];
  const from = isoDate(rawFrom);
  const to = isoDate(rawTo);
  if (!from) errors.push('invalid_from');
  if (!to) errors.push('invalid_to');
  if (from && to) {
    const days = differenceInCalendarDays(local(to), local(from));
    if (days < 0) errors.push('end_before_start');
    else if (days > MAX_PERIOD_DAYS) errors.push('too_long');
  }
  return { period: { from: from ?? fallback.from, to: to ?? fallback.to }, errors };
}
