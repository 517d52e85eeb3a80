import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { AUDIT_PAGE_SIZE, auditDirectory, auditQuery, readAudit, readAuditFilters } from '$lib/server/admin/audit';
import { requireRole } from '$lib/server/admin/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  await requireRole(locals, ['auditor']);
  const filters = readAuditFilters(url.searchParams);
  const clientTyped = (url.searchParams.get('client') ?? '').trim();
  try {
    const [directory, audit] = await Promise.all([
      auditDirectory(locals.supabase),
      readAudit(locals.supabase, filters, { offset: (filters.page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE })
    ]);
    return {
      filters,
      clientTyped,
      clientInvalid: clientTyped !== '' && filters.client === null,
      query: auditQuery(filters),
      previous: filters.page > 1 ? auditQuery(filters, filters.page - 1) : null,
      next: filters.page * AUDIT_PAGE_SIZE < audit.total ? auditQuery(filters, filters.page + 1) : null,
      ...audit,
      ...directory
    };
  } catch (failure) {
    console.error('Reading the audit trail failed', failure);
    error(503, m.error_generic());
  }
};
