// What the map and list know about a facility: one row of public.facility_availability(), or of
// public.map_facilities() joined with public.map_figures() (the map's data: the static part once
// per page, the figures on every refresh), typed with the nulls the generated types leave out (a
// facility that never reported has no capacity and no confirmation). Positions are the
// municipality centre: the database never hands an exact point to this path.
// Relative imports, so the integration tests can decode the map's answers with this module.
import type { Database } from '../supabase/database.types';
import type { SupabaseClient } from '@supabase/supabase-js';
import { availabilityStatus, isStale, type AvailabilityStatus } from '../domain/availability';

type Enums = Database['public']['Enums'];
export type FacilityKind = Enums['facility_kind'];
export type GenderPolicy = Enums['gender_policy'];
export type AppRole = Enums['app_role'];

export const FACILITY_KINDS = ['reception_centre', 'shelter', 'supported_housing', 'private_housing'] as const satisfies readonly FacilityKind[];

export interface FacilityAvailability {
  facility_id: string;
  name: string;
  kind: FacilityKind;
  operator: string;
  municipality_code: string;
  municipality_name_fi: string;
  municipality_name_sv: string;
  region_code: string;
  approx_lon: number;
  approx_lat: number;
  security_rating: number;
  gender_policy: GenderPolicy;
  takes_children: boolean;
  boys_max_age: number | null;
  wheelchair_access: boolean;
  pets_allowed: boolean;
  staff_languages: string[];
  staffed_24h: boolean;
  active: boolean;
  capacity: number | null;
  free_places: number;
  over_occupied: boolean;
  is_stale: boolean;
  status: string;
  last_confirmed_at: string | null;
  last_confirmed_role: AppRole | null;
}

/** The columns a screen selects from facility_availability(): nothing the screens do not show or filter on. */
export const AVAILABILITY_COLUMNS =
  'facility_id, name, kind, operator, municipality_code, municipality_name_fi, municipality_name_sv, region_code, approx_lon, approx_lat, security_rating, gender_policy, takes_children, boys_max_age, wheelchair_access, pets_allowed, staff_languages, staffed_24h, active, capacity, free_places, over_occupied, is_stale, status, last_confirmed_at, last_confirmed_role';

/**
 * The counts the database broadcasts on the `availability` topic (private.availability_payload):
 * figures only, never a position or a client.
 */
export interface AvailabilityChange {
  facility_id: string;
  capacity: number | null;
  free_places: number;
  over_occupied: boolean;
  status: string;
  last_confirmed_at: string | null;
  last_confirmed_role: AppRole | null;
}

export function isAvailabilityChange(value: unknown): value is AvailabilityChange {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.facility_id === 'string' &&
    typeof candidate.free_places === 'number' &&
    typeof candidate.over_occupied === 'boolean' &&
    typeof candidate.status === 'string'
  );
}

/** A row with a broadcast's figures applied; everything else (name, position, policies) stays. */
export function applyChange(row: FacilityAvailability, change: AvailabilityChange): FacilityAvailability {
  return {
    ...row,
    capacity: change.capacity,
    free_places: change.free_places,
    over_occupied: change.over_occupied,
    status: change.status,
    last_confirmed_at: normaliseInstant(change.last_confirmed_at),
    last_confirmed_role: change.last_confirmed_role,
    is_stale: isStale(change.last_confirmed_at, new Date())
  };
}

/** The status to show now: the database's rule, re-evaluated as time passes (see availability.ts). */
export function currentStatus(row: FacilityAvailability, now: Date): AvailabilityStatus {
  return availabilityStatus(
    {
      active: row.active,
      capacity: row.capacity,
      freePlaces: row.free_places,
      overOccupied: row.over_occupied,
      lastConfirmedAt: row.last_confirmed_at
    },
    now
  );
}

export function municipalityName(row: Pick<FacilityAvailability, 'municipality_name_fi' | 'municipality_name_sv'>, locale: string): string {
  return locale === 'sv' ? row.municipality_name_sv : row.municipality_name_fi;
}

type AvailabilityClient = SupabaseClient<Database>;

/**
 * The same instant in the same words whichever way it arrived: the database's JSON
 * (`2026-12-02T08:00:00.123456+00:00`, as a broadcast carries it) and map_figures()' epoch
 * milliseconds both become `2026-12-02T08:00:00.123Z` (Date keeps milliseconds and truncates the
 * rest, as map_figures() does). LiveRows compares rows as JSON, so two spellings of one instant
 * would mark an unchanged facility as changed on every refresh.
 */
export function normaliseInstant(value: string | number | null): string | null {
  if (value === null) return null;
  const instant = new Date(value);
  // Never turn something unreadable into an exception in the live path; show it as it came.
  return Number.isNaN(instant.getTime()) ? String(value) : instant.toISOString();
}

