// The municipality data: all 308 of Finland, in every region, inside Finland, and the migration
// is exactly what the CSV gives.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CSV_FILE, checkMigration } from './gen-municipalities.ts';
import { FINLAND_BOUNDS, REGION_CODES, parseMunicipalitiesCsv, problemsIn, renderMigration, type Municipality } from './lib/municipalities.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const municipalities = parseMunicipalitiesCsv(await readFile(CSV_FILE, 'utf8'));
const firstCut = await readFile(path.join(repoRoot, 'supabase/migrations/20261127000200_municipalities.sql'), 'utf8');

describe('supabase/data/municipalities.csv', () => {
  it('has the 308 municipalities of Finland, each code once, with nothing to fix', () => {
    expect(municipalities).toHaveLength(308);
    expect(new Set(municipalities.map((m) => m.code)).size).toBe(308);
    expect(problemsIn(municipalities)).toEqual([]);
  });

  it('puts municipalities in every region of public.regions and in no other', () => {
    const regionsTable = [...firstCut.matchAll(/^\s+\('([0-9]{2})', '[^']+', '[^']+'\)/gm)].map((match) => match[1]);
    expect(regionsTable).toEqual([...REGION_CODES]);
    const perRegion = new Map<string, Municipality[]>();
    for (const m of municipalities) perRegion.set(m.region_code, [...(perRegion.get(m.region_code) ?? []), m]);
    expect([...perRegion.keys()].sort()).toEqual([...REGION_CODES]);
    // Statistics Finland's 2025-2026 counts for two regions that changed lately (Pertunmaa left Etelä-Savo).
    expect(perRegion.get('10')).toHaveLength(11);
    expect(perRegion.get('21')).toHaveLength(16);
  });

  it('has every centre inside Finland', () => {
    for (const m of municipalities) {
      expect(Number(m.centre_lon), m.code).toBeGreaterThanOrEqual(FINLAND_BOUNDS.minLon);
      expect(Number(m.centre_lon), m.code).toBeLessThanOrEqual(FINLAND_BOUNDS.maxLon);
      expect(Number(m.centre_lat), m.code).toBeGreaterThanOrEqual(FINLAND_BOUNDS.minLat);
      expect(Number(m.centre_lat), m.code).toBeLessThanOrEqual(FINLAND_BOUNDS.maxLat);
    }
  });

  it('keeps the first cut: same names, region and centre, since the migration leaves those centres alone', () => {
    const rows = [...firstCut.matchAll(/\('([0-9]{3})', '([^']+)', '([^']+)', '([0-9]{2})', ([0-9.]+), ([0-9.]+)\)/g)];
    expect(rows.length).toBeGreaterThan(60);
    const byCode = new Map(municipalities.map((m) => [m.code, m]));
    for (const [, code, nameFi, nameSv, region, lon, lat] of rows) {
      const m = byCode.get(code!);
      expect(m, code).toBeDefined();
      expect([m!.name_fi, m!.name_sv, m!.region_code], code).toEqual([nameFi, nameSv, region]);
      expect([Number(m!.centre_lon), Number(m!.centre_lat)], code).toEqual([Number(lon), Number(lat)]);
      expect(m!.source, code).toBe('suoja-20261127');
    }
  });

  it('is what the migration 20261202000300_all_municipalities.sql loads (gen-municipalities --check)', async () => {
    expect(await checkMigration()).toBeNull();
  });
});

describe('municipality data checks', () => {
  const helsinki: Municipality = {
    code: '091', name_fi: 'Helsinki', name_sv: 'Helsingfors', region_code: '01', centre_lon: '24.9384', centre_lat: '60.1699', source: 'suoja-20261127',
  };
  const header = '# a comment\ncode,name_fi,name_sv,region_code,centre_lon,centre_lat,source\n';

  it('reads rows after comments and the header', () => {
    expect(parseMunicipalitiesCsv(`${header}091,Helsinki,Helsingfors,01,24.9384,60.1699,suoja-20261127\n`)).toEqual([helsinki]);
  });

  it('refuses a wrong header, a short or quoted line and an unknown source', () => {
    expect(() => parseMunicipalitiesCsv('code,name\n091,Helsinki\n')).toThrow(/header/);
    expect(() => parseMunicipalitiesCsv(`${header}091,Helsinki,Helsingfors,01,24.9384,60.1699\n`)).toThrow(/line 3/);
    expect(() => parseMunicipalitiesCsv(`${header}091,"Helsinki",Helsingfors,01,24.9384,60.1699,suoja-20261127\n`)).toThrow(/line 3/);
    expect(() => parseMunicipalitiesCsv(`${header}091,Helsinki,Helsingfors,01,24.9384,60.1699,osm\n`)).toThrow(/unknown source/);
  });

  it('finds repeated codes, unknown regions, swapped and foreign coordinates', () => {
    expect(problemsIn([helsinki, helsinki])).toEqual(['091 Helsinki: the code appears twice']);
    expect(problemsIn([{ ...helsinki, region_code: '03' }])).toEqual(['091 Helsinki: unknown region 03']);
    expect(problemsIn([{ ...helsinki, centre_lon: '60.1699', centre_lat: '24.9384' }])).toEqual(['091 Helsinki: centre 60.1699, 24.9384 is outside Finland']);
    expect(problemsIn([{ ...helsinki, centre_lon: '18.0686', centre_lat: '59.3293' }])).toEqual(['091 Helsinki: centre 18.0686, 59.3293 is outside Finland']);
    expect(problemsIn([{ ...helsinki, code: '91' }])).toEqual(['91 Helsinki: the code must be three digits']);
  });

  it('writes names as SQL literals, in code order, and updates names and region only on conflict', () => {
    const sql = renderMigration([{ ...helsinki, code: '853', name_fi: "O'Turku" }, helsinki]);
    expect(sql).toContain(`  ('091', 'Helsinki', 'Helsingfors', '01', 24.9384, 60.1699),\n  ('853', 'O''Turku',`);
    expect(sql).toMatch(/on conflict \(code\) do update\n {2}set name_fi = excluded.name_fi, name_sv = excluded.name_sv, region_code = excluded.region_code;\n$/);
  });
});
