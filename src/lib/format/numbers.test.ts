import { describe, expect, it } from 'vitest';
import { formatInteger } from './numbers';

describe('whole numbers in the reader’s language', () => {
  it('groups thousands with a (non-breaking) space in Finnish and Swedish', () => {
    expect(formatInteger(12345, 'fi').replace(/\s/g, ' ')).toBe('12 345');
    expect(formatInteger(12345, 'sv').replace(/\s/g, ' ')).toBe('12 345');
  });

  it('groups thousands with a comma in English', () => {
    expect(formatInteger(12345, 'en')).toBe('12,345');
  });

  it('shows zero as 0', () => {
    expect(formatInteger(0, 'fi')).toBe('0');
  });
});
