// The map must show every facility, however many there are, and its refreshes must stay small:
// map_facilities() sends the facilities once (no row cap, municipality fields once per
// municipality), map_figures() the figures of every facility on each refresh, and the loader
// joins the two while their versions match. The supabase client is stood in for here; that the
// joined rows equal map_availability()'s is checked in tests/integration/map-figures.test.ts.
import { describe, expect, it } from 'vitest';
import {
  applyChange,
  availabilityRows,
  createAvailabilityLoader,
  decodeMapFacilities,
  decodeMapFigures,
  mergeMapData,
  normaliseInstant,
  type MapAvailabilityPayload,
  type MapFacilitiesPayload,
  type MapFiguresPayload
} from './facilities';

const COLUMNS = [
  'facility_id', 'name', 'kind', 'operator', 'municipality_code', 'security_rating', 'gender_policy', 'takes_children',
  'boys_max_age', 'wheelchair_access', 'pets_allowed', 'staff_languages', 'staffed_24h', 'active', 'capacity',
  'free_places', 'over_occupied', 'is_stale', 'status', 'last_confirmed_at', 'last_confirmed_role'
];
const STATIC_COLUMNS = COLUMNS.slice(0, 14);
const MUNICIPALITIES: MapAvailabilityPayload['municipalities'] = [
  ['091', 'Helsinki', 'Helsingfors', '01', 24.94, 60.17],
  ['564', 'Oulu', 'Uleåborg', '17', 25.47, 65.01]
];
const ROLES = ['coordinator', 'facility_staff', 'caseworker', 'admin', 'auditor'];
const NOW = Date.parse('2026-12-02T12:00:00Z');
const HOUR = 3_600_000;

function facility(id: string, municipality: string, freePlaces: number): unknown[] {
  return [id, `Koti ${id}`, 'shelter', 'Testi', municipality, 3, 'any', true, null, false, false, ['fi', 'en'], true, true,
    10, freePlaces, false, false, 'free', '2026-12-02T08:00:00+00:00', 'facility_staff'];
}

const payload: MapAvailabilityPayload = {
  columns: COLUMNS,
  facilities: Array.from({ length: 2500 }, (_, index) => facility(`f${index}`, index % 2 ? '091' : '564', index % 7)),
  municipalities: MUNICIPALITIES
};

function staticPart(version: string, ids: string[], overrides: Partial<Record<string, unknown>> = {}): MapFacilitiesPayload {
  return {
    version,
    columns: STATIC_COLUMNS,
    facilities: ids.map((id, index) => {
      const row = facility(id, index % 2 ? '091' : '564', 0).slice(0, 14);
      if (overrides.name !== undefined) row[1] = overrides.name;
      if (overrides.active !== undefined) row[13] = overrides.active;
      return row;
    }),
    municipalities: MUNICIPALITIES
  };
}

function figures(version: string, free: number[], changes: Partial<MapFiguresPayload> = {}): MapFiguresPayload {
  return {
    version,
    capacity: free.map(() => 10),
    free,
    confirmed_at: free.map(() => NOW - HOUR),
    confirmed_role: free.map(() => 1),
    roles: ROLES,
    ...changes
  };
}

type Answer = { data: unknown; error: { message: string } | null };

/** A stand-in for supabase-js: each RPC answers from its own queue (the last answer repeats). */
function fakeClient(answers: Record<string, Answer[]>) {
  const calls: string[] = [];
  const client = {
    rpc: async (name: string) => {
      calls.push(name);
      const queue = answers[name];
      if (!queue || queue.length === 0) throw new Error(`unexpected rpc ${name}`);
      return queue.length > 1 ? queue.shift()! : queue[0]!;
    }
  };
  return { client: client as unknown as Parameters<typeof createAvailabilityLoader>[0], calls };
}

const ok = (data: unknown): Answer => ({ data, error: null });

