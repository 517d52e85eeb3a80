// What the map and list know about a facility: one row of public.facility_availability(), or of
// public.map_availability() (the same figures for every facility in one JSON value), typed with
// the nulls the generated types leave out (a facility that never reported has no
// capacity and no confirmation). Positions are the municipality centre: the database never
// hands an exact point to this path.
// Relative imports, so the integration tests can decode map_availability() with this module.
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
    last_confirmed_at: change.last_confirmed_at,
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
 * What public.map_availability() returns: every facility as one array in the order of `columns`,
 * and the fields all facilities of a municipality share (names, region, approximate position)
 * once per municipality. One JSON value, so PostgREST's row cap (`db-max-rows`) never applies: a
 * silently truncated map would hide free places.
 */
export interface MapAvailabilityPayload {
  columns: string[];
  facilities: unknown[][];
  /** [code, name_fi, name_sv, region_code, centre_lon, centre_lat] */
  municipalities: [string, string, string, string, number, number][];
}

/** The facility fields map_availability() sends per facility; the rest come from its municipality. */
const FACILITY_FIELDS = [
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
  'active',
  'capacity',
  'free_places',
  'over_occupied',
  'is_stale',
  'status',
  'last_confirmed_at',
  'last_confirmed_role'
] as const satisfies readonly (keyof FacilityAvailability)[];

function isPayload(value: unknown): value is MapAvailabilityPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return Array.isArray(candidate.columns) && Array.isArray(candidate.facilities) && Array.isArray(candidate.municipalities);
}

/** The rows of a map_availability() answer, in its order (by name). */
export function availabilityRows(payload: unknown): FacilityAvailability[] {
  if (!isPayload(payload)) throw new Error('map_availability answered in an unknown shape');
  const missing = FACILITY_FIELDS.filter((field) => !payload.columns.includes(field));
  if (missing.length > 0) throw new Error(`map_availability did not send ${missing.join(', ')}`);
  const position = new Map(payload.columns.map((column, index) => [column, index]));
  const municipalities = new Map(payload.municipalities.map((row) => [row[0], row]));
  return payload.facilities.map((values) => {
    const row = Object.fromEntries(FACILITY_FIELDS.map((field) => [field, values[position.get(field)!]])) as Pick<
      FacilityAvailability,
      (typeof FACILITY_FIELDS)[number]
    >;
    const municipality = municipalities.get(row.municipality_code);
    if (!municipality) throw new Error(`map_availability sent no municipality ${row.municipality_code}`);
    const [, nameFi, nameSv, regionCode, lon, lat] = municipality;
    return {
      ...row,
      municipality_name_fi: nameFi,
      municipality_name_sv: nameSv,
      region_code: regionCode,
      approx_lon: lon,
      approx_lat: lat
    };
  });
}

/** Every facility the signed-in user may see, with its figures, in one request. */
export async function fetchAllAvailability(supabase: AvailabilityClient): Promise<FacilityAvailability[]> {
  const { data, error } = await supabase.rpc('map_availability');
  if (error) throw new Error(error.message);
  return availabilityRows(data);
}
