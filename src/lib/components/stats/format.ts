// Values of the statistics as a reader in Finland expects them (fi-FI, sv-FI, en-GB).
import type { ColumnType, StatsValue } from './tables';

const NUMBER_LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' } as const;
type Locale = keyof typeof NUMBER_LOCALES;

const MONTHS: Record<Locale, string[]> = {
  fi: ['tammi', 'helmi', 'maalis', 'huhti', 'touko', 'kesä', 'heinä', 'elo', 'syys', 'loka', 'marras', 'joulu'],
  sv: ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
};

/** `11/2026` style short month, spelled out for screen readers by the table's header. */
export function formatMonth(iso: string, locale: Locale): string {
  const [year, month] = iso.split('-');
  const name = MONTHS[locale][Number(month) - 1] ?? month;
  return locale === 'fi' ? `${name}kuu ${year}` : `${name} ${year}`;
}

/** `23.11.2026` (fi, sv) or `23 Nov 2026` (en): the Monday a week starts on. */
export function formatDay(iso: string, locale: Locale): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return locale === 'en' ? `${day} ${MONTHS.en[month - 1]} ${year}` : `${day}.${month}.${year}`;
}

export function formatValue(value: StatsValue, type: ColumnType, locale: Locale): string {
  if (value === null || value === undefined) return '–';
  const numbers = NUMBER_LOCALES[locale];
  switch (type) {
    case 'share':
      return new Intl.NumberFormat(numbers, { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
    case 'days':
      return new Intl.NumberFormat(numbers, { maximumFractionDigits: 1 }).format(Number(value));
    case 'integer':
      return new Intl.NumberFormat(numbers, { maximumFractionDigits: 0 }).format(Number(value));
    case 'week':
      return formatDay(String(value), locale);
    case 'month':
      return formatMonth(String(value), locale);
    default:
      return String(value);
  }
}
