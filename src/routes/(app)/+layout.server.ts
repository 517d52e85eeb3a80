import { error, redirect } from '@sveltejs/kit';
import { isLocale } from '$lib/paraglide/runtime';
import { loginUrlFor } from '$lib/navigation/safe-redirect';
import { m } from '$lib/paraglide/messages';
import { toAppRole, type StaffProfile } from '$lib/staff';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, url, setHeaders }) => {
  const claims = await locals.safeGetClaims();
  if (!claims) redirect(303, loginUrlFor(`${url.pathname}${url.search}`));

  // Pages behind login carry personal data: never keep them in a shared cache.
  setHeaders({ 'cache-control': 'private, no-store' });

  const { data: row, error: staffError } = await locals.supabase
    .from('staff')
    .select('id, display_name, role, preferred_language')
    .eq('id', claims.userId)
    .maybeSingle();
  if (staffError) {
    console.error('Reading the staff profile failed', staffError);
    error(503, m.error_generic());
  }
  if (!row) error(403, m.error_code_staff_not_found());

  const staff: StaffProfile = {
    id: row.id,
    displayName: row.display_name,
    role: toAppRole(row.role),
    preferredLanguage: isLocale(row.preferred_language) ? row.preferred_language : 'fi'
  };
  return { staff };
};
