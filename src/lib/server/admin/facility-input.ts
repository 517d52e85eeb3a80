// One facility as typed in the admin form or read from a CSV row: every column checked, each
// problem a stable code per column (translated by the page), and the row the database expects.
import type { Database } from '$lib/supabase/database.types';

type FacilityKind = Database['public']['Enums']['facility_kind'];
type GenderPolicy = Database['public']['Enums']['gender_policy'];

/** The CSV columns, in the template's order; the form uses the same names. */
export const FACILITY_COLUMNS = [
  'name',
  'kind',
  'operator',
  'municipality_code',
  'security_rating',
  'gender_policy',
  'takes_children',
  'boys_max_age',
  'wheelchair_access',
  'pets_allowed',
  'staff_languages',
  'staffed_24h',
  'turnaround_hours',
  'contact_line',
  'street_address',
  'postal_code',
  'lat',
  'lon',
  'capacity'
] as const;
export type FacilityColumn = (typeof FACILITY_COLUMNS)[number];

export type FacilityErrorCode =
  | 'required'
  | 'too_long'
  | 'unknown_kind'
  | 'unknown_municipality'
  | 'not_a_whole_number'
  | 'out_of_range'
  | 'unknown_gender_policy'
  | 'not_yes_no'
  | 'invalid_languages'
  | 'invalid_postal_code'
  | 'outside_finland'
  | 'duplicate_in_file'
  | 'duplicate_facility';

export interface FacilityRow {
  name: string;
  kind: FacilityKind;
  operator: string;
  municipality_code: string;
  security_rating: number;
  gender_policy: GenderPolicy;
  takes_children: boolean;
  boys_max_age: number | null;
  wheelchair_access: boolean;
  pets_allowed: boolean;
  staff_languages: string[];
  staffed_24h: boolean;
  turnaround_hours: number;
  contact_line: string;
  street_address: string;
  postal_code: string;
  lat: number;
  lon: number;
  capacity: number | null;
}

export type FacilityErrors = Partial<Record<FacilityColumn, FacilityErrorCode>>;

const KINDS: readonly FacilityKind[] = ['reception_centre', 'shelter', 'supported_housing', 'private_housing'];
const GENDER_POLICIES: readonly GenderPolicy[] = ['women', 'men', 'any'];
const YES = new Set(['true', 'yes', 'kyllä', 'kylla', 'k', 'ja', 'j', 'y', '1', 'x', 'on']);
const NO = new Set(['false', 'no', 'ei', 'e', 'nej', 'n', '0', '', 'off']);

export interface FacilityValidationContext {
  municipalityCodes: ReadonlySet<string>;
  /** Whether the location may be left empty (editing keeps the recorded one). */
  locationOptional?: boolean;
}

export function validateFacility(
  raw: Partial<Record<FacilityColumn, string>>,
  context: FacilityValidationContext
): { ok: true; row: FacilityRow; keepLocation: boolean } | { ok: false; errors: FacilityErrors } {
  const errors: FacilityErrors = {};
  const text = (column: FacilityColumn): string => (raw[column] ?? '').trim();

  const bool = (column: FacilityColumn): boolean => {
    const value = text(column).toLowerCase();
    if (YES.has(value)) return true;
    if (!NO.has(value)) errors[column] = 'not_yes_no';
    return false;
  };
  const integer = (column: FacilityColumn, min: number, max: number, optional: boolean): number | null => {
    const value = text(column);
    if (value === '') {
      if (!optional) errors[column] = 'required';
      return null;
    }
    if (!/^-?\d+$/.test(value)) {
      errors[column] = 'not_a_whole_number';
      return null;
    }
    const number = Number(value);
    if (number < min || number > max) errors[column] = 'out_of_range';
    return number;
  };
  const coordinate = (column: 'lat' | 'lon', min: number, max: number, optional: boolean): number | null => {
    const value = text(column).replace(',', '.');
    if (value === '') {
      if (!optional) errors[column] = 'required';
      return null;
    }
    const number = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || number < min || number > max) errors[column] = 'outside_finland';
    return number;
  };
  const bounded = (column: FacilityColumn, max: number, required: boolean): string => {
    const value = text(column);
    if (required && value === '') errors[column] = 'required';
    else if (value.length > max) errors[column] = 'too_long';
    return value;
  };

  const name = bounded('name', 200, true);
  const kind = text('kind') as FacilityKind;
  if (!KINDS.includes(kind)) errors.kind = text('kind') === '' ? 'required' : 'unknown_kind';
  const operator = bounded('operator', 200, false);
  const municipality = text('municipality_code').padStart(text('municipality_code') ? 3 : 0, '0');
  if (municipality === '') errors.municipality_code = 'required';
  else if (!context.municipalityCodes.has(municipality)) errors.municipality_code = 'unknown_municipality';
  const rating = integer('security_rating', 1, 4, false);
  const gender = (text('gender_policy') || 'any') as GenderPolicy;
  if (!GENDER_POLICIES.includes(gender)) errors.gender_policy = 'unknown_gender_policy';
  const takesChildren = bool('takes_children');
  const boysMaxAge = integer('boys_max_age', 0, 17, true);
  const wheelchair = bool('wheelchair_access');
  const pets = bool('pets_allowed');
  const languages = text('staff_languages')
    .toLowerCase()
    .split(/[\s,;|/]+/)
    .filter(Boolean);
  if (languages.length > 30 || languages.some((code) => !/^[a-z]{2,3}$/.test(code))) errors.staff_languages = 'invalid_languages';
  const staffed = bool('staffed_24h');
  const turnaround = integer('turnaround_hours', 0, 720, true);
  const contact = bounded('contact_line', 200, false);

  const locationGiven = ['street_address', 'postal_code', 'lat', 'lon'].some((c) => text(c as FacilityColumn) !== '');
  const locationOptional = Boolean(context.locationOptional) && !locationGiven;
  const street = locationOptional ? '' : bounded('street_address', 300, true);
  const postal = text('postal_code');
  if (!locationOptional && !/^\d{5}$/.test(postal)) errors.postal_code = postal === '' ? 'required' : 'invalid_postal_code';
  const lat = coordinate('lat', 59.5, 70.2, locationOptional);
  const lon = coordinate('lon', 19, 32, locationOptional);
  const capacity = integer('capacity', 0, 10000, true);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    keepLocation: locationOptional,
    row: {
      name,
      kind,
      operator,
      municipality_code: municipality,
      security_rating: rating!,
      gender_policy: gender,
      takes_children: takesChildren,
      boys_max_age: takesChildren ? boysMaxAge : null,
      wheelchair_access: wheelchair,
      pets_allowed: pets,
      staff_languages: languages.length > 0 ? languages : ['fi'],
      staffed_24h: staffed,
      turnaround_hours: turnaround ?? 0,
      contact_line: contact,
      street_address: street,
      postal_code: postal,
      lat: lat ?? 0,
      lon: lon ?? 0,
      capacity
    }
  };
}

