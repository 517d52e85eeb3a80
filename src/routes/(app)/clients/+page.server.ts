import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { isUuid } from '$lib/components/clients/forms';
import { HOUSING_STATES, RESPONSIBLE_PARTIES, type HousingState, type ResponsibleParty } from '$lib/components/clients/text';
import type { ClientListRow } from '$lib/components/clients/types';
import { ENDING_SOON_SHOWN, loadCaseworkers, loadEndingSoon } from './clients.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
/**
 * What the table shows. The rest of client_list's columns (gender, ids, ratings, deadlines)
 * would only travel through the API and be serialised into every page for nothing.
 */
const LIST_COLUMNS =
  'client_id, code, safety_level, children_count, housing_state, active_facility_name, active_municipality_name_fi, active_municipality_name_sv, active_since, active_planned_end, hold_placement_id, hold_status, hold_facility_name, caseworker_names, total_count';
type ListRow = Pick<
  ClientListRow,
  | 'client_id'
  | 'code'
  | 'safety_level'
  | 'children_count'
  | 'housing_state'
  | 'active_facility_name'
  | 'active_municipality_name_fi'
  | 'active_municipality_name_sv'
  | 'active_since'
  | 'active_planned_end'
  | 'hold_placement_id'
  | 'hold_status'
  | 'hold_facility_name'
  | 'caseworker_names'
>;

export interface ClientFilters {
  q: string;
  level: number | null;
  housing: HousingState | null;
  responsible: ResponsibleParty | null;
  caseworker: string | null;
  page: number;
}

/** Filters live in the URL, so a view can be shared and reloaded; anything unknown is ignored. */
function filtersFrom(params: URLSearchParams): ClientFilters {
  const level = Number(params.get('level'));
  const housing = params.get('housing') ?? '';
  const responsible = params.get('responsible') ?? '';
  const caseworker = params.get('caseworker') ?? '';
  const page = Number(params.get('page'));
  return {
    q: (params.get('q') ?? '').trim().slice(0, 20),
    level: Number.isInteger(level) && level >= 1 && level <= 4 ? level : null,
    housing: (HOUSING_STATES as readonly string[]).includes(housing) ? (housing as HousingState) : null,
    responsible: (RESPONSIBLE_PARTIES as readonly string[]).includes(responsible) ? (responsible as ResponsibleParty) : null,
    caseworker: isUuid(caseworker) ? caseworker : null,
    page: Number.isInteger(page) && page > 1 ? page : 1
  };
}

export const load: PageServerLoad = async ({ locals, url, parent }) => {
  // The layout lets coordinators only; wait for it so no one else's request reads anything.
  await parent();
  const filters = filtersFrom(url.searchParams);
  const [list, ending, caseworkers] = await Promise.all([
    locals.supabase.rpc('client_list', {
      search_code: filters.q || undefined,
      level_filter: filters.level ?? undefined,
      housing_filter: filters.housing ?? undefined,
      responsible_filter: filters.responsible ?? undefined,
      caseworker_filter: filters.caseworker ?? undefined,
      page_size: PAGE_SIZE,
      page_offset: (filters.page - 1) * PAGE_SIZE
    }).select(LIST_COLUMNS),
    // The nearest few and how many there are in all, not every one: /clients/ending-soon lists them.
    loadEndingSoon(locals.supabase, ENDING_SOON_SHOWN, 0),
    loadCaseworkers(locals.supabase)
  ]);
  if (list.error) {
    console.error('Reading the client list failed', list.error);
    error(503, m.error_generic());
  }
  const listed = (list.data ?? []) as (ListRow & { total_count: number | null })[];
  return {
    filters,
    rows: listed.map(({ total_count: _total, ...row }): ListRow => row),
    total: Number(listed[0]?.total_count ?? 0),
    pageSize: PAGE_SIZE,
    endingSoon: ending.rows,
    endingSoonTotal: ending.total,
    caseworkers,
    now: new Date().toISOString()
  };
};
