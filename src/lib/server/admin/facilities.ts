// Facility forms and imports on the server: the form's fields as a raw row, the municipalities
// and names to validate against, and the one-call import.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '$lib/supabase/database.types';
import { FACILITY_COLUMNS, type FacilityColumn, type FacilityRow } from './facility-input';
import { rpcFailure } from './rpc-error';

const CHECKBOXES: readonly FacilityColumn[] = ['takes_children', 'wheelchair_access', 'pets_allowed', 'staffed_24h'];

export function rawFacilityFromForm(form: FormData): Record<FacilityColumn | 'active', string> {
  const raw = {} as Record<FacilityColumn | 'active', string>;
  for (const column of FACILITY_COLUMNS) {
    raw[column] = CHECKBOXES.includes(column) ? (form.get(column) === 'true' ? 'true' : 'false') : String(form.get(column) ?? '');
  }
  raw.active = form.get('active') === 'true' ? 'true' : 'false';
  return raw;
}

export async function municipalityCodes(supabase: SupabaseClient<Database>): Promise<{ codes: Set<string>; list: { code: string; name_fi: string; name_sv: string }[] }> {
  const { data, error } = await supabase.from('municipalities').select('code, name_fi, name_sv').order('name_fi');
  if (error) throw new Error(`reading municipalities failed: ${error.message}`);
  return { codes: new Set(data.map((row) => row.code)), list: data };
}

export async function existingFacilityKeys(supabase: SupabaseClient<Database>): Promise<Set<string>> {
  const { data, error } = await supabase.from('facilities').select('name, municipality_code');
  if (error) throw new Error(`reading facilities failed: ${error.message}`);
  return new Set(data.map((row) => `${row.name.trim().toLowerCase()}|${row.municipality_code}`));
}

export type ImportOutcome = { ok: true; ids: string[] } | { ok: false; line: number | null; column: string | null; code: string };

/** All rows in one database transaction: nothing is saved unless every row is. */
export async function importFacilities(supabase: SupabaseClient<Database>, rows: (FacilityRow & { line?: number })[]): Promise<ImportOutcome> {
  const { data, error } = await supabase.rpc('import_facilities', { facility_rows: rows as never });
  if (error) {
    const failure = rpcFailure(error);
    const details = failure.details;
    return {
      ok: false,
      line: typeof details.line === 'number' ? details.line : null,
      column: typeof details.column === 'string' ? details.column : null,
      code: typeof details.code === 'string' ? details.code : failure.code
    };
  }
  return { ok: true, ids: data ?? [] };
}
