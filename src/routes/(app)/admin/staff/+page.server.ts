import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/admin/guard';
import { createStaff, fieldErrors, newStaffSchema, type NewStaffField } from '$lib/server/admin/staff';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
  const { data, error: staffError } = await locals.supabase
    .from('staff')
    .select('id, email, display_name, role, active, facility_memberships(facility_id)')
    .order('display_name');
  if (staffError) {
    console.error('Listing staff failed', staffError);
    error(503, m.error_generic());
  }
  return {
    staff: data.map((row) => ({
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      active: row.active,
      facilities: row.facility_memberships.length
    }))
  };
};

export const actions: Actions = {
  create: async ({ locals, request }) => {
    await requireRole(locals, ['admin']);
    const form = await request.formData();
    const values = {
      email: String(form.get('email') ?? ''),
      displayName: String(form.get('displayName') ?? ''),
      role: String(form.get('role') ?? ''),
      language: String(form.get('language') ?? 'fi')
    };
    const parsed = newStaffSchema.safeParse({ ...values, password: String(form.get('password') ?? '') });
    if (!parsed.success) return fail(400, { create: { values, errors: fieldErrors<NewStaffField>(parsed.error), failure: null } });

    const result = await createStaff(parsed.data);
    if (!result.ok) {
      const errors = result.code === 'email_exists' ? { email: 'email_exists' } : result.code === 'weak_password' ? { password: 'weak_password' } : {};
      return fail(result.code === 'unavailable' ? 503 : 400, {
        create: { values, errors, failure: result.code === 'unavailable' ? 'unknown' : null }
      });
    }
    return { created: { id: result.id, email: parsed.data.email } };
  }
};
