// The statistics as tables: one definition serves the page (formatted for the reader) and the
// CSV export (plain values). Column labels come from the messages in the reader's language.
import { m } from '$lib/paraglide/messages';
import type { Database } from '$lib/supabase/database.types';

type Fn = Database['public']['Functions'];
export type FacilityKind = Database['public']['Enums']['facility_kind'];

export interface StatsData {
  weekly: Fn['stats_weekly']['Returns'];
  monthly: Fn['stats_placements_monthly']['Returns'];
  stay: Fn['stats_length_of_stay']['Returns'];
  holds: Fn['stats_hold_outcomes']['Returns'];
  unmet: Fn['stats_unmet_needs_monthly']['Returns'];
}

export const STATS_TABLE_IDS = ['occupancy', 'stale', 'placements', 'stay', 'holds', 'unmet'] as const;
export type StatsTableId = (typeof STATS_TABLE_IDS)[number];

export function isStatsTableId(value: string): value is StatsTableId {
  return (STATS_TABLE_IDS as readonly string[]).includes(value);
}

/** How a column's values are shown: the CSV keeps them plain. */
export type ColumnType = 'text' | 'integer' | 'share' | 'days' | 'week' | 'month';

export interface StatsColumn {
  label: string;
  type: ColumnType;
}

export type StatsValue = string | number | null;

export interface StatsTable {
  id: StatsTableId;
  title: string;
  columns: StatsColumn[];
  rows: StatsValue[][];
}

export const KIND_LABELS: Record<FacilityKind, () => string> = {
  reception_centre: m.admin_kind_reception_centre,
  shelter: m.admin_kind_shelter,
  supported_housing: m.admin_kind_supported_housing,
  private_housing: m.admin_kind_private_housing
};

export function levelLabel(level: number): string {
  const labels = [m.admin_level_1, m.admin_level_2, m.admin_level_3, m.admin_level_4];
  return labels[level - 1]?.() ?? String(level);
}

export function buildStatsTable(id: StatsTableId, data: StatsData, locale: 'fi' | 'sv' | 'en'): StatsTable {
  switch (id) {
    case 'occupancy':
      return {
        id,
        title: m.stats_occupancy_title(),
        columns: [
          { label: m.stats_col_week(), type: 'week' },
          { label: m.stats_col_usable_place_days(), type: 'integer' },
          { label: m.stats_col_occupied_place_days(), type: 'integer' },
          { label: m.stats_col_occupancy_rate(), type: 'share' }
        ],
        rows: data.weekly.map((w) => [w.week_start, w.usable_place_days, w.occupied_place_days, w.occupancy_rate])
      };
    case 'stale':
      return {
        id,
        title: m.stats_stale_title(),
        columns: [
          { label: m.stats_col_week(), type: 'week' },
          { label: m.stats_col_facility_days(), type: 'integer' },
          { label: m.stats_col_stale_facility_days(), type: 'integer' },
          { label: m.stats_col_stale_share(), type: 'share' }
        ],
        rows: data.weekly.map((w) => [w.week_start, w.facility_days, w.stale_facility_days, w.stale_share])
      };
    case 'placements':
      return {
        id,
        title: m.stats_placements_title(),
        columns: [
          { label: m.stats_col_month(), type: 'month' },
          { label: m.stats_col_started(), type: 'integer' },
          { label: m.stats_col_persons_started(), type: 'integer' },
          { label: m.stats_col_ended(), type: 'integer' },
          { label: m.stats_col_persons_ended(), type: 'integer' }
        ],
        rows: data.monthly.map((r) => [r.month, r.started, r.persons_started, r.ended, r.persons_ended])
      };
    case 'stay':
      return {
        id,
        title: m.stats_stay_title(),
        columns: [
          { label: m.stats_col_kind(), type: 'text' },
          { label: m.stats_col_placements(), type: 'integer' },
          { label: m.stats_col_median_days(), type: 'days' },
          { label: m.stats_col_p90_days(), type: 'days' }
        ],
        rows: data.stay.map((r) => [r.kind ? KIND_LABELS[r.kind]() : m.stats_all_kinds(), r.placements, r.median_days, r.p90_days])
      };
    case 'holds':
      return {
        id,
        title: m.stats_holds_title(),
        columns: [
          { label: m.stats_col_outcome(), type: 'text' },
          { label: m.stats_col_reason(), type: 'text' },
          { label: m.stats_col_holds(), type: 'integer' },
          { label: m.stats_col_persons(), type: 'integer' }
        ],
        rows: data.holds.map((r) => [
          r.outcome === 'declined' ? m.stats_outcome_declined() : m.stats_outcome_expired(),
          r.outcome === 'expired' ? m.stats_reason_deadline_passed() : (r.reason ?? m.stats_reason_none()),
          r.holds,
          r.persons
        ])
      };
    case 'unmet':
      return {
        id,
        title: m.stats_unmet_title(),
        columns: [
          { label: m.stats_col_month(), type: 'month' },
          { label: m.stats_col_level(), type: 'text' },
          { label: m.stats_col_region(), type: 'text' },
          { label: m.stats_col_needs(), type: 'integer' },
          { label: m.stats_col_persons(), type: 'integer' }
        ],
        rows: data.unmet.map((r) => [
          r.month,
          levelLabel(r.safety_level),
          r.region_code ? (locale === 'sv' ? r.region_name_sv : r.region_name_fi) : m.stats_region_unknown(),
          r.needs,
          r.persons
        ])
      };
  }
}