describe('the map’s loader', () => {
  it('loads the facilities and their figures in parallel at first, then only the figures', async () => {
    const ids = Array.from({ length: 2500 }, (_, index) => `f${index}`);
    const { client, calls } = fakeClient({
      map_facilities: [ok(staticPart('v1', ids))],
      map_figures: [ok(figures('v1', ids.map(() => 5))), ok(figures('v1', ids.map((_, index) => (index === 7 ? 0 : 5))))]
    });
    const load = createAvailabilityLoader(client);
    const first = await load();
    expect(calls).toEqual(['map_facilities', 'map_figures']);
    expect(first).toHaveLength(2500);
    expect(new Set(first.map((row) => row.facility_id)).size).toBe(2500);

    const second = await load();
    expect(calls).toEqual(['map_facilities', 'map_figures', 'map_figures']);
    expect(second[7]).toMatchObject({ facility_id: 'f7', name: 'Koti f7', free_places: 0, status: 'full' });
    expect(second[8]).toMatchObject({ facility_id: 'f8', free_places: 5 });
  });

  it('fetches the facilities again when a facility was added or edited since', async () => {
    const { client, calls } = fakeClient({
      map_facilities: [ok(staticPart('v1', ['a', 'b'])), ok(staticPart('v2', ['a', 'b', 'c'], { name: 'Uusi nimi' }))],
      map_figures: [ok(figures('v1', [1, 2])), ok(figures('v2', [1, 2, 3]))]
    });
    const load = createAvailabilityLoader(client);
    expect(await load()).toHaveLength(2);
    const rows = await load();
    expect(calls).toEqual(['map_facilities', 'map_figures', 'map_figures', 'map_facilities']);
    expect(rows.map((row) => [row.facility_id, row.name, row.free_places])).toEqual([
      ['a', 'Uusi nimi', 1],
      ['b', 'Uusi nimi', 2],
      ['c', 'Uusi nimi', 3]
    ]);
    // the new static part is kept: the next refresh is figures only again
    await load();
    expect(calls.slice(4)).toEqual(['map_figures']);
  });

  it('fetches the figures again when the facilities changed between the first two requests', async () => {
    const { client, calls } = fakeClient({
      map_facilities: [ok(staticPart('v2', ['a', 'b', 'c']))],
      map_figures: [ok(figures('v1', [1, 2])), ok(figures('v2', [1, 2, 3]))]
    });
    const rows = await createAvailabilityLoader(client)();
    expect(calls).toEqual(['map_facilities', 'map_figures', 'map_facilities', 'map_figures']);
    expect(rows.map((row) => row.free_places)).toEqual([1, 2, 3]);
  });

  it('gives up with an error, after a few requests, when the versions keep disagreeing', async () => {
    let version = 0;
    const client = {
      rpc: async (name: string) => {
        version++;
        return ok(name === 'map_facilities' ? staticPart(`v${version}`, ['a']) : figures(`v${version}`, [1]));
      }
    } as unknown as Parameters<typeof createAvailabilityLoader>[0];
    await expect(createAvailabilityLoader(client)()).rejects.toThrow('kept changing');
    expect(version).toBeLessThanOrEqual(8);
  });

  it('fails as a whole when the database refuses, rather than showing an empty country', async () => {
    const refused = fakeClient({ map_facilities: [ok(staticPart('v1', ['a']))], map_figures: [{ data: null, error: { message: 'statement timeout' } }] });
    await expect(createAvailabilityLoader(refused.client)()).rejects.toThrow('statement timeout');
    const notAllowed = fakeClient({ map_facilities: [{ data: null, error: { message: 'not_allowed' } }], map_figures: [ok(figures('v1', [1]))] });
    await expect(createAvailabilityLoader(notAllowed.client)()).rejects.toThrow('not_allowed');
  });
});

