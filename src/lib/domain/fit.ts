// Whether a client may be held or placed at a facility: the TypeScript mirror of
// private.fit_refusals in the database (supabase/migrations/…_placement_rules.sql).
//
// The database decides (it is the only place that knows exact positions and can lock); this copy
// lets a screen explain a refusal or pre-check a choice at once. tests/integration/fit-agreement
// keeps the two in agreement on generated cases, so change both together.
import { distanceKm, type LonLat } from './distance';

export type Gender = 'female' | 'male' | 'other';
export type GenderPolicy = 'women' | 'men' | 'any';

export interface FitClient {
  safetyLevel: number;
  gender: Gender;
}

export interface FitChild {
  birthYear: number;
  gender: Gender;
}

export interface FitFacility {
  active: boolean;
  securityRating: number;
  genderPolicy: GenderPolicy;
  takesChildren: boolean;
  /** Null with takesChildren: boys of any age. */
  boysMaxAge: number | null;
  municipalityCode: string;
  /** The position zones are measured from (the exact one where the database has it). */
  position: LonLat;
}

export type ExclusionZone =
  | { kind: 'point'; lon: number; lat: number; radiusKm: number }
  | { kind: 'municipality'; municipalityCode: string };

/** One reason a facility does not fit, with the numbers the message names (as the database's JSON). */
export type FitRefusal =
  | { code: 'facility_inactive' }
  | { code: 'rating_too_low'; rating: number; level: number }
  | { code: 'inside_exclusion_zone'; zone_kind: 'point' | 'municipality' }
  | { code: 'marked_unsuitable' }
  | { code: 'gender_policy'; policy: GenderPolicy; gender: Gender }
  | { code: 'no_children'; children: number }
  | { code: 'boy_too_old'; max_age: number; age: number };

export type FitRefusalCode = FitRefusal['code'];

export interface FitInput {
  client: FitClient;
  /** The children who would come along (not every child of the client). */
  children: readonly FitChild[];
  facility: FitFacility;
  zones: readonly ExclusionZone[];
  /** Marked unsuitable for this client (e.g. after a compromised location). */
  markedUnsuitable: boolean;
  /** Planned arrival, `yyyy-MM-dd`; a child's age is counted as arrival year - birth year. */
  arrival: string;
}

export function isInsideZone(zone: ExclusionZone, facility: Pick<FitFacility, 'municipalityCode' | 'position'>): boolean {
  return zone.kind === 'municipality'
    ? zone.municipalityCode === facility.municipalityCode
    : distanceKm({ lon: zone.lon, lat: zone.lat }, facility.position) <= zone.radiusKm;
}

function arrivalYear(arrival: string): number {
  const match = /^(\d{4})-\d{2}-\d{2}$/.exec(arrival);
  if (!match) throw new RangeError(`Not a date (yyyy-MM-dd): ${arrival}`);
  return Number(match[1]);
}

/** Every reason the facility does not fit, in the database's order; empty when it fits. */
export function fitRefusals(input: FitInput): FitRefusal[] {
  const { client, children, facility, zones } = input;
  const refusals: FitRefusal[] = [];

  if (!facility.active) refusals.push({ code: 'facility_inactive' });
  if (facility.securityRating < client.safetyLevel) {
    refusals.push({ code: 'rating_too_low', rating: facility.securityRating, level: client.safetyLevel });
  }
  const matching = zones.filter((zone) => isInsideZone(zone, facility));
  if (matching.length > 0) {
    // The database reports min(kind::text): 'municipality' sorts before 'point'.
    refusals.push({
      code: 'inside_exclusion_zone',
      zone_kind: matching.some((zone) => zone.kind === 'municipality') ? 'municipality' : 'point'
    });
  }
  if (input.markedUnsuitable) refusals.push({ code: 'marked_unsuitable' });
  if (
    (facility.genderPolicy === 'women' && client.gender !== 'female') ||
    (facility.genderPolicy === 'men' && client.gender !== 'male')
  ) {
    refusals.push({ code: 'gender_policy', policy: facility.genderPolicy, gender: client.gender });
  }
  if (!facility.takesChildren && children.length > 0) refusals.push({ code: 'no_children', children: children.length });
  if (facility.takesChildren && facility.boysMaxAge !== null) {
    const year = arrivalYear(input.arrival);
    const tooOld = children
      .filter((child) => child.gender === 'male')
      .map((child) => year - child.birthYear)
      .filter((age) => age > (facility.boysMaxAge as number));
    if (tooOld.length > 0) refusals.push({ code: 'boy_too_old', max_age: facility.boysMaxAge, age: Math.max(...tooOld) });
  }
  return refusals;
}

/** Places are checked apart from fit (they change by the minute); the search and holds add this. */
export function placesRefusal(free: number | null, requested: number): { code: 'not_enough_places'; free: number; requested: number } | null {
  return free === null || free < requested ? { code: 'not_enough_places', free: Math.max(free ?? 0, 0), requested } : null;
}
