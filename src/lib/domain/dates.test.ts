import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  daysLeft,
  defaultHoldDeadline,
  formatStayLength,
  fromHelsinkiLocalInput,
  helsinkiDate,
  stayDays,
  toHelsinkiLocalInput
} from './dates';

// Finland: EET (UTC+2) in winter, EEST (UTC+3) in summer. In 2026 the clocks go forward at 03:00
// on 29 March and back at 04:00 on 25 October.

describe('a 24-hour hold across the daylight-saving changes', () => {
  it('in March, a hold placed at 12.00 on Saturday ends at 13.00 on Sunday: 24 real hours', () => {
    const placed = fromHelsinkiLocalInput('2026-03-28T12:00');
    expect(placed?.toISOString()).toBe('2026-03-28T10:00:00.000Z');
    const deadline = defaultHoldDeadline(placed!);
    expect(deadline.getTime() - placed!.getTime()).toBe(24 * 3_600_000);
    expect(toHelsinkiLocalInput(deadline)).toBe('2026-03-29T13:00');
  });

  it('in October, a hold placed at 12.00 on Saturday ends at 11.00 on Sunday: 24 real hours', () => {
    const placed = fromHelsinkiLocalInput('2026-10-24T12:00');
    expect(placed?.toISOString()).toBe('2026-10-24T09:00:00.000Z');
    const deadline = defaultHoldDeadline(placed!);
    expect(deadline.getTime() - placed!.getTime()).toBe(24 * 3_600_000);
    expect(toHelsinkiLocalInput(deadline)).toBe('2026-10-25T11:00');
  });

  it('on an ordinary day the deadline is the same hour the next day', () => {
    expect(toHelsinkiLocalInput(defaultHoldDeadline(fromHelsinkiLocalInput('2026-11-27T22:15')!))).toBe('2026-11-28T22:15');
  });
});

describe('reading a deadline typed on Helsinki’s clock', () => {
  it('reads winter and summer times with their own offsets', () => {
    expect(fromHelsinkiLocalInput('2026-01-15T09:05')?.toISOString()).toBe('2026-01-15T07:05:00.000Z');
    expect(fromHelsinkiLocalInput('2026-07-15T09:05')?.toISOString()).toBe('2026-07-15T06:05:00.000Z');
  });

  it('moves a time the March change skips an hour forward instead of failing', () => {
    expect(fromHelsinkiLocalInput('2026-03-29T03:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(toHelsinkiLocalInput(fromHelsinkiLocalInput('2026-03-29T03:30')!)).toBe('2026-03-29T04:30');
  });

  it('takes a time the October change repeats as a real instant in that hour', () => {
    const instant = fromHelsinkiLocalInput('2026-10-25T03:30');
    expect(instant).not.toBeNull();
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(instant!.toISOString());
    expect(toHelsinkiLocalInput(instant!)).toBe('2026-10-25T03:30');
  });

  it('refuses text that is not a time, or a day that does not exist', () => {
    expect(fromHelsinkiLocalInput('')).toBeNull();
    expect(fromHelsinkiLocalInput('tomorrow')).toBeNull();
    expect(fromHelsinkiLocalInput('2026-02-30T10:00')).toBeNull();
    expect(fromHelsinkiLocalInput('2026-02-10T24:00')).toBeNull();
  });
});

describe('days left until a planned end, counted on Helsinki’s calendar', () => {
  it('counts the March night of 23 hours as one day', () => {
    // 00.30 on Sunday 29 March in Helsinki is still Saturday in UTC.
    const justAfterMidnight = '2026-03-28T22:30:00Z';
    expect(helsinkiDate(justAfterMidnight)).toBe('2026-03-29');
    expect(daysLeft('2026-03-30', justAfterMidnight)).toBe(1);
    expect(daysLeft('2026-03-30', '2026-03-28T21:30:00Z')).toBe(2);
    // across the change itself
    expect(daysLeft('2026-03-30', '2026-03-29T02:00:00Z')).toBe(1);
  });

  it('counts the October night of 25 hours as one day', () => {
    // 00.30 on Sunday 25 October in Helsinki (summer time, UTC+3) is 21.30 UTC on Saturday.
    const justAfterMidnight = '2026-10-24T21:30:00Z';
    expect(helsinkiDate(justAfterMidnight)).toBe('2026-10-25');
    expect(daysLeft('2026-10-26', justAfterMidnight)).toBe(1);
    // 23.30 on Sunday in winter time is 21.30 UTC: still Sunday, one day left
    expect(daysLeft('2026-10-26', '2026-10-25T21:30:00Z')).toBe(1);
    expect(daysLeft('2026-10-26', '2026-10-25T22:30:00Z')).toBe(0);
  });

  it('is 0 on the day itself and negative after it', () => {
    expect(daysLeft('2026-11-27', '2026-11-27T10:00:00Z')).toBe(0);
    expect(daysLeft('2026-11-25', '2026-11-27T10:00:00Z')).toBe(-2);
  });

  it('refuses a planned end that is not a date', () => {
    expect(() => daysLeft('27.11.2026', '2026-11-27T10:00:00Z')).toThrow(RangeError);
  });
});

describe('length of a stay', () => {
  it('counts a stay over the March change by calendar days, not hours', () => {
    // arrived 12.00 on 28 March, left 12.00 on 29 March: 23 real hours, one calendar day
    expect(stayDays('2026-03-28T10:00:00Z', '2026-03-29T09:00:00Z')).toBe(1);
    expect(formatStayLength('2026-03-28T10:00:00Z', '2026-03-29T09:00:00Z', 'fi')).toBe('päivä');
  });

  it('counts a stay over the October change by calendar days, not hours', () => {
    expect(stayDays('2026-10-24T09:00:00Z', '2026-10-26T10:00:00Z')).toBe(2);
    expect(formatStayLength('2026-10-24T09:00:00Z', '2026-10-26T10:00:00Z', 'en')).toBe('2 days');
  });

  it('words months and days in each language', () => {
    expect(formatStayLength('2026-03-01T10:00:00Z', '2026-05-04T10:00:00Z', 'fi')).toBe('2 kuukautta 3 päivää');
    expect(formatStayLength('2026-03-01T10:00:00Z', '2026-04-02T10:00:00Z', 'sv')).toBe('en månad en dag');
    expect(formatStayLength('2025-03-01T10:00:00Z', '2026-03-01T10:00:00Z', 'en')).toBe('1 year');
  });

  it('measures an open stay up to now, and says nothing for less than a day', () => {
    expect(formatStayLength('2026-11-20T10:00:00Z', null, 'en', '2026-11-27T10:00:00Z')).toBe('7 days');
    expect(formatStayLength('2026-11-27T08:00:00Z', null, 'en', '2026-11-27T10:00:00Z')).toBeNull();
  });
});

describe('calendar arithmetic', () => {
  it('adds days across month ends and the March change without drifting', () => {
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addCalendarDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addCalendarDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