export interface ImportIssue {
  line: number;
  column: FacilityColumn | null;
  code: FacilityErrorCode | 'unknown_column' | 'missing_column' | 'no_rows' | 'unterminated_quote' | 'too_many_rows';
  /** For unknown_column / missing_column: the header as written. */
  header?: string;
}

export const MAX_IMPORT_ROWS = 2000;

/**
 * Every row of an uploaded CSV validated: either all rows, ready for the database, or every
 * problem found (not just the first), by line and column.
 */
export function validateImport(
  parsed: { rows: { line: number; cells: string[] }[]; error: { line: number } | null },
  context: FacilityValidationContext & { existingNames: ReadonlySet<string> }
): { ok: true; rows: (FacilityRow & { line: number })[] } | { ok: false; issues: ImportIssue[] } {
  if (parsed.error) return { ok: false, issues: [{ line: parsed.error.line, column: null, code: 'unterminated_quote' }] };
  const [header, ...body] = parsed.rows;
  if (!header || body.length === 0) return { ok: false, issues: [{ line: header?.line ?? 1, column: null, code: 'no_rows' }] };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, issues: [{ line: body[MAX_IMPORT_ROWS]!.line, column: null, code: 'too_many_rows' }] };

  const issues: ImportIssue[] = [];
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  names.forEach((name, index) => {
    if (name !== '' && !(FACILITY_COLUMNS as readonly string[]).includes(name)) {
      issues.push({ line: header.line, column: null, code: 'unknown_column', header: header.cells[index]!.trim() });
    }
  });
  for (const required of ['name', 'kind', 'municipality_code', 'security_rating', 'street_address', 'postal_code', 'lat', 'lon'] as const) {
    if (!names.includes(required)) issues.push({ line: header.line, column: required, code: 'missing_column', header: required });
  }
  if (issues.length > 0) return { ok: false, issues };

  const rows: (FacilityRow & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of body) {
    const raw: Partial<Record<FacilityColumn, string>> = {};
    names.forEach((name, index) => {
      if (name) raw[name as FacilityColumn] = cells[index] ?? '';
    });
    const result = validateFacility(raw, context);
    if (!result.ok) {
      for (const column of FACILITY_COLUMNS) {
        const code = result.errors[column];
        if (code) issues.push({ line, column, code });
      }
      continue;
    }
    const key = `${result.row.name.toLowerCase()}|${result.row.municipality_code}`;
    if (context.existingNames.has(key)) issues.push({ line, column: 'name', code: 'duplicate_facility' });
    else if (seen.has(key)) issues.push({ line, column: 'name', code: 'duplicate_in_file' });
    seen.set(key, line);
    rows.push({ ...result.row, line });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rows };
}

/** The template file: the header and one example row (fictional). */
export const TEMPLATE_EXAMPLE: Record<FacilityColumn, string> = {
  name: 'Turvakoti Esimerkki',
  kind: 'shelter',
  operator: 'Esimerkkiyhdistys ry',
  municipality_code: '091',
  security_rating: '3',
  gender_policy: 'women',
  takes_children: 'yes',
  boys_max_age: '12',
  wheelchair_access: 'yes',
  pets_allowed: 'no',
  staff_languages: 'fi en',
  staffed_24h: 'yes',
  turnaround_hours: '24',
  contact_line: '09 123 4567',
  street_address: 'Esimerkkitie 1',
  postal_code: '00100',
  lat: '60.1699',
  lon: '24.9384',
  capacity: '10'
};
