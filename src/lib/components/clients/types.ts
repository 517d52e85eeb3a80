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

/** What safe_place_search_results() returns: the suitable facilities in rank order, in full, and the others. */
export interface SearchResults {
  suitable: SearchRow[];
  excluded: ExcludedRow[];
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
