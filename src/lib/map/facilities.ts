// What the map and list know about a facility: one row of public.facility_availability(),
// typed with the nulls the generated types leave out (a facility that never reported has no
// capacity and no confirmation). Positions are the municipality centre: the database never
// hands an exact point to this path.
import type { Database } from '$lib/supabase/database.types';
import type { SupabaseClient } from '@supabase/supabase-js';
import { availabilityStatus, isStale, type AvailabilityStatus } from '$lib/domain/availability';

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

/** Only these columns travel to the page: nothing the screens do not show or filter on. */
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

/**
 * Rows PostgREST returns at most per request (`db-max-rows`, Supabase's `max_rows`, 1000 by
 * default). A country-wide list can be longer, so every facility is read page by page: a silently
 * truncated map would hide free places.
 */
export const AVAILABILITY_PAGE_SIZE = 1000;

type AvailabilityClient = SupabaseClient<Database>;

/** Every facility the signed-in user may see, with its figures, read in pages of AVAILABILITY_PAGE_SIZE. */
export async function fetchAllAvailability(supabase: AvailabilityClient): Promise<FacilityAvailability[]> {
  const rows: FacilityAvailability[] = [];
  for (let from = 0; ; from += AVAILABILITY_PAGE_SIZE) {
    const { data, error } = await supabase
      .rpc('facility_availability')
      .select(AVAILABILITY_COLUMNS)
      .order('facility_id')
      .range(from, from + AVAILABILITY_PAGE_SIZE - 1);
    if (error) throw new Error(error.message);
    const page = data as unknown as FacilityAvailability[];
    rows.push(...page);
    if (page.length < AVAILABILITY_PAGE_SIZE) return rows;
  }
}
