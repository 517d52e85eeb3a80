import { describe, expect, it } from 'vitest';
import type { FacilityAvailability } from './facilities';
import { DEFAULT_FILTERS, applyView, mapViewParams, matchesFilters, parseMapView, type MapView } from './filters';

const now = new Date('2026-11-27T12:00:00Z');
const recently = new Date(now.getTime() - 3_600_000).toISOString();

function facility(overrides: Partial<FacilityAvailability>): FacilityAvailability {
  return {
    facility_id: '00000000-0000-4000-8000-000000000001',
    name: 'Turvakoti A',
    kind: 'shelter',
    operator: 'Demo ry',
    municipality_code: '091',
    municipality_name_fi: 'Helsinki',
    municipality_name_sv: 'Helsingfors',
    region_code: '01',
    approx_lon: 24.9,
    approx_lat: 60.2,
    security_rating: 3,
    gender_policy: 'women',
    takes_children: true,
    boys_max_age: 12,
    wheelchair_access: false,
    pets_allowed: false,
    staff_languages: ['fi', 'en'],
    staffed_24h: true,
    active: true,
    capacity: 10,
    free_places: 4,
    over_occupied: false,
    is_stale: false,
    status: 'free',
    last_confirmed_at: recently,
    ...overrides,
    last_confirmed_role: overrides.last_confirmed_role ?? 'facility_staff'
  };
}

describe('the view in the URL', () => {
  it('round-trips every filter, the sort order and the selection', () => {
    const view: MapView = {
      filters: {
        kinds: ['shelter', 'supported_housing'],
        minRating: 3,
        minFree: 2,
        takesChildren: true,
        boysAge: 12,
        gender: 'women',
        wheelchair: true,
        pets: true,
        language: 'ru',
        region: '01',
        municipality: '091',
        showStale: false
      },
      sort: 'fresh',
      selected: 'f0000000-0000-4000-8000-000000000003'
    };
    const params = mapViewParams(view);
    expect(params.toString()).toBe(
      'kind=shelter&kind=supported_housing&rating=3&free=2&children=1&boys=12&gender=women&wheelchair=1&pets=1&lang=ru&region=01&municipality=091&stale=0&sort=fresh&selected=f0000000-0000-4000-8000-000000000003'
    );
    expect(parseMapView(params)).toEqual(view);
  });

  it('leaves defaults out, so the plain map has a plain URL', () => {
    expect(mapViewParams({ filters: DEFAULT_FILTERS, sort: 'free', selected: null }).toString()).toBe('');
    expect(parseMapView(new URLSearchParams())).toEqual({ filters: DEFAULT_FILTERS, sort: 'free', selected: null });
  });

  it('reads the filter form as a browser submits it (hidden 0 plus ticked 1 for "show stale")', () => {
    expect(parseMapView(new URLSearchParams('stale=0&stale=1')).filters.showStale).toBe(true);
    expect(parseMapView(new URLSearchParams('stale=0')).filters.showStale).toBe(false);
    expect(parseMapView(new URLSearchParams('rating=&free=&lang=&region=')).filters).toEqual(DEFAULT_FILTERS);
  });

  it('ignores malformed values instead of failing', () => {
    const view = parseMapView(
      new URLSearchParams('kind=castle&rating=9&free=-1&boys=40&children=1&gender=x&lang=<script>&region=1&municipality=abc&sort=evil&selected=1%27;drop')
    );
    expect(view).toEqual({ filters: { ...DEFAULT_FILTERS, takesChildren: true }, sort: 'free', selected: null });
  });

  it('drops the boys age when children are not asked for', () => {
    expect(parseMapView(new URLSearchParams('boys=10')).filters.boysAge).toBeNull();
  });
});

describe('matchesFilters', () => {
  const base = { ...DEFAULT_FILTERS };

  it('filters on kind, rating, free places, wheelchair, pets, language and area', () => {
    const row = facility({});
    expect(matchesFilters(row, base, now)).toBe(true);
    expect(matchesFilters(row, { ...base, kinds: ['reception_centre'] }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, minRating: 3 }, now)).toBe(true);
    expect(matchesFilters(row, { ...base, minRating: 4 }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, minFree: 4 }, now)).toBe(true);
    expect(matchesFilters(row, { ...base, minFree: 5 }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, wheelchair: true }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, pets: true }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, language: 'en' }, now)).toBe(true);
    expect(matchesFilters(row, { ...base, language: 'ru' }, now)).toBe(false);
    expect(matchesFilters(row, { ...base, region: '01', municipality: '091' }, now)).toBe(true);
    expect(matchesFilters(row, { ...base, municipality: '049' }, now)).toBe(false);
  });

  it('reads gender policy as who is accepted: a mixed facility takes both', () => {
    expect(matchesFilters(facility({ gender_policy: 'women' }), { ...base, gender: 'men' }, now)).toBe(false);
    expect(matchesFilters(facility({ gender_policy: 'any' }), { ...base, gender: 'men' }, now)).toBe(true);
    expect(matchesFilters(facility({ gender_policy: 'men' }), { ...base, gender: 'men' }, now)).toBe(true);
  });

  it('checks the age limit for boys, where no limit means boys of any age', () => {
    const withChildren = { ...base, takesChildren: true, boysAge: 13 };
    expect(matchesFilters(facility({ boys_max_age: 12 }), withChildren, now)).toBe(false);
    expect(matchesFilters(facility({ boys_max_age: 14 }), withChildren, now)).toBe(true);
    expect(matchesFilters(facility({ boys_max_age: null }), withChildren, now)).toBe(true);
    expect(matchesFilters(facility({ takes_children: false, boys_max_age: null }), { ...base, takesChildren: true }, now)).toBe(false);
  });

  it('hides stale figures only when asked, judging staleness now rather than at load time', () => {
    const old = facility({ last_confirmed_at: new Date(now.getTime() - 25 * 3_600_000).toISOString(), status: 'free', is_stale: false });
    expect(matchesFilters(old, base, now)).toBe(true);
    expect(matchesFilters(old, { ...base, showStale: false }, now)).toBe(false);
    expect(matchesFilters(facility({}), { ...base, showStale: false }, now)).toBe(true);
  });
});

describe('applyView', () => {
  const rows = [
    facility({ facility_id: 'a', name: 'Ö-koti', free_places: 2, last_confirmed_at: new Date(now.getTime() - 7_200_000).toISOString() }),
    facility({ facility_id: 'b', name: 'Aalto', free_places: 9, last_confirmed_at: null, capacity: null }),
    facility({ facility_id: 'c', name: 'Kaisla', free_places: 2, last_confirmed_at: recently }),
    facility({ facility_id: 'd', name: 'Lumme', free_places: 0, kind: 'supported_housing' })
  ];

  it('sorts by free places (ties by name), freshness (never-confirmed last) or name (Finnish alphabet)', () => {
    const ids = (sort: MapView['sort']): string[] =>
      applyView(rows, { filters: DEFAULT_FILTERS, sort, selected: null }, now, 'fi').map((row) => row.facility_id);
    expect(ids('free')).toEqual(['b', 'c', 'a', 'd']);
    expect(ids('fresh')).toEqual(['c', 'd', 'a', 'b']);
    expect(ids('name')).toEqual(['b', 'c', 'd', 'a']);
  });

  it('applies the filters before sorting', () => {
    const view: MapView = { filters: { ...DEFAULT_FILTERS, kinds: ['shelter'], minFree: 1 }, sort: 'name', selected: null };
    expect(applyView(rows, view, now, 'en').map((row) => row.facility_id)).toEqual(['b', 'c', 'a']);
  });
});
