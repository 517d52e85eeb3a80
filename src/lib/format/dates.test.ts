import { describe, expect, it } from 'vitest';
import { formatDate, formatTime, isoInFinland } from './dates';

describe('dates in Finland’s formats and time zone', () => {
  it('writes Finnish and Finland-Swedish dates as d.M.yyyy without leading zeros', () => {
    const instant = '2026-03-05T10:00:00Z';
    expect(formatDate(instant, 'fi')).toBe('5.3.2026');
    expect(formatDate(instant, 'sv')).toBe('5.3.2026');
  });

  it('writes English dates with a short month name', () => {
    expect(formatDate('2026-11-27T10:00:00Z', 'en')).toBe('27 Nov 2026');
  });

  it('writes times as HH.mm in fi and sv and HH:mm in en, in Finnish time (UTC+2 in winter)', () => {
    const instant = '2026-01-15T07:05:00Z';
    expect(formatTime(instant, 'fi')).toBe('09.05');
    expect(formatTime(instant, 'sv')).toBe('09.05');
    expect(formatTime(instant, 'en')).toBe('09:05');
  });

  it('uses summer time (UTC+3) after the March change', () => {
    // Finland moves to EEST at 03:00 local time on the last Sunday of March (2026-03-29).
    expect(formatTime('2026-03-29T00:59:00Z', 'fi')).toBe('02.59');
    expect(formatTime('2026-03-29T01:00:00Z', 'fi')).toBe('04.00');
  });

  it('puts an instant late in the UTC evening on the next Finnish calendar day', () => {
    expect(formatDate('2026-12-31T22:30:00Z', 'fi')).toBe('1.1.2027');
    expect(formatDate(new Date('2026-12-31T22:30:00Z'), 'en')).toBe('1 Jan 2027');
  });

  it('accepts epoch milliseconds', () => {
    expect(formatDate(Date.UTC(2026, 5, 1, 12), 'sv')).toBe('1.6.2026');
  });

  it('gives <time datetime> the Finnish offset', () => {
    expect(isoInFinland('2026-07-01T09:00:00Z')).toBe('2026-07-01T12:00:00+03:00');
    expect(isoInFinland('2026-01-01T09:00:00Z')).toBe('2026-01-01T11:00:00+02:00');
  });

  it('refuses an invalid date instead of printing "Invalid Date"', () => {
    expect(() => formatDate('not a date', 'fi')).toThrow(RangeError);
  });
});
