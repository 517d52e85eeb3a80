// The map must show every facility, however many there are: map_availability() sends them all in
// one JSON value (no row cap), with the municipality fields once per municipality. The supabase
// client is stood in for here; that the database's figures match facility_availability() is
// checked in tests/integration/fast-availability.test.ts.
import { describe, expect, it } from 'vitest';
import { availabilityRows, fetchAllAvailability, type MapAvailabilityPayload } from './facilities';

const COLUMNS = [
  'facility_id', 'name', 'kind', 'operator', 'municipality_code', 'security_rating', 'gender_policy', 'takes_children',
  'boys_max_age', 'wheelchair_access', 'pets_allowed', 'staff_languages', 'staffed_24h', 'active', 'capacity',
  'free_places', 'over_occupied', 'is_stale', 'status', 'last_confirmed_at', 'last_confirmed_role'
];

function facility(id: string, municipality: string, freePlaces: number): unknown[] {
  return [id, `Koti ${id}`, 'shelter', 'Testi', municipality, 3, 'any', true, null, false, false, ['fi', 'en'], true, true,
    10, freePlaces, false, false, 'free', '2026-12-02T08:00:00+00:00', 'facility_staff'];
}

const payload: MapAvailabilityPayload = {
  columns: COLUMNS,
  facilities: Array.from({ length: 2500 }, (_, index) => facility(`f${index}`, index % 2 ? '091' : '564', index % 7)),
  municipalities: [
    ['091', 'Helsinki', 'Helsingfors', '01', 24.94, 60.17],
    ['564', 'Oulu', 'Uleåborg', '17', 25.47, 65.01]
  ]
};

function fakeClient(answer: { data: unknown; error: { message: string } | null }) {
  const calls: string[] = [];
  const client = {
    rpc: async (name: string) => {
      calls.push(name);
      return answer;
    }
  };
  return { client: client as unknown as Parameters<typeof fetchAllAvailability>[0], calls };
}

describe('fetchAllAvailability', () => {
  it('reads every facility in one request, past the row cap a table answer would have', async () => {
    const { client, calls } = fakeClient({ data: payload, error: null });
    const rows = await fetchAllAvailability(client);
    expect(calls).toEqual(['map_availability']);
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((row) => row.facility_id)).size).toBe(2500);
  });

  it('gives each facility its municipality’s names, region and approximate position', () => {
    const [oulu, helsinki] = availabilityRows(payload);
    expect(oulu).toMatchObject({ facility_id: 'f0', municipality_code: '564', municipality_name_fi: 'Oulu', municipality_name_sv: 'Uleåborg', region_code: '17', approx_lon: 25.47, approx_lat: 65.01 });
    expect(helsinki).toMatchObject({ facility_id: 'f1', municipality_name_sv: 'Helsingfors', region_code: '01', free_places: 1, staff_languages: ['fi', 'en'], last_confirmed_role: 'facility_staff' });
  });

  it('reads the fields by the column names the database sends, in whatever order', () => {
    const reversed: MapAvailabilityPayload = {
      ...payload,
      columns: [...COLUMNS].reverse(),
      facilities: payload.facilities.slice(0, 1).map((values) => [...values].reverse())
    };
    expect(availabilityRows(reversed)).toEqual(availabilityRows({ ...payload, facilities: payload.facilities.slice(0, 1) }));
  });

  it('refuses an answer without a field the map needs, rather than showing blanks', () => {
    expect(() => availabilityRows({ ...payload, columns: COLUMNS.filter((column) => column !== 'free_places') })).toThrow('free_places');
    expect(() => availabilityRows({ ...payload, municipalities: [] })).toThrow('municipality');
    expect(() => availabilityRows(null)).toThrow('unknown shape');
  });

  it('fails as a whole when the database refuses, rather than showing an empty country', async () => {
    const { client } = fakeClient({ data: null, error: { message: 'statement timeout' } });
    await expect(fetchAllAvailability(client)).rejects.toThrow('statement timeout');
  });
});
