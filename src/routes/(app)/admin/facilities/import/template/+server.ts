// The CSV template for importing facilities: the columns in order and one fictional example.
import { csvHeaders, toCsv } from '$lib/server/admin/csv';
import { requireRole } from '$lib/server/admin/guard';
import { FACILITY_COLUMNS, TEMPLATE_EXAMPLE } from '$lib/server/admin/facility-input';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
  await requireRole(locals, ['admin']);
  return new Response(toCsv(FACILITY_COLUMNS, [FACILITY_COLUMNS.map((column) => TEMPLATE_EXAMPLE[column])]), {
    headers: csvHeaders('suoja-facilities-template.csv')
  });
};
