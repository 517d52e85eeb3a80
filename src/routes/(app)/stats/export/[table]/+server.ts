// CSV of one statistics table, for the same period and filters as the page (its query string).
import { error } from '@sveltejs/kit';
import { buildStatsTable, isStatsTableId } from '$lib/components/stats/tables';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { csvHeaders, toCsv } from '$lib/server/admin/csv';
import { requireRole } from '$lib/server/admin/guard';
import { helsinkiToday } from '$lib/server/admin/period';
import { loadStatsData, readStatsFilters, StatsUnavailable } from '$lib/server/admin/stats';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, url }) => {
  await requireRole(locals, ['coordinator']);
  if (!isStatsTableId(params.table)) error(404, m.error_not_found());
  const { filters, errors } = readStatsFilters(url.searchParams, helsinkiToday());
  if (errors.length > 0) error(400, m.stats_period_invalid());

  let data;
  try {
    data = await loadStatsData(locals.supabase, filters);
  } catch (failure) {
    if (!(failure instanceof StatsUnavailable)) throw failure;
    console.error('Reading the statistics for CSV failed', failure.message);
    error(503, m.stats_unavailable());
  }
  const table = buildStatsTable(params.table, data, getLocale());
  return new Response(toCsv(table.columns.map((column) => column.label), table.rows), {
    headers: csvHeaders(`suoja-${params.table}-${filters.from}-${filters.to}.csv`)
  });
};