/** A municipality as the compact answers send it: [code, name_fi, name_sv, region_code, centre_lon, centre_lat]. */
type MunicipalityTuple = [string, string, string, string, number, number];

/**
 * What public.map_availability() returns: every facility as one array in the order of `columns`,
 * and the fields all facilities of a municipality share (names, region, approximate position)
 * once per municipality. One JSON value, so PostgREST's row cap (`db-max-rows`) never applies: a
 * silently truncated map would hide free places.
 */
export interface MapAvailabilityPayload {
  columns: string[];
  facilities: unknown[][];
  municipalities: MunicipalityTuple[];
}

/** What public.map_facilities() returns: map_availability()'s shape without the figures, plus a version. */
export interface MapFacilitiesPayload extends MapAvailabilityPayload {
  version: string;
}

/**
 * What public.map_figures() returns: one array per figure, in map_facilities()' order (by id),
 * for the facilities of the same `version`. `free` is the raw figure (negative when
 * over-occupied), `confirmed_at` epoch milliseconds, `confirmed_role` an index into `roles`.
 */
export interface MapFiguresPayload {
  version: string;
  capacity: (number | null)[];
  free: number[];
  confirmed_at: (number | null)[];
  confirmed_role: (number | null)[];
  roles: string[];
}

/** The facility fields that change rarely: map_facilities() sends them, map_availability() too. */
const STATIC_FIELDS = [
  'facility_id',
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
  'active'
] as const satisfies readonly (keyof FacilityAvailability)[];

/** The facility fields map_availability() sends per facility; the rest come from its municipality. */
const FACILITY_FIELDS = [
  ...STATIC_FIELDS,
  'capacity',
  'free_places',
  'over_occupied',
  'is_stale',
  'status',
  'last_confirmed_at',
  'last_confirmed_role'
] as const satisfies readonly (keyof FacilityAvailability)[];

type MunicipalityFields = 'municipality_name_fi' | 'municipality_name_sv' | 'region_code' | 'approx_lon' | 'approx_lat';

/** A facility without its figures: one row of map_facilities(), with its municipality's fields. */
export type FacilityStatic = Pick<FacilityAvailability, (typeof STATIC_FIELDS)[number] | MunicipalityFields>;

function isCompactPayload(value: unknown): value is MapAvailabilityPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return Array.isArray(candidate.columns) && Array.isArray(candidate.facilities) && Array.isArray(candidate.municipalities);
}

/**
 * Rows of a compact answer (columns once, one array per facility, municipalities once), in its
 * order, as `Row`: `fields` (which must include municipality_code) plus the municipality's fields.
 */
function compactRows<Row extends FacilityStatic>(payload: MapAvailabilityPayload, fields: readonly (keyof Row)[], source: string): Row[] {
  const missing = fields.filter((field) => !payload.columns.includes(field as string));
  if (missing.length > 0) throw new Error(`${source} did not send ${missing.join(', ')}`);
  const position = new Map(payload.columns.map((column, index) => [column, index]));
  const municipalities = new Map(payload.municipalities.map((row) => [row[0], row]));
  return payload.facilities.map((values) => {
    const row = Object.fromEntries(fields.map((field) => [field, values[position.get(field as string)!]])) as Record<string, unknown>;
    const municipality = municipalities.get(row.municipality_code as string);
    if (!municipality) throw new Error(`${source} sent no municipality ${String(row.municipality_code)}`);
    const [, nameFi, nameSv, regionCode, lon, lat] = municipality;
    return {
      ...row,
      municipality_name_fi: nameFi,
      municipality_name_sv: nameSv,
      region_code: regionCode,
      approx_lon: lon,
      approx_lat: lat
    } as Row;
  });
}

/** The rows of a map_availability() answer, in its order (by name). */
export function availabilityRows(payload: unknown): FacilityAvailability[] {
  if (!isCompactPayload(payload)) throw new Error('map_availability answered in an unknown shape');
  return compactRows<FacilityAvailability>(payload, FACILITY_FIELDS, 'map_availability');
}

/** The static part of the map, decoded once and reused while its version holds. */
export interface MapFacilities {
  version: string;
  rows: FacilityStatic[];
}

/** Decodes a map_facilities() answer. */
export function decodeMapFacilities(payload: unknown): MapFacilities {
  if (!isCompactPayload(payload) || typeof (payload as Partial<MapFacilitiesPayload>).version !== 'string') {
    throw new Error('map_facilities answered in an unknown shape');
  }
  return { version: (payload as MapFacilitiesPayload).version, rows: compactRows<FacilityStatic>(payload, STATIC_FIELDS, 'map_facilities') };
}

const isNumberOrNull = (value: unknown): value is number | null => value === null || typeof value === 'number';

