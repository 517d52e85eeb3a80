// What the facility staff's screens read, through the signed-in user's own client so that RLS
// decides: staff see their own facilities' placements and the clients in them, nothing else.
// Relative imports only, so the integration tests can call these with a real supabase-js client.
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Database } from '../../supabase/database.types';

type Client = SupabaseClient<Database>;
type AppRole = Database['public']['Enums']['app_role'];
type PlacementStatus = Database['public']['Enums']['placement_status'];
type Gender = Database['public']['Enums']['client_gender'];

export class StaffDataError extends Error {
  constructor(
    readonly what: string,
    readonly cause: unknown
  ) {
    super(`Reading ${what} failed`);
  }
}

export interface MyFacilitySummary {
  id: string;
  name: string;
  municipalityFi: string;
  municipalitySv: string;
  freePlaces: number;
  status: string;
  isStale: boolean;
}

/** The facilities the user is a member of, with their current free places. */
export async function listMyFacilities(supabase: Client, staffId: string): Promise<MyFacilitySummary[]> {
  const memberships = await supabase.from('facility_memberships').select('facility_id').eq('staff_id', staffId);
  if (memberships.error) throw new StaffDataError('memberships', memberships.error);
  const ids = memberships.data.map((row) => row.facility_id);
  if (ids.length === 0) return [];
  const availability = await supabase.rpc('facility_availability').in('facility_id', ids).order('name');
  if (availability.error) throw new StaffDataError('availability', availability.error);
  return availability.data.map((row) => ({
    id: row.facility_id,
    name: row.name,
    municipalityFi: row.municipality_name_fi,
    municipalitySv: row.municipality_name_sv,
    freePlaces: row.free_places,
    status: row.status,
    isStale: row.is_stale
  }));
}

export interface FacilityFigures {
  id: string;
  name: string;
  kind: Database['public']['Enums']['facility_kind'];
  municipalityFi: string;
  municipalitySv: string;
  securityRating: number;
  active: boolean;
  /** null when the facility has never reported its capacity */
  capacity: number | null;
  outOfService: number | null;
  outOfServiceReason: string | null;
  occupiedByOthers: number | null;
  /** persons in active placements here */
  occupied: number;
  /** persons in unexpired holds here */
  held: number;
  inTurnaround: number;
  freePlaces: number;
  overOccupied: boolean;
  isStale: boolean;
  status: string;
  lastConfirmedAt: string | null;
  lastConfirmedRole: AppRole | null;
  /** true when the latest report was made by the signed-in user */
  lastConfirmedByMe: boolean;
  lastReportKind: Database['public']['Enums']['capacity_report_kind'] | null;
}

export interface ChildInPlacement {
  birthYear: number;
  gender: Gender;
}

export interface PlacementAtFacility {
  id: string;
  status: PlacementStatus;
  persons: number;
  safetyLevel: number;
  plannedArrival: string;
  plannedEnd: string | null;
  holdExpiresAt: string | null;
  heldAt: string | null;
  arrivedAt: string | null;
  clientCode: string;
  clientGender: Gender | null;
  languages: string[];
  needsAccessibility: boolean;
  needsPets: boolean;
  needsOther: string;
  children: ChildInPlacement[];
}

export interface MyFacilityView {
  facility: FacilityFigures;
  /** holds waiting for this facility's answer, soonest deadline first */
  holds: PlacementAtFacility[];
  /** accepted holds: expected arrivals, soonest arrival first */
  arrivals: PlacementAtFacility[];
  /** active placements: the residents */
  residents: PlacementAtFacility[];
}

const PLACEMENT_COLUMNS = `id, status, persons, safety_level, planned_arrival, planned_end, hold_expires_at, held_at, arrived_at,
  client:clients(code, gender, languages, needs_accessibility, needs_pets, needs_other),
  placement_persons(child_id, child:client_children(birth_year, gender))`;

/**
 * One facility's figures and its open placements, or null when the user may not see it as a
 * member (RLS hides the membership row, so a guessed id looks the same as a missing one).
 */
