// Every municipality of Finland is in the database, as supabase/data/municipalities.csv has it,
// and staff see all of them through the API.
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_FILE } from '../../scripts/gen-municipalities.ts';
import { REGION_CODES, parseMunicipalitiesCsv } from '../../scripts/lib/municipalities.ts';
import { clientFor, closeDb, rows, signOutAll } from './support/stack.ts';

afterAll(async () => {
  await signOutAll();
  await closeDb();
});

const expected = parseMunicipalitiesCsv(await readFile(CSV_FILE, 'utf8'));

describe('municipalities', () => {
  it('has all 308 with the names, region and centre of the data file', async () => {
    const stored = await rows<{ code: string; name_fi: string; name_sv: string; region_code: string; centre_lon: number; centre_lat: number }>(
      'select code, name_fi, name_sv, region_code, centre_lon, centre_lat from public.municipalities where code = any($1) order by code',
      [expected.map((m) => m.code)],
    );
    expect(stored).toEqual(
      [...expected]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((m) => ({
          code: m.code, name_fi: m.name_fi, name_sv: m.name_sv, region_code: m.region_code,
          centre_lon: Number(m.centre_lon), centre_lat: Number(m.centre_lat),
        })),
    );
  });

  it('has municipalities in every region', async () => {
    const regions = await rows<{ code: string; municipalities: number }>(
      `select r.code, count(m.code)::int as municipalities
         from public.regions r left join public.municipalities m on m.region_code = r.code
        group by r.code order by r.code`,
    );
    expect(regions.map((r) => r.code)).toEqual([...REGION_CODES]);
    for (const region of regions) expect(region.municipalities, region.code).toBeGreaterThan(0);
  });

  it('shows a coordinator every one of them in one request (308 is under max_rows 1000)', async () => {
    const supabase = await clientFor('coordinator');
    const { data, error } = await supabase.from('municipalities').select('code').order('code');
    expect(error).toBeNull();
    const codes = new Set((data ?? []).map((row) => row.code));
    for (const m of expected) expect(codes.has(m.code), m.code).toBe(true);
  });
});
