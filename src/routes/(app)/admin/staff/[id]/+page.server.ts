import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import { rpcFailure } from '$lib/server/admin/rpc-error';
import { isAppRole, setStaffActive } from '$lib/server/admin/staff';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, params }) => {
  if (!UUID.test(params.id)) error(404, m.error_not_found());
  const [person, memberships, facilities] = await Promise.all([
    locals.supabase.from('staff').select('id, email, display_name, role, active, preferred_language').eq('id', params.id).maybeSingle(),
    locals.supabase.from('facility_memberships').select('facility_id, facilities(name)').eq('staff_id', params.id),
    locals.supabase.from('facilities').select('id, name, active').order('name')
  ]);
  if (person.error || memberships.error || facilities.error) error(503, m.error_generic());
  if (!person.data) error(404, m.error_not_found());

  let clients: { client_code: string; assigned_at: string }[] = [];
  if (person.data.role === 'caseworker') {
    const assigned = await locals.supabase.rpc('admin_caseworker_clients', { caseworker_id: params.id });
    if (assigned.error) error(503, m.error_generic());
    clients = assigned.data;
  }
  const claims = await locals.safeGetClaims();
  return {
    person: person.data,
    isSelf: claims?.userId === params.id,
    memberships: memberships.data.map((row) => ({ facilityId: row.facility_id, name: row.facilities?.name ?? '' })),
    facilities: facilities.data,
    clients
  };
};

async function selfGuard(locals: App.Locals, id: string): Promise<boolean> {
  const claims = await requireRole(locals, ['admin']);
  return claims.userId === id;
}

export const actions: Actions = {
  role: async ({ locals, params, request }) => {
    if (await selfGuard(locals, params.id)) return fail(400, { action: 'role', error: 'own_account' });
    const role = (await request.formData()).get('role');
    if (!isAppRole(role)) return fail(400, { action: 'role', error: 'required' });
    const { error: updateError, count } = await locals.supabase.from('staff').update({ role }, { count: 'exact' }).eq('id', params.id);
    if (updateError || count !== 1) return fail(503, { action: 'role', error: 'unknown' });
    return { action: 'role', saved: true };
  },
  active: async ({ locals, params, request }) => {
    if (await selfGuard(locals, params.id)) return fail(400, { action: 'active', error: 'own_account' });
    const active = (await request.formData()).get('active') === 'true';
    if (!(await setStaffActive(locals.supabase, params.id, active))) return fail(503, { action: 'active', error: 'unknown' });
    return { action: 'active', saved: true };
  },
  addMembership: async ({ locals, params, request }) => {
    await requireRole(locals, ['admin']);
    const facilityId = String((await request.formData()).get('facilityId') ?? '');
    if (!UUID.test(facilityId)) return fail(400, { action: 'membership', error: 'required' });
    const { error: insertError } = await locals.supabase.from('facility_memberships').insert({ staff_id: params.id, facility_id: facilityId });
    // 23505: already a member, which is what was asked for
    if (insertError && insertError.code !== '23505') return fail(503, { action: 'membership', error: 'unknown' });
    return { action: 'membership', saved: true };
  },
  removeMembership: async ({ locals, params, request }) => {
    await requireRole(locals, ['admin']);
    const facilityId = String((await request.formData()).get('facilityId') ?? '');
    const { error: deleteError } = await locals.supabase.from('facility_memberships').delete().eq('staff_id', params.id).eq('facility_id', facilityId);
    if (deleteError) return fail(503, { action: 'membership', error: 'unknown' });
    return { action: 'membership', saved: true };
  },
  assign: async ({ locals, params, request }) => {
    await requireRole(locals, ['admin']);
    const code = String((await request.formData()).get('clientCode') ?? '').trim();
    if (!code) return fail(400, { action: 'assign', error: 'required', code });
    const { error: rpcError } = await locals.supabase.rpc('admin_assign_caseworker', { caseworker_id: params.id, client_code: code });
    if (rpcError) return fail(400, { action: 'assign', error: rpcFailure(rpcError).code, code });
    return { action: 'assign', saved: true };
  },
  unassign: async ({ locals, params, request }) => {
    await requireRole(locals, ['admin']);
    const code = String((await request.formData()).get('clientCode') ?? '');
    const { error: rpcError } = await locals.supabase.rpc('admin_unassign_caseworker', { caseworker_id: params.id, client_code: code });
    if (rpcError) return fail(400, { action: 'unassign', error: rpcFailure(rpcError).code });
    return { action: 'unassign', saved: true };
  }
};