export async function loadMyFacility(supabase: Client, staffId: string, facilityId: string, now: Date): Promise<MyFacilityView | null> {
  const membership = await supabase
    .from('facility_memberships')
    .select('facility_id')
    .eq('staff_id', staffId)
    .eq('facility_id', facilityId)
    .maybeSingle();
  if (membership.error) throw new StaffDataError('membership', membership.error);
  if (!membership.data) return null;

  const [availability, latestReport, placements] = await Promise.all([
    supabase.rpc('facility_availability').eq('facility_id', facilityId).maybeSingle(),
    supabase
      .from('capacity_reports')
      .select('kind, out_of_service_reason, reported_by')
      .eq('facility_id', facilityId)
      .order('reported_at', { ascending: false })
      .order('id', { ascending: false })
      .limit(1)
      .maybeSingle(),
    supabase
      .from('placements')
      .select(PLACEMENT_COLUMNS)
      .eq('facility_id', facilityId)
      .in('status', ['hold', 'accepted', 'active'])
  ]);
  if (availability.error) throw new StaffDataError('availability', availability.error);
  if (latestReport.error) throw new StaffDataError('the latest capacity report', latestReport.error);
  if (placements.error) throw new StaffDataError('placements', placements.error);
  const row = availability.data;
  if (!row) return null;

  const facility: FacilityFigures = {
    id: row.facility_id,
    name: row.name,
    kind: row.kind,
    municipalityFi: row.municipality_name_fi,
    municipalitySv: row.municipality_name_sv,
    securityRating: row.security_rating,
    active: row.active,
    capacity: row.capacity,
    outOfService: row.out_of_service,
    outOfServiceReason: latestReport.data?.out_of_service_reason ?? null,
    occupiedByOthers: row.occupied_by_others,
    occupied: row.occupied,
    held: row.held,
    inTurnaround: row.in_turnaround,
    freePlaces: row.free_places,
    overOccupied: row.over_occupied,
    isStale: row.is_stale,
    status: row.status,
    lastConfirmedAt: row.last_confirmed_at,
    lastConfirmedRole: row.last_confirmed_role,
    lastConfirmedByMe: latestReport.data?.reported_by === staffId,
    lastReportKind: latestReport.data?.kind ?? null
  };

  const all: PlacementAtFacility[] = placements.data.map((placement) => ({
    id: placement.id,
    status: placement.status,
    persons: placement.persons,
    safetyLevel: placement.safety_level,
    plannedArrival: placement.planned_arrival,
    plannedEnd: placement.planned_end,
    holdExpiresAt: placement.hold_expires_at,
    heldAt: placement.held_at,
    arrivedAt: placement.arrived_at,
    // RLS shows staff the clients of their open placements; a missing row reads as "unknown"
    clientCode: placement.client?.code ?? '',
    clientGender: placement.client?.gender ?? null,
    languages: placement.client?.languages ?? [],
    needsAccessibility: placement.client?.needs_accessibility ?? false,
    needsPets: placement.client?.needs_pets ?? false,
    needsOther: placement.client?.needs_other ?? '',
    children: placement.placement_persons
      .flatMap((person) => (person.child_id && person.child ? [{ birthYear: person.child.birth_year, gender: person.child.gender }] : []))
      .sort((a, b) => a.birthYear - b.birthYear)
  }));

  // A hold past its deadline no longer counts anywhere, whether or not expire_holds() has run.
  const open = (placement: PlacementAtFacility): boolean =>
    placement.holdExpiresAt !== null && new Date(placement.holdExpiresAt).getTime() > now.getTime();
  const byDeadline = (a: PlacementAtFacility, b: PlacementAtFacility): number =>
    (a.holdExpiresAt ?? '').localeCompare(b.holdExpiresAt ?? '');
  const byArrival = (a: PlacementAtFacility, b: PlacementAtFacility): number =>
    a.plannedArrival.localeCompare(b.plannedArrival) || byDeadline(a, b);

  return {
    facility,
    holds: all.filter((p) => p.status === 'hold' && open(p)).sort(byDeadline),
    arrivals: all.filter((p) => p.status === 'accepted' && open(p)).sort(byArrival),
    residents: all
      .filter((p) => p.status === 'active')
      .sort((a, b) => (a.arrivedAt ?? '').localeCompare(b.arrivedAt ?? '') || a.clientCode.localeCompare(b.clientCode))
  };
}