/** Checks a map_figures() answer: every column present, of one length, role indexes inside `roles`. */
export function decodeMapFigures(payload: unknown): MapFiguresPayload {
  const unknownShape = new Error('map_figures answered in an unknown shape');
  if (typeof payload !== 'object' || payload === null) throw unknownShape;
  const candidate = payload as Record<string, unknown>;
  const { version, capacity, free, confirmed_at: confirmedAt, confirmed_role: confirmedRole, roles } = candidate;
  if (typeof version !== 'string' || !Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) throw unknownShape;
  const columns = [capacity, free, confirmedAt, confirmedRole];
  if (!columns.every(Array.isArray)) throw unknownShape;
  const length = (capacity as unknown[]).length;
  if (!columns.every((column) => (column as unknown[]).length === length)) throw new Error('map_figures sent columns of different lengths');
  if (
    !(capacity as unknown[]).every(isNumberOrNull) ||
    !(free as unknown[]).every((value) => typeof value === 'number') ||
    !(confirmedAt as unknown[]).every(isNumberOrNull) ||
    !(confirmedRole as unknown[]).every((value) => value === null || (Number.isInteger(value) && (value as number) >= 0 && (value as number) < roles.length))
  ) {
    throw unknownShape;
  }
  return payload as MapFiguresPayload;
}

/**
 * Every facility with its figures: the static rows and the figures of the same version, joined
 * by position (both answers are in id order). Status and staleness follow the database's rule
 * (src/lib/domain/availability.ts), evaluated at `now`.
 */
export function mergeMapData(facilities: MapFacilities, figures: MapFiguresPayload, now: Date): FacilityAvailability[] {
  if (facilities.version !== figures.version) throw new Error('map_facilities and map_figures describe different facilities');
  if (figures.free.length !== facilities.rows.length) {
    throw new Error(`map_figures sent ${figures.free.length} facilities, map_facilities ${facilities.rows.length}`);
  }
  return facilities.rows.map((row, index) => {
    const capacity = figures.capacity[index]!;
    const free = figures.free[index]!;
    const confirmedAt = figures.confirmed_at[index]!;
    const role = figures.confirmed_role[index]!;
    const lastConfirmedAt = normaliseInstant(confirmedAt);
    const freePlaces = Math.max(0, free);
    const overOccupied = free < 0;
    return {
      ...row,
      capacity,
      free_places: freePlaces,
      over_occupied: overOccupied,
      is_stale: isStale(lastConfirmedAt, now),
      status: availabilityStatus({ active: row.active, capacity, freePlaces, overOccupied, lastConfirmedAt }, now),
      last_confirmed_at: lastConfirmedAt,
      last_confirmed_role: role === null ? null : (figures.roles[role] as AppRole)
    };
  });
}

/** Version mismatches tolerated in one load before giving up (each costs one more request). */
const MAX_VERSION_RETRIES = 4;

async function fetchMapFacilities(supabase: AvailabilityClient): Promise<MapFacilities> {
  const { data, error } = await supabase.rpc('map_facilities');
  if (error) throw new Error(error.message);
  return decodeMapFacilities(data);
}

async function fetchMapFigures(supabase: AvailabilityClient): Promise<MapFiguresPayload> {
  const { data, error } = await supabase.rpc('map_figures');
  if (error) throw new Error(error.message);
  return decodeMapFigures(data);
}

/**
 * Loads every facility the signed-in user may see, with its figures. The first call fetches the
 * static part (map_facilities) and the figures (map_figures) in parallel; later calls fetch the
 * figures only (~10 % of the bytes) and reuse the static part while the versions match. A
 * different version means a facility was added, removed or edited: the static part is fetched
 * again, then the figures if they are now the older of the two. The cache lives as long as the
 * returned function (one page's live rows), in memory only.
 */
export function createAvailabilityLoader(supabase: AvailabilityClient): () => Promise<FacilityAvailability[]> {
  let cached: MapFacilities | null = null;
  return async () => {
    let [facilities, figures] = await Promise.all([cached ?? fetchMapFacilities(supabase), fetchMapFigures(supabase)]);
    cached = facilities;
    for (let retry = 0; facilities.version !== figures.version; retry++) {
      // Writes kept landing between the two requests: fail like any other failed load (the page
      // says so and keeps what it shows) rather than loop.
      if (retry >= MAX_VERSION_RETRIES) throw new Error('the facilities kept changing while the map loaded them');
      // Figures newer than the static part is the usual case (a cached static part, an edit since);
      // the other way round only when an edit fell between the two parallel requests.
      if (retry % 2 === 0) cached = facilities = await fetchMapFacilities(supabase);
      else figures = await fetchMapFigures(supabase);
    }
    return mergeMapData(facilities, figures, new Date());
  };
}
