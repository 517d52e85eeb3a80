import { describe, expect, it } from 'vitest';
import { parseCsv, toCsv } from './csv';
import { FACILITY_COLUMNS, TEMPLATE_EXAMPLE, validateFacility, validateImport } from './facility-input';

const context = { municipalityCodes: new Set(['091', '564', '020']), existingNames: new Set(['turvakoti kaisla|091']) };
const template = (): Record<string, string> => ({ ...TEMPLATE_EXAMPLE });

function csv(rows: Record<string, string>[]): string {
  return toCsv(FACILITY_COLUMNS, rows.map((row) => FACILITY_COLUMNS.map((column) => row[column] ?? '')));
}

describe('a facility row', () => {
  it('accepts the template example and reads Finnish and Swedish yes/no words', () => {
    const result = validateFacility({ ...template(), takes_children: 'kyllä', pets_allowed: 'nej' }, context);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.row).toMatchObject({ takes_children: true, pets_allowed: false, staff_languages: ['fi', 'en'], capacity: 10, security_rating: 3 });
    }
  });

  it('names the column of every problem, with a code the page translates', () => {
    const result = validateFacility(
      { ...template(), kind: 'hotel', security_rating: '5', municipality_code: '999', lat: '48.1', postal_code: '123', takes_children: 'maybe' },
      context
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        kind: 'unknown_kind',
        security_rating: 'out_of_range',
        municipality_code: 'unknown_municipality',
        lat: 'outside_finland',
        postal_code: 'invalid_postal_code',
        takes_children: 'not_yes_no'
      }
    });
  });

  it('lets an edit leave the whole location empty to keep the recorded one, but not half of it', () => {
    const empty = { ...template(), street_address: '', postal_code: '', lat: '', lon: '' };
    expect(validateFacility(empty, { ...context, locationOptional: true })).toMatchObject({ ok: true, keepLocation: true });
    expect(validateFacility({ ...empty, lat: '60.2' }, { ...context, locationOptional: true })).toMatchObject({
      ok: false,
      errors: { street_address: 'required', postal_code: 'required', lon: 'required' }
    });
  });
});

describe('a CSV import', () => {
  it('passes when every row is valid, keeping each row’s line', () => {
    const result = validateImport(parseCsv(csv([template(), { ...template(), name: 'Toinen koti', municipality_code: '564' }])), context);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.rows.map((row) => row.line)).toEqual([2, 3]);
  });

  it('reports every bad row by line and column, and duplicates in the file and in the database', () => {
    const result = validateImport(
      parseCsv(
        csv([
          template(),
          { ...template(), security_rating: 'high' },
          template(),
          { ...template(), name: 'Turvakoti Kaisla' }
        ])
      ),
      context
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        { line: 3, column: 'security_rating', code: 'not_a_whole_number' },
        { line: 4, column: 'name', code: 'duplicate_in_file' },
        { line: 5, column: 'name', code: 'duplicate_facility' }
      ]
    });
  });

  it('refuses a file with unknown or missing columns before reading its rows', () => {
    const result = validateImport(parseCsv('name;kind;colour\nA;shelter;red\n'), context);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toContainEqual({ line: 1, column: null, code: 'unknown_column', header: 'colour' });
      expect(result.issues).toContainEqual({ line: 1, column: 'lat', code: 'missing_column', header: 'lat' });
    }
  });
});
