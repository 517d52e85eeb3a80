import type { Database } from '$lib/supabase/database.types';

type Functions = Database['public']['Functions'];
// RETURNS TABLE columns come out of the type generator as non-null; many are null in practice.
type Nullable<T> = { [K in keyof T]: T[K] | null };

export type TimelineEntry = Nullable<Functions['client_timeline']['Returns'][number]>;
export type ClientListRow = Nullable<Functions['client_list']['Returns'][number]>;
export type SearchRow = Nullable<Functions['safe_place_search']['Returns'][number]>;

/** A facility the search left out, with every reason; its municipality's names and position come from the municipality list. */
export interface ExcludedRow {
  facility_id: string;
  name: string;
  municipality_code: string;
  is_stale: boolean;
  refusal_details: SearchRow['refusal_details'];
}

/** A facility looked up by name or id, with its verdict: its rank when suitable, else every reason. */
export interface FoundRow extends ExcludedRow {
  suitable: boolean;
  rank: number | null;
}

/**
 * What safe_place_search_page() returns: every facility judged, the best suitable ones in full
 * (rank order), the left-out ones counted per reason (a facility counts under each of its
 * reasons), one reason's page of them, the facilities found by name (at most 20; `found_more`
 * when more match) and the focused one (the facility that declined the last hold).
 */
export interface SearchPage {
  suitable_count: number;
  excluded_count: number;
  suitable: SearchRow[];
  reasons: { code: string; count: number }[];
  excluded: ExcludedRow[];
  found: FoundRow[];
  found_more: boolean;
  focus: FoundRow | null;
}

/** What the client's map draws; each is also listed in words beside the map. */
export interface MapZone {
  kind: 'point' | 'municipality';
  lon: number;
  lat: number;
  radiusKm: number | null;
  label: string;
}

export interface MapFacility {
  id: string;
  lon: number;
  lat: number;
  label: string;
  suitable: boolean;
}
