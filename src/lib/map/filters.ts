// The map's and list's filters, sort order and selection, kept in the URL's search params so a
// view can be shared and reloaded. One parser and one predicate serve the map and the list, so
// the two always show exactly the same facilities.
import { FACILITY_KINDS, currentStatus, type FacilityAvailability, type FacilityKind } from './facilities';

export const SORT_ORDERS = ['free', 'fresh', 'name'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export type GenderFilter = 'women' | 'men';

export interface MapFilters {
  kinds: FacilityKind[];
  /** Security rating at least this (1-4), or null for any. */
  minRating: number | null;
  /** Free places at least this, or null for any. */
  minFree: number | null;
  takesChildren: boolean;
  /** With takesChildren: boys up to this age must be accepted. */
  boysAge: number | null;
  /** Accepts this gender (a facility for "any" accepts both). */
  gender: GenderFilter | null;
  wheelchair: boolean;
  pets: boolean;
  /** A language the staff speak (ISO 639-1 code as the facilities list them). */
  language: string | null;
  region: string | null;
  municipality: string | null;
  showStale: boolean;
}

export interface MapView {
  filters: MapFilters;
  sort: SortOrder;
  selected: string | null;
}

export const DEFAULT_FILTERS: MapFilters = {
  kinds: [],
  minRating: null,
  minFree: null,
  takesChildren: false,
  boysAge: null,
  gender: null,
  wheelchair: false,
  pets: false,
  language: null,
  region: null,
  municipality: null,
  showStale: true
};

export const DEFAULT_SORT: SortOrder = 'free';

/** Names of the search params; the filter form's fields use the same names. */
export const PARAM = {
  kind: 'kind',
  minRating: 'rating',
  minFree: 'free',
  takesChildren: 'children',
  boysAge: 'boys',
  gender: 'gender',
  wheelchair: 'wheelchair',
  pets: 'pets',
  language: 'lang',
  region: 'region',
  municipality: 'municipality',
  showStale: 'stale',
  sort: 'sort',
  selected: 'selected'
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function integerIn(raw: string | null, min: number, max: number): number | null {
  if (raw === null || !/^\d{1,5}$/.test(raw.trim())) return null;
  const value = Number(raw.trim());
  return value >= min && value <= max ? value : null;
}

function flag(params: URLSearchParams, name: string): boolean {
  return params.getAll(name).includes('1');
}

/** Reads a view from the URL; anything malformed is ignored rather than refused (links get edited by hand). */
export function parseMapView(params: URLSearchParams): MapView {
  const kinds = FACILITY_KINDS.filter((kind) => params.getAll(PARAM.kind).includes(kind));
  const gender = params.get(PARAM.gender);
  const language = params.get(PARAM.language)?.trim().toLowerCase() ?? '';
  const region = params.get(PARAM.region) ?? '';
  const municipality = params.get(PARAM.municipality) ?? '';
  const stale = params.getAll(PARAM.showStale);
  const sort = params.get(PARAM.sort);
  const selected = params.get(PARAM.selected)?.toLowerCase() ?? '';
  const takesChildren = flag(params, PARAM.takesChildren);
  return {
    filters: {
      kinds,
      minRating: integerIn(params.get(PARAM.minRating), 1, 4),
      minFree: integerIn(params.get(PARAM.minFree), 0, 10000),
      takesChildren,
      boysAge: takesChildren ? integerIn(params.get(PARAM.boysAge), 0, 17) : null,
      gender: gender === 'women' || gender === 'men' ? gender : null,
      wheelchair: flag(params, PARAM.wheelchair),
      pets: flag(params, PARAM.pets),
      language: /^[a-z]{2,3}$/.test(language) ? language : null,
      region: /^\d{2}$/.test(region) ? region : null,
      municipality: /^\d{3}$/.test(municipality) ? municipality : null,
      // The form sends a hidden "0" and, when ticked, a "1": ticked wins, untouched means shown.
      showStale: stale.includes('1') || !stale.includes('0')
    },
    sort: (SORT_ORDERS as readonly string[]).includes(sort ?? '') ? (sort as SortOrder) : DEFAULT_SORT,
    selected: UUID.test(selected) ? selected : null
  };
}

/** The shortest URL for a view: defaults are left out, the order is fixed. */
export function mapViewParams(view: MapView): URLSearchParams {
  const params = new URLSearchParams();
  const { filters } = view;
  for (const kind of FACILITY_KINDS) if (filters.kinds.includes(kind)) params.append(PARAM.kind, kind);
  if (filters.minRating !== null) params.set(PARAM.minRating, String(filters.minRating));
  if (filters.minFree !== null) params.set(PARAM.minFree, String(filters.minFree));
  if (filters.takesChildren) {
    params.set(PARAM.takesChildren, '1');
    if (filters.boysAge !== null) params.set(PARAM.boysAge, String(filters.boysAge));
  }
  if (filters.gender !== null) params.set(PARAM.gender, filters.gender);
  if (filters.wheelchair) params.set(PARAM.wheelchair, '1');
  if (filters.pets) params.set(PARAM.pets, '1');
  if (filters.language !== null) params.set(PARAM.language, filters.language);
  if (filters.region !== null) params.set(PARAM.region, filters.region);
  if (filters.municipality !== null) params.set(PARAM.municipality, filters.municipality);
  if (!filters.showStale) params.set(PARAM.showStale, '0');
  if (view.sort !== DEFAULT_SORT) params.set(PARAM.sort, view.sort);
  if (view.selected !== null) params.set(PARAM.selected, view.selected);
  return params;
}

export function countActiveFilters(filters: MapFilters): number {
  let count = filters.kinds.length > 0 ? 1 : 0;
  if (filters.minRating !== null) count++;
  if (filters.minFree !== null) count++;
  if (filters.takesChildren) count++;
  if (filters.gender !== null) count++;
  if (filters.wheelchair) count++;
  if (filters.pets) count++;
  if (filters.language !== null) count++;
  if (filters.region !== null) count++;
  if (filters.municipality !== null) count++;
  if (!filters.showStale) count++;
  return count;
}

export function matchesFilters(row: FacilityAvailability, filters: MapFilters, now: Date): boolean {
  if (filters.kinds.length > 0 && !filters.kinds.includes(row.kind)) return false;
  if (filters.minRating !== null && row.security_rating < filters.minRating) return false;
  if (filters.minFree !== null && row.free_places < filters.minFree) return false;
  if (filters.takesChildren) {
    if (!row.takes_children) return false;
    // Null boys_max_age with children taken means boys of any age.
    if (filters.boysAge !== null && row.boys_max_age !== null && row.boys_max_age < filters.boysAge) return false;
  }
  if (filters.gender !== null && row.gender_policy !== 'any' && row.gender_policy !== filters.gender) return false;
  if (filters.wheelchair && !row.wheelchair_access) return false;
  if (filters.pets && !row.pets_allowed) return false;
  if (filters.language !== null && !row.staff_languages.includes(filters.language)) return false;
  if (filters.region !== null && row.region_code !== filters.region) return false;
  if (filters.municipality !== null && row.municipality_code !== filters.municipality) return false;
  if (!filters.showStale && currentStatus(row, now) === 'stale') return false;
  return true;
}

function confirmedTime(row: FacilityAvailability): number {
  return row.last_confirmed_at === null ? Number.NEGATIVE_INFINITY : new Date(row.last_confirmed_at).getTime();
}

/** free: most free places first; fresh: most recently confirmed first; name: alphabetical. Ties by name. */
export function sortFacilities(rows: readonly FacilityAvailability[], order: SortOrder, locale: string): FacilityAvailability[] {
  const collator = new Intl.Collator(locale === 'en' ? 'en' : `${locale}-FI`, { sensitivity: 'base', numeric: true });
  const byName = (a: FacilityAvailability, b: FacilityAvailability): number => collator.compare(a.name, b.name) || a.facility_id.localeCompare(b.facility_id);
  const compare: Record<SortOrder, (a: FacilityAvailability, b: FacilityAvailability) => number> = {
    free: (a, b) => b.free_places - a.free_places || byName(a, b),
    fresh: (a, b) => confirmedTime(b) - confirmedTime(a) || byName(a, b),
    name: byName
  };
  return [...rows].sort(compare[order]);
}

export function applyView(rows: readonly FacilityAvailability[], view: MapView, now: Date, locale: string): FacilityAvailability[] {
  return sortFacilities(
    rows.filter((row) => matchesFilters(row, view.filters, now)),
    view.sort,
    locale
  );
}
