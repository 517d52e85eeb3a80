import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import { helsinkiToday, periodPresets } from '$lib/server/admin/period';
import { loadStatsData, readStatsFilters, statsQuery, StatsUnavailable } from '$lib/server/admin/stats';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  await requireRole(locals, ['coordinator']);
  const today = helsinkiToday();
  const { filters, errors } = readStatsFilters(url.searchParams, today);

  const [regions, municipalities] = await Promise.all([
    locals.supabase.from('regions').select('code, name_fi, name_sv').order('code'),
    locals.supabase.from('municipalities').select('code, name_fi, name_sv, region_code').order('name_fi')
  ]);
  if (regions.error || municipalities.error) error(503, m.error_generic());

  let data = null;
  if (errors.length === 0) {
    try {
      data = await loadStatsData(locals.supabase, filters);
    } catch (failure) {
      if (!(failure instanceof StatsUnavailable)) throw failure;
      console.error('Reading the statistics failed', failure.message);
      error(503, m.stats_unavailable());
    }
  }

  return {
    filters,
    errors,
    data,
    query: statsQuery(filters),
    presets: periodPresets(today).map(({ key, period }) => ({ key, query: statsQuery(filters, period), ...period })),
    regions: regions.data,
    municipalities: municipalities.data
  };
};
