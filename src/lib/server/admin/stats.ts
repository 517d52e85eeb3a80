// Reading the statistics filters from the URL and the aggregates from the database, through the
// signed-in user's own client (the SQL functions refuse anyone but coordinators).
import type { SupabaseClient } from '@supabase/supabase-js';
import type { FacilityKind, StatsData } from '$lib/components/stats/tables';
import type { Database } from '$lib/supabase/database.types';
import { readPeriod, type Period, type PeriodError } from './period';

export interface StatsFilters extends Period {
  kind: FacilityKind | null;
  region: string | null;
  municipality: string | null;
}

const KINDS: readonly FacilityKind[] = ['reception_centre', 'shelter', 'supported_housing', 'private_housing'];

export function readStatsFilters(params: URLSearchParams, today: string): { filters: StatsFilters; errors: PeriodError[] } {
  const { period, errors } = readPeriod(params, today);
  const kind = params.get('kind');
  const region = params.get('region');
  const municipality = params.get('municipality');
  return {
    filters: {
      ...period,
      kind: kind && (KINDS as readonly string[]).includes(kind) ? (kind as FacilityKind) : null,
      region: region && /^\d{2}$/.test(region) ? region : null,
      municipality: municipality && /^\d{3}$/.test(municipality) ? municipality : null
    },
    errors
  };
}

/** The filters as a query string, for CSV links and preset periods. */
export function statsQuery(filters: StatsFilters, override: Partial<Period> = {}): string {
  const params = new URLSearchParams({ from: override.from ?? filters.from, to: override.to ?? filters.to });
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.region) params.set('region', filters.region);
  if (filters.municipality) params.set('municipality', filters.municipality);
  return params.toString();
}

export class StatsUnavailable extends Error {}

export async function loadStatsData(supabase: SupabaseClient<Database>, filters: StatsFilters): Promise<StatsData> {
  const base = {
    period_start: filters.from,
    period_end: filters.to,
    ...(filters.region ? { region: filters.region } : {}),
    ...(filters.municipality ? { municipality: filters.municipality } : {})
  };
  const withKind = { ...base, ...(filters.kind ? { facility_kind: filters.kind } : {}) };
  const [weekly, monthly, stay, holds, unmet] = await Promise.all([
    supabase.rpc('stats_weekly', withKind),
    supabase.rpc('stats_placements_monthly', withKind),
    supabase.rpc('stats_length_of_stay', withKind),
    supabase.rpc('stats_hold_outcomes', withKind),
    supabase.rpc('stats_unmet_needs_monthly', base)
  ]);
  const failed = [weekly, monthly, stay, holds, unmet].find((result) => result.error);
  if (failed?.error) throw new StatsUnavailable(failed.error.message);
  return {
    weekly: weekly.data ?? [],
    monthly: monthly.data ?? [],
    stay: stay.data ?? [],
    holds: holds.data ?? [],
    unmet: unmet.data ?? []
  };
}