describe('joining the facilities with their figures', () => {
  const now = new Date(NOW);
  const facilities = decodeMapFacilities(staticPart('v1', ['a', 'b', 'c', 'd', 'e']));

  it('derives free places, over-occupancy, staleness and status by the database’s rule', () => {
    const rows = mergeMapData(
      facilities,
      figures('v1', [-2, 0, 1, 9, 4], {
        capacity: [10, 10, 10, 10, null],
        confirmed_at: [NOW - HOUR, NOW - HOUR, NOW - HOUR, NOW - 25 * HOUR, null],
        confirmed_role: [0, 1, null, 1, null]
      }),
      now
    );
    expect(rows.map((row) => [row.free_places, row.over_occupied, row.is_stale, row.status])).toEqual([
      [0, true, false, 'over'],
      [0, false, false, 'full'],
      [1, false, false, 'few'],
      [9, false, true, 'stale'],
      [4, false, true, 'stale']
    ]);
    expect(rows.map((row) => row.last_confirmed_role)).toEqual(['coordinator', 'facility_staff', null, 'facility_staff', null]);
    expect(rows[0]!.last_confirmed_at).toBe('2026-12-02T11:00:00.000Z');
    expect(rows[4]!.last_confirmed_at).toBeNull();
    expect(rows[4]!.capacity).toBeNull();
  });

  it('shows a closed facility as closed, whatever its figures', () => {
    const closed = decodeMapFacilities(staticPart('v1', ['a'], { active: false }));
    expect(mergeMapData(closed, figures('v1', [5]), now)[0]).toMatchObject({ active: false, status: 'closed', free_places: 5 });
  });

  it('gives each facility its municipality’s names, region and approximate position', () => {
    const [oulu, helsinki] = mergeMapData(facilities, figures('v1', [1, 2, 3, 4, 5]), now);
    expect(oulu).toMatchObject({ facility_id: 'a', municipality_code: '564', municipality_name_fi: 'Oulu', municipality_name_sv: 'Uleåborg', region_code: '17', approx_lon: 25.47, approx_lat: 65.01 });
    expect(helsinki).toMatchObject({ facility_id: 'b', municipality_name_sv: 'Helsingfors', region_code: '01', staff_languages: ['fi', 'en'] });
  });

  it('reads the facilities by the column names the database sends, in whatever order, and the figures by name', () => {
    const answer = staticPart('v1', ['a', 'b']);
    const reversed: MapFacilitiesPayload = { ...answer, columns: [...answer.columns].reverse(), facilities: answer.facilities.map((values) => [...values].reverse()) };
    const figuresAnswer = figures('v1', [3, -1]);
    const figuresReordered = Object.fromEntries(Object.entries(figuresAnswer).reverse());
    expect(mergeMapData(decodeMapFacilities(reversed), decodeMapFigures(figuresReordered), now)).toEqual(
      mergeMapData(decodeMapFacilities(answer), decodeMapFigures(figuresAnswer), now)
    );
  });

  it('refuses answers in an unknown shape, rather than showing blanks', () => {
    expect(() => decodeMapFacilities(null)).toThrow('unknown shape');
    expect(() => decodeMapFacilities({ ...staticPart('v1', ['a']), version: undefined })).toThrow('unknown shape');
    expect(() => decodeMapFacilities({ ...staticPart('v1', ['a']), columns: STATIC_COLUMNS.filter((column) => column !== 'active') })).toThrow('active');
    expect(() => decodeMapFacilities({ ...staticPart('v1', ['a']), municipalities: [] })).toThrow('municipality');
    expect(() => decodeMapFigures(null)).toThrow('unknown shape');
    expect(() => decodeMapFigures({ ...figures('v1', [1]), free: undefined })).toThrow('unknown shape');
    expect(() => decodeMapFigures({ ...figures('v1', [1]), free: ['1'] })).toThrow('unknown shape');
    expect(() => decodeMapFigures({ ...figures('v1', [1]), confirmed_role: [5] })).toThrow('unknown shape');
    expect(() => decodeMapFigures({ ...figures('v1', [1, 2]), capacity: [10] })).toThrow('different lengths');
    expect(() => mergeMapData(facilities, figures('v1', [1, 2]), now)).toThrow('2 facilities');
    expect(() => mergeMapData(facilities, figures('v2', [1, 2, 3, 4, 5]), now)).toThrow('different facilities');
  });
});

describe('the same instant from a refresh and from a broadcast', () => {
  it('is spelled the same, so a refresh does not mark unchanged facilities as changed', () => {
    // an hour ago, so both sides agree on staleness whenever the test runs
    const confirmed = Math.floor(Date.now() / 1000) * 1000 - HOUR + 123;
    const [refreshed] = mergeMapData(decodeMapFacilities(staticPart('v1', ['a'])), figures('v1', [4], { confirmed_at: [confirmed] }), new Date());
    const broadcast = applyChange(refreshed!, {
      facility_id: 'a',
      capacity: 10,
      free_places: 4,
      over_occupied: false,
      status: 'free',
      // the database's JSON for a timestamptz: microseconds and an offset
      last_confirmed_at: new Date(confirmed).toISOString().replace('Z', '456+00:00'),
      last_confirmed_role: 'facility_staff'
    });
    expect(broadcast.last_confirmed_at).toMatch(/\.123Z$/);
    expect(JSON.stringify(broadcast)).toBe(JSON.stringify(refreshed));
  });

  it('keeps null and an unreadable value as they are', () => {
    expect(normaliseInstant(null)).toBeNull();
    expect(normaliseInstant('not a time')).toBe('not a time');
    expect(normaliseInstant('2026-12-02T10:15:30+02:00')).toBe('2026-12-02T08:15:30.000Z');
  });
});

describe('map_availability answers', () => {
  it('are read in full, past the row cap a table answer would have', () => {
    const rows = availabilityRows(payload);
    expect(rows).toHaveLength(2500);
    expect(rows[1]).toMatchObject({ facility_id: 'f1', municipality_name_sv: 'Helsingfors', free_places: 1, last_confirmed_role: 'facility_staff' });
  });

  it('are refused without a field the map needs', () => {
    expect(() => availabilityRows({ ...payload, columns: COLUMNS.filter((column) => column !== 'free_places') })).toThrow('free_places');
    expect(() => availabilityRows({ ...payload, municipalities: [] })).toThrow('municipality');
    expect(() => availabilityRows(null)).toThrow('unknown shape');
  });
});
