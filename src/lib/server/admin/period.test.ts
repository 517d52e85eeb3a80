import { describe, expect, it } from 'vitest';
import { defaultPeriod, helsinkiToday, periodPresets, readPeriod } from './period';

describe('the statistics period', () => {
  it('defaults to the last twelve months, starting on the first of a month', () => {
    expect(defaultPeriod('2026-11-27')).toEqual({ from: '2025-12-01', to: '2026-11-27' });
    expect(readPeriod(new URLSearchParams(), '2026-11-27')).toEqual({ period: { from: '2025-12-01', to: '2026-11-27' }, errors: [] });
  });

  it('offers presets that end today or cover the whole previous year', () => {
    const presets = Object.fromEntries(periodPresets('2026-03-31').map((p) => [p.key, p.period]));
    expect(presets.last_3_months).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presets.this_year).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presets.last_year).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('refuses impossible dates, a reversed period and one longer than five years', () => {
    expect(readPeriod(new URLSearchParams('from=2026-02-30&to=2026-03-01'), '2026-11-27').errors).toEqual(['invalid_from']);
    expect(readPeriod(new URLSearchParams('from=2026-05-01&to=2026-04-01'), '2026-11-27').errors).toEqual(['end_before_start']);
    expect(readPeriod(new URLSearchParams('from=2015-01-01&to=2026-01-01'), '2026-11-27').errors).toEqual(['too_long']);
    expect(readPeriod(new URLSearchParams('from=2026-01-01'), '2026-11-27').errors).toEqual(['invalid_to']);
  });

  it('knows the date in Finland when it is still yesterday in UTC', () => {
    // 22.30 UTC on 31 Dec is 00.30 on 1 Jan in Helsinki (UTC+2 in winter)
    expect(helsinkiToday(new Date('2025-12-31T22:30:00Z'))).toBe('2026-01-01');
  });
});
