import { describe, expect, it } from 'vitest';
import { formatDay, formatMonth, formatValue } from './format';

describe('statistics values', () => {
  it('shows shares as percentages in each language', () => {
    expect(formatValue(0.3307, 'share', 'en')).toBe('33.1%');
    expect(formatValue(0.3307, 'share', 'fi').replace(/\s/g, ' ')).toBe('33,1 %');
  });

  it('names months and week starts the Finnish way', () => {
    expect(formatMonth('2026-11-01', 'fi')).toBe('marraskuu 2026');
    expect(formatMonth('2026-05-01', 'sv')).toBe('maj 2026');
    expect(formatDay('2026-03-02', 'fi')).toBe('2.3.2026');
    expect(formatDay('2026-03-02', 'en')).toBe('2 Mar 2026');
  });

  it('shows a dash for a missing figure rather than zero', () => {
    expect(formatValue(null, 'share', 'fi')).toBe('–');
  });
});
