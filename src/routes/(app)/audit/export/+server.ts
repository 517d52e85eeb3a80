// The audit trail as CSV, with the page's filters (its query string); at most 10 000 rows, newest first.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { AUDIT_EXPORT_LIMIT, auditDirectory, readAudit, readAuditFilters } from '$lib/server/admin/audit';
import { csvHeaders, toCsv } from '$lib/server/admin/csv';
import { requireRole } from '$lib/server/admin/guard';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  await requireRole(locals, ['auditor']);
  const filters = readAuditFilters(url.searchParams);
  let audit;
  let directory;
  try {
    [audit, directory] = await Promise.all([
      readAudit(locals.supabase, filters, { offset: 0, limit: AUDIT_EXPORT_LIMIT }),
      auditDirectory(locals.supabase)
    ]);
  } catch (failure) {
    console.error('Exporting the audit trail failed', failure);
    error(503, m.error_generic());
  }
  const names = new Map(directory.staff.map((s) => [s.id, s.display_name]));
  const facilities = new Map(directory.facilities.map((f) => [f.id, f.name]));
  const header = [
    m.audit_col_time(), m.audit_col_actor(), m.audit_col_role(), m.audit_col_action(), m.audit_col_table(), m.audit_col_row(),
    m.audit_col_facility(), m.audit_col_client(), m.audit_col_changed(), m.audit_col_reason(), 'old_data', 'new_data'
  ];
  const rows = audit.rows.map((row) => [
    row.occurred_at,
    row.actor_id ? (names.get(row.actor_id) ?? row.actor_id) : m.audit_actor_system(),
    row.actor_role,
    row.action,
    row.table_name,
    row.row_id,
    row.facility_id ? (facilities.get(row.facility_id) ?? row.facility_id) : null,
    row.client_id,
    row.changed_columns?.join(' ') ?? null,
    row.reason,
    row.old_data === null ? null : JSON.stringify(row.old_data),
    row.new_data === null ? null : JSON.stringify(row.new_data)
  ]);
  return new Response(toCsv(header, rows), { headers: csvHeaders(`suoja-audit-${new Date().toISOString().slice(0, 10)}.csv`) });
};
