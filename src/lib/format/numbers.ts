import type { DateLocale } from './dates';

// Finland's conventions for every UI language: fi-FI and sv-FI group thousands with a space.
const NUMBER_LOCALES: Record<DateLocale, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** A whole number grouped as the reader's language expects (12 345 in fi/sv, 12,345 in en). */
export function formatInteger(value: number, locale: DateLocale): string {
  return new Intl.NumberFormat(NUMBER_LOCALES[locale], { maximumFractionDigits: 0 }).format(value);
}
