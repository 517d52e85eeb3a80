import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const [staff, facilities, keys, retention] = await Promise.all([
    locals.supabase.from('staff').select('id', { count: 'exact', head: true }).eq('active', true),
    locals.supabase.from('facilities').select('id', { count: 'exact', head: true }).eq('active', true),
    locals.supabase.from('partner_keys').select('id', { count: 'exact', head: true }).is('revoked_at', null),
    locals.supabase.from('retention_settings').select('client_retention_years, updated_at').maybeSingle()
  ]);
  if (staff.error || facilities.error || keys.error || retention.error) error(503, m.error_generic());
  return {
    activeStaff: staff.count ?? 0,
    activeFacilities: facilities.count ?? 0,
    activeKeys: keys.count ?? 0,
    retentionYears: retention.data?.client_retention_years ?? 5
  };
};

export const actions: Actions = {
  retention: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const raw = String((await request.formData()).get('years') ?? '').trim();
    const years = Number(raw);
    if (!/^\d+$/.test(raw) || years < 1 || years > 50) return fail(400, { retention: { years: raw, error: 'out_of_range' } });
    const { error: updateError, count } = await locals.supabase
      .from('retention_settings')
      .update({ client_retention_years: years }, { count: 'exact' })
      .eq('id', true);
    if (updateError || count !== 1) {
      console.error('Saving the retention period failed', updateError);
      return fail(503, { retention: { years: raw, error: 'unknown' } });
    }
    return { retention: { saved: true } };
  }
};
